/* The memory request / donation protocol; see memx.h. */
#include "memx.h"

#include <buddy/buddy.h>

void memx_init(struct memx *m, const struct memx_pool *pool)
{
	*m = (struct memx){.pool = pool};
}

enum err memx_request(struct memx *m, const struct xcore *x, unsigned donor, uint64_t bytes)
{
	if (donor >= x->ncores || donor == x->self || m->waiting)
		return ERR_INVAL;
	struct msg_mem_request r = {.bytes = bytes, .requester = x->self};
	m->received = m->returned = 0;
	m->donor = donor;
	enum err e = xcore_send_wait(x, donor, MSG_MEM_REQUEST, &r, sizeof r);
	m->waiting = e == ERR_OK;
	return e;
}

/* Sends the block [pa, pa + (4 KiB << order)), which has left its pool,
 * with the next serial for `to`. */
static enum err send_block(struct memx *m, const struct xcore *x, unsigned to, uint64_t pa,
                           unsigned order, uint32_t flags)
{
	struct msg_mem_donate d = {.base = pa,
	                           .frames = 1ull << order,
	                           .donor = x->self,
	                           .reserved = flags,
	                           .serial = ++m->sent_serial[to]};
	return xcore_send_wait(x, to, MSG_MEM_DONATE, &d, sizeof d);
}

enum err memx_give(struct memx *m, const struct xcore *x, unsigned to, uint64_t bytes,
                   const struct memx_pool *from, uint64_t *given)
{
	const struct memx_pool *p = from ? from : m->pool;
	uint64_t unit = 1ull << p->min_order;
	uint64_t frames = (bytes + BUDDY_PAGE_SIZE - 1) / BUDDY_PAGE_SIZE, done = 0;
	enum err e = ERR_OK;

	if (to >= x->ncores || to == x->self || to >= MEMX_PEERS || !p)
		return ERR_INVAL;
	frames = (frames + unit - 1) / unit * unit;
	while (frames && !e) {
		unsigned max = 63u - (unsigned)__builtin_clzll(frames), order;
		uint64_t pa;
		if (p->take_out(p->ctx, max > BUDDY_MAX_ORDER ? BUDDY_MAX_ORDER : max, &pa, &order))
			break;
		e = send_block(m, x, to, pa, order, 0);
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
	enum err e = m->pool ? memx_give(m, x, from, r->bytes, NULL, NULL) : ERR_OK;
	struct msg_mem_donate end = {.donor = x->self};
	enum err e2 = xcore_send_wait(x, from, MSG_MEM_DONATE, &end, sizeof end);
	return e ? e : e2;
}

enum err memx_on_donate(struct memx *m, const struct xcore *x, unsigned from,
                        const struct msg_mem_donate *d)
{
	if (d->donor != from || from >= MEMX_PEERS)
		return ERR_CORRUPT;
	if (d->frames == 0) {
		if (m->waiting && from == m->donor)
			m->waiting = false;
		else
			m->stray_ends++;
		return ERR_OK;
	}
	if (d->frames & (d->frames - 1) || d->frames > 1ull << BUDDY_MAX_ORDER)
		return ERR_CORRUPT;
	unsigned order = (unsigned)__builtin_ctzll(d->frames);
	if (d->base & ((BUDDY_PAGE_SIZE << order) - 1))
		return ERR_CORRUPT;
	if (d->serial <= m->taken_serial[from]) {
		m->duplicates++;
		return ERR_OK;
	}
	m->taken_serial[from] = d->serial;
	enum err e = m->pool ? m->pool->put_in(m->pool->ctx, from, d->base, order) : ERR_RANGE;
	if (e == ERR_OK) {
		m->received += BUDDY_PAGE_SIZE << order;
		return ERR_OK;
	}
	if (e == ERR_EXIST) {
		m->duplicates++;
		return ERR_OK;
	}
	if (d->reserved & MEMX_RETURNED) {
		m->lost += BUDDY_PAGE_SIZE << order;
		return ERR_RANGE;
	}
	m->returned += BUDDY_PAGE_SIZE << order;
	return send_block(m, x, from, d->base, order, MEMX_RETURNED);
}

/* ---- the plain pool ---- */

enum err memx_buddy_take_out(void *ctx, unsigned max_order, uint64_t *pa, unsigned *order)
{
	struct memx_buddy *mb = ctx;
	int o = buddy_largest_free_order(mb->b);
	uint64_t free = buddy_free_bytes(mb->b);

	if (o > (int)max_order)
		o = (int)max_order;
	while (o >= (int)mb->pool.min_order && free < mb->reserve + (BUDDY_PAGE_SIZE << o))
		o--;
	if (o < (int)mb->pool.min_order || buddy_alloc(mb->b, (unsigned)o, pa))
		return ERR_NOMEM;
	*order = (unsigned)o;
	return buddy_donate_out(mb->b, *pa, *order);
}

enum err memx_buddy_put_in(void *ctx, unsigned from, uint64_t pa, unsigned order)
{
	struct memx_buddy *mb = ctx;
	enum err e = buddy_donate_in(mb->b, pa, order);
	return e == ERR_OK ? ERR_OK : e == ERR_OVERLAP ? ERR_EXIST : ERR_RANGE;
}

void memx_buddy_init(struct memx_buddy *mb, struct buddy *b, uint64_t reserve)
{
	*mb = (struct memx_buddy){
	        .pool = {.ctx = mb, .take_out = memx_buddy_take_out, .put_in = memx_buddy_put_in},
	        .b = b,
	        .reserve = reserve};
}
