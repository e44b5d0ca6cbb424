#!/bin/sh
# Checks a built disk image with the standard tools, reporting in KTAP:
#   check-image.sh IMAGE /ESP/PATH=HOSTFILE...
# - sfdisk accepts the GPT (primary and backup headers, partition array);
# - fsck.fat -n finds nothing to fix in the EFI system partition;
# - mtools reads every listed file back with the same bytes as its source.
set -u
img=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

result() { # status name [diagnostic]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2"
	else
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/    # /'
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

echo "KTAP version 1"
echo "1..$(($# + 2))"

if out=$(sfdisk --verify "$img" 2>&1) && printf '%s' "$out" | grep -q 'No errors detected'; then
	result ok image.gpt_verifies
else
	result fail image.gpt_verifies "$out"
fi

# The ESP: from LBA 2048 to the end of the partition sfdisk reports.
start=$(sfdisk -d "$img" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -n 1)
size=$(sfdisk -d "$img" 2>/dev/null | sed -n 's/.*size= *\([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$start" ] && [ -n "$size" ] &&
	dd if="$img" of="$tmp/esp" bs=512 skip="$start" count="$size" status=none &&
	out=$(fsck.fat -n "$tmp/esp" 2>&1); then
	result ok image.fsck_fat_clean
else
	result fail image.fsck_fat_clean "${out:-no partition found}"
fi

for pair in "$@"; do
	path=${pair%%=*}
	host=${pair#*=}
	if mcopy -n -i "$img@@$((start * 512))" "::$path" "$tmp/file" 2>"$tmp/err" &&
		cmp -s "$tmp/file" "$host"; then
		result ok "image.readback:$path"
	else
		result fail "image.readback:$path" "$(cat "$tmp/err") differs from $host"
	fi
	rm -f "$tmp/file"
done
echo "# Totals: pass:$((n - fails)) fail:$fails skip:0 total:$n"
[ "$fails" = 0 ]
