/* This core's pools for the memory protocol; see borrow.h. */
#include "borrow.h"

#include <arch/paging.h>
#include <buddy/buddy.h>

#include "core.h"
#include "frame.h"
#include "hhdm.h"
#include "vm.h"

#define UNIT (BUDDY_PAGE_SIZE << BORROW_MIN_ORDER)

/* One borrowed block and the buddy pool that hands it out. */
struct lent {
	bool used;
	unsigned donor, order, meta_order;
	uint64_t base, meta_pa;
	struct buddy b;
};

static struct lent lent[BORROW_BLOCKS];
static struct memx_buddy own; /* the frame pool, as memx sees it */
static struct memx_pool pool, lender;
static unsigned lender_donor;

/* Maps [pa, pa + size) at its HHDM address, large pages where possible. */
static enum err hhdm_map(uint64_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += UNIT) {
		uintptr_t va = (uintptr_t)hhdm_ptr(pa + off);
		enum err e = vm_map(vm_kernel(), va, pa + off, MM_LARGE_PAGE_BITS, MM_PROT_WRITE);
		if (e == ERR_EXIST) /* a page table is there from earlier 4 KiB pages */
			e = vm_map_range(vm_kernel(), va, pa + off, UNIT, MM_PROT_WRITE);
		if (e)
			return e;
	}
	return ERR_OK;
}

static void hhdm_unmap(uint64_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += UNIT) {
		uintptr_t va = (uintptr_t)hhdm_ptr(pa + off);
		if (vm_unmap(vm_kernel(), va, MM_LARGE_PAGE_BITS) != ERR_OK)
			vm_unmap_range(vm_kernel(), va, UNIT);
	}
}

static bool in_own_span(uint64_t pa, unsigned order)
{
	uint64_t base, size;
	frame_span(&base, &size);
	return pa >= base && pa - base < size && (BUDDY_PAGE_SIZE << order) <= size - (pa - base);
}

/* A free block leaves the frame pool and the HHDM. */
static enum err own_take_out(void *ctx, unsigned max_order, uint64_t *pa, unsigned *order)
{
	enum err e = memx_buddy_take_out(&own, max_order, pa, order);
	if (!e)
		hhdm_unmap(*pa, BUDDY_PAGE_SIZE << *order);
	return e;
}

/* Whether any page of [pa, pa + size) is in this core's HHDM, which maps
 * only memory the core owns. */
static bool mine_already(uint64_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size;) {
		uint64_t got;
		unsigned prot, bits;
		if (vm_lookup(vm_kernel(), (uintptr_t)hhdm_ptr(pa + off), &got, &prot, &bits) ==
		    ERR_OK)
			return true;
		off += MM_PAGE_SIZE;
	}
	return false;
}

/* A block that was this core's (in its span) comes home; others are lent;
 * one that is this core's already (it came twice) is refused. */
static enum err take_in(void *ctx, unsigned from, uint64_t pa, unsigned order)
{
	uint64_t size = BUDDY_PAGE_SIZE << order;
	if (order < BORROW_MIN_ORDER)
		return ERR_RANGE;
	if (mine_already(pa, size))
		return ERR_EXIST;
	if (in_own_span(pa, order)) {
		enum err e = hhdm_map(pa, size);
		if (!e)
			e = memx_buddy_put_in(&own, from, pa, order);
		return e;
	}
	struct lent *l = NULL;
	for (unsigned i = 0; i < BORROW_BLOCKS && !l; i++)
		l = lent[i].used ? NULL : &lent[i];
	size_t meta = buddy_meta_size(size);
	unsigned mo = 0;
	uint64_t meta_pa;
	while ((BUDDY_PAGE_SIZE << mo) < meta)
		mo++;
	if (!l || frame_alloc_block(mo, &meta_pa))
		return ERR_RANGE;
	*l = (struct lent){.used = true,
	                   .donor = from,
	                   .order = order,
	                   .meta_order = mo,
	                   .base = pa,
	                   .meta_pa = meta_pa};
	if (buddy_init(&l->b, pa, size, hhdm_ptr(meta_pa), meta) ||
	    buddy_donate_in(&l->b, pa, order) || hhdm_map(pa, size)) {
		frame_free_block(l->meta_pa, mo);
		l->used = false;
		return ERR_RANGE;
	}
	return ERR_OK;
}

/* A whole free borrowed block of the lender's donor goes back. */
static enum err lent_take_out(void *ctx, unsigned max_order, uint64_t *pa, unsigned *order)
{
	for (unsigned i = 0; i < BORROW_BLOCKS; i++) {
		struct lent *l = &lent[i];
		if (!l->used || l->donor != lender_donor || l->order > max_order ||
		    buddy_free_bytes(&l->b) != BUDDY_PAGE_SIZE << l->order)
			continue;
		if (buddy_alloc(&l->b, l->order, pa) || buddy_donate_out(&l->b, *pa, l->order))
			continue;
		*order = l->order;
		hhdm_unmap(*pa, BUDDY_PAGE_SIZE << l->order);
		frame_free_block(l->meta_pa, l->meta_order);
		l->used = false;
		return ERR_OK;
	}
	return ERR_NOMEM;
}

/* The HHDM's directory tables for every other core's share, so mapping a
 * borrowed 2 MiB block later only writes an entry.  A share's span is not
 * in the handoff, only its first address and size: twice the size covers
 * the holes of the memory maps seen so far; a block beyond gets its table
 * when it arrives. */
static void reserve_tables(void)
{
	struct arch_pt pt;
	vm_pt(vm_kernel(), &pt);
	for (unsigned c = 0; c < core_count(); c++) {
		const struct smp_core *sc = core_info(c);
		if (!sc || c == core_self() || !sc->share_bytes)
			continue;
		uint64_t gib = 1ull << MM_HUGE_PAGE_BITS;
		for (uint64_t a = sc->share_base & ~(gib - 1);
		     a < sc->share_base + 2 * sc->share_bytes; a += gib)
			arch_pt_reserve(&pt, (uintptr_t)hhdm_ptr(a), 2);
	}
}

void borrow_init(uint64_t reserve)
{
	for (unsigned i = 0; i < BORROW_BLOCKS; i++)
		lent[i].used = false;
	memx_buddy_init(&own, frame_buddy(), reserve);
	own.pool.min_order = BORROW_MIN_ORDER;
	pool = (struct memx_pool){
	        .min_order = BORROW_MIN_ORDER, .take_out = own_take_out, .put_in = take_in};
	lender = (struct memx_pool){
	        .min_order = BORROW_MIN_ORDER, .take_out = lent_take_out, .put_in = take_in};
	if (frame_buddy())
		reserve_tables();
}

const struct memx_pool *borrow_pool(void)
{
	return frame_buddy() ? &pool : NULL;
}

const struct memx_pool *borrow_lender(unsigned donor)
{
	lender_donor = donor;
	return &lender;
}

enum err borrow_alloc(unsigned order, uint64_t *pa)
{
	for (unsigned i = 0; i < BORROW_BLOCKS; i++)
		if (lent[i].used && buddy_alloc(&lent[i].b, order, pa) == ERR_OK)
			return ERR_OK;
	return ERR_NOMEM;
}

enum err borrow_free(uint64_t pa, unsigned order)
{
	for (unsigned i = 0; i < BORROW_BLOCKS; i++) {
		struct lent *l = &lent[i];
		if (l->used && pa >= l->base && pa - l->base < (BUDDY_PAGE_SIZE << l->order))
			return buddy_free(&l->b, pa, order);
	}
	return ERR_INVAL;
}

uint64_t borrow_held(unsigned donor)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < BORROW_BLOCKS; i++)
		if (lent[i].used && (donor == ~0u || lent[i].donor == donor))
			n += BUDDY_PAGE_SIZE << lent[i].order;
	return n;
}

uint64_t borrow_free_bytes(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < BORROW_BLOCKS; i++)
		if (lent[i].used)
			n += buddy_free_bytes(&lent[i].b);
	return n;
}
