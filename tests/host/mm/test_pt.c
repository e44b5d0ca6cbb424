/* Host tests for the x86-64 page-table walker (kernel/arch/x86_64/paging_pt.c):
 * tables live in a heap buffer that pretends to be physical memory. */
#include <arch/paging.h>
#include <stdlib.h>

#include "../htest.h"
#include "arch/x86_64/paging_pte.h"

#define ARENA_PAGES 2048
#define ARENA_PHYS  0x200000ull

struct arena {
	uint8_t *mem;
	unsigned next, allocated, freed;
	uint8_t used[ARENA_PAGES];
};

static void *table(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;
	if (pa < ARENA_PHYS || pa >= ARENA_PHYS + ARENA_PAGES * 4096ull || (pa & 0xfff))
		abort();
	return a->mem + (pa - ARENA_PHYS);
}

static enum err alloc(void *ctx, uint64_t *pa)
{
	struct arena *a = ctx;
	if (a->next == ARENA_PAGES)
		return ERR_NOMEM;
	a->used[a->next] = 1;
	*pa = ARENA_PHYS + a->next++ * 4096ull;
	memset(table(ctx, *pa), 0, 4096);
	a->allocated++;
	return ERR_OK;
}

static void release(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;
	unsigned i = (unsigned)((pa - ARENA_PHYS) / 4096);
	if (!a->used[i])
		abort(); /* double free */
	a->used[i] = 0;
	a->freed++;
}

static struct arena arena;

static struct arch_pt new_pt(unsigned levels)
{
	free(arena.mem);
	memset(&arena, 0, sizeof arena);
	arena.mem = aligned_alloc(4096, ARENA_PAGES * 4096ull);
	struct arch_pt pt = {.ctx = &arena,
	                     .table = table,
	                     .alloc = alloc,
	                     .free = release,
	                     .levels = levels,
	                     .nx = true};
	if (!arena.mem || alloc(&arena, &pt.root))
		abort();
	return pt;
}

/* The raw leaf entry mapping va (walking with the test's own code). */
static uint64_t raw_leaf(const struct arch_pt *pt, uint64_t va, unsigned *level)
{
	uint64_t pa = pt->root;
	for (unsigned l = pt->levels; l >= 1; l--) {
		uint64_t e = ((uint64_t *)table(&arena, pa))[(va >> (12 + 9 * (l - 1))) & 511];
		if (!(e & 1))
			return 0;
		if (l == 1 || (l <= 3 && (e & 0x80))) {
			*level = l;
			return e;
		}
		pa = e & 0x000ffffffffff000ull;
	}
	return 0;
}

HTEST(map_lookup_unmap_4k)
{
	struct arch_pt pt = new_pt(4);
	uint64_t pa;
	unsigned prot, bits;

	HT_ASSERT(arch_pt_map(&pt, 0x401000, 0x12345000, 12, MM_PROT_WRITE) == ERR_OK);
	HT_EXPECT_EQ(arena.allocated, 4); /* root + PDPT + PD + PT */
	HT_ASSERT(arch_pt_lookup(&pt, 0x401abc, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x12345abc);
	HT_EXPECT_EQ(prot, MM_PROT_WRITE);
	HT_EXPECT_EQ(bits, 12);
	HT_EXPECT_EQ(arch_pt_lookup(&pt, 0x402000, &pa, &prot, &bits), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x401000, 0x5000, 12, 0), ERR_EXIST);
	HT_EXPECT_EQ(arch_pt_unmap(&pt, 0x401000, 21, NULL), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_unmap(&pt, 0x400000, 21, NULL), ERR_NOENT);
	HT_ASSERT(arch_pt_unmap(&pt, 0x401000, 12, &pa) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x12345000);
	HT_EXPECT_EQ(arch_pt_lookup(&pt, 0x401000, &pa, &prot, &bits), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_unmap(&pt, 0x401000, 12, &pa), ERR_NOENT);
}

HTEST(large_pages_and_conflicts)
{
	struct arch_pt pt = new_pt(4);
	uint64_t pa;
	unsigned prot, bits;

	HT_ASSERT(arch_pt_map(&pt, 0x40000000, 0x80000000, 21, MM_PROT_EXEC) == ERR_OK);
	HT_ASSERT(arch_pt_lookup(&pt, 0x40012345, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x80012345);
	HT_EXPECT_EQ(bits, 21);
	HT_EXPECT_EQ(prot, MM_PROT_EXEC);
	/* a 4 KiB page inside the 2 MiB page, a 2 MiB page over a table */
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x40001000, 0x1000, 12, 0), ERR_EXIST);
	HT_ASSERT(arch_pt_map(&pt, 0x40200000, 0x1000, 12, 0) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x40200000, 0x200000, 21, 0), ERR_EXIST);
	HT_EXPECT_EQ(arch_pt_unmap(&pt, 0x40000000, 12, NULL), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_protect(&pt, 0x40001000, 12, 0), ERR_NOENT);
	HT_ASSERT(arch_pt_map(&pt, 0x80000000, 0xc0000000, 30, MM_PROT_WRITE) == ERR_OK);
	HT_ASSERT(arch_pt_lookup(&pt, 0xbfffffff, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0xffffffff);
	HT_EXPECT_EQ(bits, 30);
	HT_ASSERT(arch_pt_unmap(&pt, 0x40000000, 21, &pa) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x80000000);
}

HTEST(argument_checks)
{
	struct arch_pt pt = new_pt(4);

	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1000, 13, 0), ERR_INVAL);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1000, 12, MM_PROT_UC | MM_PROT_WC), ERR_INVAL);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1000, 12, 0x100), ERR_INVAL);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1800, 0x1000, 12, 0), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1800, 12, 0), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x200000, 0x1000, 21, 0), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x0000800000000000ull, 0x1000, 12, 0), ERR_RANGE);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 1ull << 52, 12, 0), ERR_RANGE);
	HT_EXPECT_EQ(arena.allocated, 1); /* nothing built on the way */
	HT_EXPECT(arch_pt_user_address(0x00007fffffffffffull, 4));
	HT_EXPECT(!arch_pt_user_address(0xffff800000000000ull, 4));
	HT_EXPECT(arch_pt_user_address(0x00ffffffffffffffull, 5));
}

HTEST(entry_bits)
{
	struct arch_pt pt = new_pt(4);
	unsigned level;

	HT_ASSERT(arch_pt_map(&pt, 0x1000, 0x3000, 12, MM_PROT_USER) == ERR_OK);
	uint64_t e = raw_leaf(&pt, 0x1000, &level);
	HT_EXPECT_EQ(level, 1);
	HT_EXPECT(e & (1ull << 63)); /* not executable: XD */
	HT_EXPECT(e & 4);            /* user */
	HT_EXPECT(!(e & 2));         /* read-only */
	HT_ASSERT(arch_pt_map(&pt, 0x2000, 0x4000, 12, MM_PROT_WC | MM_PROT_EXEC) == ERR_OK);
	e = raw_leaf(&pt, 0x2000, &level);
	HT_EXPECT_EQ(e & 0x98, 0x88); /* PAT (bit 7) and PWT: index 5 */
	HT_EXPECT(!(e & (1ull << 63)));
	HT_ASSERT(arch_pt_map(&pt, 0x400000, 0x400000, 21, MM_PROT_WC) == ERR_OK);
	e = raw_leaf(&pt, 0x400000, &level);
	HT_EXPECT_EQ(level, 2);
	HT_EXPECT_EQ(e & 0x1098, 0x1088); /* PS, PAT (bit 12), PWT */
	HT_ASSERT(arch_pt_map(&pt, 0xffffc00000000000ull, 0x5000, 12,
	                      MM_PROT_UC | MM_PROT_GLOBAL | MM_PROT_WRITE) == ERR_OK);
	e = raw_leaf(&pt, 0xffffc00000000000ull, &level);
	HT_EXPECT_EQ(e & 0x19e, 0x11a); /* G, PCD, PWT, RW; not user */
	uint64_t top = ((uint64_t *)table(&arena, pt.root))[pte_index(0xffffc00000000000ull, 4)];
	HT_EXPECT(!(top & 4)); /* kernel-half tables are not user */
	top = ((uint64_t *)table(&arena, pt.root))[0];
	HT_EXPECT(top & 4);
	pt.nx = false;
	HT_ASSERT(arch_pt_map(&pt, 0x6000, 0x6000, 12, 0) == ERR_OK);
	HT_EXPECT(!(raw_leaf(&pt, 0x6000, &level) & (1ull << 63)));
}

HTEST(protect_changes_rights_keeps_frame)
{
	struct arch_pt pt = new_pt(4);
	uint64_t pa;
	unsigned prot, bits;

	HT_ASSERT(arch_pt_map(&pt, 0x600000, 0x800000, 21, MM_PROT_WRITE) == ERR_OK);
	HT_ASSERT(arch_pt_protect(&pt, 0x600000, 21, MM_PROT_EXEC | MM_PROT_USER) == ERR_OK);
	HT_ASSERT(arch_pt_lookup(&pt, 0x600010, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x800010);
	HT_EXPECT_EQ(prot, MM_PROT_EXEC | MM_PROT_USER);
	HT_EXPECT_EQ(arch_pt_protect(&pt, 0x600000, 21, MM_PROT_UC | MM_PROT_WC), ERR_INVAL);
	HT_EXPECT_EQ(arch_pt_protect(&pt, 0x600000, 12, 0), ERR_NOENT);
}

HTEST(five_levels)
{
	struct arch_pt pt = new_pt(5);
	uint64_t va = 0x00f0000000001000ull, pa;
	unsigned prot, bits;

	HT_ASSERT(arch_pt_map(&pt, va, 0x7000, 12, 0) == ERR_OK);
	HT_EXPECT_EQ(arena.allocated, 5);
	HT_ASSERT(arch_pt_lookup(&pt, va, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x7000);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x0100000000000000ull, 0x7000, 12, 0), ERR_RANGE);
	HT_ASSERT(arch_pt_map(&pt, 0xff00000000000000ull, 0x8000, 12, 0) == ERR_OK);
	pt.levels = 4;
	HT_EXPECT_EQ(arch_pt_map(&pt, va, 0x7000, 12, 0), ERR_RANGE);
}

/* Capability-backed tables: nothing is allocated, tables are linked in. */
HTEST(link_and_unlink_tables)
{
	struct arch_pt pt = new_pt(4);
	uint64_t pdpt, pd, pt1, other, pa;
	unsigned prot, bits;

	HT_ASSERT(!alloc(&arena, &pdpt) && !alloc(&arena, &pd) && !alloc(&arena, &pt1) &&
	          !alloc(&arena, &other));
	pt.alloc = NULL;
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1000, 12, 0), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_link(&pt, 0x1000, 1, pt1), ERR_NOENT); /* no PD yet */
	HT_EXPECT_EQ(arch_pt_link(&pt, 0x1000, 4, pt1), ERR_INVAL);
	HT_EXPECT_EQ(arch_pt_link(&pt, 0x1000, 0, pt1), ERR_INVAL);
	HT_ASSERT(arch_pt_link(&pt, 0x1000, 3, pdpt) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_link(&pt, 0x1000, 3, other), ERR_EXIST);
	HT_ASSERT(arch_pt_link(&pt, 0x1000, 2, pd) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_map(&pt, 0x1000, 0x1000, 12, 0), ERR_NOENT);
	HT_ASSERT(arch_pt_map(&pt, 0x200000, 0x200000, 21, 0) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_link(&pt, 0x200000, 1, pt1), ERR_EXIST); /* a large page is there */
	HT_ASSERT(arch_pt_link(&pt, 0x1000, 1, pt1) == ERR_OK);
	HT_ASSERT(arch_pt_map(&pt, 0x1000, 0x9000, 12, 0) == ERR_OK);
	HT_ASSERT(arch_pt_lookup(&pt, 0x1000, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x9000);
	HT_EXPECT_EQ(arch_pt_unlink(&pt, 0x1000, 1, other), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_unlink(&pt, 0x200000, 1, pt1), ERR_NOENT); /* a leaf there */
	HT_ASSERT(arch_pt_unlink(&pt, 0x1000, 1, pt1) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_lookup(&pt, 0x1000, &pa, &prot, &bits), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_unlink(&pt, 0x1000, 1, pt1), ERR_NOENT);
	HT_EXPECT_EQ(arena.allocated, 5);
}

/* The checks say what map and link would return, and change nothing. */
HTEST(checks_predict_without_changing)
{
	struct arch_pt pt = new_pt(4);
	uint64_t pd, pt1;

	HT_ASSERT(!alloc(&arena, &pd) && !alloc(&arena, &pt1));
	HT_EXPECT_EQ(arch_pt_check_map(&pt, 0x1000, 0x1000, 12, 0), ERR_OK); /* would allocate */
	HT_EXPECT_EQ(arena.allocated, 3);
	pt.alloc = NULL;
	HT_EXPECT_EQ(arch_pt_check_map(&pt, 0x1000, 0x1000, 12, 0), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_check_map(&pt, 0x1001, 0x1000, 12, 0), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_check_link(&pt, 0x1000, 2, pd), ERR_NOENT);
	pt.alloc = alloc;
	HT_ASSERT(arch_pt_map(&pt, 0x40000000, 0x1000, 12, 0) == ERR_OK); /* PDPT at slot 0 */
	pt.alloc = NULL;
	HT_EXPECT_EQ(arch_pt_check_link(&pt, 0x1000, 2, pd), ERR_OK);
	HT_EXPECT_EQ(arch_pt_check_link(&pt, 0x1000, 2, pd + 1), ERR_ALIGN);
	HT_EXPECT_EQ(arch_pt_check_link(&pt, 0x40000000, 2, pd), ERR_EXIST);
	HT_ASSERT(arch_pt_link(&pt, 0x1000, 2, pd) == ERR_OK);
	HT_EXPECT_EQ(arch_pt_check_map(&pt, 0x1000, 0x1000, 12, 0), ERR_NOENT);
	HT_EXPECT_EQ(arch_pt_check_map(&pt, 0x200000, 0x200000, 21, 0), ERR_OK);
	HT_EXPECT_EQ(arch_pt_check_link(&pt, 0x1000, 1, pt1), ERR_OK);
	uint64_t pa;
	unsigned prot, bits;
	HT_EXPECT_EQ(arch_pt_lookup(&pt, 0x200000, &pa, &prot, &bits), ERR_NOENT);
	HT_EXPECT_EQ(arena.allocated, 6);
}

HTEST(free_tables_and_kernel_half)
{
	struct arch_pt pt = new_pt(4);
	uint64_t kernel_root;

	HT_ASSERT(arch_pt_map(&pt, 0x1000, 0x1000, 12, 0) == ERR_OK);
	HT_ASSERT(arch_pt_map(&pt, 0x7f0000000000ull, 0x1000, 12, 0) == ERR_OK);
	HT_ASSERT(arch_pt_map(&pt, 0x40000000, 0x40000000, 30, 0) == ERR_OK);
	HT_ASSERT(arch_pt_map(&pt, 0xffff900000000000ull, 0x2000, 12, 0) == ERR_OK);
	unsigned before = arena.allocated;
	arch_pt_free_tables(&pt);
	HT_EXPECT_EQ(arena.freed, 6); /* two PDPTs, two PDs, two PTs */
	uint64_t pa;
	unsigned prot, bits;
	HT_EXPECT_EQ(arch_pt_lookup(&pt, 0x1000, &pa, &prot, &bits), ERR_NOENT);
	HT_EXPECT(arch_pt_lookup(&pt, 0xffff900000000000ull, &pa, &prot, &bits) == ERR_OK);

	kernel_root = pt.root;
	HT_ASSERT(alloc(&arena, &pt.root) == ERR_OK);
	arch_pt_copy_kernel_half(&pt, kernel_root);
	HT_ASSERT(arch_pt_lookup(&pt, 0xffff900000000000ull, &pa, &prot, &bits) == ERR_OK);
	HT_EXPECT_EQ(pa, 0x2000);
	HT_EXPECT_EQ(arena.allocated, before + 1);
}

/* Random maps, unmaps and protects of 4 KiB and 2 MiB pages in a 64 MiB
 * window, checked page by page against a model. */
#define WINDOW_PAGES 16384
struct model_page {
	uint64_t pa;
	unsigned prot;
	unsigned char size; /* 0 none, 1: 4 KiB page, 2: part of a 2 MiB page */
};
static struct model_page model[WINDOW_PAGES];

static void check_model(const struct arch_pt *pt)
{
	for (unsigned i = 0; i < WINDOW_PAGES; i += 7) {
		uint64_t pa;
		unsigned prot, bits;
		enum err e = arch_pt_lookup(pt, i * 4096ull, &pa, &prot, &bits);
		if (!model[i].size) {
			HT_EXPECT_EQ(e, ERR_NOENT);
			continue;
		}
		HT_ASSERT(e == ERR_OK);
		HT_EXPECT_EQ(pa, model[i].pa);
		HT_EXPECT_EQ(prot, model[i].prot);
		HT_EXPECT_EQ(bits, model[i].size == 1 ? 12 : 21);
	}
}

static void random_op(const struct arch_pt *pt)
{
	bool large = rand() % 4 == 0;
	unsigned n = large ? 512 : 1;
	unsigned i = (unsigned)(rand() % WINDOW_PAGES) & ~(n - 1);
	uint64_t va = i * 4096ull, pa = (uint64_t)(rand() % 4096) << 21;
	unsigned prot = (unsigned)rand() & (MM_PROT_WRITE | MM_PROT_EXEC | MM_PROT_USER);
	unsigned char size = large ? 2 : 1;
	bool free_slot = true;
	for (unsigned k = 0; k < n; k++)
		free_slot &= !model[i + k].size;
	switch (rand() % 3) {
	case 0: {
		enum err e = arch_pt_map(pt, va, pa, large ? 21 : 12, prot);
		if (e == ERR_OK) {
			HT_ASSERT(free_slot);
			for (unsigned k = 0; k < n; k++)
				model[i + k] = (struct model_page){pa + k * 4096ull, prot, size};
		} else {
			/* tables stay after unmaps, so a 2 MiB page may find one */
			HT_EXPECT_EQ(e, ERR_EXIST);
			HT_EXPECT(!free_slot || large);
		}
		break;
	}
	case 1: {
		uint64_t old;
		if (arch_pt_unmap(pt, va, large ? 21 : 12, &old) == ERR_OK) {
			HT_EXPECT_EQ(model[i].size, size);
			HT_EXPECT_EQ(old, model[i].pa);
			for (unsigned k = 0; k < n; k++)
				model[i + k].size = 0;
		} else {
			HT_EXPECT(model[i].size != size);
		}
		break;
	}
	default:
		if (arch_pt_protect(pt, va, large ? 21 : 12, prot) == ERR_OK) {
			HT_EXPECT_EQ(model[i].size, size);
			for (unsigned k = 0; k < n; k++)
				model[i + k].prot = prot;
		} else {
			HT_EXPECT(model[i].size != size);
		}
	}
}

HTEST(random_against_model)
{
	struct arch_pt pt = new_pt(4);

	memset(model, 0, sizeof model);
	srand(1234);
	for (int round = 0; round < 20000; round++) {
		random_op(&pt);
		if (round % 1000 == 0)
			check_model(&pt);
	}
	check_model(&pt);
	free(arena.mem);
	arena.mem = NULL;
}

/* What a whole-space walk saw. */
struct seen {
	unsigned leaves, tables;
	uint64_t va[8], pa[8];
	unsigned bits[8], prot[8];
};

static void seen_table(void *ctx, uint64_t pa, unsigned level)
{
	((struct seen *)ctx)->tables++;
}

static void seen_leaf(void *ctx, uint64_t va, uint64_t pa, unsigned bits, unsigned prot)
{
	struct seen *s = ctx;
	if (s->leaves < 8) {
		s->va[s->leaves] = va;
		s->pa[s->leaves] = pa;
		s->bits[s->leaves] = bits;
		s->prot[s->leaves] = prot;
	}
	s->leaves++;
}

/* A walk of the whole space visits every mapping once, lower half first,
 * with its canonical address, size and rights, and every table. */
HTEST(walk_visits_every_mapping_and_table)
{
	for (unsigned levels = 4; levels <= 5; levels++) {
		struct arch_pt pt = new_pt(levels);
		uint64_t high = levels == 4 ? 0xffff800000000000ull : 0xff00000000000000ull;
		struct seen s = {0};
		struct arch_pt_visit v = {.ctx = &s, .table = seen_table, .leaf = seen_leaf};
		HT_ASSERT(arch_pt_map(&pt, 0x1000, 0x5000, 12, MM_PROT_WRITE) == ERR_OK);
		HT_ASSERT(arch_pt_map(&pt, 0x40000000, 0x80000000, 30, 0) == ERR_OK);
		HT_ASSERT(arch_pt_map(&pt, high + 0x200000, 0x400000, 21, MM_PROT_EXEC) == ERR_OK);
		unsigned tables = arena.allocated;
		arch_pt_walk(&pt, &v);
		HT_EXPECT_EQ(s.leaves, 3);
		HT_EXPECT_EQ(s.tables, tables);
		HT_EXPECT_EQ(s.va[0], 0x1000);
		HT_EXPECT_EQ(s.pa[0], 0x5000);
		HT_EXPECT_EQ(s.bits[0], 12);
		HT_EXPECT_EQ(s.prot[0], MM_PROT_WRITE);
		HT_EXPECT_EQ(s.va[1], 0x40000000);
		HT_EXPECT_EQ(s.pa[1], 0x80000000);
		HT_EXPECT_EQ(s.bits[1], 30);
		HT_EXPECT_EQ(s.va[2], high + 0x200000);
		HT_EXPECT_EQ(s.pa[2], 0x400000);
		HT_EXPECT_EQ(s.bits[2], 21);
		HT_EXPECT_EQ(s.prot[2], MM_PROT_EXEC);
	}
}

HTEST_MAIN("mm_pt")
