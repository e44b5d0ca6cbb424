#!/bin/sh
# Checks that every build and test dependency is present.  As root it installs
# what is missing with apt-get; otherwise it prints the one command to run.
# Usage: mk/deps.sh STAMP [check|bench]
#   touches STAMP when everything is present; with "check", also what only
#   `make check` needs (clang-format), so make and make test do without it;
#   with "bench", also what only `make bench-linux` needs (Debian's Linux
#   kernel, gnuplot, a static C library for the Linux probe).
set -u
stamp=${1:-}
what=${2:-}
missing=""

need_cmd() { # command package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_file() { # path package
	[ -e "$1" ] || missing="$missing $2"
}

need_cmd clang clang
need_cmd ld.lld lld
need_cmd lld-link lld
need_cmd qemu-system-x86_64 qemu-system-x86
need_file /usr/share/OVMF/OVMF_CODE_4M.fd ovmf
need_cmd gdb gdb
need_cmd mcopy mtools
need_cmd fsck.fat dosfstools
need_cmd mkfs.fat dosfstools
need_cmd sfdisk fdisk
need_file /usr/include/stb/stb_truetype.h libstb-dev
need_file /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf fonts-dejavu-core
need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
# ASan/UBSan runtimes for the host tests
need_file "$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.asan-x86_64.a" libclang-rt-14-dev
if [ "$what" = check ]; then
	need_cmd clang-format clang-format
fi
if [ "$what" = bench ]; then
	ls /boot/vmlinuz-*-amd64 >/dev/null 2>&1 || missing="$missing linux-image-amd64"
	need_cmd gnuplot gnuplot-nox
	need_file /usr/lib/x86_64-linux-gnu/libc.a libc6-dev
fi

missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ' | sed 's/ *$//')
if [ -z "$missing" ]; then
	[ -n "$stamp" ] && mkdir -p "$(dirname "$stamp")" && touch "$stamp"
	exit 0
fi

echo "deps: missing packages: $missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${TESSERA_DEPS_RETRY:-}" ]; then
	echo "deps: installing with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "deps: apt-get install failed; run: apt-get update && apt-get install -y $missing" >&2
		exit 1
	}
	TESSERA_DEPS_RETRY=1 exec "$0" "$@"
fi
echo "deps: run this as root, then try again:" >&2
echo "  apt-get update && apt-get install -y $missing" >&2
exit 1
