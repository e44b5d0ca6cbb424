/* Spawning for clients and other monitors (rt/monproto.h).  A client's
 * request for this core spawns the boot module it names (a core that is
 * not online stands for another: substitute()); one for another core goes
 * to that core's monitor with the module's bytes (queued until
 * the two are linked); a monitor's request arrives with its image.  The
 * monitor that spawned a program reports its end to whoever asked and
 * takes its memory back. */
#include <arch/cpu.h>
#include <rt/heap.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "monitor.h"

#define MAX_CHILDREN 32
#define MAX_FORWARDS 32
#define MAX_WAITING  16
#define MAX_IMAGE    (4u << 20)
#define FROM_CLIENT  MON_MAX_CORES

struct child {
	bool used;
	unsigned owner; /* the core whose monitor asked, or FROM_CLIENT */
	uint64_t id;
	struct spawn_child c;
};

static struct child children[MAX_CHILDREN];
static uint64_t next_id = 1;
/* requests sent on to other cores: the client's number, by ours */
static struct {
	bool used;
	uint32_t req;
} forwards[MAX_FORWARDS];
/* client requests for cores not linked yet, with their arguments */
static struct {
	bool used;
	struct mon_spawn s;
	uint8_t args[MON_ARGS_MAX];
} waiting[MAX_WAITING];

static struct mon_peer *peer_of(unsigned from)
{
	return from == FROM_CLIENT ? &mon.client : &mon.peer[from];
}

static void answer(unsigned to, uint32_t req, enum err e, uint64_t child)
{
	struct mon_spawned a = {.req = req, .err = (int32_t)e, .child = child};
	enum err s = rt_chan_send(&peer_of(to)->ch, MON_SPAWNED, &a, sizeof a);

	if (s)
		rt_printf("monitor: core %u: an answer is lost: %s\n", mon.core, err_str(s));
}

/* A program of this core from image, as s asks, with its arguments
 * (s->args_size bytes at args, checked again by spawn); the answer to
 * `to`. */
static void spawn_here(unsigned to, const struct mon_spawn *s, const void *image, size_t size,
                       const uint8_t *args)
{
	uint32_t req = s->req;
	const char *name = s->name;
	unsigned budget_bits = s->budget_bits;
	struct child *k = NULL;
	enum err e = ERR_FULL;

	for (unsigned i = 0; !k && i < MAX_CHILDREN; i++)
		if (!children[i].used)
			k = &children[i];
	if (k) {
		struct spawn_args a = {
		        .name = name,
		        .image = image,
		        .size = size,
		        .budget_bits = budget_bits,
		        .log = s->flags & MON_SPAWN_LOG,
		        .notify = true,
		        .args_msg = s->args_size ? args : NULL,
		        .args_size = s->args_size,
		        .from = &mon.share,
		        .end_notify = mon.self,
		        .end_bits = MON_BIT_CHILD,
		        .chan = s->flags & MON_SPAWN_CHAN ? 1 + !!(s->flags & MON_SPAWN_SIDE) : 0};
		e = spawn_start(&a, &k->c);
	}
	if (!e) {
		k->used = true;
		k->owner = to;
		k->id = (uint64_t)mon.core << 32 | next_id++;
		rt_printf("monitor: core %u: %s started (%llu KiB)\n", mon.core, name,
		          (unsigned long long)(1ull << budget_bits >> 10));
		if (s->flags & MON_SPAWN_CHAN)
			chans_spawned(&k->c, s);
	} else {
		rt_printf("monitor: core %u: %s not started: %s%s%s\n", mon.core, name, err_str(e),
		          k && k->c.why[0] ? ": " : "", k ? k->c.why : "");
	}
	answer(to, req, e, e ? 0 : k->id);
}

/* n bytes at data to p in messages of type `type`. */
static enum err send_bytes(struct mon_peer *p, unsigned type, const void *data, size_t n)
{
	enum err e = ERR_OK;

	for (size_t at = 0; !e && at < n; at += URPC_PAYLOAD_MAX)
		e = rt_chan_send(&p->ch, type, (const uint8_t *)data + at,
		                 n - at < URPC_PAYLOAD_MAX ? n - at : URPC_PAYLOAD_MAX);
	return e;
}

/* The request, its arguments and the module's bytes to core s->core's
 * monitor. */
static enum err forward(const struct mon_spawn *s, const uint8_t *args)
{
	const struct bootinfo_module *m = rt_module(s->name);
	struct mon_peer *p = &mon.peer[s->core];
	struct rt_mapping map;
	unsigned f = MAX_FORWARDS;

	for (unsigned i = 0; f == MAX_FORWARDS && i < MAX_FORWARDS; i++)
		if (!forwards[i].used)
			f = i;
	if (!m)
		return ERR_NOENT;
	if (f == MAX_FORWARDS)
		return ERR_FULL;
	enum err e = rt_module_map(m, &map);
	if (e)
		return e;
	if (map.size > MAX_IMAGE) {
		rt_module_unmap(&map);
		return ERR_RANGE;
	}
	struct mon_spawn out = *s;
	out.req = f;
	out.size = (uint32_t)map.size;
	e = rt_chan_send(&p->ch, MON_SPAWN, &out, sizeof out);
	if (!e)
		e = send_bytes(p, MON_ARGS, args, s->args_size);
	if (!e)
		e = send_bytes(p, MON_IMAGE, map.data, map.size);
	rt_module_unmap(&map);
	if (!e) {
		forwards[f].used = true;
		forwards[f].req = s->req;
	}
	return e;
}

/* The core a program for core c runs on: c if it is online, else the
 * (c mod n)th of the n cores online at boot. */
static unsigned substitute(unsigned c)
{
	uint64_t online = mon.bi->online & ((1ull << MON_MAX_CORES) - 1);
	unsigned n = (unsigned)__builtin_popcountll(online), k;

	if (c < MON_MAX_CORES && (online >> c & 1))
		return c;
	if (!n)
		return mon.core;
	k = c % n;
	for (c = 0; k || !(online >> c & 1); c++)
		if (online >> c & 1)
			k--;
	return c;
}

static void client_spawn(const struct mon_spawn *asked, const uint8_t *args)
{
	struct mon_spawn sub = *asked, *s = &sub;
	enum err e = ERR_OK;

	sub.core = substitute(asked->core);
	if (sub.flags & MON_SPAWN_CHAN)
		sub.peer = substitute(asked->peer);
	if (s->core == mon.core) {
		const struct bootinfo_module *m = rt_module(s->name);
		struct rt_mapping map;
		e = m ? rt_module_map(m, &map) : ERR_NOENT;
		if (!e) {
			spawn_here(FROM_CLIENT, s, map.data, map.size, args);
			rt_module_unmap(&map);
			return;
		}
	} else if (mon.peer[s->core].linked) {
		e = forward(s, args);
	} else {
		e = ERR_FULL;
		for (unsigned i = 0; e && i < MAX_WAITING; i++)
			if (!waiting[i].used) {
				waiting[i].used = true;
				waiting[i].s = *s;
				memcpy(waiting[i].args, args, s->args_size);
				e = ERR_OK;
			}
	}
	if (e)
		answer(FROM_CLIENT, s->req, e, 0);
}

/* A monitor's MON_SPAWN: its image follows. */
static void peer_spawn(struct mon_peer *p, unsigned from, const struct mon_spawn *s)
{
	free(p->image);
	p->in = *s;
	p->got = p->args_got = 0;
	p->image = s->size && s->size <= MAX_IMAGE ? malloc(s->size) : NULL;
	if (!p->image) {
		answer(from, s->req, s->size && s->size <= MAX_IMAGE ? ERR_NOMEM : ERR_RANGE, 0);
		p->in.size = s->size <= MAX_IMAGE ? s->size : 0; /* its bytes are dropped */
	}
}

static void peer_image(struct mon_peer *p, unsigned from, const struct urpc_msg *m)
{
	if (p->got + m->len > p->in.size) {
		rt_printf("monitor: core %u: core %u sent more image than it announced\n", mon.core,
		          from);
		return;
	}
	if (p->image)
		memcpy(p->image + p->got, m->payload, m->len);
	p->got += m->len;
	if (p->got < p->in.size || !p->image)
		return;
	p->in.name[MON_NAME - 1] = 0;
	if (p->args_got != p->in.args_size)
		answer(from, p->in.req, ERR_CORRUPT, 0);
	else
		spawn_here(from, &p->in, p->image, p->in.size, p->args);
	free(p->image);
	p->image = NULL;
	p->in.size = p->got = 0;
}

/* An answer from another core's monitor: on to the client. */
static void peer_answer(const struct urpc_msg *m)
{
	struct mon_spawned a;

	memcpy(&a, m->payload, sizeof a);
	if (a.req >= MAX_FORWARDS || !forwards[a.req].used || !mon.has_client)
		return;
	forwards[a.req].used = false;
	a.req = forwards[a.req].req;
	rt_chan_send(&mon.client.ch, MON_SPAWNED, &a, sizeof a);
}

/* MON_KILL: this core's child ends now (its end reported as any end, code
 * -1); another core's goes on to that core's monitor. */
static void kill(const struct urpc_msg *m)
{
	struct mon_kill k;

	memcpy(&k, m->payload, sizeof k);
	unsigned core = (unsigned)(k.child >> 32);
	if (core != mon.core) {
		if (core < MON_MAX_CORES && mon.peer[core].linked)
			rt_chan_send(&mon.peer[core].ch, MON_KILL, &k, sizeof k);
		return;
	}
	for (unsigned i = 0; i < MAX_CHILDREN; i++) {
		struct child *c = &children[i];
		if (!c->used || c->id != k.child)
			continue;
		struct mon_ended end = {.child = c->id, .code = -1};
		chans_gone(&c->c);
		enum err e = spawn_kill(&c->c);
		rt_printf("monitor: core %u: %s killed%s%s\n", mon.core, c->c.name,
		          e ? "; its memory is not back: " : "", e ? err_str(e) : "");
		c->used = false;
		if (c->owner == FROM_CLIENT ? mon.has_client : mon.peer[c->owner].linked)
			rt_chan_send(&peer_of(c->owner)->ch, MON_ENDED, &end, sizeof end);
	}
}

/* MON_ARGS: the next bytes of p->in's arguments; true once all are here. */
static bool take_args(struct mon_peer *p, unsigned from, const struct urpc_msg *m)
{
	if (p->args_got + m->len > p->in.args_size) {
		rt_printf("monitor: core %u: %s %u sent more arguments than it announced\n",
		          mon.core, from == FROM_CLIENT ? "its client" : "core",
		          from == FROM_CLIENT ? 0 : from);
		return false;
	}
	memcpy(p->args + p->args_got, m->payload, m->len);
	p->args_got += m->len;
	return p->args_got == p->in.args_size;
}

/* MON_SPAWN: a client's is served once its arguments are here, a peer's
 * once its image is. */
static void spawn_asked(struct mon_peer *p, unsigned from, const struct mon_spawn *s)
{
	if (s->args_size > MON_ARGS_MAX) {
		answer(from, s->req, ERR_RANGE, 0);
		p->in = (struct mon_spawn){0}; /* what follows is dropped */
		return;
	}
	if (from != FROM_CLIENT) {
		peer_spawn(p, from, s);
		return;
	}
	p->in = *s;
	p->args_got = 0;
	if (!s->args_size)
		client_spawn(s, p->args);
}

struct mon_core serve_core(uint32_t count)
{
	const struct rt_untyped *u = &mon.share;
	uint64_t share = u->bits ? 1ull << u->bits : 0;
	uint64_t taken = mon.bi->spawn_used + share - (share - u->used - u->lost);

	return (struct mon_core){
	        .core = mon.core,
	        .apic = arch_cpu_apic_id(),
	        .count = count,
	        .programs = serve_children(),
	        .memory = mon.bi->untyped_bytes,
	        .free = mon.bi->untyped_bytes > taken ? mon.bi->untyped_bytes - taken : 0};
}

/* MON_CORES: a client's is answered here and passed to every linked
 * monitor (their answers come back as MON_CORE, relayed); a monitor's is
 * answered. */
static void cores(unsigned from)
{
	unsigned linked = 0;

	if (from == FROM_CLIENT)
		for (unsigned c = 0; c < MON_MAX_CORES; c++)
			if (mon.peer[c].linked &&
			    !rt_chan_send(&mon.peer[c].ch, MON_CORES, NULL, 0))
				linked++;
	struct mon_core me = serve_core(1 + linked);
	rt_chan_send(&peer_of(from)->ch, MON_CORE, &me, sizeof me);
}

static void handle(struct mon_peer *p, unsigned from, const struct urpc_msg *m)
{
	struct mon_spawn s;

	switch (m->type) {
	case MON_SPAWN:
		if (m->len != sizeof s)
			break;
		memcpy(&s, m->payload, sizeof s);
		s.name[MON_NAME - 1] = 0;
		spawn_asked(p, from, &s);
		return;
	case MON_ARGS:
		if (take_args(p, from, m) && from == FROM_CLIENT)
			client_spawn(&p->in, p->args);
		return;
	case MON_IMAGE:
		if (from != FROM_CLIENT)
			peer_image(p, from, m);
		return;
	case MON_SPAWNED:
		if (from != FROM_CLIENT && m->len == sizeof(struct mon_spawned))
			peer_answer(m);
		return;
	case MON_KILL:
		if (m->len == sizeof(struct mon_kill))
			kill(m);
		return;
	case MON_ENDED:
		if (from != FROM_CLIENT && m->len == sizeof(struct mon_ended) && mon.has_client)
			rt_chan_send(&mon.client.ch, MON_ENDED, m->payload, m->len);
		return;
	case MON_CORES: cores(from); return;
	case MON_CORE:
		if (from != FROM_CLIENT && m->len == sizeof(struct mon_core) && mon.has_client)
			rt_chan_send(&mon.client.ch, MON_CORE, m->payload, m->len);
		return;
	case MON_STATS: stats_asked(&peer_of(from)->ch, from == FROM_CLIENT); return;
	case MON_STAT:
	case MON_STAT_LINK:
		if (from != FROM_CLIENT && mon.has_client)
			rt_chan_send(&mon.client.ch, m->type, m->payload, m->len);
		return;
	}
	rt_printf("monitor: core %u: a message it does not know (type %u, %u bytes) from %s %u\n",
	          mon.core, m->type, m->len, from == FROM_CLIENT ? "its client" : "core",
	          from == FROM_CLIENT ? 0 : from);
}

void serve_poll(struct mon_peer *p, unsigned from)
{
	struct urpc_msg m;

	while (rt_chan_recv(&p->ch, &m) == ERR_OK)
		handle(p, from, &m);
}

void serve_reap(void)
{
	for (unsigned i = 0; i < MAX_CHILDREN; i++) {
		struct child *k = &children[i];
		if (!k->used || !spawn_ended(&k->c))
			continue;
		struct mon_ended end = {.child = k->id, .code = spawn_code(&k->c)};
		chans_gone(&k->c);
		enum err e = spawn_kill(&k->c);
		if (e)
			rt_printf("monitor: core %u: %s's memory is not back: %s\n", mon.core,
			          k->c.name, err_str(e));
		k->used = false;
		if (k->owner == FROM_CLIENT ? mon.has_client : mon.peer[k->owner].linked)
			rt_chan_send(&peer_of(k->owner)->ch, MON_ENDED, &end, sizeof end);
	}
}

void serve_linked(unsigned core)
{
	for (unsigned i = 0; i < MAX_WAITING; i++) {
		if (!waiting[i].used || waiting[i].s.core != core)
			continue;
		waiting[i].used = false;
		enum err e = forward(&waiting[i].s, waiting[i].args);
		if (e)
			answer(FROM_CLIENT, waiting[i].s.req, e, 0);
	}
}

unsigned serve_children(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_CHILDREN; i++)
		n += children[i].used;
	return n;
}
