# The architecture boundary, checked by `make check` (sourced by check.sh).
#
# The rule.  Architecture-specific headers are
#   - every header under a directory named arch/<name>/ (kernel/arch/x86_64/,
#     boot/common/arch/x86_64/),
#   - lib/x86/ (the x86 helpers the loaders and the kernel share),
#   - the compiler's x86 headers (<x86intrin.h>, <cpuid.h>, <immintrin.h>...).
# Only architecture code includes them by a name that says the architecture:
#   - files under a directory named arch/ (kernel/arch/, boot/common/arch/),
#   - lib/x86/ itself,
#   - boot/bios/ (the BIOS front end is x86 by nature: real mode, INT 13h),
#   - the exceptions listed below, each with its reason.
# Everything else reaches architecture code only through the include path
# the build sets for the configured architecture, by a name that does not
# say which one it is: <arch/NAME.h> in the kernel (-Ikernel/arch/$(ARCH)/include,
# the contract headers), "arch.h" and <NAME.h> in the loader
# (-Iboot/common/arch/$(ARCH)).  So an #include outside architecture code
# must not name a path with an arch/<name>/ component, a lib/x86 header
# (x86/...), or a compiler x86 header; a quoted include must not lead into
# an architecture directory by a relative path either.

# Prints why file $1 may include architecture headers and returns 0, or
# returns 1.
arch_rule_exempt() {
	case $1 in
	arch/* | */arch/*) echo "architecture code" ;;
	lib/x86/*) echo "the x86 helper library" ;;
	boot/bios/*) echo "the BIOS front end (x86 only)" ;;
	tests/host/x86/*) echo "the host tests of lib/x86" ;;
	tests/host/boot/test_paging.c) echo "tests boot/common/arch/x86_64/paging.c" ;;
	tests/host/boot/test_smp.c) echo "tests boot/common/arch/x86_64/mtrr.c and tsc.h" ;;
	tests/host/mm/test_pt.c) echo "tests kernel/arch/x86_64/paging_pt.c" ;;
	bench/mm/bench_mm.c) echo "a host benchmark timed with rdtsc (<x86intrin.h>)" ;;
	*) return 1 ;;
	esac
}

# Prints "FILE:LINE: #include NAME: why" for each include of file $1 that
# breaks the rule.
arch_rule_violations() {
	awk -v file="$1" '
	function bad(why) { printf "%s:%d: #include %s: %s\n", file, FNR, inc, why }
	/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
		inc = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*/, "", inc)
		opn = substr(inc, 1, 1)
		cls = opn == "<" ? ">" : "\""
		name = substr(inc, 2)
		name = substr(name, 1, index(name, cls) - 1)
		inc = opn name cls
		if (name ~ /(^|\/)arch\/[^\/]+\//)
			bad("names an architecture folder; use the contract header the include path finds")
		else if (name ~ /^x86\//)
			bad("lib/x86 is for architecture code only")
		else if (name ~ /^(x86intrin|immintrin|cpuid|ia32intrin|x86gprintrin|[a-z]*mmintrin)\.h$/)
			bad("a compiler x86 header")
		else if (opn == "\"" && name ~ /\.\.\//) {
			dir = file
			sub(/[^\/]*$/, "", dir)
			path = dir name
			while (path ~ /[^\/.][^\/]*\/\.\.\//)
				sub(/[^\/.][^\/]*\/\.\.\//, "", path)
			if (path ~ /(^|\/)arch\/[^\/]+\// || path ~ /^lib\/x86\//)
				bad("leads into architecture code (" path ")")
		}
	}' "$1"
}
