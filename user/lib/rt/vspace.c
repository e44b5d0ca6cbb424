/* The program's own address space: mapping frames (page tables made on
 * the way), the mapping area, and the lazily mapped regions that the fault
 * upcall fills (the heap, the stacks); see rt/mem.h. */
#include <rt/mem.h>
#include <tessera/caps.h>

#define PF_PRESENT 1ull /* page-fault error code: the page was present (SDM Vol. 3A §4.7) */
#define PF_VECTOR  14
#define KNOWN      16 /* table bases remembered per level */
#define AREA_FREE  32 /* ranges of the mapping area given back, remembered */

static unsigned top_type;
static uint64_t area_next = MAP_AREA_VA;
static struct {
	uint64_t va, npages;
} area_free[AREA_FREE]; /* given back (npages 0: an unused entry) */
static uint64_t fault_pages;

/* Table bases known to exist, per level below the top (a small ring). */
static uint64_t known[4][KNOWN];
static unsigned known_next[4];

unsigned rt_top_type(void)
{
	if (!top_type) {
		struct cap_results_identify id;
		top_type = invoke_identify(rt_cap(SLOT_VSPACE), rt_depth(), &id)
		                   ? CAP_PML4
		                   : (unsigned)id.type;
	}
	return top_type;
}

static bool is_known(unsigned level, uint64_t base)
{
	for (unsigned i = 0; i < KNOWN; i++)
		if (known[level][i] == base + 1) /* +1: 0 is an empty entry */
			return true;
	return false;
}

static void remember(unsigned level, uint64_t base)
{
	known[level][known_next[level]++ % KNOWN] = base + 1;
}

/* One table of type covering 2^covers bytes at va's place, unless there. */
static enum err table(unsigned level, unsigned type, unsigned covers, uint64_t va)
{
	uint64_t base = va & ~((1ull << covers) - 1), offset;
	struct rt_capref slot;
	unsigned bits;

	if (is_known(level, base))
		return ERR_OK;
	if (!rt_memory())
		return ERR_NOMEM;
	enum err e = rt_retype_slot(rt_memory(), type, 12, &slot, &offset, &bits);
	if (e)
		return e;
	e = invoke_map_table(rt_cap(SLOT_VSPACE), rt_depth(), slot.addr, slot.depth, base, NULL);
	if (e) { /* EXIST: someone made it before; give this one back */
		rt_delete(slot);
		rt_untyped_free(rt_memory(), offset, bits);
		rt_slot_free(slot);
	}
	if (!e || e == ERR_EXIST)
		remember(level, base);
	return e == ERR_EXIST ? ERR_OK : e;
}

/* Every table a page of 2^bits at va needs below the top, top down (a
 * 2 MiB page needs no page table). */
static enum err tables_for(uint64_t va, unsigned bits)
{
	static const unsigned types[4] = {CAP_PML4, CAP_PDPT, CAP_PD, CAP_PT};
	static const unsigned covers[4] = {48, 39, 30, 21};
	enum err e = ERR_OK;

	for (unsigned l = rt_top_type() == CAP_PML5 ? 0 : 1; !e && l < 4 && covers[l] > bits; l++)
		e = table(l, types[l], covers[l], va);
	return e;
}

enum err rt_map(struct rt_capref frame, uint64_t va, uint32_t rights)
{
	return rt_map_sized(frame, va, rights, CAP_PAGE_BITS);
}

enum err rt_map_sized(struct rt_capref frame, uint64_t va, uint32_t rights, unsigned bits)
{
	bool was = rt_disable();
	enum err e = invoke_map_frame(rt_cap(SLOT_VSPACE), rt_depth(), frame.addr, frame.depth, va,
	                              rights, 0, NULL);

	if (e == ERR_NOENT) {
		e = tables_for(va, bits);
		if (!e)
			e = invoke_map_frame(rt_cap(SLOT_VSPACE), rt_depth(), frame.addr,
			                     frame.depth, va, rights, 0, NULL);
	}
	rt_enable(was);
	return e;
}

enum err rt_map_new(uint64_t va)
{
	struct rt_untyped *u = rt_memory();
	struct rt_capref slot;
	uint64_t offset;
	unsigned bits;

	if (!u)
		return ERR_NOMEM;
	enum err e = rt_retype_slot(u, CAP_FRAME, CAP_PAGE_BITS, &slot, &offset, &bits);
	if (e)
		return e;
	e = rt_map(slot, va, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (e) {
		rt_delete(slot);
		rt_untyped_free(u, offset, bits);
		rt_slot_free(slot);
	}
	return e;
}

/* The smallest range given back that holds npages, taken from its front;
 * 0 if none. */
static uint64_t area_reuse(uint64_t npages)
{
	unsigned best = AREA_FREE;

	for (unsigned i = 0; i < AREA_FREE; i++)
		if (area_free[i].npages >= npages &&
		    (best == AREA_FREE || area_free[i].npages < area_free[best].npages))
			best = i;
	if (best == AREA_FREE)
		return 0;
	uint64_t va = area_free[best].va;
	area_free[best].va += npages * RT_PAGE;
	area_free[best].npages -= npages;
	return va;
}

uint64_t rt_map_area(uint64_t npages)
{
	bool was = rt_disable();
	uint64_t va = npages ? area_reuse(npages) : 0;

	if (!va && npages <= (MAP_AREA_VA + MAP_AREA_BYTES - area_next) / RT_PAGE) {
		va = area_next;
		area_next += npages * RT_PAGE;
	}
	rt_enable(was);
	return va;
}

void rt_map_area_free(uint64_t va, uint64_t npages)
{
	bool was = rt_disable();
	unsigned empty = AREA_FREE;

	for (unsigned i = 0; npages && i < AREA_FREE; i++) {
		if (!area_free[i].npages) { /* merged away, or never used */
			empty = empty == AREA_FREE ? i : empty;
			continue;
		}
		if (area_free[i].va + area_free[i].npages * RT_PAGE == va) { /* after it */
			area_free[i].npages += npages;
			npages = 0;
		} else if (va + npages * RT_PAGE == area_free[i].va) { /* before it */
			area_free[i].va = va;
			area_free[i].npages += npages;
			npages = 0;
		}
	}
	if (npages && empty < AREA_FREE) /* else the address space is lost, not memory */
		area_free[empty].va = va, area_free[empty].npages = npages;
	rt_enable(was);
}

/* What the page at address is: 1 growable, 0 a guard page, -1 neither. */
static int region(uint64_t a)
{
	const uint64_t stack_low = STACK_TOP_VA - STACK_MAX_BYTES;
	const uint64_t threads_end = THREAD_STACKS_VA + THREAD_STACKS_COUNT * THREAD_STACK_BYTES;

	if (a >= HEAP_VA && a < HEAP_VA + HEAP_MAX_BYTES)
		return 1;
	if (a >= stack_low && a < STACK_TOP_VA)
		return a >= stack_low + RT_PAGE;
	if (a >= THREAD_STACKS_VA && a < threads_end)
		return (a - THREAD_STACKS_VA) % THREAD_STACK_BYTES >= RT_PAGE;
	return -1;
}

bool rt_fault_take(uint64_t vector, uint64_t error, uint64_t address, const char **why)
{
	if (vector != PF_VECTOR) {
		*why = "not a page fault";
		return false;
	}
	int r = region(address);
	if (r < 0) {
		*why = "outside the heap and the stacks";
		return false;
	}
	if (r == 0) {
		*why = "stack overflow (a guard page)";
		return false;
	}
	if (error & PF_PRESENT) {
		*why = "an access the page's rights refuse";
		return false;
	}
	enum err e = rt_map_new(address & ~(RT_PAGE - 1));
	if (e) {
		*why = e == ERR_NOMEM ? "out of memory (the budget is spent)" : err_str(e);
		return false;
	}
	fault_pages++;
	return true;
}

uint64_t rt_fault_pages(void)
{
	return fault_pages;
}
