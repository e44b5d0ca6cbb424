/* Channels between two programs init starts on core 0 itself (a driver
 * and its client: the serial driver and the shell).  The monitors make
 * the channels of programs they spawn (user/monitor/chans.c); a program
 * spawned here with device caps or init's channel cannot go through them,
 * so init does the same for these: once both sides run, a frame of its
 * budget laid out as the channel, minted into both programs'
 * SLOT_CHAN_FRAME, each one's notification into the other's
 * SLOT_CHAN_PEER, and RT_CHAN_BIT_GIVEN signalled (rt/chan.h).  The frame
 * comes back when both have ended. */
#include <rt/mem.h>
#include <rt/rt.h>

#include "init.h"

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct local {
	bool used;
	struct program *side[2];
	struct rt_capref frame;
	uint64_t offset;
	unsigned bits;
};

static struct local locals[MAX_PROGRAMS / 2];

bool local_chan(const struct program *p)
{
	return p->partner >= 0 && p->e.core == 0 && programs[p->partner].e.core == 0;
}

/* The frame, laid out by side 0's hand (init's mapping is let go). */
static enum err make_frame(struct local *l)
{
	struct rt_chan lay;
	uint64_t at = rt_map_area(1);
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &l->frame, &l->offset,
	                            &l->bits);

	if (!e)
		e = at ? rt_map(l->frame, at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&lay, (void *)(uintptr_t)at, 0, true, rt_root_ref(SLOT_NOTIFY),
		                 rt_root_ref(SLOT_NOTIFY), 0);
	return e;
}

static enum err give(struct program *to, struct program *other, struct rt_capref frame)
{
	struct rt_capref self = spawn_slot(&to->c, SLOT_NOTIFY);
	enum err e = rt_mint(spawn_slot(&to->c, SLOT_CHAN_FRAME), frame, RW);

	if (!e)
		e = rt_mint(spawn_slot(&to->c, SLOT_CHAN_PEER), spawn_slot(&other->c, SLOT_NOTIFY),
		            CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_notify_signal(self.addr, self.depth, RT_CHAN_BIT_GIVEN, NULL);
	return e;
}

void local_pair(struct program *p)
{
	struct program *q = &programs[p->partner];
	struct local *l = NULL;
	enum err e = ERR_FULL;

	if (p->state != RUNNING || q->state != RUNNING || p->remote || q->remote)
		return; /* a side that did not start: the other waits for ever, as in chans.c */
	for (unsigned i = 0; !l && i < MAX_PROGRAMS / 2; i++)
		if (!locals[i].used)
			l = &locals[i];
	if (l) {
		*l = (struct local){.used = true, .side = {p, q}};
		e = make_frame(l);
	}
	if (!e)
		e = give(p, q, l->frame);
	if (!e)
		e = give(q, p, l->frame);
	if (e)
		rt_printf("init: channel %s between %s and %s not made: %s\n", p->e.chan, p->e.name,
		          q->e.name, err_str(e));
}

void local_gone(struct program *p)
{
	for (unsigned i = 0; i < MAX_PROGRAMS / 2; i++) {
		struct local *l = &locals[i];
		if (!l->used || (l->side[0] != p && l->side[1] != p))
			continue;
		if (l->side[0]->state != ENDED || l->side[1]->state != ENDED)
			return;
		if (l->frame.depth && !rt_delete(l->frame)) {
			rt_untyped_free(rt_memory(), l->offset, l->bits);
			rt_slot_free(l->frame);
		}
		l->used = false;
	}
}
