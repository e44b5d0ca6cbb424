/* Endpoints between dispatchers of one core; see endpoint.h and
 * tessera/caps.h.  A message goes straight from the sender's registers to
 * the receiver's (its saved system call results): no buffer, no copy but
 * those words; a cap in it is copied from the sender's space into the
 * receiver's when it is delivered. */
#include "endpoint.h"

#include <string/mem.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "hhdm.h"

static struct endpoint *ep_of(const struct cte *slot)
{
	return hhdm_ptr(slot->cap.base);
}

/* A slot holding d's root CNode cap (lookups only). */
static void root_of(const struct dcb *d, struct cte *root)
{
	memset(root, 0, sizeof *root);
	root->cap = (struct cap){.type = CAP_CNODE,
	                         .size_bits = d->cspace_bits,
	                         .rights = d->cspace_rights,
	                         .base = d->cspace};
}

/* The cap the sender named goes into the slot the receiver named: a copy
 * (a child of the sender's cap).  Returns EP_INFO_CAP, 0 (none sent) or
 * the error << 8. */
static uint64_t transfer(const struct dcb *from, uint64_t addr, uint64_t depth,
                         const struct dcb *to, uint64_t slot, uint64_t slot_depth)
{
	const struct cap_env *env = capboot_env();
	struct cte froot, troot, *src, *dest;
	struct cap_derive_plan plan;
	uint32_t rights;

	if (!depth)
		return 0;
	root_of(from, &froot);
	root_of(to, &troot);
	enum err e = cap_lookup(env, &froot, addr, depth, &src, &rights);
	if (!e && !(rights & CAP_RIGHT_READ))
		e = ERR_PERM;
	if (!e && !slot_depth)
		e = ERR_NOENT; /* the receiver takes no cap */
	if (!e)
		e = cap_lookup(env, &troot, slot, slot_depth, &dest, &rights);
	if (!e && !(rights & CAP_RIGHT_WRITE))
		e = ERR_PERM;
	if (!e)
		e = cap_decode_copy(src, dest, &plan);
	if (e)
		return (uint64_t)e << 8;
	cap_invoke_derive(&plan);
	return EP_INFO_CAP;
}

/* What a receiver gets: badge, info, the five words. */
static void message(struct cap_invocation_result *res, uint64_t badge, uint64_t info,
                    const uint64_t *w)
{
	memset(res, 0, sizeof *res);
	res->value[0] = badge;
	res->value[1] = info;
	memcpy(&res->value[2], w, 5 * sizeof *w);
}

static void queue_sender(struct endpoint *ep, struct dcb *d)
{
	d->ep_next = NULL;
	if (ep->send_tail)
		ep->send_tail->ep_next = d;
	else
		ep->send_head = d;
	ep->send_tail = d;
}

static struct dcb *take_sender(struct endpoint *ep)
{
	struct dcb *d = ep->send_head;

	if (d) {
		ep->send_head = d->ep_next;
		if (!ep->send_head)
			ep->send_tail = NULL;
		d->ep_next = NULL;
		d->block_ep = NULL;
	}
	return d;
}

enum err endpoint_send(struct cte *root, struct cte *slot, const uint64_t *a)
{
	struct endpoint *ep = ep_of(slot);
	struct dcb *me = sched_current();
	uint64_t flags = a[7];

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (flags & ~(uint64_t)EP_NONBLOCK)
		return ERR_INVAL;
	struct dcb *r = ep->receiver;
	if (r) { /* hand it over, and the core with it */
		struct cap_invocation_result res;
		uint64_t info = me ? transfer(me, a[0], a[1], r, r->recv_slot, r->recv_depth) : 0;
		ep->receiver = NULL;
		r->block_ep = NULL;
		message(&res, slot->cap.badge, info, &a[2]);
		ep->sent++;
		ep->received++;
		sched_wake(r, &res, true);
		return ERR_OK;
	}
	if ((flags & EP_NONBLOCK) || !me || me->no_block)
		return ERR_EMPTY;
	memcpy(me->msg, &a[2], sizeof me->msg);
	me->msg_badge = slot->cap.badge;
	me->xfer = a[0];
	me->xfer_depth = a[1];
	me->sending = 1;
	me->block_ep = ep;
	queue_sender(ep, me);
	ep->sent++;
	sched_block(me);
	return ERR_OK; /* the results are written when a receiver takes it */
}

enum err endpoint_recv(struct cte *root, struct cte *slot, const uint64_t *a,
                       struct cap_invocation_result *res)
{
	struct endpoint *ep = ep_of(slot);
	struct dcb *me = sched_current();
	uint64_t flags = a[2];

	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (flags & ~(uint64_t)EP_NONBLOCK)
		return ERR_INVAL;
	struct dcb *s = take_sender(ep);
	if (s) { /* a sender waits: take its message, let it go on */
		uint64_t info = me ? transfer(s, s->xfer, s->xfer_depth, me, a[0], a[1]) : 0;
		struct cap_invocation_result ok = {0};
		message(res, s->msg_badge, info, s->msg);
		ep->received++;
		sched_wake(s, &ok, false);
		return ERR_OK;
	}
	if ((flags & EP_NONBLOCK) || !me || me->no_block)
		return ERR_EMPTY;
	if (ep->receiver)
		return ERR_BUSY; /* one receiver at a time */
	me->recv_slot = a[0];
	me->recv_depth = a[1];
	me->sending = 0;
	me->block_ep = ep;
	ep->receiver = me;
	sched_block(me);
	return ERR_OK;
}

void endpoint_cancel(struct dcb *d)
{
	struct endpoint *ep = d->block_ep;

	if (!ep)
		return;
	if (ep->receiver == d)
		ep->receiver = NULL;
	for (struct dcb **p = &ep->send_head, *prev = NULL; *p; prev = *p, p = &(*p)->ep_next) {
		if (*p != d)
			continue;
		*p = d->ep_next;
		if (ep->send_tail == d)
			ep->send_tail = prev;
		break;
	}
	d->ep_next = NULL;
	d->block_ep = NULL;
}

void endpoint_gone(uint64_t pa)
{
	struct endpoint *ep = hhdm_ptr(pa);
	struct cap_invocation_result revoked = {.err = ERR_REVOKED};
	struct dcb *d;

	if ((d = ep->receiver)) {
		ep->receiver = NULL;
		d->block_ep = NULL;
		sched_wake(d, &revoked, false);
	}
	while ((d = take_sender(ep)))
		sched_wake(d, &revoked, false);
}
