#!/bin/sh
# One power cut (tests/storage/README.md): a copy of the storage image
# booted with its disk on virtio-blk (UEFI on q35 for odd N, BIOS on pc for
# even), killed (SIGKILL) at a random moment while the file service runs
# its stress rounds, then fsck.fat -n on the ESP.  Passes when fsck finds
# nothing, or only what lib/fat's crash ordering may leave (README.md,
# "Files"): lost clusters reclaimed, a chain longer than its file's size,
# FATs that differ, a wrong free count.  The last line says what happened.
#   cut.sh IMAGE WORK N [WINDOW_MS]
set -u
here=$(dirname "$0")
. "$here/lib.sh"
img=$1 work=$2 i=$3 window=${4:-3000}
qemu_pid=
trap '[ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null; rm -f "$work.img" "$work.img.vars" "$work.log" "$work.log.qemu" "$work.fsck"' EXIT
case $((i % 3)) in
1) fw=uefi mach=q35 disk=ahci ;;
2) fw=bios mach=pc disk=virtio ;;
*) fw=uefi mach=q35 disk=virtio ;;
esac
cp "$img" "$work.img"
boot "$work.img" "$fw" "$mach" "$work.log" "$disk"
if ! wait_line "$work.log" "fs: stress: start" 240; then
	echo "no stress started ($fw, $mach, $disk):"
	tail -n 12 "$work.log"
	exit 1
fi
ms=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % window))
sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
stop_qemu KILL
done=$(grep -acF "fs: stress: 300 rounds done" "$work.log")
rounds=$(grep -ac "" "$work.log")
if esp_fsck "$work.img" "$work.fsck"; then
	echo "cut $i ($fw, $mach, $disk) ${ms} ms into the stress$([ "$done" = 1 ] && echo ', after it ended'): fsck.fat clean"
	exit 0
fi
# What fsck said, message by message (an indented line belongs to the one
# above it): the first that a cut may not leave.
bad=$(awk '
	function benign(l) {
		return l == "" || l ~ / files, / || l ~ /^fsck\.fat / ||
			l ~ /^Free cluster summary wrong/ || l ~ /^Reclaimed / ||
			l ~ /^Leaving filesystem unchanged/ ||
			l ~ /^FATs differ but appear to be intact/
	}
	/^ / {
		if ($0 ~ /File size is / && $0 ~ /cluster chain length is > /) { ok = 1; path = "" }
		else if (!ok && path != "") { print path; found = 1; exit }
		next
	}
	{ if (path != "" && !ok) { print path; found = 1; exit } ok = benign($0); path = ok ? "" : $0 }
	END { if (!found && path != "" && !ok) print path }
' "$work.fsck")
if [ -n "$bad" ]; then
	echo "cut $i ($fw, $mach, $disk) ${ms} ms into the stress: fsck.fat reports: $bad"
	cat "$work.fsck"
	exit 1
fi
echo "cut $i ($fw, $mach, $disk) ${ms} ms into the stress: fsck.fat: $(grep -v '^fsck.fat\|files, ' "$work.fsck" | grep -v '^ ' | sort -u | tr '\n' ';')"
