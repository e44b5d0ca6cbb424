# Shared by the storage tests (tests/storage/README.md): booting a copy of
# the storage image with the disk on virtio-blk or AHCI, waiting for lines of the
# serial log, and the ESP's place in the image.  Sourced, not run.

export MTOOLS_SKIP_CHECK=1
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
QEMU=${QEMU:-qemu-system-x86_64}

# boot IMG FIRMWARE MACHINE LOG [DISK]: QEMU in the background, serial to
# LOG; its pid in $qemu_pid.  DISK virtio (the default): the image as the
# boot disk on virtio-blk (bootindex 0; OVMF and SeaBIOS boot from it);
# ahci: as the machine's own disk (q35: port 0 of the ICH9's AHCI);
# ahci-iommu: the same with QEMU's VT-d unit (-device intel-iommu,
# aw-bits=48: 4-level tables; no interrupt remapping, so no split irqchip).
boot() {
	_fw=
	if [ "$2" = uefi ]; then
		cp "$OVMF_VARS" "$1.vars"
		_fw="-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE
			-drive if=pflash,format=raw,file=$1.vars"
	fi
	if [ "${5:-virtio}" = ahci ]; then
		_disk="-drive format=raw,file=$1"
	elif [ "${5:-virtio}" = ahci-iommu ]; then
		_disk="-device intel-iommu,aw-bits=48,intremap=off -drive format=raw,file=$1"
	else
		_disk="-drive if=none,id=boot,format=raw,file=$1
			-device virtio-blk-pci,drive=boot,bootindex=0"
	fi
	# shellcheck disable=SC2086
	"$QEMU" -machine "$3" -accel tcg -cpu max -smp 1 -m 256 $_fw $_disk \
		-nic none -no-reboot -display none -serial "file:$4" -monitor none \
		</dev/null >"$4.qemu" 2>&1 &
	qemu_pid=$!
}

# wait_line LOG TEXT SECONDS: until LOG has a line containing TEXT (0),
# QEMU has gone (1) or the time is up (2).
wait_line() {
	_end=$(($(date +%s) + $3))
	while [ "$(date +%s)" -lt "$_end" ]; do
		grep -aqF -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$qemu_pid" 2>/dev/null || { grep -aqF -- "$2" "$1" && return 0; return 1; }
		sleep 0.2
	done
	return 2
}

# stop_qemu [SIGNAL]: ends the QEMU of boot (KILL: a power cut).
stop_qemu() {
	kill -"${1:-TERM}" "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=
}

# esp_offset IMG: the ESP's byte offset (the first partition sfdisk lists).
esp_offset() {
	_s=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -n 1)
	[ -n "$_s" ] && echo $((_s * 512))
}

# esp_fsck IMG OUT: fsck.fat -n on the ESP, its report in OUT; its status.
esp_fsck() {
	_s=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -n 1)
	_n=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/.*size= *\([0-9]*\).*/\1/p' | head -n 1)
	dd if="$1" of="$1.esp" bs=512 skip="$_s" count="$_n" status=none &&
		fsck.fat -n "$1.esp" >"$2" 2>&1
	_st=$?
	rm -f "$1.esp"
	return $_st
}

# round_text R: the bytes of the stress's round R (user/fs/disk.h): "round
# R " repeated, cut to 100 + 37R mod 1500 bytes, half that when R mod 7 is 3.
round_text() {
	_len=$((100 + $1 * 37 % 1500))
	[ $(($1 % 7)) = 3 ] && _len=$((_len / 2))
	yes "round $1 " | tr -d '\n' | head -c "$_len"
}

# guest_text: the guest file (user/fs/disk.h): 1000 lines
# "tessera guest line NNNNN".
guest_text() {
	seq -f 'tessera guest line %05g' 0 999
}
