#!/bin/sh
# `make fuzz-corpus`: regenerates the fuzz seeds that our own tools make.
# Usage: tests/fuzz/mkcorpus.sh WORKDIR BINDIR   (BINDIR holds mkimage,
# mksparse and mkseeds).  Run by hand from the tree's root; the results are
# committed.  Only files named gen-* in tests/fuzz/*/corpus/ are replaced;
# hand-written seeds stay.
#
#   fat, gpt        a disk written by tools/mkimage (sparse: the sectors that
#                   are not zero; gpt: only the protective MBR, the GPT and
#                   the ESP's boot sector)
#   elf, elfload    a tiny kernel (tests/fuzz/common/seed_kernel.c) linked
#                   with the real kernel.ld, as an executable, an OMAGIC
#                   executable, a PIE and a relocatable object
#   json, tcfg      config/*.json (tcfg: with a file name and overrides)
#   conf            limine.conf files like mk/image.mk and boot/tests.mk write
#   msg, urpc       messages and rings from lib/urpc (mkseeds)
#   typed_*         schemas of the tree, and messages and descriptors that
#                   tools/typedc makes of them and of configuration texts
#   acpi            synthetic tables (mkseeds), and the tables QEMU's
#                   SeaBIOS and OVMF build under TCG, read from a RAM dump
set -eu
work=$1
bin=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)
fz=tests/fuzz

for t in fat gpt elf elfload json tcfg conf msg urpc acpi typed_text typed_bin typed_cmdline \
	typed_schema; do
	mkdir -p "$fz/$t/corpus"
	rm -f "$fz/$t/corpus"/gen-*
done

# ---- ELF ----
KFLAGS="--target=x86_64-unknown-none-elf -ffreestanding -nostdlib -fno-builtin -O1 -g0 \
	-mno-red-zone -mgeneral-regs-only -Iinclude"
clang $KFLAGS -mcmodel=kernel -fno-pic -c $fz/common/seed_kernel.c -o "$work/seed.o"
clang $KFLAGS -fpie -c $fz/common/seed_kernel.c -o "$work/seed-pie.o"
ld.lld -static -z max-page-size=0x1000 --build-id=none -T kernel/arch/x86_64/kernel.ld \
	"$work/seed.o" -o "$work/kernel.elf"
ld.lld -static -N --build-id=none -T kernel/arch/x86_64/kernel.ld \
	"$work/seed.o" -o "$work/kernel-omagic.elf"
ld.lld -pie --build-id=none -z max-page-size=0x1000 "$work/seed-pie.o" -e kernel_entry \
	-o "$work/kernel-pie.elf"
for t in elf elfload; do
	cp "$work/kernel.elf" $fz/$t/corpus/gen-kernel
	cp "$work/kernel-omagic.elf" $fz/$t/corpus/gen-kernel-omagic
	cp "$work/kernel-pie.elf" $fz/$t/corpus/gen-kernel-pie
done
cp "$work/seed.o" $fz/elf/corpus/gen-relocatable

# ---- FAT and GPT: one mkimage disk ----
files=$work/files
rm -rf "$files"
mkdir -p "$files"
printf 'timeout: 0\nserial: yes\n\n/Tessera\n    protocol: limine\n    kernel_path: boot():/boot/tessera.elf\n    module_path: boot():/boot/modules/motd.txt\n    module_cmdline: motd.txt\n' \
	>"$files/limine.conf"
printf 'Welcome to Tessera.\n' >"$files/motd.txt"
head -c 3000 /dev/zero | tr '\0' 'x' >"$files/small.bin"
: >"$files/empty"
i=0
set --
while [ $i -lt 40 ]; do # a directory of several clusters
	set -- "$@" --file "/many/entry number $i with a long name.txt=$files/motd.txt"
	i=$((i + 1))
done
"$bin/mkimage" --out "$work/disk.img" --seed fuzz-corpus --size 40 \
	--file /EFI/BOOT/BOOTX64.EFI="$files/small.bin" \
	--file /boot/limine.conf="$files/limine.conf" \
	--file /boot/tessera.elf="$work/kernel.elf" \
	--file /boot/modules/motd.txt="$files/motd.txt" \
	--file "/names/Ünïcödé ☃.txt=$files/motd.txt" \
	--file /names/lower.txt="$files/motd.txt" \
	--file /names/MiXeD.Case.Name="$files/motd.txt" \
	--file /names/empty="$files/empty" \
	--file /deep/a/b/c/d/e/f/g/leaf.txt="$files/motd.txt" \
	--dir /names/emptydir "$@"
total=$(($(stat -c %s "$work/disk.img") / 512))
"$bin/mksparse" "$work/disk.img" $fz/fat/corpus/gen-esp 2048 $((total - 2048 - 33))
"$bin/mksparse" "$work/disk.img" $fz/gpt/corpus/gen-disk 0 $total \
	--sectors "0-33,2048,$((total - 33))-$((total - 1))"
"$bin/mksparse" "$work/disk.img" $fz/gpt/corpus/gen-disk-backup-only 0 $total \
	--sectors "0,$((total - 33))-$((total - 1))"

# ---- JSON and configurations ----
for c in config/*.json; do
	n=$(basename "$c" .json)
	cp "$c" $fz/json/corpus/gen-$n
	{ cat "$c"; printf '\0%s\0CORES=4\0framebuffer.width=800' "$c"; } >$fz/tcfg/corpus/gen-$n
done

# ---- typed values ----
typed_seeds() { # work bin fz
	demo=tests/host/typed/demo_args.schema
	printf 'cores = 4\nmemory = 64M\nquiet = true\nmode = small\ntimeout = 300ms\nname = "a b"\nroot = /boot/x\nlog = log\nfiles = [/a, /b]\nfb = { width = 800 }\nlevel = -3\ntags = [x, y]\n' \
		>"$1/demo.conf"
	cp "$1/demo.conf" "$3/typed_text/corpus/gen-demo"
	cp user/init/startup.conf "$3/typed_text/corpus/gen-startup"
	"$2/typedc" encode $demo "$1/demo.conf" "$1/demo.msg"
	{ printf '\0'; cat "$1/demo.msg"; } >"$3/typed_bin/corpus/gen-demo"
	# a descriptor, then a message of its type: byte 1, the length (16 bits)
	for s in user/init/init_startup.schema:user/init/startup.conf \
		tools/tcfg/tcfg_config.schema:"$1/tcfg.conf"; do
		printf 'loader = tessera\nfirmware = uefi\nmachine = q35\ncores = 2\nmemory = 512\n' \
			>"$1/tcfg.conf"
		schema=${s%%:*}
		name=$(basename "$schema" .schema)
		"$2/typedc" desc "$schema" "$1/$name.desc"
		"$2/typedc" encode "$schema" "${s#*:}" "$1/$name.msg"
		n=$(stat -c %s "$1/$name.desc")
		{ printf '\001'; printf "\\$(printf %03o $((n & 255)))\\$(printf %03o $((n >> 8)))"
		  cat "$1/$name.desc" "$1/$name.msg"; } >"$3/typed_bin/corpus/gen-$name"
	done
	for s in $(git ls-files '*.schema'); do
		cp "$s" "$3/typed_schema/corpus/gen-$(basename "$s" .schema)"
	done
}
typed_seeds "$work" "$bin" $fz

# ---- limine.conf ----
cp "$files/limine.conf" $fz/conf/corpus/gen-image
printf 'timeout: 0\nserial: yes\ntessera_test_absent_cpu: 200\n\n/Loader test\n    protocol: limine\n    kernel_path: boot():/boot/tessera.elf\n    module_path: boot():/boot/modules/missing.txt\n' \
	>$fz/conf/corpus/gen-absent-cpu

# ---- messages, rings, ACPI ----
"$bin/mkseeds" msg $fz/msg/corpus
"$bin/mkseeds" urpc $fz/urpc/corpus
"$bin/mkseeds" acpi $fz/acpi/corpus

# QEMU: boot each firmware with no disk, wait for it to build its tables,
# dump the RAM through the monitor and keep the tables the RSDP leads to.
capture() { # name seconds qemu-args...
	name=$1
	wait=$2
	shift 2
	rm -f "$work/ram.bin"
	(sleep "$wait"; echo "pmemsave 0 0x8000000 \"$work/ram.bin\""; sleep 5; echo quit) |
		timeout 60 qemu-system-x86_64 -m 128 -display none -monitor stdio -serial none \
			-net none -accel tcg "$@" >/dev/null 2>&1 || true
	"$bin/mkseeds" acpi-dump "$work/ram.bin" $fz/acpi/corpus/gen-$name
	rm -f "$work/ram.bin"
}
capture seabios-q35-4cpu 4 -M q35 -smp 4
capture seabios-pc-2of4cpu 4 -M pc -smp 2,maxcpus=4
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
capture ovmf-q35-4cpu 15 -M q35 -smp 4 \
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,file="$work/vars.fd"
echo "fuzz-corpus: seeds written to $fz/*/corpus/gen-*"
