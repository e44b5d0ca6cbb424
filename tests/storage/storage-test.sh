#!/bin/sh
# The storage tests (tests/storage/README.md), in KTAP: the storage image
# booted from a copy with its disk on virtio-blk, under UEFI on q35 (ECAM)
# and BIOS on pc (configuration ports), and on q35's AHCI under UEFI.  In
# the guest the file service spawns the disk's driver (vblk, ahci), mounts the ESP, reads every file and
# compares with the build's list, writes the guest file, runs its stress
# rounds (the driver faults once on purpose and is restarted).  On the
# host afterwards: mtools reads the guest file and the stress's last files
# back as the host makes them, and fsck.fat -n finds nothing.  Then CUTS
# runs killed at a random moment of the stress (a power cut): fsck.fat -n
# may find only what a cut may leave (README.md, "Files").  On q35's AHCI
# ahci's first instance reads sector 0 by DMA into a frame that was not
# lent (--dma-outside): with QEMU's VT-d unit (ahci-iommu) the frame must
# stay as it was and the IOMMU service log the fault with the function and
# that address; without it (ahci) the frame changes, which shows the check
# can fail.
#   storage-test.sh IMAGE SUMS [CUTS]
set -u
here=$(dirname "$0")
. "$here/lib.sh"
img=$1 sums=$2 cuts=${3:-2}
tmp=$(mktemp -d)
qemu_pid=
trap '[ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 fails=0
configs="uefi:q35:virtio bios:pc:virtio uefi:q35:ahci uefi:q35:ahci-iommu"
checks=9

result() { # ok|fail NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2"
	else
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/    # /'
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# expect NAME LOG TEXT: a result for a line of the log.
expect() {
	if grep -aqF -- "$3" "$2"; then
		result ok "$1"
	else
		result fail "$1" "no line '$3'; the log ends: $(tail -n 8 "$2")"
	fi
}

# readback NAME DISK ESP-PATH: the file at ESP-PATH reads back with the
# bytes on stdin.
readback() {
	cat >"$tmp/want"
	if mcopy -n -i "$2@@$(esp_offset "$2")" "::$3" "$tmp/got" 2>"$tmp/err" &&
		cmp -s "$tmp/want" "$tmp/got"; then
		result ok "$1"
	else
		result fail "$1" "::$3: $(cat "$tmp/err") $(cmp "$tmp/want" "$tmp/got" 2>&1)"
	fi
	rm -f "$tmp/got" "$tmp/want"
}

# One full run on firmware $1, machine $2, the disk on $3 (virtio, ahci),
# whose driver is $4.
full_run() {
	name=storage.$1-$2 disk=$tmp/$1-$2-$3.img log=$tmp/$1-$2-$3.log
	[ "$3" != virtio ] && name=storage.$1-$2-$3
	cp "$img" "$disk"
	boot "$disk" "$1" "$2" "$log" "$3"
	wait_line "$log" "fs: done:" 240
	st=$?
	stop_qemu TERM
	cp "$log" "${LOG_DIR:-$tmp}/$1-$2-$3.serial" 2>/dev/null
	[ $st = 0 ] && result ok "$name.runs_to_the_end" ||
		result fail "$name.runs_to_the_end" "$(tail -n 12 "$log")"
	sectors=$(($(stat -c %s "$img") / 512))
	expect "$name.driver_sees_the_disk" "$log" "sectors of 512 bytes ($((sectors / 2048)) MiB)"
	expect "$name.every_esp_file_as_the_build_listed" "$log" \
		"fs: $(grep -c . "$sums") files read through the service, 0 checksums wrong"
	expect "$name.self_check" "$log" "fs: self-check passed"
	if grep -aqF "blk: $4 ended (code 142); starting it again" "$log" &&
		grep -aqF "the driver restarted 1 times" "$log"; then
		result ok "$name.driver_restarted_after_its_fault"
	else
		result fail "$name.driver_restarted_after_its_fault" "$(grep -a 'blk' "$log")"
	fi
	expect "$name.no_check_failed" "$log" "fs: done: 0 checks failed"
	guest_text >"$tmp/guest"
	readback "$name.guest_file_on_the_host" "$disk" "/guest/written by tessera.txt" <"$tmp/guest"
	rounds=$(sed -n 's/.*fs: stress: start (\([0-9]*\) rounds).*/\1/p' "$log" | head -n 1)
	rounds=${rounds:-0}
	{ round_text $((rounds - 2)) && round_text $((rounds - 1)); } >"$tmp/want2"
	off=$(esp_offset "$disk")
	if [ "$rounds" -ge 2 ] &&
		mcopy -n -i "$disk@@$off" "::/stress/round $((rounds - 2)).txt" "$tmp/a" 2>/dev/null &&
		mcopy -n -i "$disk@@$off" "::/stress/round $((rounds - 1)).txt" "$tmp/b" 2>/dev/null &&
		cat "$tmp/a" "$tmp/b" | cmp -s - "$tmp/want2" &&
		[ "$(mdir -b -i "$disk@@$off" ::/stress | grep -c .)" = 2 ]; then
		result ok "$name.stress_files_on_the_host"
	else
		result fail "$name.stress_files_on_the_host" \
			"$(mdir -i "$disk@@$off" ::/stress 2>&1 | tail -n 6)"
	fi
	rm -f "$tmp/a" "$tmp/b" "$tmp/want2"
	if esp_fsck "$disk" "$tmp/fsck"; then
		result ok "$name.fsck_fat_clean"
	else
		result fail "$name.fsck_fat_clean" "$(cat "$tmp/fsck")"
	fi
	rm -f "$disk" "$disk.vars"
	case $3 in ahci*) dma_outside "$name" "$log" "$3" ;; esac
}

# dma_outside NAME LOG BUS: --dma-outside's DMA into a frame not lent
# (README.md, "Drivers"): blocked and logged with the IOMMU, landed without.
dma_outside() {
	line=$(grep -a "ahci: --dma-outside:" "$2" | head -n 1)
	addr=$(printf '%s\n' "$line" | sed -n 's/.* into \(0x[0-9a-f]*\) (not lent).*/\1/p')
	if [ "$3" = ahci ]; then
		expect "$1.dma_outside_without_iommu_lands" "$2" "(not lent): command OK, frame CHANGED"
		expect "$1.no_iommu_said" "$2" "blk: no IOMMU: ahci's device reaches all memory"
		return
	fi
	expect "$1.iommu_on" "$2" "DMA remapping on"
	expect "$1.only_the_lent_frames_mapped" "$2" "iommu: 00:1f.2: 33 frames mapped (domain 1)"
	if [ -n "$addr" ] && printf '%s\n' "$line" | grep -qF "frame unchanged (0 of 4096 bytes differ)"; then
		result ok "$1.dma_outside_leaves_the_frame_unchanged"
	else
		result fail "$1.dma_outside_leaves_the_frame_unchanged" "${line:-no --dma-outside line}"
	fi
	expect "$1.iommu_fault_logged_with_function_and_address" "$2" \
		"iommu: DMA fault: 00:1f.2 write ${addr:-?} blocked"
}

echo "KTAP version 1"
echo "1..$((checks * 4 + 2 + 4 + cuts))" # + dma_outside: 2 on ahci, 4 on ahci-iommu
for c in $configs; do
	fw=${c%%:*} rest=${c#*:}
	mach=${rest%%:*} bus=${rest##*:}
	case $bus in ahci*) driver=ahci ;; *) driver=vblk ;; esac
	full_run "$fw" "$mach" "$bus" "$driver"
done
for i in $(seq 1 "$cuts"); do
	"$here/cut.sh" "$img" "$tmp/cut" "$i" >"$tmp/cut.out" 2>&1
	if [ $? = 0 ]; then
		echo "# $(tail -n 1 "$tmp/cut.out")"
		result ok "storage.cut_$i"
	else
		result fail "storage.cut_$i" "$(cat "$tmp/cut.out")"
	fi
done
echo "# Totals: pass:$((n - fails)) fail:$fails skip:0 total:$n"
[ "$fails" = 0 ]
