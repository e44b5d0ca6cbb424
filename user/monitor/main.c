/* The monitor of one core: the first program on it, started by the core's
 * CPU driver with the core's whole initial capability space and a budget
 * for its runtime (SLOT_UNTYPED).  It takes a share of the core's free
 * untyped (the largest aligned block, at most SHARE_MAX_BITS) for the
 * programs it starts, links itself with every other core's monitor
 * (link.c) and then serves: programs spawned on this core for a client or
 * another monitor, their ends reported back (serve.c, rt/monproto.h).  On
 * core 0 it starts init first, with half of the share as its budget, the
 * log, every boot module and a channel to this monitor.  Between events
 * it waits on its notification, so an idle core halts. */
#include <rt/device.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <tessera/caps.h>

#include "monitor.h"

#define SHARE_MAX_BITS 26 /* the share: at most 64 MiB (init gets half) */
#define SHARE_MIN_BITS 21 /* ... and at least 2 MiB */

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct mon mon;
static struct spawn_child init;
static bool init_running;

/* The largest size-aligned block (at most 2^SHARE_MAX_BITS) free in one
 * of the core's untyped caps: nothing was carved from them but the CPU
 * driver's part of one (bootinfo spawn_untyped, spawn_used). */
static bool pick_share(const struct bootinfo *bi, uint64_t *slot, uint64_t *offset, unsigned *bits)
{
	*bits = 0;
	for (uint32_t i = 0; i < bi->untyped_count; i++) {
		uint64_t s = bi->untyped_first + i;
		struct cap_results_identify id;
		if (invoke_identify(rt_cap(s), rt_depth(), &id) || id.type != CAP_UNTYPED ||
		    id.size_bits > 63)
			continue;
		uint64_t used = s == bi->spawn_untyped ? bi->spawn_used : 0;
		for (unsigned k = SHARE_MAX_BITS; k > *bits && k >= SHARE_MIN_BITS; k--) {
			uint64_t at = (used + (1ull << k) - 1) & ~((1ull << k) - 1);
			if (k <= id.size_bits && at + (1ull << k) <= 1ull << id.size_bits) {
				*slot = s, *offset = at, *bits = k;
				break;
			}
		}
	}
	return *bits != 0;
}

/* The share as an untyped of its own, for spawn to carve from. */
static enum err make_share(const struct bootinfo *bi)
{
	struct rt_capref dest, cnode;
	uint64_t slot, offset, index;
	unsigned bits;

	if (!pick_share(bi, &slot, &offset, &bits))
		return ERR_NOMEM;
	enum err e = rt_slot_alloc(&dest);
	if (e)
		return e;
	rt_slot_where(dest, &cnode, &index);
	e = invoke_retype(rt_cap(slot), rt_depth(), CAP_UNTYPED, bits, offset, 1, cnode.addr,
	                  cnode.depth, index, NULL);
	if (!e)
		rt_untyped_init(&mon.share, dest, bits);
	return e;
}

/* The client channel's frame (this core's memory), laid out, in *slot. */
static enum err client_frame(struct rt_capref *slot)
{
	uint64_t offset, at = rt_map_area(1);
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, slot, &offset, &bits);

	if (!e)
		e = at ? rt_map(*slot, at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&mon.client.ch, (void *)(uintptr_t)at, 0, true, mon.self,
		                 (struct rt_capref){0}, CLIENT_BIT_MON);
	return e;
}

/* The machine's device caps (core 0's, kernel/README.md "Devices") copied
 * into a CNode of their own, for init to hand on by name (rt/device.h).
 * Whether there are any. */
static bool devices_cnode(struct rt_capref *cnode)
{
	const struct bootinfo *bi = rt_bootinfo();
	uint64_t offset;
	unsigned bits, n = bi->device_count;

	if (n > 1u << RT_DEVICES_BITS)
		n = 1u << RT_DEVICES_BITS;
	if (!n || rt_retype_slot(rt_memory(), CAP_CNODE, RT_DEVICES_BITS, cnode, &offset, &bits))
		return false;
	for (unsigned i = 0; i < n; i++)
		rt_copy(rt_ref_in(*cnode, RT_DEVICES_BITS, i), rt_root_ref(bi->device_first + i));
	return true;
}

/* init from its module, with the startup description, every module, a
 * channel to this monitor and the device caps. */
static void start_init(void)
{
	const struct bootinfo_module *m = rt_module("init"), *mods[BOOTINFO_MODULES];
	struct rt_capref frame;
	struct rt_mapping map;
	enum err e;

	if (!m || !rt_module("startup")) {
		rt_printf("monitor: core 0: no %s module: init not started\n",
		          m ? "startup" : "init");
		return;
	}
	for (unsigned i = 0; i < rt_module_count(); i++)
		mods[i] = rt_module_at(i);
	e = client_frame(&frame);
	if (!e)
		e = rt_module_map(m, &map);
	if (e) {
		rt_printf("monitor: core 0: init not started: %s\n", err_str(e));
		return;
	}
	struct spawn_cap devices = {.name = "devices"};
	bool has_devices = devices_cnode(&devices.cap);
	const struct spawn_grant grants[] = {{frame, SLOT_MON_CHAN, RW},
	                                     {mon.self, SLOT_MON_NOTIFY, CAP_RIGHT_WRITE}};
	struct spawn_args a = {.name = "init",
	                       .image = map.data,
	                       .size = map.size,
	                       .budget_bits = mon.share.bits - 1,
	                       .log = true,
	                       .modules = mods,
	                       .nmodules = rt_module_count(),
	                       .from = &mon.share,
	                       .notify = true,
	                       .grants = grants,
	                       .ngrants = 2,
	                       .caps = &devices,
	                       .ncaps = has_devices,
	                       .end_notify = mon.self,
	                       .end_bits = MON_BIT_CHILD};
	e = spawn_start(&a, &init);
	rt_module_unmap(&map);
	if (e) {
		rt_printf("monitor: core 0: init not started: %s\n", err_str(e));
		return;
	}
	mon.client.ch.peer = spawn_slot(&init, SLOT_NOTIFY);
	mon.has_client = init_running = true;
	rt_printf("monitor: core 0: init started with %llu KiB of the %llu offered\n",
	          (unsigned long long)(1ull << init.budget_bits >> 10),
	          (unsigned long long)(1ull << a.budget_bits >> 10));
}

/* init's end: reported, its memory back (its children on other cores are
 * their monitors'). */
static void init_ended(void)
{
	if (!init_running || !spawn_ended(&init))
		return;
	int code = spawn_code(&init);
	enum err e = spawn_kill(&init);
	rt_printf("monitor: core 0: init ended with %d%s%s\n", code, e ? "; not reclaimed: " : "",
	          e ? err_str(e) : "");
	init_running = mon.has_client = false;
}

static _Noreturn void serve(void)
{
	struct rt_chan *chans[MON_MAX_CORES + 1];

	for (;;) {
		unsigned n = 0;
		for (unsigned c = 0; c < MON_MAX_CORES; c++)
			if (mon.peer[c].linked)
				chans[n++] = &mon.peer[c].ch;
		if (mon.has_client)
			chans[n++] = &mon.client.ch;
		uint64_t bits = rt_chan_wait(mon.self, chans, n);
		link_accept(bits & ((1ull << MON_MAX_CORES) - 1));
		for (unsigned c = 0; c < MON_MAX_CORES; c++)
			if (c != mon.core && (bits >> c & 1))
				chans_recv(c);
		for (unsigned c = 0; c < MON_MAX_CORES; c++)
			if (mon.peer[c].linked)
				serve_poll(&mon.peer[c], c);
		if (mon.has_client)
			serve_poll(&mon.client, MON_MAX_CORES);
		serve_reap();
		chans_reclaim();
		init_ended();
	}
}

int main(void)
{
	const struct bootinfo *bi = rt_bootinfo();
	struct cap_results_identify root;

	if (!bi) {
		rt_printf("monitor: no boot information\n");
		return 1;
	}
	mon.bi = bi;
	mon.core = bi->core;
	mon.self = rt_root_ref(SLOT_MON_NOTIFY);
	enum err e = invoke_identify(rt_cap(SLOT_ROOT), rt_depth(), &root);
	rt_printf("monitor: core %u up: %u untyped caps (%llu MiB), root CNode of %llu slots (%s), "
	          "%u modules\n",
	          bi->core, bi->untyped_count, (unsigned long long)(bi->untyped_bytes >> 20),
	          e ? 0ull : 1ull << (root.size_bits - CAP_SLOT_BITS), err_str(e), bi->nmodules);
	e = make_share(bi);
	if (e)
		rt_printf("monitor: core %u: no memory for programs: %s\n", bi->core, err_str(e));
	if (bi->core == 0 && !e)
		start_init();
	link_start();
	serve();
}
