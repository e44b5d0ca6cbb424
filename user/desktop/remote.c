/* The window protocol's desktop side (remote.h, proto.h). */
#include "remote.h"

#include <rt/heap.h>
#include <rt/image.h>
#include <rt/invoke.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>
#include <tessera/caps.h>

#include "apps.h"
#include "proto.h"

#define CLIENT_BUDGET_BITS 22 /* at most 4 MiB each (a tile: what its manifest names) */
#define PLACEHOLDER        0xffe9ecef

struct remote {
	bool used;
	int win; /* its window's id, 0 before WIN_MSG_OPEN */
	struct wm *wm;
	char name[BOOTINFO_NAME];
	int32_t x, y;
	struct spawn_child child;
	struct rt_chan ch;
	struct rt_capref chan_frame, cnode;
	uint64_t chan_off, cnode_off;
	unsigned chan_bits, cnode_blk;
	uint32_t serial, bank, frames[2]; /* copies in each bank */
};

struct rt_capref remote_self;
static struct remote remotes[REMOTES];

enum err remote_init(void)
{
	struct cap_results_identify id;
	uint64_t off;
	unsigned bits;

	/* the notification its spawner gave it (init does: the input stream
	 * signals that one), else one of its own (the monitor gives none) */
	if (!invoke_identify(SLOT_NOTIFY, rt_depth(), &id) && id.type == CAP_NOTIFY) {
		remote_self = rt_root_ref(SLOT_NOTIFY);
		return ERR_OK;
	}
	return rt_retype_slot(rt_memory(), CAP_NOTIFY, 0, &remote_self, &off, &bits);
}

static struct rt_capref bank_slot(const struct remote *r, uint32_t bank, uint32_t i)
{
	return rt_ref_in(r->cnode, WIN_CNODE_BITS, bank * WIN_BANK_SLOTS + i);
}

/* Deletes the copies in a bank (unmapping them in the client). */
static void bank_clear(struct remote *r, uint32_t bank)
{
	for (uint32_t i = 0; i < r->frames[bank]; i++)
		rt_delete(bank_slot(r, bank, i));
	r->frames[bank] = 0;
}

/* wm_client.draw: a new surface.  Its frames go into the other bank and
 * the client hears of it; a placeholder until the client draws. */
static void draw(void *ctx, struct gfx_surface *s)
{
	struct remote *r = ctx;
	const struct frame_surface *fs =
	        (const struct frame_surface *)s; /* s is its first member */

	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), PLACEHOLDER);
	if (fs->nframes > WIN_BANK_SLOTS)
		return;
	uint32_t bank = r->serial ? r->bank ^ 1 : 0;
	bank_clear(r, bank);
	for (uint32_t i = 0; i < fs->nframes; i++) {
		if (rt_copy(bank_slot(r, bank, i), fs->frames[i]))
			return;
		r->frames[bank]++;
	}
	r->bank = bank;
	r->serial++;
	struct win_surface m = {r->serial, s->width,    s->height,     s->stride,
	                        bank,      fs->nframes, WIN_CNODE_BITS};
	rt_chan_send(&r->ch, WIN_MSG_SURFACE, &m, sizeof m);
}

static bool event(void *ctx, const struct ui_event *ev)
{
	struct remote *r = ctx;
	rt_chan_send(&r->ch, WIN_MSG_EVENT, ev, sizeof *ev);
	return false;
}

/* Everything of r goes: the program, the copies, the CNode, the channel. */
static void teardown(struct remote *r)
{
	spawn_kill(&r->child);
	bank_clear(r, 0);
	bank_clear(r, 1);
	rt_delete(r->cnode);
	rt_slot_free(r->cnode);
	rt_untyped_free(rt_memory(), r->cnode_off, r->cnode_blk);
	rt_delete(r->chan_frame);
	rt_slot_free(r->chan_frame);
	rt_untyped_free(rt_memory(), r->chan_off, r->chan_bits);
	r->used = false;
}

static void closed(void *ctx)
{
	struct remote *r = ctx;
	rt_chan_send(&r->ch, WIN_MSG_CLOSE, NULL, 0);
	r->win = 0;
	teardown(r);
}

/* The channel's frame, mapped here, and its caps in the child's slots;
 * then the child hears that they are there. */
static enum err link(struct remote *r)
{
	struct rt_capref note = spawn_slot(&r->child, SLOT_NOTIFY);
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &r->chan_frame,
	                            &r->chan_off, &r->chan_bits);
	if (e)
		return e;
	uint64_t va = rt_map_area(1);
	e = va ? rt_map(r->chan_frame, va, CAP_RIGHT_READ | CAP_RIGHT_WRITE) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&r->ch, (void *)(uintptr_t)va, 0, true, remote_self, note,
		                 RT_CHAN_BIT_PEER);
	if (!e)
		e = rt_copy(spawn_slot(&r->child, SLOT_CHAN_FRAME), r->chan_frame);
	if (!e)
		e = rt_mint(spawn_slot(&r->child, SLOT_CHAN_PEER), remote_self, CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_notify_signal(note.addr, note.depth, RT_CHAN_BIT_GIVEN, NULL);
	return e;
}

static enum err start(struct remote *r, const struct bootinfo_module *m, const char *const *argv,
                      unsigned argc)
{
	const struct bootinfo_module *mods[BOOTINFO_MODULES];
	struct rt_mapping map;
	unsigned n = rt_module_count();

	for (unsigned i = 0; i < n; i++)
		mods[i] = rt_module_at(i);
	enum err e = rt_retype_slot(rt_memory(), CAP_CNODE, WIN_CNODE_BITS, &r->cnode,
	                            &r->cnode_off, &r->cnode_blk);
	if (e)
		return e;
	/* the surface, and init's control service to hand on (the terminal
	 * gives it to its shell; a client's manifest names what it takes) */
	struct spawn_cap caps[] = {{"surface", r->cnode}, {"control", {0}}};
	struct prog_cap info;
	unsigned ncaps = 1;
	if (!rt_named_cap("control", &caps[1].cap, &info) && info.type == CAP_CNODE)
		ncaps = 2;
	e = rt_module_map(m, &map);
	if (e)
		return e;
	struct spawn_args a = {.name = r->name,
	                       .image = map.data,
	                       .size = map.size,
	                       .budget_bits = CLIENT_BUDGET_BITS,
	                       .log = true,
	                       .priority = DISP_PRIORITIES - 1,
	                       .modules = mods,
	                       .nmodules = n,
	                       .caps = caps,
	                       .ncaps = ncaps,
	                       .argv = argv,
	                       .argc = argc,
	                       .notify = true,
	                       .chan = 2};
	e = spawn_start(&a, &r->child);
	rt_module_unmap(&map);
	if (e)
		return e;
	return link(r);
}

enum err remote_spawn(struct wm *wm, const char *name, int32_t x, int32_t y)
{
	return remote_spawn_argv(wm, name, x, y, NULL, 0);
}

enum err remote_spawn_argv(struct wm *wm, const char *name, int32_t x, int32_t y,
                           const char *const *argv, unsigned argc)
{
	const struct bootinfo_module *m = rt_module(name);
	struct remote *r = NULL;

	if (!m)
		return ERR_NOENT;
	for (int i = 0; i < REMOTES && !r; i++)
		if (!remotes[i].used)
			r = &remotes[i];
	if (!r)
		return ERR_FULL;
	*r = (struct remote){.used = true, .wm = wm, .x = x, .y = y};
	mem_strlcpy(r->name, name, sizeof r->name);
	enum err e = start(r, m, argv, argc);
	if (e) {
		rt_printf("desktop: %s not started: %s\n", name, err_str(e));
		if (r->child.cnode.depth)
			teardown(r);
		else
			r->used = false;
	}
	return e;
}

/* One message from r's client; false if it broke the protocol. */
static bool take(struct remote *r, const struct urpc_msg *m)
{
	if (m->type == WIN_MSG_OPEN && m->len == sizeof(struct win_open) && !r->win) {
		struct win_open o;
		memcpy(&o, m->payload, sizeof o);
		o.title[WIN_TITLE - 1] = 0;
		if (o.w <= 0 || o.h <= 0 || (int64_t)o.w * o.h > WIN_MAX_PIXELS)
			return false;
		const struct wm_client c = {draw, event, closed, r, true};
		r->win = wm_open(r->wm, o.title, gfx_rect(r->x, r->y, o.w, o.h), &c);
		if (r->win < 0)
			r->win = 0;
		if (r->win)
			rt_printf("desktop: %s opened at (%d, %d)\n", o.title, r->x, r->y);
		return r->win != 0;
	}
	if (m->type == WIN_MSG_LAUNCH && m->len == sizeof(struct win_launch) && r->win) {
		struct win_launch l;
		memcpy(&l, m->payload, sizeof l);
		l.program[WIN_PROGRAM - 1] = 0;
		l.path[WIN_PATH - 1] = 0;
		apps_launch(r->wm, r->name, l.program, l.path);
		return true;
	}
	if (m->type == WIN_MSG_DAMAGE && m->len == sizeof(struct win_damage) && r->win) {
		struct win_damage d;
		struct wm_window *w = wm_window(r->wm, r->win);
		memcpy(&d, m->payload, sizeof d);
		if (!w || d.serial != r->serial)
			return true;          /* an old surface's: nothing to show */
		if (r->frames[r->bank ^ 1]) { /* it left the old surface */
			bank_clear(r, r->bank ^ 1);
			wm_retired_free(r->wm, r->win);
		}
		struct gfx_rect g = gfx_rect_intersect(gfx_rect(d.x, d.y, d.w, d.h),
		                                       gfx_rect(0, 0, w->r.w, w->r.h));
		g.x += w->r.x;
		g.y += w->r.y;
		wm_damage(r->wm, g);
		return true;
	}
	return false;
}

bool remote_poll(struct wm *wm)
{
	bool any = false;

	for (int i = 0; i < REMOTES; i++) {
		struct remote *r = &remotes[i];
		struct urpc_msg m;
		bool ok = true;
		while (r->used && ok && rt_chan_recv(&r->ch, &m) == ERR_OK) {
			ok = take(r, &m);
			any = true;
		}
		if (!r->used || (ok && !spawn_ended(&r->child)))
			continue;
		rt_printf("desktop: %s %s\n", r->name,
		          ok ? "ended" : "broke the window protocol: stopped");
		if (r->win)
			wm_close(wm, r->win); /* its closed() tears it down */
		else
			teardown(r);
		any = true;
	}
	return any;
}

unsigned remote_chans(struct rt_chan **out, unsigned max)
{
	unsigned n = 0;
	for (int i = 0; i < REMOTES && n < max; i++)
		if (remotes[i].used)
			out[n++] = &remotes[i].ch;
	return n;
}

unsigned remote_open_count(unsigned *started)
{
	unsigned open = 0, run = 0;
	for (int i = 0; i < REMOTES; i++) {
		run += remotes[i].used;
		open += remotes[i].used && remotes[i].win;
	}
	if (started)
		*started = run;
	return open;
}
