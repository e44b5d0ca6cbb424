/* Dividing physical memory between cores; see memplan.h for the policy. */
#include "memplan.h"

/* The usable ranges above the low limit, in a working copy. */
static size_t clip_low(const struct memplan_range *in, size_t n, struct memplan_range *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < MEMPLAN_MAX_INPUT; i++) {
		uint64_t base = in[i].base, end = in[i].base + in[i].size;
		if (end <= MEMPLAN_LOW_LIMIT)
			continue;
		if (base < MEMPLAN_LOW_LIMIT)
			base = MEMPLAN_LOW_LIMIT;
		out[k++] = (struct memplan_range){base, end - base};
	}
	return k;
}

/* Takes `bytes` from the front of the first range that holds them. */
static enum err carve_shared(struct memplan_range *r, size_t n, uint64_t bytes,
                             struct memplan_range *shared)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].size >= bytes) {
			*shared = (struct memplan_range){r[i].base, bytes};
			r[i].base += bytes;
			r[i].size -= bytes;
			return ERR_OK;
		}
	}
	return ERR_NOMEM;
}

/* Fills one share with up to `want` bytes from the ranges, from position
 * (*i, front of r[*i]) on, advancing the position. */
static void fill_share(struct memplan_range *r, size_t n, size_t *i, uint64_t want,
                       struct memplan_share *s)
{
	s->n = 0;
	s->bytes = 0;
	while (want && *i < n && s->n < MEMPLAN_MAX_RANGES) {
		if (r[*i].size == 0) {
			(*i)++;
			continue;
		}
		uint64_t take = r[*i].size < want ? r[*i].size : want;
		s->r[s->n++] = (struct memplan_range){r[*i].base, take};
		s->bytes += take;
		r[*i].base += take;
		r[*i].size -= take;
		want -= take;
	}
}

enum err memplan_split(const struct memplan_range *usable, size_t n, unsigned ncores,
                       uint64_t shared_bytes, uint64_t min_share, struct memplan_range *shared,
                       struct memplan_share *shares, unsigned *fitted)
{
	struct memplan_range r[MEMPLAN_MAX_INPUT];
	size_t k = clip_low(usable, n, r);
	uint64_t total = 0;

	*fitted = 0;
	shared_bytes = (shared_bytes + MEMPLAN_PAGE - 1) & ~(MEMPLAN_PAGE - 1);
	if (ncores == 0 || carve_shared(r, k, shared_bytes, shared) != ERR_OK)
		return ERR_NOMEM;
	for (size_t i = 0; i < k; i++)
		total += r[i].size;
	unsigned cores = ncores;
	if (min_share && total / cores < min_share)
		cores = (unsigned)(total / min_share);
	if (cores == 0)
		return ERR_NOMEM;
	uint64_t each = (total / cores) & ~(MEMPLAN_PAGE - 1);
	size_t pos = 0;
	for (unsigned c = 0; c < cores; c++)
		fill_share(r, k, &pos, c + 1 == cores ? total : each, &shares[c]);
	*fitted = cores;
	return ERR_OK;
}

struct memplan_range memplan_span(const struct memplan_share *s)
{
	if (s->n == 0)
		return (struct memplan_range){0, 0};
	uint64_t base = s->r[0].base;
	uint64_t end = s->r[s->n - 1].base + s->r[s->n - 1].size;
	return (struct memplan_range){base, end - base};
}

uint64_t memplan_unassigned(const struct memplan_range *usable, size_t n,
                            const struct memplan_range *shared, const struct memplan_share *shares,
                            unsigned fitted)
{
	struct memplan_range r[MEMPLAN_MAX_INPUT];
	size_t k = clip_low(usable, n, r);
	uint64_t total = 0, planned = shared->size;

	for (size_t i = 0; i < k; i++)
		total += r[i].size;
	for (unsigned c = 0; c < fitted; c++)
		planned += shares[c].bytes;
	return total - planned;
}

unsigned memplan_block_bits(uint64_t base, uint64_t end)
{
	unsigned bits = MEMPLAN_BLOCK_MAX_BITS;

	while (bits > 12 && ((base & ((1ull << bits) - 1)) || end - base < (1ull << bits)))
		bits--;
	return bits;
}

bool memplan_next_block(const struct memplan_share *region, struct memplan_cursor *cur,
                        uint64_t *base, unsigned *bits)
{
	for (; cur->k < region->n; cur->k++) {
		const struct memplan_range *r = &region->r[cur->k];
		if (cur->at < r->base)
			cur->at = r->base;
		if (cur->at < r->base + r->size) {
			*base = cur->at;
			*bits = memplan_block_bits(cur->at, r->base + r->size);
			cur->at += 1ull << *bits;
			return true;
		}
	}
	return false;
}

/* Appends [base, end) to the region, as far as the block limit allows. */
static void add_region(struct memplan_untyped *u, uint64_t base, uint64_t end)
{
	uint64_t at = base;

	while (at < end && u->blocks < MEMPLAN_MAX_BLOCKS) {
		at += 1ull << memplan_block_bits(at, end);
		u->blocks++;
	}
	if (at < end)
		u->truncated = 1;
	if (at > base) {
		u->region.r[u->region.n++] = (struct memplan_range){base, at - base};
		u->region.bytes += at - base;
	}
}

void memplan_untyped(const struct memplan_range *pool, size_t n, struct memplan_untyped *u)
{
	uint64_t skip;

	*u = (struct memplan_untyped){0};
	if (n > MEMPLAN_MAX_RANGES)
		n = MEMPLAN_MAX_RANGES;
	for (size_t i = 0; i < n; i++)
		u->pool_bytes += pool[i].size;
	skip = u->pool_bytes / 4 > MEMPLAN_KERNEL_RESERVE ? u->pool_bytes / 4
	                                                  : MEMPLAN_KERNEL_RESERVE;
	for (size_t i = 0; i < n; i++) {
		uint64_t base = pool[i].base, end = base + pool[i].size;
		if (skip >= end - base) {
			skip -= end - base;
			continue;
		}
		if (skip) {
			base = (base + skip + MEMPLAN_UNTYPED_ALIGN - 1) &
			       ~(MEMPLAN_UNTYPED_ALIGN - 1);
			skip = 0;
		}
		if (base < end)
			add_region(u, base, end);
	}
	u->kernel_bytes = u->pool_bytes - u->region.bytes;
}
