#!/bin/sh
# Makes the file service's test volume (user/fs/README.md): a FAT32 image
# made by mkfs.fat and filled by mcopy with a few files of the tree, in the
# sparse form the service's RAM disk reads (mksparse), and the list of
# their checksums made by the host's cksum(1) from the source files, not
# by anything that reads FAT.  Reproducible (fixed times and volume id).
#   mkfsimage.sh OUT.sparse OUT.sums MKSPARSE
set -eu
out=$1 sums=$2 mksparse=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000 MTOOLS_SKIP_CHECK=1
mkdir -p "$tmp/stage/docs"
cp README.md "$tmp/stage/README.TXT"
cp config/motd.txt "$tmp/stage/motd.txt"
cp docs/tile.md "$tmp/stage/docs/tile.md"
cp lib/fat/fat.c "$tmp/stage/docs/A file with a long name.c"
touch -d @$SOURCE_DATE_EPOCH "$tmp/stage/docs" "$tmp/stage"/* "$tmp/stage/docs"/*
mkfs.fat -F 32 -s 1 -S 512 -n FSTEST -i 1234abcd --invariant -C "$tmp/vol.img" 34000 >/dev/null
mcopy -s -p -m -i "$tmp/vol.img" "$tmp/stage/README.TXT" "$tmp/stage/motd.txt" \
	"$tmp/stage/docs" ::/
(cd "$tmp/stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
	while IFS= read -r f; do cksum "$f"; done) > "$sums.part"
fsck.fat -n "$tmp/vol.img" >/dev/null
"$mksparse" "$tmp/vol.img" "$out.part" >/dev/null
mv -f "$sums.part" "$sums"
mv -f "$out.part" "$out"
