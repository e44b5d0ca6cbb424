/* Every core runs its own CPU driver: its own APIC, timer, stack and page
 * tables over shared text; a kernel global written on one core is
 * unchanged on every other (the invariant in smp_build.c); missing cores
 * are reported, not waited for. */
#include "smp.h"

#include <arch/arch.h>
#include <arch/paging.h>
#include <tessera/msg.h>

#include "boot.h"
#include "capboot/capboot.h"
#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "memplan.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "tests/fault_inject.h"

extern const char __text_start[], __rodata_start[], __data_start[], __data_end[];

#define ISO_INITIAL 0x150d47a0000000ull

static volatile uint64_t iso_data = ISO_INITIAL; /* .data */
static volatile uint64_t iso_bss;                /* .bss */

/* Each core writes its own value into the same two globals; after every
 * core has written, each still reads its own: no core sees another's
 * write.  Then the reason why: the data address maps this core's own copy,
 * and no other core's copy or memory is mapped here at all. */
KTEST_SMP(smp, isolation)
{
	unsigned me = core_self();
	uint64_t mine = 0x5eed000000000000ull | me, phys;

	/* A fresh copy from the kernel file: nobody wrote these before. */
	KT_EXPECT_EQ(iso_data, ISO_INITIAL);
	KT_EXPECT_EQ(iso_bss, 0);
	iso_data = mine;
	iso_bss = ~mine;
	ktest_barrier(kt); /* every online core has written its value */
	KT_EXPECT_EQ(iso_data, mine);
	KT_EXPECT_EQ(iso_bss, ~mine);
	KT_ASSERT(arch_virt_to_phys((uintptr_t)&iso_data, &phys));
	KT_EXPECT_EQ(phys,
	             core_info(me)->data_phys + ((uintptr_t)&iso_data - (uintptr_t)__data_start));
	for (unsigned o = 0; o < core_count(); o++) {
		const struct smp_core *k = core_info(o);
		if (o == me || k->state == SMP_CORE_ABSENT)
			continue;
		KT_EXPECT(k->data_phys != core_info(me)->data_phys);
		KT_EXPECT(!arch_mapped((uintptr_t)hhdm_ptr(k->data_phys), 1));
		KT_EXPECT(!arch_mapped((uintptr_t)hhdm_ptr(k->share_base), 1));
	}
	ktest_barrier(kt);
}

/* The text and rodata this core runs are the pages the loader loaded, the
 * same for every core; stack and pool are this core's. */
KTEST(smp, own_cpu_driver)
{
	const struct smp_handoff *h = core_record();
	const struct smp_core *k = core_info(core_self());
	volatile int local = 0;
	uint64_t text, rodata, base, size;

	KT_ASSERT(h && k);
	KT_EXPECT_EQ(arch_cpu_hwid(), k->hwid);
	KT_EXPECT(arch_virt_to_phys((uintptr_t)__text_start, &text) && text == h->text_phys);
	KT_EXPECT(arch_virt_to_phys((uintptr_t)__rodata_start, &rodata) &&
	          rodata == h->rodata_phys);
	uintptr_t sp = (uintptr_t)&local;
	KT_EXPECT(sp < ARCH_STACK_TOP && sp >= ARCH_STACK_TOP - SMP_STACK_SIZE);
	KT_EXPECT(!arch_mapped(ARCH_STACK_TOP - SMP_STACK_SIZE - 4096, 1)); /* the guard page */
	frame_span(&base, &size);
	KT_EXPECT_EQ(base, k->share_base);
	KT_EXPECT(frame_total_count() * FRAME_SIZE <= k->share_bytes);
}

/* The local APIC timer is running on this core: its interrupt keeps
 * arriving while the core idles.  No rate is asserted (timings are not test
 * results; an emulator delivers ticks late and in bursts): the deadline is
 * only a guard against a timer that never fires. */
#define TIMER_TICKS_WANTED 3
#define TIMER_GUARD_MS     10000

KTEST(smp, timer_ticks)
{
	uint64_t t0 = arch_ticks(), deadline = ktime_deadline(TIMER_GUARD_MS);

	while (arch_ticks() - t0 < TIMER_TICKS_WANTED && !ktime_passed(deadline))
		arch_idle();
	KT_EXPECT(arch_ticks() - t0 >= TIMER_TICKS_WANTED);
}

/* Every core the loader reported is online or reported missing, and the
 * missing ones are exactly those the command line held back, those whose
 * boot report a fault rule holds back (late), and those a fault rule made
 * fail a part of their start (which they say in their report). */
KTEST_BSP(smp, missing_cores_reported)
{
	uint64_t held = 0, all = 0, failed = 0;

	for (unsigned c = 0; c < core_count(); c++) {
		all |= 1ull << c;
		if (smp_held(c) || fault_rules("delay", MSG_BOOT_REPORT, c, 0) ||
		    fault_rules("drop", MSG_BOOT_REPORT, c, 0))
			held |= 1ull << c;
		if (fault_start_rule(c))
			failed |= 1ull << c;
	}
	KT_EXPECT_EQ(smp_failed(), failed);
	KT_EXPECT_EQ(smp_missing(), held | failed);
	KT_EXPECT_EQ(core_online() | smp_missing(), all);
	KT_EXPECT_EQ(core_online() & smp_missing(), 0);
}

/* ---- every page this core maps, against whose memory it is ---- */

struct iso_walk {
	struct ktest *kt;
	unsigned me, cores;
	struct memplan_share shares[SMP_MAX_CORES];
	struct memplan_range chan;
	uint64_t data_bytes;
	uint64_t leaves, tables, bad;
};

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

static bool inside_share(const struct memplan_share *s, uint64_t pa, uint64_t size)
{
	for (size_t k = 0; k < s->n; k++)
		if (pa >= s->r[k].base && pa + size <= s->r[k].base + s->r[k].size)
			return true;
	return false;
}

/* Whether [pa, +size) lies in the untyped region of core o, which core 0
 * keeps and maps once o never ran or has retired (capboot.h). */
static bool kept_region(unsigned o, uint64_t pa, uint64_t size)
{
	const struct capboot_handout *h = capboot_handout(o);
	const struct memplan_untyped *u = core_untyped(o);

	if (core_self() != 0 || !h || !u || h->state != CAPBOOT_HANDOUT_KEPT)
		return false;
	for (size_t k = 0; k < u->region.n; k++)
		if (pa >= u->region.r[k].base &&
		    pa + size <= u->region.r[k].base + u->region.r[k].size)
			return true;
	return false;
}

/* Why [pa, +size) must not be mapped on this core, or NULL if it may be:
 * another core's share (pool, stack, tables, handoff) or data copy, or a
 * channel block of a pair this core is not part of. */
static const char *foreign(const struct iso_walk *w, uint64_t pa, uint64_t size)
{
	for (unsigned o = 0; o < w->cores; o++) {
		const struct smp_core *k = core_info(o);
		if (o == w->me || !k || k->state == SMP_CORE_ABSENT)
			continue;
		if (overlaps(pa, size, k->data_phys, w->data_bytes))
			return "another core's data copy";
		for (size_t r = 0; r < w->shares[o].n; r++)
			if (overlaps(pa, size, w->shares[o].r[r].base, w->shares[o].r[r].size) &&
			    !kept_region(o, pa, size))
				return "another core's memory";
	}
	for (unsigned a = 0; a < w->cores; a++)
		for (unsigned b = a + 1; b < w->cores; b++) {
			uint64_t blk =
			        w->chan.base + chan_block_index(a, b, w->cores) * CHAN_BLOCK_STRIDE;
			if (a != w->me && b != w->me && overlaps(pa, size, blk, CHAN_BLOCK_STRIDE))
				return "another pair's channel block";
		}
	return NULL;
}

static void iso_leaf(void *ctx, uint64_t va, uint64_t pa, unsigned bits, unsigned prot)
{
	struct iso_walk *w = ctx;
	const char *why = foreign(w, pa, 1ull << bits);

	w->leaves++;
	if (why && w->bad++ < 4)
		ktest_fail(w->kt, __FILE__, __LINE__, "%#llx -> %#llx (2^%u) not mapped: %s",
		           (unsigned long long)va, (unsigned long long)pa, bits, why);
}

/* Every table of this core's space is this core's own memory. */
static void iso_table(void *ctx, uint64_t pa, unsigned level)
{
	struct iso_walk *w = ctx;
	const struct smp_core *k = core_info(w->me);

	w->tables++;
	if (!inside_share(&w->shares[w->me], pa, 4096) &&
	    !(w->me && pa >= k->data_phys && pa < k->data_phys + w->data_bytes) && w->bad++ < 4)
		ktest_fail(w->kt, __FILE__, __LINE__,
		           "table %#llx (level %u) in this core's memory", (unsigned long long)pa,
		           level);
}

/* The isolation invariant page by page: a walk of this core's whole kernel
 * address space finds no page of another core's memory (share, data copy)
 * and no channel block of another pair, only the shared ranges the design
 * names (boot information, devices, this core's channel blocks, and on
 * core 0 the regions it keeps), and every table in this core's own memory.
 * The reference is the memory plan computed again from the loader's map. */
KTEST(smp, page_tables_map_nothing_of_other_cores)
{
	static struct iso_walk w; /* large: not on the stack; one case at a time per core */
	struct memplan_range usable[MEMPLAN_MAX_INPUT];
	size_t n = 0;
	unsigned fitted;
	struct arch_pt pt;

	w = (struct iso_walk){.kt = kt,
	                      .me = core_self(),
	                      .cores = core_count(),
	                      .data_bytes = (uint64_t)(__data_end - __data_start)};
	for (size_t i = 0; i < boot_memmap_count() && n < MEMPLAN_MAX_INPUT; i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		if (m->type == LIMINE_MEMMAP_USABLE)
			usable[n++] = (struct memplan_range){m->base, m->length};
	}
	KT_ASSERT(n > 0);
	KT_ASSERT(memplan_split(usable, n, w.cores, chan_area_size(w.cores), SMP_MIN_SHARE, &w.chan,
	                        w.shares, &fitted) == ERR_OK);
	KT_ASSERT(mm_ready());
	vm_pt(vm_kernel(), &pt);
	KT_EXPECT_EQ(pt.root, arch_mmu_root());
	arch_pt_walk(&pt, &(struct arch_pt_visit){.ctx = &w, .table = iso_table, .leaf = iso_leaf});
	KT_EXPECT(w.leaves > 0);
	KT_EXPECT(w.tables > 0);
	KT_EXPECT_EQ(w.bad, 0);
}
