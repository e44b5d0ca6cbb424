/* init's control channels (rt/initproto.h): requests from several clients
 * at once, each on a channel of its own with its own state.  Two ways to
 * get one: the startup entry naming `init` (the serial shell) gets it in
 * its grants before it runs; a program given the service `control`
 * (rt/service.h; the desktop, and the shells it starts) asks for one at
 * any time.  Requests: the cores (asked of the monitors, one client's
 * question at a time, their answers relayed), the programs init started,
 * a spawn (its arguments already checked and encoded by the client,
 * checked again by the spawn), a kill, a program's caps, and the PCI
 * functions (asked of the PCI service, RT_PCI_LIST).  The file
 * protocol's requests (user/fs/fsproto.h) are passed on to the file
 * service, each client's under its own tag (files.c). */
#include <fmt/fmt.h>
#include <rt/device.h>
#include <rt/mem.h>
#include <rt/pci.h>
#include <rt/rt.h>
#include <rt/service.h>
#include <string/mem.h>

#include "../fs/fsproto.h"
#include "control.h"

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

static struct client clients[CLIENTS];
static bool ready;

/* MON_CORES: the client whose question is out (0: none; else index + 1). */
static struct {
	unsigned who;
	uint32_t gen, left, sent;
} cores_q;

/* The control service: its endpoint and the slot a request's CNode lands in. */
static struct {
	bool on;
	struct rt_capref ep, slot;
	uint64_t woken;
} svc;

unsigned control_ref(const struct client *c)
{
	return (unsigned)(c - clients) + 1;
}

/* The client behind a reference (index + 1 and generation), if still there. */
struct client *control_client(unsigned who, uint32_t gen)
{
	struct client *c = who && who <= CLIENTS ? &clients[who - 1] : NULL;

	return c && c->used && c->up && c->gen == gen ? c : NULL;
}

/* A client's channel, mapped here, in a new frame of init's budget (init
 * side 0; its peer named once known). */
enum err control_make_chan(struct rt_chan *ch, struct rt_capref *frame, uint64_t *off,
                           unsigned *bits, uint64_t *va)
{
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, frame, off, bits);

	*va = e ? 0 : rt_map_area(1);
	if (!e)
		e = *va ? rt_map(*frame, *va, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(ch, (void *)(uintptr_t)*va, 0, true, rt_root_ref(SLOT_NOTIFY),
		                 (struct rt_capref){0}, CLIENT_BIT_MON);
	return e;
}

static struct client *client_new(void)
{
	for (unsigned i = 0; i < CLIENTS; i++)
		if (!clients[i].used) {
			uint32_t gen = clients[i].gen + 1;
			clients[i] = (struct client){.used = true, .gen = gen};
			return &clients[i];
		}
	return NULL;
}

/* Everything of a client back: its frame, init's copy of its notification. */
static void client_free(struct client *c)
{
	files_forget(c); /* before its place can be given again */
	if (c->va)
		rt_map_area_free(c->va, 1);
	if (c->frame.depth && !rt_delete(c->frame)) {
		rt_untyped_free(rt_memory(), c->frame_off, c->frame_bits);
		rt_slot_free(c->frame);
	}
	if (c->service && c->peer.depth && !rt_delete(c->peer))
		rt_slot_free(c->peer);
	c->used = c->up = false;
}

/* A service client whose notification is gone has ended (its spawner took
 * its memory back, and init's copy of its notification with it). */
static bool client_gone(const struct client *c)
{
	struct cap_results_identify id;

	return c->service &&
	       (invoke_identify(c->peer.addr, c->peer.depth, &id) || id.type == CAP_NULL);
}

static void reap_clients(void)
{
	for (unsigned i = 0; i < CLIENTS; i++)
		if (clients[i].used && clients[i].up && client_gone(&clients[i])) {
			rt_printf("init: control client %u ended\n", i + 1);
			client_free(&clients[i]);
		}
}

/* To a client: nothing if it has ended (a full ring of a client that
 * ended would never drain). */
void control_send(struct client *c, uint16_t type, const void *payload, size_t len)
{
	if (!c || !c->up || (!urpc_room(&c->ch.p.tx) && client_gone(c)))
		return;
	rt_chan_send(&c->ch, type, payload, len);
}

enum err control_grants(struct spawn_grant g[2])
{
	struct client *c = client_new();
	enum err e = c ? control_make_chan(&c->ch, &c->frame, &c->frame_off, &c->frame_bits, &c->va)
	               : ERR_FULL;

	if (e) {
		if (c)
			client_free(c);
		return e;
	}
	g[0] = (struct spawn_grant){c->frame, SLOT_MON_CHAN, RW};
	g[1] = (struct spawn_grant){rt_root_ref(SLOT_NOTIFY), SLOT_MON_NOTIFY, CAP_RIGHT_WRITE};
	return ERR_OK;
}

void control_started(struct program *p)
{
	struct client *c = NULL;

	for (unsigned i = 0; i < CLIENTS && !c; i++) /* the one control_grants made */
		if (clients[i].used && !clients[i].up && !clients[i].service)
			c = &clients[i];
	if (!c)
		return;
	c->ch.peer = spawn_slot(&p->c, SLOT_NOTIFY);
	c->peer = c->ch.peer;
	c->prog = p;
	c->up = true;
	if (ready)
		control_ready();
}

unsigned control_chans(struct rt_chan **out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CLIENTS && n < max; i++)
		if (clients[i].used && clients[i].up)
			out[n++] = &clients[i].ch;
	return n;
}

static void done(struct client *c, enum err e, uint32_t n, const struct program *p, const char *why)
{
	struct init_done d = {.err = (int32_t)e, .count = n};

	if (p) {
		d.pid = (uint32_t)(p - programs) + 1;
		d.core = p->core;
	}
	mem_strlcpy(d.why, why, sizeof d.why);
	control_send(c, INIT_DONE, &d, sizeof d);
}

static void ps(struct client *c)
{
	for (unsigned i = 0; i < count; i++) {
		const struct program *p = &programs[i];
		struct init_proc r = {.pid = i + 1,
		                      .core = (uint16_t)(p->state == ASKED ? p->e.core : p->core),
		                      .state = (uint8_t)p->state,
		                      .kind = p->e.system  ? 2
		                              : p->e.ndevs ? 1
		                                           : 0,
		                      .budget = 1ull << p->e.budget_bits,
		                      .code = p->state == ENDED ? p->code : 0};
		mem_strlcpy(r.name, p->e.name, sizeof r.name);
		control_send(c, INIT_PROC, &r, sizeof r);
	}
	done(c, ERR_OK, count, NULL, "");
}

static struct program *by_pid(const struct urpc_msg *m)
{
	struct init_pid q;

	if (m->len != sizeof q)
		return NULL;
	memcpy(&q, m->payload, sizeof q);
	return q.pid >= 1 && q.pid <= count ? &programs[q.pid - 1] : NULL;
}

/* Why p may not be stopped by c (NULL: it may): the asker itself, or a
 * console shell (a startup entry holding init's channel) and its driver. */
static const char *unkillable(const struct client *c, const struct program *p)
{
	const struct program *q = p->partner >= 0 ? &programs[p->partner] : NULL;

	if (p == c->prog)
		return "it is the shell asking";
	if (p->e.system)
		return "it is a console's shell";
	if (q && q->e.system)
		return "it is the shell's console";
	return NULL;
}

static void kill(struct client *c, const struct urpc_msg *m)
{
	struct program *p = by_pid(m);
	const char *why = p && p->state == RUNNING ? unkillable(c, p) : NULL;

	if (!p || p->state != RUNNING) {
		done(c, ERR_NOENT, 0, NULL, p ? "it is not running" : "no such program");
		return;
	}
	if (why) {
		done(c, ERR_PERM, 0, NULL, why);
		return;
	}
	p->killer = control_ref(c);
	p->killer_gen = c->gen;
	if (!p->remote) {
		init_kill_here(p, -1);
		return;
	}
	struct mon_kill k = {.child = p->child};
	enum err e = rt_chan_send(&monitor, MON_KILL, &k, sizeof k);
	if (e) {
		p->killer = 0;
		done(c, e, 0, NULL, "its monitor cannot be asked");
	}
}

void control_killed(struct program *p)
{
	struct client *c = control_client(p->killer, p->killer_gen);

	p->killer = 0;
	if (c)
		done(c, ERR_OK, 0, p, "");
}

/* The name of a well-known root slot (tessera/bootinfo.h). */
static const char *slot_name(uint32_t slot)
{
	static const char *const names[SLOT_FIRST_FREE] = {"",
	                                                   "root",
	                                                   "dispatcher",
	                                                   "vspace",
	                                                   "dispatcher frame",
	                                                   "log",
	                                                   "bootinfo",
	                                                   "image",
	                                                   "arguments",
	                                                   "budget",
	                                                   "monitor",
	                                                   "init's notification",
	                                                   "notification",
	                                                   "init's channel",
	                                                   "channel",
	                                                   "channel peer"};
	return slot < SLOT_FIRST_FREE ? names[slot] : "";
}

/* Every cap of p's root CNode (p spawned here: init holds that CNode). */
static void caps(struct client *c, const struct urpc_msg *m)
{
	struct program *p = by_pid(m);
	uint32_t n = 0;
	char why[40];

	if (!p || p->state != RUNNING) {
		done(c, ERR_NOENT, 0, NULL, p ? "it is not running" : "no such program");
		return;
	}
	if (p->remote) {
		fmt_snprintf(why, sizeof why, "its caps are core %u's monitor's", p->core);
		done(c, ERR_UNSUPPORTED, 0, p, why);
		return;
	}
	for (uint32_t s = 1; s < 1u << SPAWN_CNODE_BITS; s++) {
		struct rt_capref slot = spawn_slot(&p->c, s);
		struct cap_results_identify id;
		if (invoke_identify(slot.addr, slot.depth, &id) || id.type == CAP_NULL)
			continue;
		struct init_cap r = {.slot = s,
		                     .type = (uint16_t)id.type,
		                     .rights = (uint16_t)id.rights,
		                     .base = id.base,
		                     .size_bits = (uint32_t)id.size_bits};
		mem_strlcpy(r.name, slot_name(s), sizeof r.name);
		if (!r.name[0])
			rt_device_name(&id, r.name, sizeof r.name);
		control_send(c, INIT_CAP, &r, sizeof r);
		n++;
	}
	done(c, ERR_OK, n, p, "");
}

/* INIT_SPAWN complete with its arguments: a new entry, started. */
static void spawn(struct client *c)
{
	struct program *p;

	if (count == MAX_PROGRAMS) {
		done(c, ERR_FULL, 0, NULL, "init's table of programs is full");
		return;
	}
	p = &programs[count];
	*p = (struct program){.index = count,
	                      .partner = -1,
	                      .asker = control_ref(c),
	                      .asker_gen = c->gen,
	                      .state = ASKED};
	mem_strlcpy(p->e.name, c->spawn.name, sizeof p->e.name);
	p->e.core = c->spawn.core;
	p->e.budget_bits = c->spawn.budget_bits;
	p->e.log = true;
	p->args_msg = c->args;
	p->args_size = c->spawn.args_size;
	count++;
	init_start(p);
	p->args_msg = NULL;
}

void control_spawned(struct program *p, enum err e, const char *why)
{
	done(control_client(p->asker, p->asker_gen), e, 0, p, why);
	if (e && p == &programs[count - 1])
		count--; /* never started: not kept */
}

static void spawn_asked(struct client *c, const struct urpc_msg *m)
{
	if (m->len != sizeof c->spawn) {
		done(c, ERR_INVAL, 0, NULL, "a malformed request");
		return;
	}
	memcpy(&c->spawn, m->payload, sizeof c->spawn);
	c->spawn.name[MON_NAME - 1] = 0;
	c->args_got = 0;
	if (c->spawn.args_size > MON_ARGS_MAX || c->spawn.budget_bits < 12 ||
	    c->spawn.budget_bits > 30) {
		done(c, ERR_RANGE, 0, NULL, "arguments or budget too large");
		c->spawn.args_size = 0;
		return;
	}
	if (!c->spawn.args_size)
		spawn(c);
}

static void args(struct client *c, const struct urpc_msg *m)
{
	if (c->args_got + m->len > c->spawn.args_size)
		return;
	memcpy(c->args + c->args_got, m->payload, m->len);
	c->args_got += m->len;
	if (c->args_got == c->spawn.args_size)
		spawn(c);
}

/* The next client waiting to ask the monitors for the cores, asked. */
static void cores_next(void)
{
	for (unsigned i = 0; i < CLIENTS && !cores_q.who; i++) {
		struct client *c = &clients[i];
		if (!c->used || !c->up || !c->cores_wanted)
			continue;
		c->cores_wanted = false;
		if (!has_monitor || rt_chan_send(&monitor, MON_CORES, NULL, 0)) {
			done(c, ERR_UNSUPPORTED, 0, NULL, "init has no monitor to ask");
			continue;
		}
		cores_q.who = control_ref(c);
		cores_q.gen = c->gen;
		cores_q.left = 1; /* until the first answer says how many */
		cores_q.sent = 0;
	}
}

void control_core(const struct urpc_msg *m)
{
	struct mon_core mc;
	struct client *c = control_client(cores_q.who, cores_q.gen); /* NULL: it ended meanwhile */

	if (!cores_q.who || !cores_q.left || m->len != sizeof mc)
		return;
	memcpy(&mc, m->payload, sizeof mc);
	if (cores_q.sent == 0)
		cores_q.left = mc.count;
	control_send(c, MON_CORE, &mc, sizeof mc);
	cores_q.sent++;
	if (--cores_q.left == 0) {
		done(c, ERR_OK, cores_q.sent, NULL, "");
		cores_q.who = 0;
		cores_next();
	}
}

/* A request on the control service: a channel for the caller, in a frame
 * of init's budget (a client cannot take it away under init), a copy of
 * it put into the caller's CNode and the caller told (rt/initproto.h). */
static void connect(const struct rt_service_request *r, void *ctx)
{
	struct rt_capref box = svc.slot;
	struct client *c = NULL;
	enum err e =
	        !(r->info & EP_INFO_CAP) || r->w[0] != INIT_CONTROL_CONNECT ? ERR_INVAL : ERR_OK;

	(void)ctx;
	if (!e) {
		reap_clients();
		c = client_new();
		e = c ? ERR_OK : ERR_FULL;
	}
	if (!e)
		e = rt_slot_alloc(&c->peer);
	if (!e) {
		c->service = true;
		e = rt_copy(c->peer, rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_NOTIFY));
	}
	if (!e)
		e = control_make_chan(&c->ch, &c->frame, &c->frame_off, &c->frame_bits, &c->va);
	if (!e)
		e = rt_copy(rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_FRAME), c->frame);
	if (!e) {
		c->ch.peer = c->peer;
		e = invoke_notify_signal(c->peer.addr, c->peer.depth, INIT_CONTROL_BIT_READY, NULL);
	}
	if (e) {
		rt_printf("init: a control channel refused: %s\n", err_str(e));
		if (c)
			client_free(c);
	} else {
		c->up = true;
		if (ready)
			control_ready();
	}
	if (r->info & EP_INFO_CAP)
		rt_delete(box);
}

void control_serve(struct rt_capref ep)
{
	svc.on = !rt_slot_alloc(&svc.slot);
	svc.ep = ep;
}

void control_woken(uint64_t bits)
{
	svc.woken |= bits;
}

/* MON_STATS relayed, one client's question out at a time (like the
 * cores): the monitors' MON_STAT and MON_STAT_LINK answers go on to it as
 * they come (each MON_STAT says how many links follow it, the first how
 * many MON_STATs come), then INIT_DONE (count: the MON_STATs). */
static struct {
	unsigned who; /* 0: none out; else index + 1 */
	uint32_t gen, stats_left, links_left, sent;
} stats_q;

/* The next client waiting to ask the monitors for their counters, asked. */
static void stats_next(void)
{
	for (unsigned i = 0; i < CLIENTS && !stats_q.who; i++) {
		struct client *c = &clients[i];
		if (!c->used || !c->up || !c->stats_wanted)
			continue;
		c->stats_wanted = false;
		if (!has_monitor || rt_chan_send(&monitor, MON_STATS, NULL, 0)) {
			done(c, ERR_UNSUPPORTED, 0, NULL, "init has no monitor to ask");
			continue;
		}
		stats_q.who = control_ref(c);
		stats_q.gen = c->gen;
		stats_q.stats_left = 1; /* until the first answer says how many */
		stats_q.links_left = stats_q.sent = 0;
	}
}

void control_stat(const struct urpc_msg *m)
{
	struct mon_stat s;
	struct client *c = control_client(stats_q.who, stats_q.gen); /* NULL: it ended meanwhile */

	if (!stats_q.who)
		return;
	if (m->type == MON_STAT && m->len == sizeof s && stats_q.stats_left) {
		memcpy(&s, m->payload, sizeof s);
		if (stats_q.sent++ == 0)
			stats_q.stats_left = s.count ? s.count : 1;
		stats_q.stats_left--;
		stats_q.links_left += s.links;
	} else if (m->type == MON_STAT_LINK && m->len == sizeof(struct mon_stat_link) &&
	           stats_q.links_left) {
		stats_q.links_left--;
	} else {
		return;
	}
	control_send(c, m->type, m->payload, m->len);
	if (!stats_q.stats_left && !stats_q.links_left) {
		done(c, ERR_OK, stats_q.sent, NULL, "");
		stats_q.who = 0;
		stats_next();
	}
}

/* INIT_PCI: the PCI service's functions (RT_PCI_LIST, a page at a time;
 * init waits for each answer, which the service gives at once), each as
 * INIT_PCI_FN and an INIT_PCI_BAR per BAR it has. */
static void pci(struct client *c)
{
	static struct rt_pci_list l;
	struct rt_service svc;
	uint32_t sent = 0;
	enum err e = init_service_find("pci", &svc) ? ERR_OK : ERR_UNSUPPORTED;

	for (l.total = 1; !e && sent < l.total;) {
		if ((e = rt_pci_list(&svc, sent, &l)) || !l.n)
			break;
		for (uint32_t i = 0; i < l.n; i++, sent++) {
			const struct rt_pci_function *f = &l.fns[i];
			struct init_pci_fn r = {.bus = f->bus,
			                        .dev = f->dev,
			                        .fn = f->fn,
			                        .pin = f->pin,
			                        .vendor = f->vendor,
			                        .device = f->device,
			                        .class = f->class,
			                        .irq = f->irq,
			                        .given = f->given};
			for (unsigned b = 0; b < RT_PCI_BARS; b++)
				r.bars += f->bars[b].kind != RT_PCI_BAR_NONE && f->bars[b].size;
			control_send(c, INIT_PCI_FN, &r, sizeof r);
			for (unsigned b = 0; b < RT_PCI_BARS; b++) {
				const struct rt_pci_bar *x = &f->bars[b];
				struct init_pci_bar o = {.index = (uint8_t)b,
				                         .kind = x->kind,
				                         .prefetch = x->prefetch,
				                         .wide = x->wide,
				                         .base = x->base,
				                         .size = x->size};
				if (x->kind != RT_PCI_BAR_NONE && x->size)
					control_send(c, INIT_PCI_BAR, &o, sizeof o);
			}
		}
	}
	done(c, e, sent, NULL, e == ERR_UNSUPPORTED ? "no PCI service is running" : "");
}

/* One request from c. */
static void request(struct client *c, const struct urpc_msg *m)
{
	switch (m->type) {
	case MON_CORES:
		c->cores_wanted = true;
		cores_next();
		break;
	case MON_STATS:
		c->stats_wanted = true;
		stats_next();
		break;
	case INIT_PS: ps(c); break;
	case INIT_SPAWN: spawn_asked(c, m); break;
	case INIT_ARGS: args(c, m); break;
	case INIT_KILL: kill(c, m); break;
	case INIT_CAPS: caps(c, m); break;
	case INIT_PCI: pci(c); break;
	default:
		if (m->type >= FS_WALK && m->type <= FS_DISK) {
			files_ask(c, m); /* files.c */
			break;
		}
		done(c, ERR_INVAL, 0, NULL, "a request init does not know");
	}
}

void control_poll(void)
{
	struct urpc_msg m;

	if (svc.on)
		rt_service_take(svc.ep, svc.slot, svc.woken, connect, NULL);
	svc.woken = 0;
	reap_clients();
	files_poll();
	for (unsigned i = 0; i < CLIENTS; i++) {
		struct client *c = &clients[i];
		while (c->used && c->up) {
			if (c->has_held) {
				c->has_held = false;
				m = c->held;
			} else if (rt_chan_recv(&c->ch, &m)) {
				break;
			}
			request(c, &m);
		}
	}
}

void control_ready(void)
{
	ready = true;
	for (unsigned i = 0; i < CLIENTS; i++) {
		struct client *c = &clients[i];
		if (c->used && c->up && !c->ready_sent)
			c->ready_sent = !rt_chan_send(&c->ch, INIT_READY, NULL, 0);
	}
}
