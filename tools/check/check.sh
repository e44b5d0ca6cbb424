#!/bin/sh
# make check: source-tree checks that need no QEMU.  Run from the top of the
# tree by `make check`, which passes the compile flags in the environment
# (CHECK_KERNEL_CFLAGS, CHECK_BIOS_CFLAGS, CHECK_EFI_CFLAGS, CHECK_HOST_CFLAGS,
# CHECK_HOST_TEST_CFLAGS, CHECK_USER_CFLAGS).  Prints one "not ok" line per
# problem and ends with "N passed, N failed"; exit status 1 if anything failed.
#
#   check.sh [format] [headers] [arch]     (default: all three)
#
#   format   every tracked *.c and *.h is what clang-format 14 makes of it
#            with the repository's .clang-format
#   headers  every tracked header compiles alone (a one-line TU including
#            only it) with the flags of the component it belongs to
#   arch     no architecture-specific include outside architecture code
#            (the rule: tools/check/arch-rule.sh)
set -u
cd "$(dirname "$0")/../.."
. tools/check/arch-rule.sh

jobs=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# The tracked files matching the patterns that exist (a tree without .git:
# every file).
tracked() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -- "$@" | while read -r f; do [ -e "$f" ] && echo "$f"; done
	else
		for p; do find . -path ./build -prune -o -type f -name "$p" -print; done |
			sed 's|^\./||' | sort
	fi
}

# Counts the result files of a parallel step: *.ok pass, *.fail fail (and
# are printed, in name order).
collect() {
	for f in "$tmp"/*.ok; do [ -e "$f" ] && passed=$((passed + 1)); done
	for f in "$tmp"/*.fail; do
		[ -e "$f" ] || continue
		failed=$((failed + 1))
		cat "$f"
	done
	rm -f "$tmp"/*.ok "$tmp"/*.fail
}

check_format() {
	if ! command -v clang-format >/dev/null; then
		echo "not ok format: clang-format is not installed (make deps-check)"
		failed=$((failed + 1))
		return
	fi
	n=$(tracked '*.c' '*.h' | wc -l)
	echo "# format: $n files, $(clang-format --version | sed 's/.*version \([0-9.]*\).*/clang-format \1/')"
	tracked '*.c' '*.h' | awk '{ printf "%d %s\n", NR, $0 }' |
		xargs -P "$jobs" -n 2 sh -c '
			out="$0/$(printf %05d "$1")"
			if clang-format --style=file "$2" | diff -u "$2" - >"$out.diff"; then
				: >"$out.ok"
			else
				{ echo "not ok format $2 (clang-format -i $2)"
				  sed -n "3,14s/^/    /p" "$out.diff"; } >"$out.fail"
			fi
			rm -f "$out.diff"' "$tmp"
	collect
}

# The flavours a header is compiled in: the components that include it.
header_flavours() {
	case $1 in
	kernel/*) echo kernel ;;
	boot/common/*) echo bios efi ;;
	boot/bios/*) echo bios ;;
	boot/uefi/*) echo efi ;;
	abi/* | include/* | lib/*) echo kernel host ;;
	tools/* | bench/linux/*) echo host ;; # bench/linux: the Linux probe, host compiler
	bench/storage/*) echo user host ;; # the storage bench's sizes: user/fs and the Linux probe
	tests/*) echo hosttest ;;
	user/*) echo user ;;
	*) echo unknown ;;
	esac
}

check_headers() {
	tracked '*.h' >"$tmp/headers"
	n=0
	while read -r h; do
		for fl in $(header_flavours "$h"); do
			n=$((n + 1))
			echo "$n $fl $h"
		done
	done <"$tmp/headers" >"$tmp/jobs"
	echo "# headers: $(wc -l <"$tmp/headers") headers, $n compiles"
	export CHECK_KERNEL_CFLAGS CHECK_BIOS_CFLAGS CHECK_EFI_CFLAGS CHECK_HOST_CFLAGS \
		CHECK_HOST_TEST_CFLAGS CHECK_USER_CFLAGS
	xargs -P "$jobs" -n 3 sh -c '
		out="$0/$(printf %05d "$1")"
		case $2 in
		kernel) flags=$CHECK_KERNEL_CFLAGS ;;
		bios) flags=$CHECK_BIOS_CFLAGS ;;
		efi) flags=$CHECK_EFI_CFLAGS ;;
		host) flags=$CHECK_HOST_CFLAGS ;;
		hosttest) flags=$CHECK_HOST_TEST_CFLAGS ;;
		user) flags=$CHECK_USER_CFLAGS ;;
		*) echo "not ok header $3: no component claims it (tools/check/check.sh)" >"$out.fail"
		   exit 0 ;;
		esac
		if printf "#include \"%s\"\n" "$3" |
			clang $flags -fsyntax-only -x c - >"$out.log" 2>&1; then
			: >"$out.ok"
		else
			{ echo "not ok header $3 [$2]"; sed -n "1,12s/^/    /p" "$out.log"; } >"$out.fail"
		fi
		rm -f "$out.log"' "$tmp" <"$tmp/jobs"
	collect
}

# The rule's own test: a generic kernel file with known violations (lines
# 3 to 8) and known allowed includes; the scan must name exactly those.
arch_selftest() {
	mkdir -p "$tmp/self/kernel/mm"
	cat >"$tmp/self/kernel/mm/f.c" <<-'EOF'
	#include <arch/arch.h>
	#include <arch/paging.h>
	# include "arch/x86_64/apic.h"
	#include <x86/x86.h>
	#include <x86intrin.h>
	#include <cpuid.h>
	#include "../arch/x86_64/idt.h"
	#include "../../lib/x86/pte.h"
	#include "../../lib/string/mem.h"
	#include "vm.h" /* arch/x86_64/ in a comment */
	#include <stdint.h>
	EOF
	got=$(cd "$tmp/self" && arch_rule_violations kernel/mm/f.c | cut -d: -f2 | tr '\n' ' ')
	if [ "$got" = "3 4 5 6 7 8 " ] && ! arch_rule_exempt kernel/mm/f.c >/dev/null &&
		arch_rule_exempt kernel/arch/x86_64/f.c >/dev/null; then
		passed=$((passed + 1))
	else
		echo "not ok arch rule self-test: flagged lines [$got], expected [3 4 5 6 7 8 ]"
		failed=$((failed + 1))
	fi
	rm -rf "$tmp/self"
}

check_arch() {
	arch_selftest
	tracked '*.c' '*.h' '*.S' >"$tmp/sources"
	n=0
	while read -r f; do
		n=$((n + 1))
		r=$(printf %05d $n)
		if arch_rule_exempt "$f" >/dev/null; then
			: >"$tmp/$r.ok"
			continue
		fi
		arch_rule_violations "$f" >"$tmp/$r.v" 2>&1 ||
			echo "$f: the rule's scan failed" >>"$tmp/$r.v"
		if [ -s "$tmp/$r.v" ]; then
			sed 's/^/not ok arch /' "$tmp/$r.v" >"$tmp/$r.fail"
		else
			: >"$tmp/$r.ok"
		fi
		rm -f "$tmp/$r.v"
	done <"$tmp/sources"
	echo "# arch: $n files (the rule: tools/check/arch-rule.sh)"
	collect
}

steps=${*:-format headers arch}
for s in $steps; do
	case $s in
	format) check_format ;;
	headers) check_headers ;;
	arch) check_arch ;;
	*) echo "check.sh: unknown step $s (format, headers, arch)" >&2; exit 2 ;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
