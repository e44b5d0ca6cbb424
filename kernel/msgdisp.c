/* The per-core dispatch table, deferred queue and channel rounds; see
 * msgdisp.h. */
#include "msgdisp.h"

#define BIT(p) (1ull << (p))

enum err msgdisp_register(struct msgdisp *d, uint16_t type, msgdisp_fn fn, bool top)
{
	if (type == MSG_NONE || type >= MSG_TYPE_COUNT || !fn)
		return ERR_INVAL;
	if (d->fn[type] && (d->fn[type] != fn || d->top[type] != top))
		return ERR_EXIST;
	d->fn[type] = fn;
	d->top[type] = top;
	return ERR_OK;
}

void msgdisp_enter(struct msgdisp *d)
{
	d->depth++;
}

void msgdisp_leave(struct msgdisp *d)
{
	d->depth--;
}

/* Whether a valid message of this type must go to the queue now: a
 * top-level handler, and a wait in progress or older messages queued. */
static bool must_defer(const struct msgdisp *d, const struct urpc_msg *m)
{
	return m->type < MSG_TYPE_COUNT && d->top[m->type] && (d->depth || d->len);
}

static void run(struct msgdisp *d, unsigned from, const struct urpc_msg *m)
{
	d->handled[m->type]++;
	d->fn[m->type](from, m);
}

static void reject(struct msgdisp *d, unsigned from, const struct urpc_msg *m, enum err why)
{
	d->rejected[m->type < MSG_TYPE_COUNT ? m->type : 0]++;
	if (d->reject)
		d->reject(from, m, why);
}

/* A message taken from from's channel (or handed in by its holder):
 * checked, then run or queued; the queue has room if it must be queued. */
static void take(struct msgdisp *d, unsigned from, const struct urpc_msg *m)
{
	enum err e = msg_check(m);

	if (e == ERR_OK && !d->fn[m->type])
		e = ERR_NOENT;
	if (e != ERR_OK) {
		reject(d, from, m, e);
	} else if (must_defer(d, m)) {
		struct msgdisp_item *it = &d->queue[(d->head + d->len++) % MSGDISP_DEFER_MAX];
		it->from = from;
		it->m = *m;
	} else {
		run(d, from, m);
	}
}

/* Up to MSGDISP_BATCH messages from peer p; stops at one that would need
 * a full queue, leaving it in the ring. */
static unsigned poll_peer(struct msgdisp *d, unsigned p)
{
	struct urpc_msg m;
	unsigned n = 0;
	enum err e;

	while (n < MSGDISP_BATCH) {
		e = d->peek(d->ctx, p, &m);
		if (e != ERR_OK && e != ERR_CORRUPT)
			break;
		if (e == ERR_OK && must_defer(d, &m) && d->len == MSGDISP_DEFER_MAX) {
			d->stalled |= BIT(p);
			break;
		}
		d->skip(d->ctx, p);
		n++;
		if (e != ERR_OK) {
			m.type = MSG_NONE; /* a corrupt line tells nothing */
			m.len = 0;
			reject(d, p, &m, e);
		} else
			take(d, p, &m);
	}
	return n;
}

uint64_t msgdisp_readable(const struct msgdisp *d, uint64_t peers)
{
	return d->depth > MSGDISP_NEST_MAX ? 0 : peers & ~d->held & ~d->stalled;
}

unsigned msgdisp_poll(struct msgdisp *d, uint64_t peers)
{
	unsigned n = 0;

	for (unsigned p = 0; p < MSGDISP_PEERS; p++)
		if (msgdisp_readable(d, peers) & BIT(p))
			n += poll_peer(d, p);
	return n;
}

unsigned msgdisp_run_deferred(struct msgdisp *d)
{
	unsigned n = 0;

	while (d->depth == 0 && d->len) {
		struct msgdisp_item it = d->queue[d->head];
		d->head = (d->head + 1) % MSGDISP_DEFER_MAX;
		d->len--;
		d->stalled = 0;
		run(d, it.from, &it.m);
		n++;
	}
	return n;
}

enum err msgdisp_dispatch(struct msgdisp *d, unsigned from, const struct urpc_msg *m)
{
	if (msg_check(m) == ERR_OK && must_defer(d, m) && d->len == MSGDISP_DEFER_MAX)
		return ERR_FULL;
	take(d, from, m);
	return ERR_OK;
}
