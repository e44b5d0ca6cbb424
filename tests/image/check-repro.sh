#!/bin/sh
# Reproducibility, in KTAP: two clean builds of the default image, from two
# copies of the source tree at different paths, must be byte-identical.
#   check-repro.sh [CONFIG]     (run from the top of the tree; used by make test-all)
set -u
config=${1:-config/default.json}
name=$(basename "$config" .json)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "KTAP version 1"
echo "1..1"
ok=1
for copy in a bb; do
	mkdir -p "$tmp/$copy"
	# the tree as it is, without build outputs
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$tmp/$copy" || ok=0
	if ! make -C "$tmp/$copy" -j2 CONFIG="$config" image >"$tmp/$copy.log" 2>&1; then
		sed 's/^/    # /' "$tmp/$copy.log" | tail -n 20
		ok=0
	fi
done
if [ $ok = 1 ] && cmp "$tmp/a/build/$name/disk.img" "$tmp/bb/build/$name/disk.img" >"$tmp/cmp" 2>&1; then
	echo "ok 1 image.reproducible"
	echo "# Totals: pass:1 fail:0 skip:0 total:1"
	exit 0
fi
sed 's/^/    # /' "$tmp/cmp" 2>/dev/null
echo "not ok 1 image.reproducible"
echo "# Totals: pass:0 fail:1 skip:0 total:1"
exit 1
