#!/bin/sh
# The list of checksums the file service checks the boot disk against
# (user/fs, "espsums"): cksum(1) of every file of the image's EFI system
# partition, read with mtools (not with lib/fat), one "CRC SIZE PATH" line
# each, PATH from the partition's root.  The list's own file (SELF) is left
# out: the image is built once with an empty list, listed, then built again
# with the list (mk/image.mk), which changes no other file.
#   mksums.sh IMAGE SELF OUT
set -eu
img=$1 self=$2 out=$3
export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(sfdisk -d "$img" | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$start" ] || { echo "mksums.sh: $img: no partition" >&2; exit 1; }
at="$img@@$((start * 512))"
mdir -/ -b -i "$at" ::/ | grep -v '/$' | LC_ALL=C sort | while IFS= read -r f; do
	path=${f#::/}
	[ "/$path" = "$self" ] && continue
	mcopy -n -i "$at" "$f" "$tmp/file"
	printf '%s %s\n' "$(cksum < "$tmp/file" | cut -d' ' -f1,2)" "$path"
	rm -f "$tmp/file"
done > "$out.part"
[ -s "$out.part" ] || { echo "mksums.sh: $img: no files" >&2; exit 1; }
mv -f "$out.part" "$out"
