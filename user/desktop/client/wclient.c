/* The window protocol's client side (wclient.h). */
#include "wclient.h"

#include <rt/image.h>
#include <rt/invoke.h>
#include <rt/mem.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>
#include <tessera/caps.h>

#define TICK_BIT (1ull << 5)

enum err wclient_open(struct wclient *c, const char *title, int32_t w, int32_t h)
{
	struct prog_cap info;
	struct win_open o = {.w = w, .h = h};

	*c = (struct wclient){0};
	enum err e = rt_named_cap("surface", &c->cnode, &info);
	if (!e)
		e = rt_chan_given(&c->ch);
	if (e)
		return e;
	mem_strlcpy(o.title, title, sizeof o.title);
	return rt_chan_send(&c->ch, WIN_MSG_OPEN, &o, sizeof o);
}

void wclient_tick(struct wclient *c, uint64_t us)
{
	c->tick_us = us;
	invoke_notify_timer(rt_cap(SLOT_NOTIFY), rt_depth(), us, us ? TICK_BIT : 0, NULL);
}

/* Maps the surface's frames (the desktop's copies in the CNode). */
static enum err map_surface(struct wclient *c, const struct win_surface *m)
{
	if (m->w <= 0 || m->h <= 0 || m->stride < (uint32_t)m->w || m->bank > 1 ||
	    m->frames > WIN_BANK_SLOTS ||
	    (uint64_t)m->stride * (uint64_t)m->h * 4 > m->frames * 4096ull)
		return ERR_CORRUPT;
	uint64_t va = rt_map_area(m->frames);
	if (!va)
		return ERR_NOMEM;
	for (uint32_t i = 0; i < m->frames; i++) {
		struct rt_capref f =
		        rt_ref_in(c->cnode, m->cnode_bits, m->bank * WIN_BANK_SLOTS + i);
		enum err e = rt_map(f, va + i * 4096ull, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		if (e)
			return e;
	}
	gfx_surface_init(&c->s, (uint32_t *)(uintptr_t)va, m->w, m->h, m->stride);
	c->serial = m->serial;
	c->has_surface = true;
	return ERR_OK;
}

/* One message from the desktop: what it means, or -1 for nothing. */
static int take(struct wclient *c, const struct urpc_msg *m, struct ui_event *ev)
{
	if (m->type == WIN_MSG_SURFACE && m->len == sizeof(struct win_surface)) {
		struct win_surface s;
		memcpy(&s, m->payload, sizeof s);
		if (map_surface(c, &s)) {
			rt_printf("wclient: a surface I cannot map (%dx%d, %u frames)\n", s.w, s.h,
			          s.frames);
			return WCLIENT_CLOSE;
		}
		return WCLIENT_SURFACE;
	}
	if (m->type == WIN_MSG_EVENT && m->len == sizeof *ev) {
		memcpy(ev, m->payload, sizeof *ev);
		return c->has_surface ? WCLIENT_EVENT : -1;
	}
	if (m->type == WIN_MSG_CLOSE)
		return WCLIENT_CLOSE;
	return -1;
}

void wclient_watch(struct wclient *c, struct rt_chan *ch, uint64_t bits)
{
	c->other = ch;
	c->other_bits = bits;
}

bool wclient_wait(struct wclient *c, struct ui_event *ev, enum wclient_what *what)
{
	struct rt_chan *chans[] = {&c->ch, c->other};

	for (;;) {
		struct urpc_msg m;
		while (rt_chan_recv(&c->ch, &m) == ERR_OK) {
			int w = take(c, &m, ev);
			if (w >= 0) {
				*what = (enum wclient_what)w;
				return true;
			}
		}
		if (c->other && c->has_surface && rt_chan_pending(c->other))
			return false;
		uint64_t bits = rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, c->other ? 2 : 1);
		if ((bits & c->other_bits) && c->has_surface)
			return false;
		if ((bits & TICK_BIT) && c->tick_us) {
			wclient_tick(c, c->tick_us);
			if (c->has_surface) {
				*what = WCLIENT_TICK;
				return true;
			}
		}
	}
}

enum wclient_what wclient_next(struct wclient *c, struct ui_event *ev)
{
	enum wclient_what what;

	while (!wclient_wait(c, ev, &what))
		; /* only a program that watches another channel hears of it */
	return what;
}

void wclient_damage(struct wclient *c, struct gfx_rect r)
{
	struct win_damage d = {c->serial, r.x, r.y, r.w, r.h};
	rt_chan_send(&c->ch, WIN_MSG_DAMAGE, &d, sizeof d);
}
