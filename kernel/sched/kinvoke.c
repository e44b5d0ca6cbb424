/* The methods of the kernel's objects (the K rows of CAP_METHOD_TABLE):
 * page tables, dispatchers, the log.  cap_invoke has checked the method,
 * the invoked cap (live, its CNode granting READ, its type where the table
 * names one) and the spare arguments; each method here decodes the rest
 * (every check, nothing changed) before it acts.  Errors: tessera/caps.h. */
#include "kinvoke.h"

#include <arch/arch.h>
#include <string/mem.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "core.h"
#include "corestats.h"
#include "device.h"
#include "endpoint.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "mm/vm.h"
#include "mm/vspace.h"
#include "monlink.h"
#include "notify.h"
#include "ring.h"
#include "sched.h"

struct call {
	const struct cap_env *env;
	struct cte *root, *slot;
	const uint64_t *a; /* the arguments */
};

/* The cap at (addr, depth) from the caller's root, its CNode granting READ. */
static enum err find(const struct call *c, uint64_t addr, uint64_t depth, struct cte **out)
{
	uint32_t rights;
	enum err e = cap_lookup(c->env, c->root, addr, depth, out, &rights);

	if (e)
		return e;
	if (!(rights & CAP_RIGHT_READ))
		return ERR_PERM;
	return cap_slot_live(*out) ? ERR_OK : ERR_EMPTY;
}

/* An argument wider than its field (rights: 32 bits, attr: 8) becomes the
 * field's largest value, which vspace.h refuses as it would any invalid
 * one, in its place in the order (caps.h), not before the other checks. */
static uint64_t clamp(uint64_t v, uint64_t max)
{
	return v > max ? max : v;
}

static bool is_top(const struct cte *s)
{
	return s->cap.type == vspace_root_type();
}

/* ---- page tables ---- */

/* The invoked cap's type is vspace.h's to check, after the argument's
 * lookup (caps.h's order). */
static enum err map_frame(const struct call *c)
{
	struct cte *frame;

	enum err e = find(c, c->a[0], c->a[1], &frame);
	if (e)
		return e;
	return vspace_map_frame(c->slot, frame, c->a[2], (uint32_t)clamp(c->a[3], UINT32_MAX),
	                        (unsigned)clamp(c->a[4], 0xff));
}

static enum err map_table(const struct call *c)
{
	struct cte *table;

	enum err e = find(c, c->a[0], c->a[1], &table);
	return e ? e : vspace_map_table(c->slot, table, c->a[2]);
}

static enum err protect(const struct call *c)
{
	return vspace_protect(c->slot, (uint32_t)clamp(c->a[0], UINT32_MAX));
}

/* ---- dispatchers ---- */

/* DISP_SETUP's checks, in caps.h's order; what it records to *d. */
static enum err decode_setup(const struct call *c, struct dcb *d)
{
	struct cte *cs, *vs, *fr;
	struct vm_space *space;
	uint64_t pa, va = c->a[6];
	unsigned prot, bits;

	if (!(c->slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (sched_dcb(c->slot->cap.base)->state == DCB_RUNNABLE)
		return ERR_BUSY;
	enum err e = find(c, c->a[0], c->a[1], &cs);
	if (!e)
		e = find(c, c->a[2], c->a[3], &vs);
	if (!e)
		e = find(c, c->a[4], c->a[5], &fr);
	if (e)
		return e;
	if (cs->cap.type != CAP_CNODE || !is_top(vs) || fr->cap.type != CAP_FRAME ||
	    fr->cap.size_bits != DISP_FRAME_BITS)
		return ERR_TYPE;
	if (!(fr->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (c->a[7] >= DISP_PRIORITIES)
		return ERR_RANGE;
	if ((va & ((1ull << DISP_FRAME_BITS) - 1)) || !arch_user_address(va))
		return ERR_RANGE;
	if (vspace_space(vs, &space) || vm_lookup(space, va, &pa, &prot, &bits) ||
	    pa != fr->cap.base)
		return ERR_INVAL;
	*d = (struct dcb){.cspace = cs->cap.base,
	                  .cspace_bits = cs->cap.size_bits,
	                  .cspace_rights = cs->cap.rights,
	                  .vspace = vs->cap.base,
	                  .vspace_type = vs->cap.type,
	                  .frame = fr->cap.base,
	                  .frame_va = va,
	                  .priority = (uint32_t)c->a[7]};
	return ERR_OK;
}

static uint64_t next_id = 1;

static enum err disp_setup(const struct call *c)
{
	struct dcb want, *d = sched_dcb(c->slot->cap.base);
	enum err e = decode_setup(c, &want);

	if (e)
		return e;
	/* keep the lists' links: it may be known to the core already */
	d->state = DCB_READY;
	d->entry = DCB_RUN_UPCALL;
	d->priority = want.priority;
	d->cspace = want.cspace;
	d->cspace_bits = want.cspace_bits;
	d->cspace_rights = want.cspace_rights;
	d->vspace = want.vspace;
	d->vspace_type = want.vspace_type;
	d->frame = want.frame;
	d->frame_va = want.frame_va;
	d->core = core_self();
	d->stop_vector = 0xff;
	d->frame_alive = 1;
	d->end_notify = d->end_bits = 0;
	sched_fpu_reset(d);
	if (!d->id)
		d->id = next_id++;
	struct disp_frame *f = hhdm_ptr(d->frame);
	f->magic = DISP_MAGIC;
	f->stopped = 0;
	f->core = core_self();
	f->id = d->id;
	f->cycles_hz = ktime_cycles_hz();
	f->cspace_bits = d->cspace_bits - CAP_SLOT_BITS;
	sched_adopt(d);
	return ERR_OK;
}

static enum err disp_start(const struct call *c)
{
	struct dcb *d = sched_dcb(c->slot->cap.base);

	if (!(c->slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (d->state == DCB_RUNNABLE)
		return ERR_BUSY;
	if (d->state != DCB_READY)
		return ERR_INVAL;
	sched_start(d);
	return ERR_OK;
}

static enum err disp_stop(const struct call *c)
{
	struct dcb *d = sched_dcb(c->slot->cap.base);

	if (!(c->slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (d->state != DCB_NEW)
		sched_stop(d);
	return ERR_OK;
}

static enum err disp_notify(const struct call *c)
{
	struct dcb *d = sched_dcb(c->slot->cap.base);
	struct cte *n;

	if (!(c->slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (!c->a[2]) {
		d->end_notify = d->end_bits = 0;
		return ERR_OK;
	}
	enum err e = find(c, c->a[0], c->a[1], &n);
	if (e)
		return e;
	if (n->cap.type != CAP_NOTIFY)
		return ERR_TYPE;
	if (!(n->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (notify_core(&n->cap) != core_self())
		return ERR_UNSUPPORTED;
	d->end_notify = n->cap.base;
	d->end_bits = c->a[2];
	return ERR_OK;
}

/* ---- the log ---- */

/* Appends bytes to the caller's line, printing each line whole. */
static enum err log_write(const struct call *c)
{
	struct dcb *d = sched_current();
	uint64_t len = c->a[0];
	char bytes[56];

	if (!(c->slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (len > sizeof bytes)
		return ERR_RANGE;
	memcpy(bytes, &c->a[1], sizeof bytes);
	for (uint64_t i = 0; i < len; i++) {
		if (!d) {
			log_printf("%c", bytes[i]);
			continue;
		}
		bool end = bytes[i] == '\n';
		if (!end && bytes[i])
			d->line[d->line_len++] = bytes[i];
		if (end || d->line_len == sizeof d->line - 1) {
			log_printf("%.*s\n", (int)d->line_len, d->line);
			d->line_len = 0;
		}
	}
	return ERR_OK;
}

enum err kinvoke(void *ctx, struct cte *root, struct cte *slot,
                 const struct cap_invocation_args *args, struct cap_invocation_result *res)
{
	const struct call c = {capboot_env(), root, slot, args->arg};

	switch (args->method) {
	case CAP_INV_MAP_FRAME: return map_frame(&c);
	case CAP_INV_MAP_TABLE: return map_table(&c);
	case CAP_INV_UNMAP: return vspace_unmap(slot);
	case CAP_INV_PROTECT: return protect(&c);
	case CAP_INV_DISP_SETUP: return disp_setup(&c);
	case CAP_INV_DISP_START: return disp_start(&c);
	case CAP_INV_DISP_STOP: return disp_stop(&c);
	case CAP_INV_DISP_YIELD: sched_yield(); return ERR_OK;
	case CAP_INV_DISP_NOTIFY: return disp_notify(&c);
	case CAP_INV_LOG_WRITE: return log_write(&c);
	case CAP_INV_EP_SEND: return endpoint_send(root, slot, args->arg);
	case CAP_INV_EP_RECV: return endpoint_recv(root, slot, args->arg, res);
	case CAP_INV_RING_SETUP: return ring_setup(root, slot, args->arg);
	case CAP_INV_RING_ENTER: return ring_enter(root, slot, args->arg, res);
	case CAP_INV_NOTIFY_SIGNAL: return notify_signal(slot, args->arg);
	case CAP_INV_NOTIFY_WAIT: return notify_wait(slot, args->arg, res);
	case CAP_INV_NOTIFY_TIMER: return notify_timer(slot, args->arg);
	case CAP_INV_MON_INTRODUCE: return monlink_introduce(root, slot, args->arg);
	case CAP_INV_MON_ACCEPT: return monlink_accept(root, slot, args->arg, res);
	case CAP_INV_MON_SEND: return monlink_send(root, slot, args->arg);
	case CAP_INV_MON_RECV: return monlink_recv(root, slot, args->arg, res);
	case CAP_INV_IOPORT_IN: return ioport_in(slot, args->arg, res);
	case CAP_INV_IOPORT_OUT: return ioport_out(slot, args->arg);
	case CAP_INV_IRQ_BIND: return irq_bind(c.env, root, slot, args->arg);
	case CAP_INV_IRQ_ACK: return irq_ack(slot);
	case CAP_INV_MON_STATS: return corestats_invoke(slot, args->arg, res);
	}
	return ERR_INVAL;
}
