/* Binary buddy allocator over physical frame numbers.
 *
 * Why a buddy allocator for a core's pool:
 *  - Every block is naturally aligned, so 2 MiB and 1 GiB blocks map with a
 *    single large page and retype into large frames without extra work.
 *  - Freeing coalesces a block with its buddy in O(1) per order, so memory
 *    returns to large blocks as soon as it is free again; fragmentation is
 *    bounded (a request wastes less than half its block, and free neighbours
 *    always merge).
 *  - alloc and free are O(orders) = O(log n) with a few array accesses and
 *    no search; a bitmap allocator needs a scan to find large runs, a free
 *    list of single frames cannot produce aligned large blocks at all, and a
 *    general extent tree costs more code and time for little gain here.
 *
 * Why the free lists live in the metadata instead of inside the free frames
 * (the classic trick): the pool may not be mapped at all (it is physical
 * memory the kernel hands out, and a core's page tables need not map every
 * frame it owns), writing into a frame would also fault it into the cache of
 * the core doing the bookkeeping, and a block being donated must not carry
 * pointers back into this core's pool.  Keeping everything in a separate,
 * core-private array means this code never touches the managed memory.
 *
 * Metadata per frame (9 bytes, 0.22 % of the span): a next/prev pair of
 * frame indices (meaningful only at the head of a free block) and a state
 * byte: HOLE (not in the pool), TAIL (inside a block whose head is earlier),
 * FREE|order or USED|order (head of a free or allocated block).
 */
#include "buddy.h"

#include <string/mem.h>

#define NIL      UINT32_MAX
#define ST_HOLE  0x00
#define ST_TAIL  0x40
#define ST_FREE  0x80
#define ST_USED  0xc0
#define ST_KIND  0xc0
#define ST_ORDER 0x1f

static uint64_t end_pfn(const struct buddy *b)
{
	return b->base_pfn + b->nframes;
}

static uint32_t *next_of(struct buddy *b, uint32_t i)
{
	return &b->link[2 * (size_t)i];
}

static uint32_t *prev_of(struct buddy *b, uint32_t i)
{
	return &b->link[2 * (size_t)i + 1];
}

/* Makes frame i the head of a free block of order k, first on its list. */
static void push(struct buddy *b, uint32_t i, unsigned k)
{
	uint32_t h = b->head[k];
	b->state[i] = (uint8_t)(ST_FREE | k);
	*next_of(b, i) = h;
	*prev_of(b, i) = NIL;
	if (h != NIL)
		*prev_of(b, h) = i;
	b->head[k] = i;
	b->nonempty |= 1u << k;
}

/* Takes the free block headed by frame i off list k (state left as is). */
static void unlink_block(struct buddy *b, uint32_t i, unsigned k)
{
	uint32_t n = *next_of(b, i), p = *prev_of(b, i);
	if (p != NIL)
		*next_of(b, p) = n;
	else
		b->head[k] = n;
	if (n != NIL)
		*prev_of(b, n) = p;
	if (b->head[k] == NIL)
		b->nonempty &= ~(1u << k);
}

/* Returns the block at frame pfn of order k (in the pool, not free) to the
 * free lists, merging it with its buddy as long as the buddy is free. */
static void free_block(struct buddy *b, uint64_t pfn, unsigned k)
{
	b->free_frames += 1ull << k;
	while (k < BUDDY_MAX_ORDER) {
		uint64_t bud = pfn ^ (1ull << k);
		if (bud < b->base_pfn || bud >= end_pfn(b))
			break;
		uint32_t bi = (uint32_t)(bud - b->base_pfn);
		if (b->state[bi] != (ST_FREE | k))
			break;
		unlink_block(b, bi, k);
		b->state[bi] = ST_TAIL;
		b->state[pfn - b->base_pfn] = ST_TAIL;
		pfn &= ~(1ull << k);
		k++;
	}
	push(b, (uint32_t)(pfn - b->base_pfn), k);
}

/* Validates a block address and order; its frame index goes to *idx. */
static enum err block_index(const struct buddy *b, uint64_t addr, unsigned order, uint32_t *idx)
{
	if (order > BUDDY_MAX_ORDER)
		return ERR_INVAL;
	if (addr & ((BUDDY_PAGE_SIZE << order) - 1))
		return ERR_ALIGN;
	uint64_t pfn = addr >> BUDDY_PAGE_SHIFT;
	if (pfn < b->base_pfn || pfn + (1ull << order) > end_pfn(b))
		return ERR_RANGE;
	*idx = (uint32_t)(pfn - b->base_pfn);
	return ERR_OK;
}

size_t buddy_meta_size(uint64_t size)
{
	uint64_t n = size >> BUDDY_PAGE_SHIFT;
	if (n >= NIL)
		return 0;
	return (size_t)(n * 2 * sizeof(uint32_t) + n + sizeof(uint32_t));
}

enum err buddy_init(struct buddy *b, uint64_t base, uint64_t size, void *meta, size_t meta_size)
{
	if ((base | size) & (BUDDY_PAGE_SIZE - 1))
		return ERR_ALIGN;
	if (size == 0 || base + size < base || buddy_meta_size(size) == 0)
		return ERR_RANGE;
	if (!meta || meta_size < buddy_meta_size(size))
		return ERR_NOSPC;
	uintptr_t p = ((uintptr_t)meta + sizeof(uint32_t) - 1) & ~(uintptr_t)(sizeof(uint32_t) - 1);
	b->base_pfn = base >> BUDDY_PAGE_SHIFT;
	b->nframes = (uint32_t)(size >> BUDDY_PAGE_SHIFT);
	b->nonempty = 0;
	b->free_frames = 0;
	b->owned_frames = 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		b->head[k] = NIL;
	b->link = (uint32_t *)p;
	b->state = (uint8_t *)(b->link + 2 * (size_t)b->nframes);
	memset(b->state, ST_HOLE, b->nframes);
	return ERR_OK;
}

enum err buddy_add_range(struct buddy *b, uint64_t base, uint64_t size)
{
	if ((base | size) & (BUDDY_PAGE_SIZE - 1))
		return ERR_ALIGN;
	uint64_t pfn = base >> BUDDY_PAGE_SHIFT, n = size >> BUDDY_PAGE_SHIFT;
	if (n == 0)
		return ERR_INVAL;
	if (pfn < b->base_pfn || pfn + n < pfn || pfn + n > end_pfn(b))
		return ERR_RANGE;
	uint8_t *st = b->state + (pfn - b->base_pfn);
	for (uint64_t i = 0; i < n; i++)
		if (st[i] != ST_HOLE)
			return ERR_OVERLAP;
	memset(st, ST_TAIL, n);
	b->owned_frames += n;
	/* Free the range as maximal aligned blocks; each merges with the
	 * free memory already around it. */
	for (uint64_t end = pfn + n; pfn < end;) {
		unsigned k = BUDDY_MAX_ORDER;
		if (pfn && (unsigned)__builtin_ctzll(pfn) < k)
			k = (unsigned)__builtin_ctzll(pfn);
		while (pfn + (1ull << k) > end)
			k--;
		free_block(b, pfn, k);
		pfn += 1ull << k;
	}
	return ERR_OK;
}

enum err buddy_alloc(struct buddy *b, unsigned order, uint64_t *addr)
{
	if (order > BUDDY_MAX_ORDER)
		return ERR_INVAL;
	uint32_t fit = b->nonempty & ~((1u << order) - 1);
	if (!fit)
		return ERR_NOMEM;
	unsigned k = (unsigned)__builtin_ctz(fit);
	uint32_t i = b->head[k];
	unlink_block(b, i, k);
	while (k > order) {
		k--;
		push(b, i + (1u << k), k);
	}
	b->state[i] = (uint8_t)(ST_USED | order);
	b->free_frames -= 1ull << order;
	*addr = (b->base_pfn + i) << BUDDY_PAGE_SHIFT;
	return ERR_OK;
}

enum err buddy_alloc_at(struct buddy *b, uint64_t addr, unsigned order)
{
	uint32_t i;
	enum err e = block_index(b, addr, order, &i);
	if (e)
		return e;
	/* The free block containing addr, if any, is the one whose head is
	 * addr rounded down to its order and whose state says that order. */
	uint64_t pfn = b->base_pfn + i;
	unsigned k = order;
	uint32_t h = NIL;
	for (; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t hp = pfn & ~((1ull << k) - 1);
		if (hp < b->base_pfn)
			break;
		if (b->state[hp - b->base_pfn] == (ST_FREE | k)) {
			h = (uint32_t)(hp - b->base_pfn);
			break;
		}
	}
	if (h == NIL)
		return ERR_BUSY;
	unlink_block(b, h, k);
	while (k > order) {
		k--;
		uint32_t half = 1u << k;
		if (i >= h + half) {
			push(b, h, k);
			h += half;
		} else {
			push(b, h + half, k);
		}
	}
	b->state[i] = (uint8_t)(ST_USED | order);
	b->free_frames -= 1ull << order;
	return ERR_OK;
}

enum err buddy_free(struct buddy *b, uint64_t addr, unsigned order)
{
	uint32_t i;
	enum err e = block_index(b, addr, order, &i);
	if (e)
		return e;
	if (b->state[i] != (ST_USED | order))
		return ERR_INVAL;
	free_block(b, addr >> BUDDY_PAGE_SHIFT, order);
	return ERR_OK;
}

enum err buddy_donate_out(struct buddy *b, uint64_t addr, unsigned order)
{
	uint32_t i;
	enum err e = block_index(b, addr, order, &i);
	if (e)
		return e;
	if (b->state[i] != (ST_USED | order))
		return ERR_INVAL;
	memset(b->state + i, ST_HOLE, (size_t)1 << order);
	b->owned_frames -= 1ull << order;
	return ERR_OK;
}

enum err buddy_donate_in(struct buddy *b, uint64_t addr, unsigned order)
{
	uint32_t i;
	enum err e = block_index(b, addr, order, &i);
	if (e)
		return e;
	return buddy_add_range(b, addr, BUDDY_PAGE_SIZE << order);
}

uint64_t buddy_free_bytes(const struct buddy *b)
{
	return b->free_frames << BUDDY_PAGE_SHIFT;
}

uint64_t buddy_pool_bytes(const struct buddy *b)
{
	return b->owned_frames << BUDDY_PAGE_SHIFT;
}

int buddy_largest_free_order(const struct buddy *b)
{
	return b->nonempty ? 31 - __builtin_clz(b->nonempty) : -1;
}

/* Walks free list k: every entry a correctly linked, aligned free head whose
 * buddy is not free at the same order.  Adds its frames to *frames. */
static enum err check_list(const struct buddy *b, unsigned k, uint64_t *frames)
{
	uint32_t prev = NIL, steps = 0;
	for (uint32_t i = b->head[k]; i != NIL; prev = i, i = b->link[2 * (size_t)i]) {
		if (i >= b->nframes || ++steps > b->nframes || b->link[2 * (size_t)i + 1] != prev)
			return ERR_CORRUPT;
		uint64_t pfn = b->base_pfn + i;
		if (b->state[i] != (ST_FREE | k) || (pfn & ((1ull << k) - 1)))
			return ERR_CORRUPT;
		uint64_t bud = pfn ^ (1ull << k);
		if (k < BUDDY_MAX_ORDER && bud >= b->base_pfn && bud < end_pfn(b) &&
		    b->state[bud - b->base_pfn] == (ST_FREE | k))
			return ERR_CORRUPT;
		*frames += 1ull << k;
	}
	if (!!(b->nonempty & (1u << k)) != (b->head[k] != NIL))
		return ERR_CORRUPT;
	return ERR_OK;
}

enum err buddy_check(const struct buddy *b)
{
	uint64_t listed = 0, free_heads = 0, owned = 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++)
		if (check_list(b, k, &listed))
			return ERR_CORRUPT;
	for (uint64_t i = 0; i < b->nframes;) {
		uint8_t s = b->state[i];
		if (s == ST_HOLE) {
			i++;
			continue;
		}
		unsigned k = s & ST_ORDER;
		uint64_t n = 1ull << k;
		if ((s & ST_KIND) == ST_TAIL || k > BUDDY_MAX_ORDER || i + n > b->nframes ||
		    ((b->base_pfn + i) & (n - 1)))
			return ERR_CORRUPT;
		for (uint64_t t = 1; t < n; t++)
			if (b->state[i + t] != ST_TAIL)
				return ERR_CORRUPT;
		if ((s & ST_KIND) == ST_FREE)
			free_heads += n;
		owned += n;
		i += n;
	}
	if (listed != b->free_frames || free_heads != listed || owned != b->owned_frames)
		return ERR_CORRUPT;
	return ERR_OK;
}
