/* init's service to the shell (rt/initproto.h): a channel init makes for
 * the program whose startup entry names `init`, and the requests on it:
 * the cores (asked of the monitors, their answers relayed), the programs
 * init started, a spawn (its arguments already checked and encoded by the
 * shell, checked again by the spawn), a kill, and a program's caps.  The
 * file protocol's requests (user/fs/fsproto.h) are passed on, as they
 * are, on a second channel init makes for the file service (the entry
 * that serves `files`), and its answers back. */
#include <fmt/fmt.h>
#include <rt/device.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "../fs/fsproto.h"
#include "init.h"

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

static struct {
	bool made, up;
	struct rt_chan ch;
	struct rt_capref frame;
	struct program *shell;
	uint32_t cores_left; /* MON_CORE answers still to come (0: none asked) */
	uint32_t cores_sent;
	bool ready, ready_sent;
	/* a spawn being received: the request, then its arguments */
	struct init_spawn spawn;
	uint32_t args_got;
	uint8_t args[MON_ARGS_MAX];
} ctl;

/* The file service's channel: init is side 0, the service side 1. */
static struct {
	bool made, up;
	struct rt_chan ch;
	struct rt_capref frame;
	struct program *p;
} files;

/* A channel in a new frame of init's budget (init side 0, its peer named
 * once the program runs) and the grants that give it to the program. */
static enum err make_chan(struct rt_chan *ch, struct rt_capref *frame, struct spawn_grant g[2])
{
	uint64_t offset, at = rt_map_area(1);
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, frame, &offset, &bits);

	if (!e)
		e = at ? rt_map(*frame, at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(ch, (void *)(uintptr_t)at, 0, true, rt_root_ref(SLOT_NOTIFY),
		                 (struct rt_capref){0}, CLIENT_BIT_MON);
	if (e)
		return e;
	g[0] = (struct spawn_grant){*frame, SLOT_MON_CHAN, RW};
	g[1] = (struct spawn_grant){rt_root_ref(SLOT_NOTIFY), SLOT_MON_NOTIFY, CAP_RIGHT_WRITE};
	return ERR_OK;
}

enum err control_grants(struct spawn_grant g[2])
{
	enum err e = ctl.made ? ERR_BUSY : make_chan(&ctl.ch, &ctl.frame, g);

	ctl.made = !e;
	return e;
}

enum err control_files_grants(struct spawn_grant g[2])
{
	enum err e = files.made ? ERR_BUSY : make_chan(&files.ch, &files.frame, g);

	files.made = !e;
	return e;
}

void control_started(struct program *p)
{
	ctl.ch.peer = spawn_slot(&p->c, SLOT_NOTIFY);
	ctl.shell = p;
	ctl.up = true;
	if (ctl.ready)
		control_ready();
}

void control_files_started(struct program *p)
{
	files.ch.peer = spawn_slot(&p->c, SLOT_NOTIFY);
	files.p = p;
	files.up = true;
}

struct rt_chan *control_files_chan(void)
{
	return files.up && files.p->state == RUNNING ? &files.ch : NULL;
}

/* A file request from the shell: to the file service, or ERR_UNSUPPORTED
 * (none running: it did not start, found no disk, or ended). */
static void to_files(const struct urpc_msg *m)
{
	struct fs_reply r = {.err = ERR_UNSUPPORTED};

	if (control_files_chan() && !rt_chan_send(&files.ch, m->type, m->payload, m->len))
		return;
	rt_chan_send(&ctl.ch, FS_REPLY, &r, sizeof r);
}

/* The file service's answers, to the shell as they are. */
static void from_files(void)
{
	struct urpc_msg m;

	while (control_files_chan() && rt_chan_recv(&files.ch, &m) == ERR_OK)
		if (ctl.up && (m.type == FS_REPLY || m.type == FS_DATA))
			rt_chan_send(&ctl.ch, m.type, m.payload, m.len);
}

struct rt_chan *control_chan(void)
{
	return ctl.up ? &ctl.ch : NULL;
}

static void done(enum err e, uint32_t n, const struct program *p, const char *why)
{
	struct init_done d = {.err = (int32_t)e, .count = n};

	if (p) {
		d.pid = (uint32_t)(p - programs) + 1;
		d.core = p->core;
	}
	mem_strlcpy(d.why, why, sizeof d.why);
	rt_chan_send(&ctl.ch, INIT_DONE, &d, sizeof d);
}

static void ps(void)
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
		rt_chan_send(&ctl.ch, INIT_PROC, &r, sizeof r);
	}
	done(ERR_OK, count, NULL, "");
}

static struct program *by_pid(const struct urpc_msg *m)
{
	struct init_pid q;

	if (m->len != sizeof q)
		return NULL;
	memcpy(&q, m->payload, sizeof q);
	return q.pid >= 1 && q.pid <= count ? &programs[q.pid - 1] : NULL;
}

static void kill(const struct urpc_msg *m)
{
	struct program *p = by_pid(m);

	if (!p || p->state != RUNNING) {
		done(ERR_NOENT, 0, NULL, p ? "it is not running" : "no such program");
		return;
	}
	if (p == ctl.shell || (p->partner >= 0 && &programs[p->partner] == ctl.shell)) {
		done(ERR_PERM, 0, NULL,
		     p == ctl.shell ? "it is the shell asking" : "it is the shell's console");
		return;
	}
	p->killing = true;
	if (!p->remote) {
		init_kill_here(p, -1);
		return;
	}
	struct mon_kill k = {.child = p->child};
	enum err e = rt_chan_send(&monitor, MON_KILL, &k, sizeof k);
	if (e) {
		p->killing = false;
		done(e, 0, NULL, "its monitor cannot be asked");
	}
}

void control_killed(struct program *p)
{
	p->killing = false;
	done(ERR_OK, 0, p, "");
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
static void caps(const struct urpc_msg *m)
{
	struct program *p = by_pid(m);
	uint32_t n = 0;
	char why[40];

	if (!p || p->state != RUNNING) {
		done(ERR_NOENT, 0, NULL, p ? "it is not running" : "no such program");
		return;
	}
	if (p->remote) {
		fmt_snprintf(why, sizeof why, "its caps are core %u's monitor's", p->core);
		done(ERR_UNSUPPORTED, 0, p, why);
		return;
	}
	for (uint32_t s = 1; s < 1u << SPAWN_CNODE_BITS; s++) {
		struct rt_capref c = spawn_slot(&p->c, s);
		struct cap_results_identify id;
		if (invoke_identify(c.addr, c.depth, &id) || id.type == CAP_NULL)
			continue;
		struct init_cap r = {.slot = s,
		                     .type = (uint16_t)id.type,
		                     .rights = (uint16_t)id.rights,
		                     .base = id.base,
		                     .size_bits = (uint32_t)id.size_bits};
		mem_strlcpy(r.name, slot_name(s), sizeof r.name);
		if (!r.name[0])
			rt_device_name(&id, r.name, sizeof r.name);
		rt_chan_send(&ctl.ch, INIT_CAP, &r, sizeof r);
		n++;
	}
	done(ERR_OK, n, p, "");
}

/* INIT_SPAWN complete with its arguments: a new entry, started. */
static void spawn(void)
{
	struct program *p;

	if (count == MAX_PROGRAMS) {
		done(ERR_FULL, 0, NULL, "init's table of programs is full");
		return;
	}
	p = &programs[count];
	*p = (struct program){.index = count, .partner = -1, .by_shell = true, .state = ASKED};
	mem_strlcpy(p->e.name, ctl.spawn.name, sizeof p->e.name);
	p->e.core = ctl.spawn.core;
	p->e.budget_bits = ctl.spawn.budget_bits;
	p->e.log = true;
	p->args_msg = ctl.args;
	p->args_size = ctl.spawn.args_size;
	count++;
	init_start(p);
	p->args_msg = NULL;
}

void control_spawned(struct program *p, enum err e, const char *why)
{
	done(e, 0, p, why);
	if (e && p == &programs[count - 1])
		count--; /* never started: not kept */
}

static void spawn_asked(const struct urpc_msg *m)
{
	if (m->len != sizeof ctl.spawn) {
		done(ERR_INVAL, 0, NULL, "a malformed request");
		return;
	}
	memcpy(&ctl.spawn, m->payload, sizeof ctl.spawn);
	ctl.spawn.name[MON_NAME - 1] = 0;
	ctl.args_got = 0;
	if (ctl.spawn.args_size > MON_ARGS_MAX || ctl.spawn.budget_bits < 12 ||
	    ctl.spawn.budget_bits > 30) {
		done(ERR_RANGE, 0, NULL, "arguments or budget too large");
		ctl.spawn.args_size = 0;
		return;
	}
	if (!ctl.spawn.args_size)
		spawn();
}

static void args(const struct urpc_msg *m)
{
	if (ctl.args_got + m->len > ctl.spawn.args_size)
		return;
	memcpy(ctl.args + ctl.args_got, m->payload, m->len);
	ctl.args_got += m->len;
	if (ctl.args_got == ctl.spawn.args_size)
		spawn();
}

void control_core(const struct urpc_msg *m)
{
	struct mon_core c;

	if (!ctl.cores_left || m->len != sizeof c)
		return;
	memcpy(&c, m->payload, sizeof c);
	if (ctl.cores_sent == 0)
		ctl.cores_left = c.count;
	rt_chan_send(&ctl.ch, MON_CORE, &c, sizeof c);
	ctl.cores_sent++;
	if (--ctl.cores_left == 0)
		done(ERR_OK, ctl.cores_sent, NULL, "");
}

static void cores(void)
{
	if (!has_monitor || rt_chan_send(&monitor, MON_CORES, NULL, 0)) {
		done(ERR_UNSUPPORTED, 0, NULL, "init has no monitor to ask");
		return;
	}
	ctl.cores_left = 1; /* until the first answer says how many */
	ctl.cores_sent = 0;
}

/* MON_STATS relayed: the monitors' MON_STAT and MON_STAT_LINK answers go
 * on to the shell as they come (each MON_STAT says how many links follow
 * it, the first how many MON_STATs come), then INIT_DONE (count: the
 * MON_STATs). */
static struct {
	bool asked;
	uint32_t stats_left, links_left, sent;
} stats;

void control_stat(const struct urpc_msg *m)
{
	struct mon_stat s;

	if (!stats.asked)
		return;
	if (m->type == MON_STAT && m->len == sizeof s && stats.stats_left) {
		memcpy(&s, m->payload, sizeof s);
		if (stats.sent++ == 0)
			stats.stats_left = s.count ? s.count : 1;
		stats.stats_left--;
		stats.links_left += s.links;
	} else if (m->type == MON_STAT_LINK && m->len == sizeof(struct mon_stat_link) &&
	           stats.links_left) {
		stats.links_left--;
	} else {
		return;
	}
	rt_chan_send(&ctl.ch, m->type, m->payload, m->len);
	if (!stats.stats_left && !stats.links_left) {
		stats.asked = false;
		done(ERR_OK, stats.sent, NULL, "");
	}
}

static void stats_asked(void)
{
	if (!has_monitor || rt_chan_send(&monitor, MON_STATS, NULL, 0)) {
		done(ERR_UNSUPPORTED, 0, NULL, "init has no monitor to ask");
		return;
	}
	stats.asked = true;
	stats.stats_left = 1; /* until the first answer says how many */
	stats.links_left = stats.sent = 0;
}

void control_poll(void)
{
	struct urpc_msg m;

	from_files();
	while (ctl.up && rt_chan_recv(&ctl.ch, &m) == ERR_OK) {
		switch (m.type) {
		case MON_CORES: cores(); break;
		case MON_STATS: stats_asked(); break;
		case INIT_PS: ps(); break;
		case INIT_SPAWN: spawn_asked(&m); break;
		case INIT_ARGS: args(&m); break;
		case INIT_KILL: kill(&m); break;
		case INIT_CAPS: caps(&m); break;
		default:
			if (m.type >= FS_WALK && m.type <= FS_CLOSE) {
				to_files(&m); /* user/shell/files.c */
				break;
			}
			done(ERR_INVAL, 0, NULL, "a request init does not know");
		}
	}
}

void control_ready(void)
{
	ctl.ready = true;
	if (ctl.up && !ctl.ready_sent)
		ctl.ready_sent = !rt_chan_send(&ctl.ch, INIT_READY, NULL, 0);
}
