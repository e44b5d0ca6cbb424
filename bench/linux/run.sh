#!/bin/sh
# make bench-linux (bench/linux/build.mk, bench/linux/README.md): boots, one
# after another, in the same QEMU configuration,
#   1. Tessera's bench-user image (its figures),
#   2. Debian's Linux kernel with the probe's initramfs (Linux's figures),
#   3. STORAGE_RUNS times per disk (virtio-blk; on q35 also the ICH9's
#      AHCI): Tessera's storage image (the file service's bench) and Linux
#      with the probe as "storage DISK SECTORS" on the same image,
#   4. BENCH_BOOT_RUNS times each: Tessera's normal image with our loader,
#      the Limine image (if one is given) and Linux with the probe as
#      "boot", under each firmware, to time the boot stages,
# each through benchrun (every serial line stamped with host time), then
# writes the tables, the CSV files and the chart into OUT with benchtab
# and gnuplot.  Timings are never checked; a boot that fails or a figure
# that is missing makes the run fail, naming it.
#   run.sh OUT   with the environment below (all set by bench/linux/build.mk)
set -u
# qemu FIRMWARE VARS DEBUGFD ARGS...: QEMU as tools/harness starts it
# (tools/harness/qemu.c), with the debug console (SeaBIOS's messages) on
# benchrun's second pipe, file descriptor DEBUGFD.
qemu() {
	fw=$1 vars=$2 dbg=$3
	shift 3
	set -- -machine "$MACHINE" -accel "$ACCEL" -cpu max -smp "$CORES" -m "$MEMORY" "$@"
	if [ "$fw" = uefi ]; then
		cp "$OVMF_VARS" "$vars" || return 1
		set -- "$@" -drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
			-drive "if=pflash,format=raw,file=$vars"
	fi
	set -- "$@" -nic none -device isa-debug-exit,iobase=0xf4,iosize=4 -no-reboot \
		-display none -serial stdio -monitor none \
		-chardev "file,id=dbg,path=/dev/fd/$dbg" -device isa-debugcon,iobase=0x402,chardev=dbg
	echo qemu-system-x86_64 "$@" > "${vars%.vars}.cmd"
	exec qemu-system-x86_64 "$@"
}

if [ "${1:-}" = --qemu ]; then # benchrun runs this script again for QEMU
	shift
	qemu "$@"
	exit $?
fi

: "${BENCHRUN:?}" "${BENCHTAB:?}" "${MACHINE:?}" "${ACCEL:?}" "${CORES:?}" "${MEMORY:?}"
: "${FIGURES_FIRMWARE:?}" "${FIRMWARES:?}" "${BENCH_USER_IMG:?}" "${DISK_IMG:?}"
: "${INITRAMFS:?}" "${BOOT_RUNS:?}" "${OVMF_CODE:?}" "${OVMF_VARS:?}"
: "${STORAGE_IMG:?}" "${STORAGE_RUNS:?}"
LIMINE_IMG=${LIMINE_IMG:-}
# Debian's kernel (linux-image-amd64): the newest installed, unless named.
LINUX_KERNEL=${LINUX_KERNEL:-$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)}
if [ ! -r "$LINUX_KERNEL" ]; then
	echo "bench-linux: no readable Linux kernel (/boot/vmlinuz-*-amd64 from linux-image-amd64;" \
		"or LINUX_KERNEL=...)" >&2
	exit 1
fi
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
host="host: $(nproc) CPUs ($cpu), $(uname -sr); Linux guest: $(basename "$LINUX_KERNEL")"
out=${1:?usage: run.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
logs=$out/logs
mkdir -p "$logs"
rm -f "$logs"/*.log
linux_cmdline="console=ttyS0 earlycon=uart8250,io,0x3f8 loglevel=6 panic=-1"
failed=""

# boot NAME FIRMWARE UNTIL QEMU-ARGS...: one boot into $logs/NAME.log.
boot() {
	name=$1 fw=$2 until=$3
	shift 3
	printf '  BOOT    %s\n' "$name"
	"$BENCHRUN" --out "$logs/$name.log" --timeout 600 --until "$until" -- \
		"$0" --qemu "$fw" "$logs/$name.vars" @DEBUGFD@ "$@"
	st=$?
	rm -f "$logs/$name.vars"
	[ $st = 0 ] || { echo "bench-linux: $name: the boot ended with status $st ($logs/$name.log)"; failed="$failed $name"; }
}

fw=$FIGURES_FIRMWARE
boot tessera-figures "$fw" "bench-user: done" -drive "format=raw,file=$BENCH_USER_IMG,snapshot=on"
boot linux-figures "$fw" "bench-linux: done" -kernel "$LINUX_KERNEL" -initrd "$INITRAMFS" \
	-append "$linux_cmdline"

# disk_args SYSTEM DISK: the storage image on DISK, as make bench-storage
# boots it (tests/storage/lib.sh) but modern-only on virtio-blk
# (disable-legacy=on) and never written (snapshot=on).  Tessera boots from
# it; Linux boots from -kernel, so its disk has no boot index.
disk_args() {
	if [ "$2" = ahci ]; then
		echo "-drive format=raw,file=$STORAGE_IMG,snapshot=on"
	else
		echo "-drive if=none,id=disk,format=raw,file=$STORAGE_IMG,snapshot=on" \
			"-device virtio-blk-pci,drive=disk,disable-legacy=on$([ "$1" = tessera ] && echo ,bootindex=0)"
	fi
}

# Storage: Linux reads in requests of as many sectors as Tessera's driver
# took (its bench line says; 256 if it said nothing: that run fails anyway).
args=""
disks=virtio
[ "$MACHINE" = q35 ] && disks="virtio ahci"
for disk in $disks; do
	for i in $(seq 1 "$STORAGE_RUNS"); do
		# shellcheck disable=SC2046 # disk_args: words without blanks
		boot "tessera-$disk-$i" "$FIGURES_FIRMWARE" "fs: done:" $(disk_args tessera "$disk")
		sectors=$(sed -n 's/.*fs: bench: raw driver: .* in \([0-9]*\)-sector requests.*/\1/p' \
			"$logs/tessera-$disk-$i.log" | head -n 1)
		# shellcheck disable=SC2046
		boot "linux-$disk-$i" "$FIGURES_FIRMWARE" "bench-linux: done" -kernel "$LINUX_KERNEL" \
			-initrd "$INITRAMFS" -append "$linux_cmdline -- storage $disk ${sectors:-256}" \
			$(disk_args linux "$disk")
		args="$args --storage tessera/$disk=$logs/tessera-$disk-$i.log"
		args="$args --storage linux/$disk=$logs/linux-$disk-$i.log"
	done
done

for i in $(seq 1 "$BOOT_RUNS"); do
	for fw in $FIRMWARES; do
		boot "tessera-$fw-$i" "$fw" "init: clocks: " \
			-drive "format=raw,file=$DISK_IMG,snapshot=on"
		args="$args --boot tessera/$fw=$logs/tessera-$fw-$i.log"
		if [ -n "$LIMINE_IMG" ]; then
			boot "limine-$fw-$i" "$fw" "init: clocks: " \
				-drive "format=raw,file=$LIMINE_IMG,snapshot=on"
			args="$args --boot limine/$fw=$logs/limine-$fw-$i.log"
		fi
		boot "linux-$fw-$i" "$fw" "bench-linux: done" -kernel "$LINUX_KERNEL" \
			-initrd "$INITRAMFS" -append "$linux_cmdline -- boot"
		args="$args --boot linux/$fw=$logs/linux-$fw-$i.log"
	done
done
[ -n "$LIMINE_IMG" ] || echo "bench-linux: Limine's boots skipped (LIMINE_DIR not given)"

desc="QEMU $ACCEL, $MACHINE, $CORES cores, $MEMORY MiB, figures under $FIGURES_FIRMWARE; $host"
# shellcheck disable=SC2086 # args: words without blanks
"$BENCHTAB" --out "$out" --machine "$desc" --firmware "$FIGURES_FIRMWARE" \
	--tessera "$logs/tessera-figures.log" --linux "$logs/linux-figures.log" $args
st=$?
if command -v gnuplot >/dev/null 2>&1; then
	(cd "$out" && gnuplot "$here/plot.gp") || st=1
	[ $st != 0 ] || echo "bench-linux: $out/figures.csv, $out/boot.csv, $out/bench.png"
else
	echo "bench-linux: gnuplot missing: no chart (make deps-bench installs it)"
	st=1
fi
[ -z "$failed" ] || { echo "bench-linux: FAILED boots:$failed"; st=1; }
exit $st
