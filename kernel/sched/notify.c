/* Notification objects; see notify.h.  The owner recognises a remote
 * signal's object only if it is on its own list of live notification
 * objects (made here by retype, not destroyed since): a message names a
 * physical address, and nothing else at that address is ever written. */
#include "notify.h"

#include <tessera/msg.h>

#include "core.h"
#include "device.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"

#define NOTIFY_SEND_MS 10000

static struct notify *live;
static uint64_t refused;
static unsigned armed; /* live objects with a pending timer */

unsigned notify_core(const struct cap *c)
{
	return c->count ? (unsigned)(c->count - 1) : core_self();
}

static struct notify *find(uint64_t pa)
{
	for (struct notify *n = live; n; n = n->next)
		if (n == hhdm_ptr(pa))
			return n;
	return NULL;
}

void notify_made(const struct cap *cap)
{
	struct notify *n = hhdm_ptr(cap->base);

	n->prev = NULL;
	n->next = live;
	if (live)
		live->prev = n;
	live = n;
}

void notify_gone(uint64_t pa)
{
	struct notify *n = find(pa);
	struct cap_invocation_result revoked = {.err = ERR_REVOKED};

	irq_notify_gone(pa);
	if (!n)
		return;
	if (n->timer_at) {
		n->timer_at = 0;
		armed--;
	}
	if (n->prev)
		n->prev->next = n->next;
	else
		live = n->next;
	if (n->next)
		n->next->prev = n->prev;
	if (n->waiter) {
		struct dcb *d = n->waiter;
		n->waiter = NULL;
		d->block_notify = NULL;
		sched_wake(d, &revoked, false);
	}
}

void notify_cancel(struct dcb *d)
{
	if (d->block_notify) {
		d->block_notify->waiter = NULL;
		d->block_notify = NULL;
	}
}

/* Bits for n, here: to its waiter if there is one, else kept. */
static void deliver(struct notify *n, uint64_t bits)
{
	n->signals++;
	n->bits |= bits;
	if (!n->waiter)
		return;
	struct dcb *d = n->waiter;
	struct cap_invocation_result res = {.value = {n->bits}};
	n->bits = 0;
	n->waiter = NULL;
	d->block_notify = NULL;
	sched_wake(d, &res, false);
}

enum err notify_signal(struct cte *slot, const uint64_t *a)
{
	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (!a[0])
		return ERR_INVAL;
	unsigned owner = notify_core(&slot->cap);
	if (owner == core_self()) {
		struct notify *n = find(slot->cap.base);
		if (!n)
			return ERR_REVOKED;
		deliver(n, a[0]);
		return ERR_OK;
	}
	struct msg_notify m = {.object = slot->cap.base, .bits = a[0]};
	return msgloop_send(owner, MSG_NOTIFY, &m, sizeof m, ktime_deadline(NOTIFY_SEND_MS));
}

enum err notify_wait(struct cte *slot, const uint64_t *a, struct cap_invocation_result *res)
{
	struct dcb *me = sched_current();

	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (a[0] & ~(uint64_t)EP_NONBLOCK)
		return ERR_INVAL;
	if (notify_core(&slot->cap) != core_self())
		return ERR_UNSUPPORTED;
	struct notify *n = find(slot->cap.base);
	if (!n)
		return ERR_REVOKED;
	if (n->bits) {
		res->value[0] = n->bits;
		n->bits = 0;
		return ERR_OK;
	}
	if ((a[0] & EP_NONBLOCK) || !me || me->no_block)
		return ERR_EMPTY;
	if (n->waiter)
		return ERR_BUSY;
	n->waiter = me;
	me->block_notify = n;
	sched_block(me);
	return ERR_OK;
}

enum err notify_timer(struct cte *slot, const uint64_t *a)
{
	uint64_t us = a[0], bits = a[1], hz = ktime_cycles_hz();

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (us && !bits)
		return ERR_INVAL;
	if (us > NOTIFY_TIMER_MAX_US)
		return ERR_RANGE;
	if (notify_core(&slot->cap) != core_self())
		return ERR_UNSUPPORTED;
	struct notify *n = find(slot->cap.base);
	if (!n)
		return ERR_REVOKED;
	armed -= n->timer_at != 0;
	n->timer_at = 0;
	if (!us)
		return ERR_OK;
	/* whole seconds and the rest apart: no product overflows (us <= an hour) */
	uint64_t at = arch_cycles() + us / 1000000 * hz + ((us % 1000000) * hz + 999999) / 1000000;
	n->timer_at = at ? at : 1;
	n->timer_bits = bits;
	armed++;
	return ERR_OK;
}

unsigned notify_timers_fire(void)
{
	unsigned fired = 0;

	if (!armed)
		return 0;
	uint64_t now = arch_cycles();
	for (struct notify *n = live; n; n = n->next) {
		if (!n->timer_at || now < n->timer_at)
			continue;
		n->timer_at = 0;
		armed--;
		fired++;
		deliver(n, n->timer_bits);
	}
	return fired;
}

bool notify_signal_here(uint64_t pa, uint64_t bits)
{
	struct notify *n = find(pa);

	if (n)
		deliver(n, bits);
	return n != NULL;
}

/* A signal from another core for an object of this one. */
static void on_notify(unsigned from, const struct urpc_msg *m)
{
	struct msg_notify msg;
	struct notify *n;

	if (msg_decode_notify(m, &msg) || !msg.bits || !(n = find(msg.object))) {
		if (refused++ < 8)
			log_printf(
			        "notify: a signal from core %u for no notification object here\n",
			        from);
		return;
	}
	deliver(n, msg.bits);
}

void notify_register(void)
{
	msgloop_register(MSG_NOTIFY, on_notify, MSGLOOP_TOP);
}
