/* init: the first program, started on core 0 by its monitor with a share
 * of the core's memory (its budget), the log, the boot modules, a
 * notification of its own and a channel to the monitor (rt/monproto.h).
 * It reads the startup description (startup.h: a typed configuration,
 * checked against init's schema; every problem named with its line and
 * column, and then nothing starts) and starts each program listed: on
 * core 0 itself, with a budget carved from its own and its command line
 * checked by spawn; on another core through the monitors, its command
 * line checked and encoded here first (rt_args_encode) and sent with the
 * request (that core's monitor spawns it from the module's bytes, with
 * that core's memory, and checks the arguments again).  A program for a core that is
 * not online runs on another (the monitors choose; said on the log).  Once
 * every start
 * is answered it says `tessera: user space up: N programs on M cores`,
 * then waits for the programs to end (their memory goes back to whoever
 * spawned them).  It ends with the number of programs that did not start
 * or did not end with 0. */
#include <fmt/fmt.h>
#include <rt/chan.h>
#include <rt/device.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/monproto.h>
#include <rt/rt.h>
#include <rt/service.h>
#include <rt/spawn.h>
#include <rt/thread.h>
#include <string/mem.h>

#include "init.h"

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct program programs[MAX_PROGRAMS];
unsigned count;
static unsigned failures;
struct rt_chan monitor;
bool has_monitor, has_notify;
#define MAX_SERVICES MAX_PROGRAMS

/* A service (rt/service.h): its endpoint, and the CNode its callers get. */
struct service {
	char name[STARTUP_SERVICE];
	struct rt_capref ep, callers;
};

static struct service services[MAX_SERVICES];
static unsigned nservices;
static uint64_t started_cycles; /* when main began */

/* The channel to the monitor, if it gave one. */
static void connect(void)
{
	struct cap_results_identify id;
	uint64_t at;

	has_notify = !invoke_identify(SLOT_NOTIFY, rt_depth(), &id) && id.type == CAP_NOTIFY;
	if (!has_notify || invoke_identify(SLOT_MON_CHAN, rt_depth(), &id) || id.type != CAP_FRAME)
		return;
	at = rt_map_area(1);
	enum err e = at ? rt_map(rt_root_ref(SLOT_MON_CHAN), at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&monitor, (void *)(uintptr_t)at, 1, false,
		                 rt_root_ref(SLOT_NOTIFY), rt_root_ref(SLOT_MON_NOTIFY),
		                 MON_BIT_CLIENT);
	if (e)
		rt_printf("init: no channel to the monitor: %s\n", err_str(e));
	has_monitor = !e;
}

/* p did not start: why, and the error's name or (text not "") the
 * problem spawn found with its arguments. */
static void failed(struct program *p, const char *why, enum err e, const char *text)
{
	/* an optional entry (the desktop) that does not fit is no failure */
	bool excused = p->e.optional && e == ERR_NOMEM;

	rt_printf("init: programs[%u] %s: %s%s%s\n", p->index, p->e.name, why,
	          e || text[0] ? ": " : "",
	          text[0] ? text
	          : e     ? err_str(e)
	                  : "");
	if (excused)
		rt_printf("init: programs[%u] %s is optional: not counted as a failure\n", p->index,
		          p->e.name);
	p->state = ENDED;
	p->code = -1;
	failures += !p->asker && !excused;
	if (p->asker)
		control_spawned(p, e ? e : ERR_INVAL, text[0] ? text : why);
}

/* A new object of type (size bits) from init's budget, in a new slot. */
static enum err make(unsigned type, unsigned bits, struct rt_capref *slot)
{
	uint64_t offset;
	unsigned got;

	return rt_memory() ? rt_retype_slot(rt_memory(), type, bits, slot, &offset, &got)
	                   : ERR_NOMEM;
}

/* The service of that name, made (an endpoint, and the callers' CNode:
 * rt/service.h) the first time; NULL when init has no memory for it. */
static struct service *service(const char *name)
{
	unsigned i = 0;

	while (i < nservices && strcmp(services[i].name, name) != 0)
		i++;
	struct service *s = &services[i];
	if (i < nservices)
		return s;
	if (i == MAX_SERVICES || make(CAP_ENDPOINT, 0, &s->ep) ||
	    make(CAP_CNODE, RT_SERVICE_BITS, &s->callers))
		return NULL;
	if (rt_mint(rt_ref_in(s->callers, RT_SERVICE_BITS, RT_SERVICE_EP), s->ep,
	            CAP_RIGHT_WRITE | CAP_RIGHT_GRANT))
		return NULL;
	mem_strlcpy(s->name, name, sizeof s->name);
	nservices++;
	return s;
}

bool init_service_find(const char *name, struct rt_service *out)
{
	bool running = false;

	for (unsigned i = 0; i < count && !running; i++)
		for (unsigned k = 0; k < programs[i].e.nserves; k++)
			running |= programs[i].state == RUNNING &&
			           strcmp(programs[i].e.serves[k], name) == 0;
	for (unsigned i = 0; running && i < nservices; i++)
		if (strcmp(services[i].name, name) == 0) {
			out->ep = rt_ref_in(services[i].callers, RT_SERVICE_BITS, RT_SERVICE_EP);
			out->wake =
			        rt_ref_in(services[i].callers, RT_SERVICE_BITS, RT_SERVICE_WAKE);
			return true;
		}
	return false;
}

/* The service `files` is init's own channel to the file service, which
 * passes on the shell's file requests (control.c): no endpoint. */
#define FILES   "files"
/* ... and `control` is init's own (control.c). */
#define CONTROL "control"

static bool serves_files(const struct startup_entry *e)
{
	for (unsigned k = 0; k < e->nserves; k++)
		if (strcmp(e->serves[k], FILES) == 0)
			return true;
	return false;
}

/* p serves: its notification, for its callers to wake it with. */
static void served(struct program *p)
{
	for (unsigned k = 0; k < p->e.nserves; k++) {
		if (strcmp(p->e.serves[k], FILES) == 0)
			continue;
		struct service *s = service(p->e.serves[k]);
		if (s && rt_mint(rt_ref_in(s->callers, RT_SERVICE_BITS, RT_SERVICE_WAKE),
		                 spawn_slot(&p->c, SLOT_NOTIFY), CAP_RIGHT_WRITE))
			rt_printf("init: %s: its callers cannot wake it\n", p->e.name);
	}
}

/* The services p's entry serves (their endpoints) and calls (their
 * callers' CNodes), offered by name from caps[*n] on. */
static enum err offer_services(const struct program *p, struct spawn_cap *caps, unsigned *n)
{
	for (unsigned k = 0; k < p->e.nserves + p->e.nuses; k++) {
		bool serving = k < p->e.nserves;
		const char *name = serving ? p->e.serves[k] : p->e.uses[k - p->e.nserves];
		if (serving && strcmp(name, FILES) == 0)
			continue;
		struct service *s = service(name);
		if (!s) {
			rt_printf("init: programs[%u] %s: no memory for service %s\n", p->index,
			          p->e.name, name);
			return ERR_NOMEM;
		}
		caps[*n].name = s->name;
		caps[(*n)++].cap = serving ? s->ep : s->callers;
	}
	if (p->e.control) {
		struct service *s = service(CONTROL);
		if (!s)
			return ERR_NOMEM;
		caps[*n].name = s->name;
		caps[(*n)++].cap = s->callers;
	}
	return ERR_OK;
}

/* init's own service `control` (control.c): made when an entry names it;
 * callers wake init itself. */
static void control_service(void)
{
	struct service *s = service(CONTROL);

	if (!s || rt_mint(rt_ref_in(s->callers, RT_SERVICE_BITS, RT_SERVICE_WAKE),
	                  rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE)) {
		rt_printf("init: no memory for the control service\n");
		return;
	}
	control_serve(s->ep);
}

/* The device caps p's entry names (startup.h), offered by name: OK, or
 * NOENT naming the one init does not have. */
static enum err offer_devices(const struct program *p, struct spawn_cap *caps)
{
	struct rt_capref all;
	struct prog_cap info;
	bool have = rt_named_cap("devices", &all, &info) == ERR_OK;

	for (unsigned i = 0; i < p->e.ndevs; i++) {
		caps[i].name = p->e.devs[i];
		if (have && strcmp(p->e.devs[i], "devices") == 0)
			caps[i].cap = all;
		else if (!have || rt_device_find(all, RT_DEVICES_BITS, 1u << RT_DEVICES_BITS,
		                                 p->e.devs[i], &caps[i].cap)) {
			rt_printf("init: programs[%u] %s: no device cap %s\n", p->index, p->e.name,
			          p->e.devs[i]);
			return ERR_NOENT;
		}
	}
	return ERR_OK;
}

/* What is left of init's budget, which its programs on core 0 come from:
 * each takes its memory and a block for its objects (rt/spawn.h). */
static uint64_t budget_free(void)
{
	const struct rt_untyped *u = rt_memory();

	return u ? (1ull << u->bits) - u->used : 0;
}

/* What init keeps of its budget for itself (its heap, stacks, channels):
 * a start that would leave less is refused, so a full budget stops the
 * programs that do not fit, never init. */
#define INIT_RESERVE  (512u << 10)
/* A child's objects' block beside its budget (rt/spawn.h). */
#define CHILD_OBJECTS (256u << 10)

/* A problem of p's configuration, naming its module, line and field. */
static void config_problem(void *ctx, const struct typed_error *e)
{
	const struct program *p = ctx;
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 64];

	typed_error_format(e, p->e.config, line, sizeof line);
	rt_printf("init: programs[%u] %s: %s\n", p->index, p->e.name, line);
}

/* p's configuration text (its entry's module `config`) checked against
 * the config schema in its tile and encoded into msg (*size: its room,
 * then its length; 0 when it has none).  false: refused, p failed. */
static bool configure(struct program *p, uint8_t *msg, size_t *size)
{
	const struct bootinfo_module *cm = p->e.config[0] ? rt_module(p->e.config) : NULL;
	const struct bootinfo_module *m = rt_module(p->e.name);
	struct typed_diag d = {config_problem, p, 0};
	struct rt_mapping map, cmap;
	const struct typed_type *t;
	struct typed_arena a;
	void *mem = NULL;
	enum err e;

	if (!p->e.config[0]) {
		*size = 0;
		return true;
	}
	if (!cm || !m) {
		fmt_snprintf(p->c.why, sizeof p->c.why, "no module %s",
		             cm ? p->e.name : p->e.config);
		failed(p, "not started", ERR_OK, p->c.why);
		return false;
	}
	if ((e = rt_module_map(m, &map)) != ERR_OK) {
		failed(p, "not started", e, "");
		return false;
	}
	if (!(e = rt_module_map(cm, &cmap))) {
		mem = malloc(STARTUP_ARENA);
		typed_arena_init(&a, mem, mem ? STARTUP_ARENA : 0);
		e = mem ? rt_config_type(p->e.name, map.data, map.size, &a, &t, p->c.why,
		                         sizeof p->c.why)
		        : ERR_NOMEM;
		if (!e)
			e = startup_config(t, cmap.data, cmap.size, &a, msg, size, &d);
		free(mem);
		rt_module_unmap(&cmap);
	}
	rt_module_unmap(&map);
	if (e && d.count)
		fmt_snprintf(p->c.why, sizeof p->c.why,
		             "its configuration %s is refused (%u problem%s)", p->e.config, d.count,
		             d.count == 1 ? "" : "s");
	if (e)
		failed(p, "not started", p->c.why[0] ? ERR_OK : e, p->c.why);
	return !e;
}

/* Spawns p on this core. */
static void start_here(struct program *p)
{
	struct spawn_cap devs[STARTUP_DEVS + 2 * STARTUP_SERVICES + 1];
	static uint8_t config[PROG_ARGS_BYTES];
	size_t config_size = sizeof config;
	if (!configure(p, config, &config_size))
		return;
	const struct bootinfo_module *m = rt_module(p->e.name);
	struct rt_mapping map;
	unsigned ncaps = p->e.ndevs;
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e == ERR_NOENT) {
		failed(p, "not started: no such module", ERR_OK, "");
		return;
	}
	if (!e && rt_memory() &&
	    budget_free() < (1ull << p->e.budget_bits) + CHILD_OBJECTS + INIT_RESERVE) {
		rt_module_unmap(&map);
		fmt_snprintf(p->c.why, sizeof p->c.why,
		             "out of memory (init's budget: %llu of %llu KiB free, %u of them kept "
		             "for init)",
		             (unsigned long long)(budget_free() >> 10),
		             (unsigned long long)(1ull << rt_memory()->bits >> 10),
		             INIT_RESERVE >> 10);
		failed(p, "not started", ERR_NOMEM, p->c.why);
		return;
	}
	if (!e && (offer_devices(p, devs) || offer_services(p, devs, &ncaps))) {
		rt_module_unmap(&map);
		failed(p, "not started: a device cap or service is missing", ERR_OK, "");
		return;
	}
	struct spawn_grant grants[2];
	bool files = serves_files(&p->e), chan = p->e.system || files;
	if (!e && chan && (files ? control_files_grants(grants) : control_grants(grants))) {
		rt_module_unmap(&map);
		failed(p, "not started: no channel to init", ERR_OK, "");
		return;
	}
	if (!e) {
		/* every module init has: a tile gets only those its manifest
		 * names (the file service: its block driver's; the shell: all,
		 * `cap * module r`), so caps = [modules] asks for nothing more */
		const struct bootinfo_module *mods[BOOTINFO_MODULES];
		unsigned nmods =
		        rt_module_count() < BOOTINFO_MODULES ? rt_module_count() : BOOTINFO_MODULES;
		for (unsigned i = 0; i < nmods; i++)
			mods[i] = rt_module_at(i);
		struct spawn_args a = {.name = p->e.name,
		                       .image = map.data,
		                       .size = map.size,
		                       .budget_bits = p->e.budget_bits,
		                       .log = p->e.log,
		                       .priority = p->e.priority,
		                       .argv = p->e.argv,
		                       .argc = p->e.argc,
		                       .notify = true,
		                       .caps = devs,
		                       .ncaps = ncaps,
		                       .modules = mods,
		                       .nmodules = nmods,
		                       .end_notify = rt_root_ref(SLOT_NOTIFY),
		                       .end_bits = has_notify ? CLIENT_BIT_CHILD : 0,
		                       .chan = p->partner < 0 ? 0 : 1 + (p->partner < p - programs),
		                       .grants = grants,
		                       .ngrants = chan ? 2 : 0,
		                       .args_msg = p->args_msg,
		                       .args_size = p->args_size,
		                       .config_msg = config_size ? config : NULL,
		                       .config_size = config_size};
		if (p->args_msg)
			a.argv = NULL, a.argc = 0;
		if (!has_notify)
			a.end_notify.depth = 0;
		e = spawn_start(&a, &p->c);
		rt_module_unmap(&map);
	}
	if (e == ERR_NOMEM && !p->c.why[0] && rt_memory()) /* whose memory: init's budget */
		fmt_snprintf(p->c.why, sizeof p->c.why,
		             "out of memory (init's budget: %llu of %llu KiB free)",
		             (unsigned long long)(budget_free() >> 10),
		             (unsigned long long)(1ull << rt_memory()->bits >> 10));
	if (e) {
		failed(p, "not started", e, p->c.why);
		return;
	}
	p->core = 0;
	p->state = RUNNING;
	p->started = true;
	served(p);
	rt_printf("init: %s started on core 0 (%llu KiB)\n", p->e.name,
	          (unsigned long long)(1ull << p->e.budget_bits >> 10));
	if (p->e.system)
		control_started(p);
	else if (files)
		control_files_started(p);
	if (p->asker)
		control_spawned(p, ERR_OK, "");
}

/* p's command line checked against its program's schema and encoded
 * into msg (*size: its length), as the spawn on its core will check it. */
static enum err encode_args(struct program *p, uint8_t *msg, size_t *size)
{
	const struct bootinfo_module *m = rt_module(p->e.name);
	struct rt_mapping map;
	char why[SPAWN_WHY];
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e) {
		failed(p, e == ERR_NOENT ? "not started: no such module" : "not started",
		       e == ERR_NOENT ? ERR_OK : e, "");
		return e;
	}
	*size = MON_ARGS_MAX;
	e = rt_args_encode(p->e.name, map.data, map.size, p->e.argc, p->e.argv, msg, size, why,
	                   sizeof why);
	rt_module_unmap(&map);
	if (e)
		failed(p, "not started", e, why);
	return e;
}

/* The request and its arguments to the monitor. */
static enum err send_spawn(const struct mon_spawn *s, const uint8_t *args)
{
	enum err e = rt_chan_send(&monitor, MON_SPAWN, s, sizeof *s);

	for (size_t at = 0; !e && at < s->args_size; at += URPC_PAYLOAD_MAX)
		e = rt_chan_send(&monitor, MON_ARGS, args + at,
		                 s->args_size - at < URPC_PAYLOAD_MAX ? s->args_size - at
		                                                      : URPC_PAYLOAD_MAX);
	return e;
}

/* Asks the monitors to spawn p on its core. */
static void start_there(struct program *p)
{
	static uint8_t args[MON_ARGS_MAX];
	size_t size;
	struct mon_spawn s = {.req = (uint32_t)(p - programs),
	                      .core = p->e.core,
	                      .budget_bits = p->e.budget_bits,
	                      .flags = p->e.log ? MON_SPAWN_LOG : 0};
	enum err e = ERR_UNSUPPORTED;

	if (p->args_msg) {
		memcpy(args, p->args_msg, p->args_size);
		size = p->args_size;
	} else if (encode_args(p, args, &size)) {
		return;
	}
	/* its configuration follows the arguments: that spawn splits them */
	size_t config_size = MON_ARGS_MAX - size;
	if (!configure(p, args + size, &config_size))
		return;
	s.args_size = (uint16_t)(size + config_size);
	mem_strlcpy(s.name, p->e.name, sizeof s.name);
	if (p->partner >= 0) {
		s.flags |= MON_SPAWN_CHAN | (p->partner < p - programs ? MON_SPAWN_SIDE : 0);
		s.chan = (uint16_t)((p->partner < p - programs ? p->partner : p - programs) + 1);
		s.peer = (uint16_t)programs[p->partner].e.core;
	}
	if (has_monitor)
		e = send_spawn(&s, args);
	if (e) {
		rt_printf("init: programs[%u] %s on core %u: no monitor to start it%s%s\n",
		          p->index, p->e.name, p->e.core, e == ERR_UNSUPPORTED ? "" : ": ",
		          e == ERR_UNSUPPORTED ? "" : err_str(e));
		p->state = ENDED;
		p->code = -1;
		failures += !p->asker;
		if (p->asker)
			control_spawned(p, e, "no monitor to start it");
		return;
	}
	p->remote = true;
	p->state = ASKED;
}

/* Channels: each names exactly two programs; the first is side 0. */
static void pair(void)
{
	for (unsigned i = 0; i < count; i++) {
		struct program *p = &programs[i];
		unsigned n = 0;
		if (!p->e.chan[0])
			continue;
		for (unsigned j = 0; j < count; j++)
			if (j != i && strcmp(programs[j].e.chan, p->e.chan) == 0) {
				n++;
				p->partner = (int)j;
			}
		if (n != 1) {
			rt_printf("init: programs[%u] %s: channel %s names %u other programs, not "
			          "one\n",
			          p->index, p->e.name, p->e.chan, n);
			p->partner = -1;
			p->state = ENDED;
			failures++;
		}
	}
}

void init_start(struct program *p)
{
	if (p->e.core == 0 && (p->partner < 0 || local_chan(p)))
		start_here(p);
	else
		start_there(p); /* a channel between cores is the monitors' to make */
}

static void start_all(void)
{
	for (unsigned i = 0; i < count; i++)
		if (programs[i].state != ENDED)
			init_start(&programs[i]);
	for (unsigned i = 0; i < count; i++)
		if (programs[i].partner > (int)i && local_chan(&programs[i]))
			local_pair(&programs[i]);
}

/* Every problem of the description, with its line and column. */
static void startup_problem(void *ctx, const struct typed_error *e)
{
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 32];

	(void)ctx;
	typed_error_format(e, "startup", line, sizeof line);
	rt_printf("init: %s\n", line);
}

/* The description: checked whole (nothing starts if any of it is
 * refused), then its programs started. */
static void read_startup(const char *text, size_t size)
{
	static struct startup_entry entries[MAX_PROGRAMS];
	struct typed_diag d = {startup_problem, NULL, 0};
	void *mem = malloc(STARTUP_ARENA); /* kept: the command lines point into it */
	struct typed_arena a;
	enum err e = mem ? ERR_OK : ERR_NOMEM;

	if (!e) {
		typed_arena_init(&a, mem, STARTUP_ARENA);
		e = startup_read(text, size, &a, entries, MAX_PROGRAMS, &count, &d);
	}
	if (e) {
		rt_printf("init: the startup description is refused (%u problem%s)%s%s\n", d.count,
		          d.count == 1 ? "" : "s", e == ERR_CORRUPT ? "" : ": ",
		          e == ERR_CORRUPT ? "" : err_str(e));
		failures += d.count ? d.count : 1;
		return;
	}
	bool control = false;
	for (unsigned i = 0; i < count; i++) {
		programs[i] = (struct program){.e = entries[i], .index = i, .partner = -1};
		control |= entries[i].control;
	}
	if (control && has_notify)
		control_service();
	pair();
	start_all();
}

static void ended(struct program *p, int code)
{
	rt_printf("init: %s ended with %d\n", p->e.name, code);
	failures += code != 0 && !p->asker;
	p->state = ENDED;
	p->code = code;
	if (p->partner >= 0 && local_chan(p))
		local_gone(p);
	if (p->killer)
		control_killed(p);
}

/* A program whose channel's other side did not start: it would wait for
 * its channel for ever, so it goes. */
static void orphan(struct program *p)
{
	struct mon_kill k = {.child = p->child};

	rt_printf("init: %s stopped: the other side of its channel %s did not start\n", p->e.name,
	          p->e.chan);
	if (rt_chan_send(&monitor, MON_KILL, &k, sizeof k)) {
		p->state = ENDED;
		failures++;
	}
}

static bool partner_failed(const struct program *p)
{
	return p->partner >= 0 && programs[p->partner].state == ENDED &&
	       !programs[p->partner].started;
}

static void spawned(const struct mon_spawned *a)
{
	if (a->req >= count || programs[a->req].state != ASKED)
		return;
	struct program *p = &programs[a->req];
	if (a->err) {
		failed(p, "not started by the monitors", (enum err)a->err, "");
		if (p->asker)
			return;
		if (p->partner >= 0 && programs[p->partner].state == RUNNING &&
		    programs[p->partner].remote)
			orphan(&programs[p->partner]);
	} else {
		p->core = (unsigned)(a->child >> 32);
		p->child = a->child;
		p->state = RUNNING;
		p->started = true;
		char instead[40] = "";
		if (p->core != p->e.core)
			fmt_snprintf(instead, sizeof instead, "; core %u is not online", p->e.core);
		rt_printf("init: %s started on core %u (%llu KiB%s)\n", p->e.name, p->core,
		          (unsigned long long)(1ull << p->e.budget_bits >> 10), instead);
		if (partner_failed(p))
			orphan(p);
		if (p->asker)
			control_spawned(p, ERR_OK, "");
	}
}

/* The monitor's messages: answers and ends of programs on other cores. */
static void from_monitor(void)
{
	struct urpc_msg m;

	while (has_monitor && rt_chan_recv(&monitor, &m) == ERR_OK) {
		if (m.type == MON_SPAWNED && m.len == sizeof(struct mon_spawned)) {
			struct mon_spawned a;
			memcpy(&a, m.payload, sizeof a);
			spawned(&a);
		} else if (m.type == MON_CORE) {
			control_core(&m);
		} else if (m.type == MON_STAT || m.type == MON_STAT_LINK) {
			control_stat(&m);
		} else if (m.type == MON_ENDED && m.len == sizeof(struct mon_ended)) {
			struct mon_ended end;
			memcpy(&end, m.payload, sizeof end);
			for (unsigned i = 0; i < count; i++)
				if (programs[i].remote && programs[i].state == RUNNING &&
				    programs[i].child == end.child)
					ended(&programs[i], end.code);
		}
	}
}

/* Programs of this core that ended: their code, their memory back. */
static void reap_here(void)
{
	for (unsigned i = 0; i < count; i++) {
		struct program *p = &programs[i];
		if (p->remote || p->state != RUNNING || !spawn_ended(&p->c))
			continue;
		init_kill_here(p, spawn_code(&p->c));
	}
}

void init_kill_here(struct program *p, int code)
{
	enum err e = spawn_kill(&p->c);

	if (e)
		rt_printf("init: %s's memory is not back: %s\n", p->e.name, err_str(e));
	ended(p, code);
}

/* Programs in state s; drivers and services (programs given device caps
 * or init's channel, which serve for as long as the machine runs) or the
 * rest. */

/* Drivers (programs given device caps), the programs of services and
 * those given init's channel serve for as long as the machine runs: init
 * does not wait for them. */
static bool long_running(const struct startup_entry *e)
{
	return e->ndevs || e->nserves || e->nuses || e->system || e->control;
}

/* Programs in state s; drivers and services (long_running) or the rest. */
static unsigned in_state_of(enum state s, bool drivers)
{
	unsigned n = 0;

	for (unsigned i = 0; i < count; i++)
		n += programs[i].state == s && long_running(&programs[i].e) == drivers;
	return n;
}

static unsigned in_state(enum state s)
{
	return in_state_of(s, false) + in_state_of(s, true);
}

/* Once every start is answered: how many started, on how many cores. */
static void announce(void)
{
	uint64_t cores = 0;
	unsigned n = 0, m = 0;

	for (unsigned i = 0; i < count; i++) {
		if (!programs[i].started)
			continue;
		n++;
		cores |= 1ull << programs[i].core;
	}
	for (unsigned c = 0; c < 64; c++)
		m += cores >> c & 1;
	rt_printf("tessera: user space up: %u program%s on %u core%s\n", n, n == 1 ? "" : "s", m,
	          m == 1 ? "" : "s");
	/* the guest's clock (the cycle counter, from the machine's reset) for
	 * benchmarks: when init began and when every start was answered */
	uint64_t hz = rt_cycles_hz(), now = rt_cycles();
	if (hz >= 1000000)
		rt_printf("init: clocks: init started %llu us, user space up %llu us after reset\n",
		          (unsigned long long)(started_cycles / (hz / 1000000)),
		          (unsigned long long)(now / (hz / 1000000)));
}

static void wait_events(void)
{
	struct rt_chan *chans[2 + MAX_PROGRAMS];
	unsigned n = 0;

	if (has_monitor)
		chans[n++] = &monitor;
	if (control_files_chan())
		chans[n++] = control_files_chan();
	n += control_chans(chans + n, MAX_PROGRAMS);
	if (has_notify)
		control_woken(rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, n));
	else
		rt_thread_yield();
}

int main(void)
{
	started_cycles = rt_cycles();
	const struct bootinfo_module *m = rt_module("startup");
	struct rt_mapping map;
	bool announced = false;

	if (!m) {
		rt_printf("init: no startup description (boot module \"startup\")\n");
		return 1;
	}
	enum err e = rt_module_map(m, &map);
	if (e) {
		rt_printf("init: the startup description cannot be read: %s\n", err_str(e));
		return 1;
	}
	connect();
	read_startup(map.data, map.size);
	rt_module_unmap(&map);
	bool said = false;
	for (;;) {
		from_monitor();
		reap_here();
		control_poll();
		if (!announced && !in_state(ASKED)) {
			announce();
			announced = true;
		}
		/* drivers serve for as long as the machine runs: not waited for */
		if (!said && !in_state(ASKED) && !in_state_of(RUNNING, false)) {
			unsigned d = in_state_of(RUNNING, true);
			rt_printf("init: every program has ended; %u failed%s\n", failures,
			          d ? " (the drivers go on)" : "");
			said = true;
			control_ready();
		}
		if (!in_state(ASKED) && !in_state(RUNNING))
			break;
		wait_events();
	}
	return failures > 127 ? 127 : (int)failures;
}
