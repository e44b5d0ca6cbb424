/* Linking the monitors: every pair of cores once, through their CPU
 * drivers (MON_INTRODUCE / MON_ACCEPT, tessera/caps.h).  For the pair
 * (a, b), a < b: a's monitor makes a frame of its memory, lays a channel
 * out in it and introduces itself with it; b introduces itself with its
 * notification only; each accepts the other's notification, b also the
 * frame.  Side 0 of the channel is a, side 1 b. */
#include <rt/rt.h>
#include <tessera/caps.h>

#include "monitor.h"

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

/* A frame of this core's memory in a root slot, mapped read-write. */
static enum err new_frame(struct rt_capref *slot, void **va)
{
	uint64_t offset, at = rt_map_area(1);
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, slot, &offset, &bits);

	if (e)
		return e;
	if (slot->depth != rt_depth()) /* MON_INTRODUCE takes a root slot only */
		return ERR_FULL;
	e = at ? rt_map(*slot, at, RW) : ERR_NOMEM;
	*va = (void *)(uintptr_t)at;
	return e;
}

static void introduce(unsigned c)
{
	struct mon_peer *p = &mon.peer[c];
	struct rt_capref frame = {0};
	void *va = NULL;
	enum err e = ERR_OK;

	if (mon.core < c) {
		e = new_frame(&frame, &va);
		if (!e) /* laid out before the other side can see it */
			e = rt_chan_init(&p->ch, va, 0, true, mon.self, (struct rt_capref){0},
			                 1ull << mon.core);
	}
	if (!e)
		e = invoke_mon_introduce(SLOT_MONITOR, rt_depth(), c, frame.addr, frame.depth,
		                         mon.self.addr, mon.self.depth, NULL);
	if (e)
		rt_printf("monitor: core %u: no link with core %u: %s\n", mon.core, c, err_str(e));
	p->introduced = true; /* once, even if it failed */
}

/* What core c introduced, if it has: its notification (and frame). */
static void accept(unsigned c)
{
	struct mon_peer *p = &mon.peer[c];
	struct rt_capref frame = {0}, note;
	struct cap_results_mon_accept r = {0};
	enum err e = rt_slot_alloc(&note);

	if (!e && c < mon.core)
		e = rt_slot_alloc(&frame);
	if (!e)
		e = invoke_mon_accept(SLOT_MONITOR, rt_depth(), c, frame.addr, frame.depth,
		                      note.addr, note.depth, &r);
	if (e) {
		if (frame.depth)
			rt_slot_free(frame);
		rt_slot_free(note);
		if (e != ERR_EMPTY)
			rt_printf("monitor: core %u: core %u's introduction refused: %s\n",
			          mon.core, c, err_str(e));
		return;
	}
	if (!p->introduced)
		introduce(c); /* a core that came up after this monitor started */
	if (c < mon.core) {
		uint64_t at = rt_map_area(1);
		e = !r.has_frame ? ERR_INVAL : at ? rt_map(frame, at, RW) : ERR_NOMEM;
		if (!e)
			e = rt_chan_init(&p->ch, (void *)(uintptr_t)at, 1, false, mon.self, note,
			                 1ull << mon.core);
	} else {
		p->ch.peer = note;
	}
	if (e) {
		rt_printf("monitor: core %u: no channel with core %u: %s\n", mon.core, c,
		          err_str(e));
		return;
	}
	p->linked = true;
	mon.linked++;
	serve_linked(c);
}

void link_start(void)
{
	for (unsigned c = 0; c < MON_MAX_CORES; c++)
		if (c != mon.core && (mon.bi->online >> c & 1))
			introduce(c);
	link_accept(mon.bi->online);
}

void link_accept(uint64_t bits)
{
	for (unsigned c = 0; c < MON_MAX_CORES; c++)
		if (c != mon.core && (bits >> c & 1) && !mon.peer[c].linked)
			accept(c);
}
