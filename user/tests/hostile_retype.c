/* Retype: every refusal in tessera/caps.h's order (values that would
 * truncate to valid ones included), overlaps through the untyped, a copy
 * of it and a child of it; memory comes back zeroed, and an object's
 * mappings end with it: a deleted frame is unmapped, a deleted page table
 * unlinked, so its memory retyped as a frame and filled with forged
 * entries maps nothing. */
#include "hostile.h"

#define FRAME CAP_FRAME
#define SCR   HS_SCRATCH

static enum err rt_into(uint64_t ut, uint64_t type, uint64_t bits, uint64_t offset, uint64_t count,
                        uint64_t slot)
{
	return invoke_retype(ut, D8, type, bits, offset, count, SLOT_ROOT, D8, slot, NULL);
}

static enum err del(uint64_t slot)
{
	return invoke_delete(SLOT_ROOT, D8, slot, D8, NULL);
}

static enum err identify(uint64_t slot)
{
	return invoke_identify(slot, D8, NULL);
}

static void refusals(void)
{
	const uint64_t u = HS_UNTYPED;

	/* TYPE: types that cannot be made, before any size */
	static const uint64_t bad_types[] = {CAP_NULL,           CAP_IOPORT,     CAP_IRQ, CAP_LOG,
	                                     CAP_DEVICE_FRAME,   CAP_TYPE_COUNT, 255,     256,
	                                     1ull << 32 | FRAME, ~0ull};
	for (unsigned i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++)
		EXPECT_ERR(rt_into(u, bad_types[i], 12, 0x10000, 1, SCR), ERR_TYPE);
	/* INVAL: sizes, count 0 (before ALIGN and RANGE) */
	EXPECT_ERR(rt_into(u, FRAME, 13, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, FRAME, 256 + 12, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, CAP_UNTYPED, 5, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, CAP_UNTYPED, 53, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, CAP_CNODE, 0, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, CAP_CNODE, 21, 0x10000, 1, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 0, SCR), ERR_INVAL);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10800, 0, SCR), ERR_INVAL);
	/* ALIGN before RANGE */
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10800, 1, SCR), ERR_ALIGN);
	EXPECT_ERR(rt_into(u, CAP_PT, 12, 0x10008, 1, SCR), ERR_ALIGN);
	EXPECT_ERR(rt_into(u, FRAME, 12, ~0ull, 1, SCR), ERR_ALIGN);
	/* RANGE: not inside the untyped; sizes above it */
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x20000, 1, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 1ull << 63, 1, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x1f000, 2, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 1ull << 52, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, ~0ull, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0xfffffffffffff000ull, 2, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, CAP_UNTYPED, 18, 0, 1, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 21, 0, 1, SCR), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x20000, 1, HS_FRAME), ERR_RANGE); /* before EXIST */
	/* the destination: lookup errors first, then TYPE, PERM, RANGE, EXIST */
	EXPECT_ERR(invoke_retype(u, D8, FRAME, 12, 0x10000, 1, SLOT_ROOT, 0, SCR, NULL), ERR_INVAL);
	EXPECT_ERR(invoke_retype(u, D8, FRAME, 12, 0x10000, 1, 256, D8, SCR, NULL), ERR_RANGE);
	EXPECT_ERR(invoke_retype(u, D8, FRAME, 12, 0x10000, 1, 0 << 8 | 1, 16, 0, NULL), ERR_EMPTY);
	EXPECT_ERR(invoke_retype(u, D8, 0, 12, 0x10000, 1, SLOT_ROOT, 0, SCR, NULL), ERR_INVAL);
	EXPECT_ERR(invoke_retype(u, D8, FRAME, 12, 0x10000, 1, HS_FRAME, D8, 0, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_retype(u, D8, FRAME, 12, 0x10000, 1, 0, D8, 0, NULL), ERR_TYPE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 1, 256), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 2, 255), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 1, ~0ull), ERR_RANGE);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 1, HS_FRAME), ERR_EXIST);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0, 1, HS_FRAME), ERR_EXIST); /* EXIST before OVERLAP */
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 2, SCR - 1), ERR_EXIST); /* HS_PT, SCR */
}

/* OVERLAP, through the untyped, a copy of it, and around a child. */
static void overlaps(void)
{
	const uint64_t u = HS_UNTYPED, u2 = HS_UNTYPED_2;

	EXPECT_ERR(rt_into(u, FRAME, 12, 0, 1, SCR), ERR_OVERLAP);         /* the frame */
	EXPECT_ERR(rt_into(u, CAP_CNODE, 2, 0x2800, 1, SCR), ERR_OVERLAP); /* a frame */
	EXPECT_OK(
	        rt_into(u, CAP_ENDPOINT, 0, OFF_ENDPOINT + 0x40, 1, SCR)); /* the gap next to it */
	EXPECT_OK(del(SCR));
	EXPECT_ERR(rt_into(u, CAP_ENDPOINT, 0, OFF_ENDPOINT, 1, SCR), ERR_OVERLAP);
	EXPECT_ERR(rt_into(u2, FRAME, 12, 0, 1, SCR), ERR_OVERLAP);
	EXPECT_ERR(rt_into(u2, FRAME, 12, 0x8000, 1, SCR), ERR_OVERLAP); /* the child */
	EXPECT_ERR(rt_into(u, CAP_UNTYPED, 16, 0, 1, SCR), ERR_OVERLAP);
	EXPECT_ERR(rt_into(u, CAP_UNTYPED, 17, 0, 1, SCR), ERR_OVERLAP);
	EXPECT_ERR(rt_into(u, FRAME, 12, 0xf000, 2, SCR), ERR_OVERLAP);
	EXPECT_ERR(identify(SCR), ERR_EMPTY); /* nothing made by a refusal */
	EXPECT_ERR(identify(SCR + 1), ERR_EMPTY);
	/* the child's memory is its own to retype */
	EXPECT_OK(rt_into(HS_CHILD, FRAME, 12, 0, 1, SCR));
	EXPECT_ERR(rt_into(u2, FRAME, 12, 0x10000, 1, SCR), ERR_EXIST);
	EXPECT_OK(rt_into(u2, FRAME, 12, 0x10000, 1, SCR + 1));
	EXPECT_ERR(rt_into(u, FRAME, 12, 0x10000, 1, SCR + 2), ERR_OVERLAP); /* made via the copy */
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, u2, D8, NULL)); /* what the copy made */
	EXPECT_ERR(identify(SCR + 1), ERR_EMPTY);
	EXPECT_OK(identify(SCR));
	EXPECT_OK(del(SCR));
}

static volatile uint64_t at, value __attribute__((used));

static void read_at(uint64_t va)
{
	at = va;
	probe_clear();
	__asm__ volatile("movq at(%%rip), %%rax\n\t" PROBE_ASM("movq (%%rax), %%rdx\n\t"
	                                                       "movq %%rdx, value(%%rip)")::
	                         : "rax", "rdx", "r11", "memory");
}

static bool zero_page(uint64_t va)
{
	const uint64_t *p = (const uint64_t *)(uintptr_t)va;
	uint64_t any = 0;

	for (unsigned i = 0; i < 512; i++)
		any |= p[i];
	return any == 0;
}

static void fill(uint64_t va, uint64_t word)
{
	uint64_t *p = (uint64_t *)(uintptr_t)va;

	for (unsigned i = 0; i < 512; i++)
		p[i] = word;
}

static enum err map(uint64_t slot, uint64_t va)
{
	return invoke_map_frame(SLOT_VSPACE, D8, slot, D8, va, CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0,
	                        NULL);
}

/* A frame's memory: zeroed when made again; its mapping ends with it. */
static void frames_end(void)
{
	const uint64_t va = HOSTILE_MAP_VA + 0x2000;

	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x10000, 1, SCR));
	EXPECT_OK(map(SCR, va));
	fill(va, 0x5ec7e75ec7e75ec7ull);
	EXPECT_OK(del(SCR));
	read_at(va);
	hostile_page_fault(__LINE__, "read a deleted frame's page", va, 4, 5);
	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x10000, 1, SCR));
	EXPECT_OK(map(SCR, va));
	EXPECT_TRUE(zero_page(va));
	EXPECT_OK(invoke_copy(SLOT_ROOT, D8, SCR + 1, D8, SCR, D8, NULL));
	EXPECT_OK(map(SCR + 1, va + 0x1000)); /* a copy maps too, once */
	EXPECT_ERR(del(SCR), ERR_BUSY);
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SCR, D8, NULL));
	read_at(va + 0x1000);
	hostile_page_fault(__LINE__, "read through a revoked copy", va + 0x1000, 4, 5);
	EXPECT_OK(del(SCR));
	read_at(va);
	hostile_page_fault(__LINE__, "read a deleted frame's page", va, 4, 5);
	/* its memory as a CNode now */
	EXPECT_OK(rt_into(HS_UNTYPED, CAP_CNODE, 6, 0x10000, 1, SCR));
	EXPECT_OK(del(SCR));
}

/* A page table that moves (unlinked, then linked elsewhere), that would be
 * linked twice, or whose address space dies, must not carry a frame's
 * entry along: once the frame is deleted nothing may reach its memory. */
static void tables_move(void)
{
	const uint64_t pt = HOSTILE_PT_VA, moved = HOSTILE_PT_VA + 0x400000;
	const uint64_t p2 = SCR + 2, pdpt = SCR + 3, pd = SCR + 4;

	EXPECT_OK(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, pt, NULL));
	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x10000, 1, SCR));
	EXPECT_OK(map(SCR, pt));
	fill(pt, 0x5ec7e7);
	EXPECT_OK(invoke_unmap(HS_PT, D8, NULL));
	EXPECT_OK(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, moved, NULL));
	read_at(moved);
	hostile_page_fault(__LINE__, "a frame's entry moved with its table", moved, 4, 5);
	EXPECT_OK(del(SCR));
	read_at(moved);
	hostile_page_fault(__LINE__, "read a deleted frame through a moved table", moved, 4, 5);
	EXPECT_OK(invoke_unmap(HS_PT, D8, NULL));
	/* linked once, through its original only */
	EXPECT_OK(invoke_copy(SLOT_ROOT, D8, SCR + 1, D8, HS_PT, D8, NULL));
	EXPECT_OK(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, pt, NULL));
	EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, SCR + 1, D8, moved, NULL), ERR_PERM);
	EXPECT_OK(del(SCR + 1));
	EXPECT_OK(invoke_unmap(HS_PT, D8, NULL));
	/* a second space of its own, deleted with a frame mapped in it */
	EXPECT_OK(rt_into(HS_UNTYPED, CAP_PML4, 12, 0x12000, 1, p2));
	EXPECT_OK(rt_into(HS_UNTYPED, CAP_PDPT, 12, 0x13000, 1, pdpt));
	EXPECT_OK(rt_into(HS_UNTYPED, CAP_PD, 12, 0x14000, 1, pd));
	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x10000, 1, SCR));
	EXPECT_OK(invoke_map_table(p2, D8, pdpt, D8, 0, NULL));
	EXPECT_OK(invoke_map_table(p2, D8, pd, D8, 0, NULL));
	EXPECT_OK(invoke_map_table(p2, D8, HS_PT, D8, pt, NULL));
	EXPECT_OK(invoke_map_frame(p2, D8, SCR, D8, pt, CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0, NULL));
	EXPECT_OK(del(p2));
	EXPECT_OK(invoke_unmap(HS_PT, D8, NULL));
	EXPECT_OK(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, pt, NULL));
	read_at(pt);
	hostile_page_fault(__LINE__, "a dead space's entry in a table linked again", pt, 4, 5);
	EXPECT_OK(del(SCR));
	read_at(pt);
	hostile_page_fault(__LINE__, "read a deleted frame through a table linked again", pt, 4, 5);
	EXPECT_OK(invoke_unmap(HS_PT, D8, NULL));
	EXPECT_OK(del(pd));
	EXPECT_OK(del(pdpt));
}

/* A page table's memory: unlinked when it goes, so the same memory as a
 * frame full of forged entries maps nothing. */
static void tables_end(void)
{
	const uint64_t pt = HOSTILE_PT_VA, va = HOSTILE_MAP_VA + 0x4000;
	struct cap_results_identify secret_page;

	EXPECT_OK(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, pt, NULL));
	EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, pt + 0x200000, NULL), ERR_BUSY);
	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x11000, 1, SCR));
	EXPECT_OK(map(SCR, pt));
	fill(pt, 0x1234);
	EXPECT_OK(del(HS_PT));
	read_at(pt);
	hostile_page_fault(__LINE__, "read through a deleted page table", pt, 4, 5);
	EXPECT_OK(rt_into(HS_UNTYPED, FRAME, 12, 0x1000, 1, SCR + 1)); /* where the table was */
	EXPECT_OK(map(SCR + 1, va));
	EXPECT_TRUE(zero_page(va));
	EXPECT_OK(invoke_identify(SLOT_ARGS, D8, &secret_page));
	fill(va, secret_page.base | 0x7); /* present, writable, user: forged */
	read_at(pt);
	hostile_page_fault(__LINE__, "read through forged table entries", pt, 4, 5);
	EXPECT_OK(invoke_unmap(SCR, D8, NULL)); /* its table is gone: nothing to undo */
	EXPECT_OK(del(SCR));
	EXPECT_OK(del(SCR + 1));
	read_at(va);
	hostile_page_fault(__LINE__, "read a deleted frame's page", va, 4, 5);
}

void hostile_retype(void)
{
	refusals();
	overlaps();
	frames_end();
	tables_move();
	tables_end();
}
