#!/bin/sh
# The probe's initramfs (bench/linux/build.mk): /init (the probe), /dev,
# /dev/console, and the kernel modules the storage figures need with
# everything they depend on, as the kernel's own modules.dep says, in
# /lib/modules/ with a file "order" listing them in the order to load
# (each module's dependencies, last listed first, then the module; each
# once).  vfat's code page and character set modules are the ones the
# kernel's config (/boot/config-VERSION) makes its defaults.  Also writes
# OUT.kernel: the kernel these modules are for.
#   initramfs.sh MKCPIO PROBE OUT KERNEL MODULE...
#   KERNEL: a /boot/vmlinuz-VERSION, or empty for the newest installed
set -eu
mkcpio=$1 probe=$2 out=$3 kernel=$4
shift 4
[ -n "$kernel" ] || kernel=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
if [ ! -r "$kernel" ]; then
	echo "bench-linux: no readable Linux kernel (/boot/vmlinuz-*-amd64 from linux-image-amd64;" \
		"or LINUX_KERNEL=...)" >&2
	exit 1
fi
version=${kernel##*/vmlinuz-}
moddir=/lib/modules/$version
dep=$moddir/modules.dep
[ -r "$dep" ] || { echo "bench-linux: $dep: missing (the modules of $kernel)" >&2; exit 1; }
config=/boot/config-$version
for m in "$@"; do
	[ "$m" = vfat ] || continue
	[ -r "$config" ] || { echo "bench-linux: $config: missing (vfat's defaults)" >&2; exit 1; }
	cp=$(sed -n 's/^CONFIG_FAT_DEFAULT_CODEPAGE=//p' "$config")
	cs=$(sed -n 's/^CONFIG_FAT_DEFAULT_IOCHARSET="\(.*\)"/\1/p' "$config")
	set -- "$@" ${cp:+nls_cp$cp} ${cs:+nls_$cs}
	break
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/order"
for m in "$@"; do
	line=$(grep -E "(^|/)$m\.ko:" "$dep" || true)
	[ -n "$line" ] || { echo "bench-linux: $dep: no module $m" >&2; exit 1; }
	# "kernel/a/m.ko: d1.ko d2.ko": dependencies are loaded last-listed first
	deps=$(echo "${line#*:}" | tr ' ' '\n' | sed '/^$/d' | tac)
	for f in $deps "${line%%:*}"; do
		b=${f##*/}
		grep -qxF "$b" "$tmp/order" && continue
		case $b in *.ko) ;; *) echo "bench-linux: $moddir/$f: not an uncompressed module" \
			"(CONFIG_MODULE_COMPRESS_NONE)" >&2; exit 1 ;; esac
		echo "$b" >> "$tmp/order"
		echo "lib/modules/$b=$moddir/$f" >> "$tmp/entries"
	done
done
# shellcheck disable=SC2046 # entries: paths without blanks
"$mkcpio" --out "$out.tmp" dev/ dev/console=char:5:1 init="$probe" lib/ lib/modules/ \
	lib/modules/order="$tmp/order" $(cat "$tmp/entries")
mv -f "$out.tmp" "$out"
echo "$kernel" > "$out.kernel"
echo "  CPIO    $out: $(wc -l < "$tmp/order") modules of $version"
