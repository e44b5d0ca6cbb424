/* Symbols from the kernel's own ELF file, and backtraces through them. */
#include "ksym.h"

#include <arch/arch.h>

#include <string/mem.h>

#include "backtrace.h"
#include "frame.h"
#include "ktest.h"
#include "smp.h"

KTEST(ksym, resolves_function_addresses)
{
	const char *name;
	uintptr_t off;
	uintptr_t fn = (uintptr_t)frame_alloc_block;

	KT_ASSERT(ksym_resolve(fn, &name, &off));
	KT_EXPECT_STREQ(name, "frame_alloc_block");
	KT_EXPECT_EQ(off, 0);
	KT_ASSERT(ksym_resolve(fn + 5, &name, &off));
	KT_EXPECT_STREQ(name, "frame_alloc_block");
	KT_EXPECT_EQ(off, 5);
	KT_ASSERT(ksym_resolve((uintptr_t)ksym_resolve, &name, &off));
	KT_EXPECT_STREQ(name, "ksym_resolve");
}

KTEST(ksym, looks_up_names)
{
	KT_EXPECT_EQ(ksym_lookup("frame_alloc_block"), (uintptr_t)frame_alloc_block);
	KT_EXPECT_EQ(ksym_lookup("kmain") != 0, 1);
	KT_EXPECT_EQ(ksym_lookup("no_such_symbol_anywhere"), 0);
}

KTEST(ksym, unknown_addresses)
{
	const char *name;
	uintptr_t off;

	KT_EXPECT(!ksym_resolve(0x1000, &name, &off));
	KT_EXPECT(!ksym_resolve(0xffff800000001000ull, &name, &off));
}

/* Collects the backtrace of its caller (not inlined, so it has a frame). */
__attribute__((noinline)) static size_t collect_here(uintptr_t *pcs, size_t max)
{
	size_t n = backtrace_collect(arch_frame_pointer(), pcs, max);
	__asm__ volatile("" ::: "memory"); /* not a tail call */
	return n;
}

/* Whether some frame of pcs[0..n) resolves to the named function. */
static bool trace_has(const uintptr_t *pcs, size_t n, const char *fn)
{
	for (size_t i = 0; i < n; i++) {
		const char *name;
		uintptr_t off;
		if (ksym_resolve(pcs[i] - 1, &name, &off) && strcmp(name, fn) == 0)
			return true;
	}
	return false;
}

/* Core 0 runs its tests from kmain_bsp, entered on its own stack by
 * arch_space_enter; the others from their request loop, entered by
 * arch_ap_entry. */
KTEST(ksym, backtrace_walks_to_core_entry)
{
	bool bsp = core_self() == 0;
	uintptr_t pcs[BACKTRACE_MAX];
	size_t n = collect_here(pcs, BACKTRACE_MAX);
	const char *name;
	uintptr_t off;

	KT_ASSERT(n >= 3);
	KT_ASSERT(ksym_resolve(pcs[0] - 1, &name, &off));
	KT_EXPECT_STREQ(name, "ktest_fn_ksym_backtrace_walks_to_core_entry");
	KT_EXPECT(trace_has(pcs, n, bsp ? "ktest_run_all" : "ktest_ap_run"));
	KT_EXPECT(trace_has(pcs, n, bsp ? "kmain_bsp" : "kmain_ap"));
	KT_EXPECT(trace_has(pcs, n, bsp ? "arch_space_enter" : "arch_ap_entry"));
}
