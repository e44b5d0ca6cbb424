/* Channels between two programs (rt/monproto.h, rt/chan.h): this
 * monitor's part for the programs it spawned with a channel.  A record per
 * channel and side held here: the frame (made here for side 0; from the
 * other core for side 1), the other side's notification, and the program
 * once spawned.  Caps from another core may come before or after the
 * program starts; once the program has what it needs it gets copies in
 * its SLOT_CHAN_FRAME and SLOT_CHAN_PEER and a signal.  When the program
 * has gone the record lets go of what it received (a frame from another
 * core: its CPU driver tells the owner's) and side 0 takes its frame back
 * once nobody else holds it (deleting it is BUSY while another core's
 * cap pins it: tried again whenever the monitor wakes). */
#include <rt/rt.h>
#include <tessera/caps.h>

#include "monitor.h"

#define MAX_CHANS 32
#define RW        (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct chanrec {
	bool used;
	uint32_t id;
	int side;      /* the side of this core's program (-1: not spawned yet) */
	unsigned peer; /* the other side's core */
	struct spawn_child *child;
	struct rt_capref frame, note; /* depth 0: not here yet */
	bool delivered, gone;
	bool own_frame;      /* side 0: made here (frame_offset, frame_bits) */
	bool received_frame; /* side 1 from another core: a cap made by value */
	bool received_note;  /* from another core (else the partner's slot here) */
	uint64_t frame_offset;
	unsigned frame_bits;
};

static struct chanrec chans[MAX_CHANS];

static struct chanrec *find(uint32_t id, int side)
{
	for (unsigned i = 0; i < MAX_CHANS; i++)
		if (chans[i].used && chans[i].id == id &&
		    (side < 0 || chans[i].side == side || chans[i].side < 0))
			return &chans[i];
	return NULL;
}

static struct chanrec *get(uint32_t id, int side)
{
	struct chanrec *r = find(id, side);

	for (unsigned i = 0; !r && i < MAX_CHANS; i++)
		if (!chans[i].used) {
			r = &chans[i];
			*r = (struct chanrec){.used = true, .id = id, .side = -1};
		}
	return r;
}

/* A frame of this core's memory in a root slot, the channel laid out. */
static enum err new_frame(struct chanrec *r)
{
	struct rt_capref *slot = &r->frame;
	struct rt_chan lay;
	uint64_t at = rt_map_area(1);
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, slot, &r->frame_offset,
	                            &r->frame_bits);

	r->own_frame = !e;

	if (!e && slot->depth != rt_depth())
		e = ERR_FULL; /* MON_SEND takes a root slot only */
	if (!e)
		e = at ? rt_map(*slot, at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&lay, (void *)(uintptr_t)at, 0, true, mon.self, mon.self, 0);
	return e;
}

static void deliver(struct chanrec *r)
{
	if (r->delivered || !r->child || !r->frame.depth || !r->note.depth)
		return;
	struct rt_capref self = spawn_slot(r->child, SLOT_NOTIFY);
	enum err e = rt_mint(spawn_slot(r->child, SLOT_CHAN_FRAME), r->frame, RW);
	if (!e)
		e = rt_mint(spawn_slot(r->child, SLOT_CHAN_PEER), r->note, CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_notify_signal(self.addr, self.depth, RT_CHAN_BIT_GIVEN, NULL);
	if (e)
		rt_printf("monitor: core %u: %s's channel not given: %s\n", mon.core,
		          r->child->name, err_str(e));
	r->delivered = true;
}

static enum err send(unsigned core, struct rt_capref what, uint64_t tag)
{
	return invoke_mon_send(SLOT_MONITOR, rt_depth(), core, what.addr, what.depth, tag, NULL);
}

void chans_spawned(struct spawn_child *c, const struct mon_spawn *s)
{
	int side = s->flags & MON_SPAWN_SIDE ? 1 : 0;
	struct chanrec *r = get(s->chan, side), *o = NULL;
	enum err e = ERR_OK;

	if (!r) {
		rt_printf("monitor: core %u: more than %u channels\n", mon.core, MAX_CHANS);
		return;
	}
	r->side = side;
	r->peer = s->peer;
	r->child = c;
	if (side == 0)
		e = new_frame(r);
	if (!e && s->peer != mon.core) {
		if (side == 0)
			e = send(s->peer, r->frame, (uint64_t)s->chan << 1);
		if (!e)
			e = send(s->peer, spawn_slot(c, SLOT_NOTIFY), (uint64_t)s->chan << 1 | 1);
	} else if (!e) {
		for (unsigned i = 0; !o && i < MAX_CHANS; i++)
			if (chans[i].used && &chans[i] != r && chans[i].id == s->chan &&
			    chans[i].side == !side && chans[i].child)
				o = &chans[i];
		if (o) { /* both on this core: pair them here */
			struct chanrec *s0 = side == 0 ? r : o, *s1 = side == 0 ? o : r;
			s1->frame = s0->frame;
			s0->note = spawn_slot(s1->child, SLOT_NOTIFY);
			s1->note = spawn_slot(s0->child, SLOT_NOTIFY);
		}
	}
	if (e)
		rt_printf("monitor: core %u: %s's channel: %s\n", mon.core, c->name, err_str(e));
	deliver(r);
	if (o)
		deliver(o);
}

void chans_recv(unsigned core)
{
	struct rt_capref slot;
	struct cap_results_mon_recv got;

	while (!rt_slot_alloc(&slot)) {
		enum err e = invoke_mon_recv(SLOT_MONITOR, rt_depth(), core, slot.addr, slot.depth,
		                             &got);
		if (e) {
			rt_slot_free(slot);
			if (e != ERR_EMPTY && e != ERR_RANGE)
				rt_printf("monitor: core %u: a cap from core %u lost: %s\n",
				          mon.core, core, err_str(e));
			return;
		}
		struct chanrec *r = get((uint32_t)(got.tag >> 1), -1);
		if (!r) {
			rt_printf("monitor: core %u: more than %u channels\n", mon.core, MAX_CHANS);
			continue;
		}
		r->peer = core;
		if (got.tag & 1) {
			r->note = slot;
			r->received_note = true;
		} else {
			r->frame = slot;
			r->received_frame = true;
		}
		deliver(r);
	}
}

void chans_gone(const struct spawn_child *c)
{
	for (unsigned i = 0; i < MAX_CHANS; i++)
		if (chans[i].used && chans[i].child == c) {
			chans[i].gone = true;
			chans[i].child = NULL;
		}
}

static void drop(struct rt_capref *slot)
{
	if (slot->depth && !rt_delete(*slot))
		rt_slot_free(*slot);
	*slot = (struct rt_capref){0};
}

/* Whether the partner on this core still uses r's frame. */
static bool shared_here(const struct chanrec *r)
{
	for (unsigned i = 0; i < MAX_CHANS; i++)
		if (chans[i].used && &chans[i] != r && chans[i].id == r->id && !chans[i].gone &&
		    chans[i].frame.addr == r->frame.addr && chans[i].frame.depth == r->frame.depth)
			return true;
	return false;
}

void chans_reclaim(void)
{
	for (unsigned i = 0; i < MAX_CHANS; i++) {
		struct chanrec *r = &chans[i];
		if (!r->used || !r->gone)
			continue;
		if (r->received_frame)
			drop(&r->frame); /* its CPU driver tells the owner's */
		if (r->received_note)
			drop(&r->note);
		r->received_frame = r->received_note = false;
		if (r->own_frame) {
			if (shared_here(r) || rt_delete(r->frame))
				continue; /* the partner here, or a core that holds it: later */
			rt_untyped_free(rt_memory(), r->frame_offset, r->frame_bits);
			rt_slot_free(r->frame);
			rt_printf("monitor: core %u: channel %u's frame is back\n", mon.core,
			          r->id);
		}
		r->used = false;
	}
}
