/* boot/common/arch/x86_64/paging.c: tables built in a host buffer posing
 * as physical memory, checked by walking them (pt_walk) and by reading the
 * raw entries. */
#include <arch/x86_64/paging.h>
#include <stdint.h>

#include "../htest.h"

#define FAKE_BASE 0x10000000ull /* "physical" address of the buffer */
#define PAGES     256

static uint8_t mem[PAGES][4096] __attribute__((aligned(4096)));
static unsigned used;
static unsigned limit = PAGES;

static enum err fake_alloc(void *ctx, uint64_t *phys)
{
	if (used == limit)
		return ERR_NOMEM;
	memset(mem[used], 0, 4096);
	*phys = FAKE_BASE + (uint64_t)used++ * 4096;
	return ERR_OK;
}

static void *fake_ptr(void *ctx, uint64_t phys)
{
	if (phys < FAKE_BASE || phys >= FAKE_BASE + sizeof mem) {
		htest_fail(__FILE__, __LINE__, "table pointer outside the fake memory");
		longjmp(htest_state.abort, 1);
	}
	return mem[(phys - FAKE_BASE) / 4096];
}

static const struct pt_ops ops = {fake_alloc, fake_ptr, NULL};
static struct pt pt;

static void fresh(int nx, int huge, int pat)
{
	used = 0;
	limit = PAGES;
	HT_ASSERT(pt_init(&pt, &ops, nx, huge, pat) == ERR_OK);
}

/* Expects va to translate to pa with attrs in a page of size. */
static void expect_map(uint64_t va, uint64_t pa, unsigned attrs, uint64_t size, int line)
{
	uint64_t got_pa = 0, got_size = 0;
	unsigned got_attrs = 0;
	char m[200];
	enum err e = pt_walk(&pt, va, &got_pa, &got_attrs, &got_size);
	if (e != ERR_OK || got_pa != pa || got_attrs != attrs || got_size != size) {
		snprintf(m, sizeof m,
		         "va %#llx: err %d pa %#llx attrs %u size %#llx; want pa %#llx attrs %u "
		         "size %#llx",
		         (unsigned long long)va, e, (unsigned long long)got_pa, got_attrs,
		         (unsigned long long)got_size, (unsigned long long)pa, attrs,
		         (unsigned long long)size);
		htest_fail(__FILE__, line, m);
	}
}
#define EXPECT_MAP(va, pa, attrs, size) expect_map(va, pa, attrs, size, __LINE__)

static void expect_unmapped(uint64_t va, int line)
{
	uint64_t pa, size;
	unsigned attrs;
	if (pt_walk(&pt, va, &pa, &attrs, &size) != ERR_NOENT)
		htest_fail(__FILE__, line, "expected an unmapped address");
}

#define HHDM 0xffff800000000000ull
#define KERN 0xffffffff80000000ull
#define RWX  (PT_W | PT_X)

HTEST(hhdm_of_4g_uses_2m_pages)
{
	fresh(1, 0, 1);
	HT_ASSERT(pt_map(&pt, HHDM, 0, 0x100000000ull, RWX) == ERR_OK);
	HT_EXPECT_EQ(pt.tables, 1 + 1 + 4); /* PML4, PDPT, four PDs */
	EXPECT_MAP(HHDM, 0, RWX, PT_2M);
	EXPECT_MAP(HHDM + 0x12345678, 0x12345678, RWX, PT_2M);
	EXPECT_MAP(HHDM + 0xffffffffull, 0xffffffffull, RWX, PT_2M);
	expect_unmapped(HHDM + 0x100000000ull, __LINE__);
	expect_unmapped(0, __LINE__);
	expect_unmapped(KERN, __LINE__);
}

HTEST(one_gib_pages_when_available)
{
	fresh(1, 1, 1);
	HT_ASSERT(pt_map(&pt, HHDM, 0, 0x100000000ull, RWX) == ERR_OK);
	HT_EXPECT_EQ(pt.tables, 2);
	EXPECT_MAP(HHDM + 0xc0001234, 0xc0001234, RWX, PT_1G);
	/* an unaligned remainder falls back to 2 MiB and 4 KiB pages */
	HT_ASSERT(pt_map(&pt, HHDM + 0x100000000ull, 0x100000000ull, 0x40201000, RWX) == ERR_OK);
	EXPECT_MAP(HHDM + 0x100000000ull, 0x100000000ull, RWX, PT_1G);
	EXPECT_MAP(HHDM + 0x140000000ull, 0x140000000ull, RWX, PT_2M);
	EXPECT_MAP(HHDM + 0x140200000ull, 0x140200000ull, RWX, PT_PAGE);
	expect_unmapped(HHDM + 0x140201000ull, __LINE__);
}

HTEST(kernel_segments_keep_their_permissions)
{
	fresh(1, 0, 1);
	HT_ASSERT(pt_map(&pt, KERN, 0x1000000, 0x3000, PT_X) == ERR_OK);          /* text */
	HT_ASSERT(pt_map(&pt, KERN + 0x3000, 0x1003000, 0x1000, 0) == ERR_OK);    /* rodata */
	HT_ASSERT(pt_map(&pt, KERN + 0x4000, 0x1004000, 0x2000, PT_W) == ERR_OK); /* data */
	EXPECT_MAP(KERN + 0x10, 0x1000010, PT_X, PT_PAGE);
	EXPECT_MAP(KERN + 0x2fff, 0x1002fff, PT_X, PT_PAGE);
	EXPECT_MAP(KERN + 0x3000, 0x1003000, 0, PT_PAGE);
	EXPECT_MAP(KERN + 0x5abc, 0x1005abc, PT_W, PT_PAGE);
	expect_unmapped(KERN + 0x6000, __LINE__);
	expect_unmapped(KERN - 0x1000, __LINE__);
	/* raw bits: present, NX on non-executable, RW only on data, no US */
	uint64_t *pml4 = fake_ptr(NULL, pt.root);
	HT_EXPECT(pml4[511] & PTE_P);
	HT_EXPECT(!(pml4[511] & (PTE_NX | PTE_US)));
}

HTEST(without_nx_nothing_is_marked_nx)
{
	fresh(0, 0, 1);
	HT_ASSERT(pt_map(&pt, KERN, 0x1000000, 0x1000, 0) == ERR_OK);
	EXPECT_MAP(KERN, 0x1000000, PT_X, PT_PAGE); /* executes: no NX without EFER.NXE */
	uint64_t *pml4 = fake_ptr(NULL, pt.root), *pdpt, *pd, *ptab;
	pdpt = fake_ptr(NULL, pml4[511] & PTE_ADDR_MASK);
	pd = fake_ptr(NULL, pdpt[510] & PTE_ADDR_MASK);
	ptab = fake_ptr(NULL, pd[0] & PTE_ADDR_MASK);
	HT_EXPECT(!(ptab[0] & PTE_NX)); /* a reserved bit when NXE is clear */
	HT_EXPECT_EQ(ptab[0] & ~PTE_ADDR_MASK, PTE_P);
}

HTEST(write_combining_splits_large_pages)
{
	fresh(1, 0, 1);
	HT_ASSERT(pt_map(&pt, HHDM, 0, 0x100000000ull, RWX) == ERR_OK);
	/* a framebuffer at 0xc0000000, 3 MiB + 4 KiB: a 2 MiB page stays large,
	 * the next one is split into 4 KiB pages */
	HT_ASSERT(pt_map(&pt, HHDM + 0xc0000000ull, 0xc0000000ull, 0x301000, PT_W | PT_WC) ==
	          ERR_OK);
	EXPECT_MAP(HHDM + 0xc0000000ull, 0xc0000000ull, PT_W | PT_WC, PT_2M);
	EXPECT_MAP(HHDM + 0xc0200000ull, 0xc0200000ull, PT_W | PT_WC, PT_PAGE);
	EXPECT_MAP(HHDM + 0xc0300fffull, 0xc0300fffull, PT_W | PT_WC, PT_PAGE);
	EXPECT_MAP(HHDM + 0xc0301000ull, 0xc0301000ull, RWX, PT_PAGE); /* split remainder */
	EXPECT_MAP(HHDM + 0xc03ff000ull, 0xc03ff000ull, RWX, PT_PAGE);
	EXPECT_MAP(HHDM + 0xc0400000ull, 0xc0400000ull, RWX, PT_2M);
	EXPECT_MAP(HHDM + 0xbfffffffull, 0xbfffffffull, RWX, PT_2M);
	/* PAT index 5 = PAT|PWT: bit 12 in a 2 MiB entry, bit 7 in a 4 KiB one */
	uint64_t *pml4 = fake_ptr(NULL, pt.root);
	uint64_t *pdpt = fake_ptr(NULL, pml4[256] & PTE_ADDR_MASK);
	uint64_t *pd = fake_ptr(NULL, pdpt[3] & PTE_ADDR_MASK);
	HT_EXPECT_EQ(pd[0] & (PTE_PAT_LARGE | PTE_PCD | PTE_PWT | PTE_PS),
	             PTE_PAT_LARGE | PTE_PWT | PTE_PS);
	uint64_t *ptab = fake_ptr(NULL, pd[1] & PTE_ADDR_MASK);
	HT_EXPECT_EQ(ptab[0] & (PTE_PAT_4K | PTE_PCD | PTE_PWT), PTE_PAT_4K | PTE_PWT);
	HT_EXPECT_EQ(ptab[0x100] & (PTE_PAT_4K | PTE_PCD | PTE_PWT), PTE_PAT_4K | PTE_PWT);
	HT_EXPECT_EQ(ptab[0x101] & (PTE_PAT_4K | PTE_PCD | PTE_PWT), 0);
}

HTEST(splitting_keeps_wc_of_a_large_page)
{
	fresh(1, 1, 1);
	HT_ASSERT(pt_map(&pt, HHDM, 0, PT_1G, PT_W | PT_WC) == ERR_OK);
	HT_ASSERT(pt_map(&pt, HHDM + 0x1000, 0x1000, 0x1000, PT_X) == ERR_OK);
	EXPECT_MAP(HHDM + 0x1000, 0x1000, PT_X, PT_PAGE);
	EXPECT_MAP(HHDM, 0, PT_W | PT_WC, PT_PAGE);
	EXPECT_MAP(HHDM + 0x2000, 0x2000, PT_W | PT_WC, PT_PAGE);
	EXPECT_MAP(HHDM + 0x200000, 0x200000, PT_W | PT_WC, PT_2M);
	EXPECT_MAP(HHDM + 0x3fe00000, 0x3fe00000, PT_W | PT_WC, PT_2M);
}

HTEST(without_pat_wc_is_write_back)
{
	fresh(1, 0, 0);
	HT_ASSERT(pt_map(&pt, HHDM, 0, PT_2M, PT_W | PT_WC) == ERR_OK);
	EXPECT_MAP(HHDM, 0, PT_W, PT_2M);
}

HTEST(identity_and_low_addresses)
{
	fresh(1, 0, 1);
	HT_ASSERT(pt_map(&pt, 0x1000, 0x1000, 0x1ff000, RWX) == ERR_OK);
	HT_ASSERT(pt_map(&pt, 0x200000, 0x200000, 0x400000, RWX) == ERR_OK);
	expect_unmapped(0, __LINE__);
	EXPECT_MAP(0x1000, 0x1000, RWX, PT_PAGE);
	EXPECT_MAP(0x300000, 0x300000, RWX, PT_2M);
}

HTEST(rejects_bad_arguments)
{
	fresh(1, 0, 1);
	HT_EXPECT(pt_map(&pt, HHDM + 1, 0, 0x1000, 0) == ERR_ALIGN);
	HT_EXPECT(pt_map(&pt, HHDM, 0x10, 0x1000, 0) == ERR_ALIGN);
	HT_EXPECT(pt_map(&pt, HHDM, 0, 0x1001, 0) == ERR_ALIGN);
	HT_EXPECT(pt_map(&pt, 0x0000800000000000ull, 0, 0x1000, 0) == ERR_RANGE);
	HT_EXPECT(pt_map(&pt, 0x00007ffffffff000ull, 0, 0x2000, 0) == ERR_RANGE);
	HT_EXPECT(pt_map(&pt, 0xfffffffffffff000ull, 0, 0x2000, 0) == ERR_RANGE);
	HT_EXPECT(pt_map(&pt, HHDM, 0, 0, 0) == ERR_OK);
	uint64_t pa, size;
	unsigned attrs;
	HT_EXPECT(pt_walk(&pt, 0x0000900000000000ull, &pa, &attrs, &size) == ERR_RANGE);
}

HTEST(out_of_memory_is_reported)
{
	fresh(1, 0, 1);
	limit = used + 2;
	HT_EXPECT(pt_map(&pt, KERN, 0, 0x1000, 0) == ERR_NOMEM);
}

HTEST_MAIN("boot_paging")
