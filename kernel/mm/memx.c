/* The memory request / donation protocol; see memx.h. */
#include "memx.h"

#include <buddy/buddy.h>

void memx_init(struct memx *m, struct buddy *pool, uint64_t reserve)
{
	*m = (struct memx){.pool = pool, .reserve = reserve};
}

enum err memx_request(struct memx *m, const struct xcore *x, unsigned donor, uint64_t bytes)
{
	if (donor >= x->ncores || donor == x->self || m->waiting)
		return ERR_INVAL;
	struct msg_mem_request r = {.bytes = bytes, .requester = x->self};
	m->received = m->returned = 0;
	enum err e = xcore_send_wait(x, donor, MSG_MEM_REQUEST, &r, sizeof r);
	m->waiting = e == ERR_OK;
	return e;
}

/* Sends the block [pa, pa + (4 KiB << order)) to core `to`; the block has
 * left the pool already. */
static enum err send_block(const struct xcore *x, unsigned to, uint64_t pa, unsigned order,
                           uint32_t flags)
{
	struct msg_mem_donate d = {
	        .base = pa, .frames = 1ull << order, .donor = x->self, .reserved = flags};
	return xcore_send_wait(x, to, MSG_MEM_DONATE, &d, sizeof d);
}

/* The largest order <= max_order that the pool can give without going
 * below the reserve; -1 if none. */
static int give_order(const struct memx *m, int max_order)
{
	int order = buddy_largest_free_order(m->pool);
	if (order > max_order)
		order = max_order;
	uint64_t free = buddy_free_bytes(m->pool);
	while (order >= 0 && free < m->reserve + (BUDDY_PAGE_SIZE << order))
		order--;
	return order;
}

enum err memx_give(struct memx *m, const struct xcore *x, unsigned to, uint64_t bytes,
                   uint64_t *given)
{
	uint64_t frames = (bytes + BUDDY_PAGE_SIZE - 1) / BUDDY_PAGE_SIZE, done = 0;
	enum err e = ERR_OK;

	if (to >= x->ncores || to == x->self)
		return ERR_INVAL;
	while (frames && !e) {
		int max = 63 - __builtin_clzll(frames);
		int order = give_order(m, max > BUDDY_MAX_ORDER ? BUDDY_MAX_ORDER : max);
		uint64_t pa;
		if (order < 0 || buddy_alloc(m->pool, (unsigned)order, &pa))
			break;
		e = buddy_donate_out(m->pool, pa, (unsigned)order);
		if (!e)
			e = send_block(x, to, pa, (unsigned)order, 0);
		frames -= 1ull << order;
		done += BUDDY_PAGE_SIZE << order;
	}
	if (given)
		*given = done;
	return e;
}

enum err memx_on_request(struct memx *m, const struct xcore *x, unsigned from,
                         const struct msg_mem_request *r)
{
	if (r->requester != from)
		return ERR_CORRUPT;
	enum err e = memx_give(m, x, from, r->bytes, NULL);
	struct msg_mem_donate end = {.donor = x->self};
	enum err e2 = xcore_send_wait(x, from, MSG_MEM_DONATE, &end, sizeof end);
	return e ? e : e2;
}

enum err memx_on_donate(struct memx *m, const struct xcore *x, unsigned from,
                        const struct msg_mem_donate *d)
{
	if (d->donor != from)
		return ERR_CORRUPT;
	if (d->frames == 0) {
		m->waiting = false;
		return ERR_OK;
	}
	if (d->frames & (d->frames - 1) || d->frames > 1ull << BUDDY_MAX_ORDER)
		return ERR_CORRUPT;
	unsigned order = (unsigned)__builtin_ctzll(d->frames);
	if (d->base & ((BUDDY_PAGE_SIZE << order) - 1))
		return ERR_CORRUPT;
	if (buddy_donate_in(m->pool, d->base, order) == ERR_OK) {
		m->received += BUDDY_PAGE_SIZE << order;
		return ERR_OK;
	}
	if (d->reserved & MEMX_RETURNED) {
		m->lost += BUDDY_PAGE_SIZE << order;
		return ERR_RANGE;
	}
	m->returned += BUDDY_PAGE_SIZE << order;
	return send_block(x, from, d->base, order, MEMX_RETURNED);
}
