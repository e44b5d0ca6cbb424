#!/bin/sh
# make bench-storage: boots a copy of the storage image (tests/storage/)
# RUNS times with its disk on virtio-blk and, on q35, RUNS times on the
# ICH9's AHCI, and prints the file service's bench lines (user/fs/bench.c):
# sequential-read KiB/s and 4 KiB random-read IOPS through the raw driver
# (vblk, ahci: completion by interrupt) and through the file service.
# Figures, never assertions: under TCG the host's load moves them.
#   run.sh IMAGE FIRMWARE MACHINE RUNS
set -u
here=$(dirname "$0")
. "$here/../../tests/storage/lib.sh"
img=$1 fw=$2 mach=$3 runs=$4
tmp=$(mktemp -d)
qemu_pid=
trap '[ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
status=0
disks=virtio
[ "$mach" = q35 ] && disks="virtio ahci"
for disk in $disks; do
	for r in $(seq 1 "$runs"); do
		rm -f "$tmp/log"
		cp "$img" "$tmp/disk.img"
		boot "$tmp/disk.img" "$fw" "$mach" "$tmp/log" "$disk"
		if wait_line "$tmp/log" "fs: done:" 240; then
			echo "run $r ($fw, $mach, $([ "$disk" = ahci ] && echo AHCI || echo virtio-blk), interrupts):"
			sed -n 's/.*fs: bench: /  /p' "$tmp/log" | tr -d '\r'
		else
			echo "run $r ($disk): the file service did not finish:" >&2
			tail -n 12 "$tmp/log" >&2
			status=1
		fi
		stop_qemu TERM
	done
done
exit $status
