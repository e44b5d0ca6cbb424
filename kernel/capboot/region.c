/* This core's untyped region, held from its pool; see region.h. */
#include "region.h"

#include "frame.h"
#include "log.h"

static struct region_block blocks[MEMPLAN_MAX_BLOCKS];
static unsigned nblocks;
static const struct memplan_untyped *plan;

struct region_block *region_blocks(unsigned *n)
{
	*n = nblocks;
	return blocks;
}

unsigned region_count(unsigned st, uint64_t *bytes)
{
	unsigned n = 0;

	*bytes = 0;
	for (unsigned i = 0; i < nblocks; i++) {
		if (blocks[i].state == st) {
			n++;
			*bytes += 1ull << blocks[i].bits;
		}
	}
	return n;
}

/* Takes block i out of the free pool. */
static enum err hold(unsigned i)
{
	enum err e = frame_alloc_at(blocks[i].base, blocks[i].bits - CAP_PAGE_BITS);

	blocks[i].state = e ? REGION_FREE : REGION_HELD;
	if (e)
		log_printf("capboot: untyped block %#llx (2^%u bytes) not in the pool: %s\n",
		           (unsigned long long)blocks[i].base, blocks[i].bits, err_str(e));
	return e;
}

enum err capboot_hold(const struct memplan_untyped *u)
{
	struct memplan_cursor cur = {0};
	uint64_t base;
	unsigned bits;
	enum err first = ERR_OK;

	plan = u;
	nblocks = 0;
	while (u && nblocks < MEMPLAN_MAX_BLOCKS &&
	       memplan_next_block(&u->region, &cur, &base, &bits)) {
		blocks[nblocks] = (struct region_block){.base = base, .bits = (uint8_t)bits};
		enum err e = hold(nblocks++);
		if (first == ERR_OK)
			first = e;
	}
	return first;
}

void region_rehold(void)
{
	for (unsigned i = 0; i < nblocks; i++)
		if (blocks[i].state == REGION_FREE)
			hold(i);
}

/* Whether [base, base + size) lies inside one range of the region. */
static bool in_region(uint64_t base, uint64_t size)
{
	for (size_t k = 0; plan && k < plan->region.n; k++) {
		const struct memplan_range *r = &plan->region.r[k];
		if (base >= r->base && base - r->base < r->size &&
		    size <= r->size - (base - r->base))
			return true;
	}
	return false;
}

enum err region_find(uint64_t base, unsigned bits, unsigned *index)
{
	if (bits >= 64 || !in_region(base, 1ull << bits))
		return ERR_OVERLAP;
	for (unsigned i = 0; i < nblocks; i++) {
		if (blocks[i].base == base && blocks[i].bits == bits) {
			*index = i;
			return ERR_OK;
		}
	}
	return ERR_INVAL;
}

bool region_release(const struct cap *c)
{
	unsigned i;

	if (c->type != CAP_UNTYPED || region_find(c->base, c->size_bits, &i) != ERR_OK ||
	    blocks[i].state != REGION_CAP)
		return false;
	frame_free_block(c->base, c->size_bits - CAP_PAGE_BITS);
	blocks[i].state = REGION_FREE;
	return true;
}

bool capboot_untyped_complete(void)
{
	uint64_t bytes;

	return region_count(REGION_HELD, &bytes) == 0 && region_count(REGION_CAP, &bytes) > 0;
}
