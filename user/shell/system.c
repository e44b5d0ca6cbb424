/* The system's commands, a library of lib/shell signatures: cores, mem
 * (init relays the monitors' answers), ps, spawn, kill, caps (init's
 * table and init's own requests, rt/initproto.h), uptime (the cycle
 * counter) and log.  Every signature is here, in one table (sigs[]). */
#include <fmt/fmt.h>
#include <rt/image.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tile/tile.h>

#include "sh.h"

#define ARGV_MAX 32
#define LINE_MAX 256

static const struct typed_type t_core = {.kind = TYPED_UINT, .u = {0, 63}};
static const struct typed_type t_apic = {.kind = TYPED_UINT, .u = {0, UINT32_MAX}};
static const struct typed_type t_size = {.kind = TYPED_SIZE, .u = {0, UINT64_MAX}};
static const struct typed_type t_uint = {.kind = TYPED_UINT, .u = {0, UINT64_MAX}};
static const struct typed_type t_int = {.kind = TYPED_INT, .i = {INT32_MIN, INT32_MAX}};
static const struct typed_type t_pid = {.kind = TYPED_UINT, .u = {1, 64}};
static const struct typed_type t_name = {.kind = TYPED_STRING, .str = {31}};
static const struct typed_type t_text = {.kind = TYPED_STRING, .str = {LINE_MAX - 1}};
static const struct typed_type t_dur = {.kind = TYPED_DURATION, .u = {0, UINT64_MAX}};
static const char *const state_names[] = {"asked", "running", "ended"};
static const struct typed_type t_state = {.kind = TYPED_ENUM, .en = {state_names, 3}};
static const char *const kind_names[] = {"program", "driver", "service"};
static const struct typed_type t_kind = {.kind = TYPED_ENUM, .en = {kind_names, 3}};

/* cores: table(core, apic, memory, free, programs) */
static const struct typed_field core_f[] = {
        {"core", "the core's number", &t_core, NULL},
        {"apic", "its local APIC id", &t_apic, NULL},
        {"memory", "the RAM its CPU driver was given", &t_size, NULL},
        {"free", "... of it no program or monitor holds", &t_size, NULL},
        {"programs", "programs its monitor started that run", &t_uint, NULL}};
static const struct typed_type core_row = {.kind = TYPED_RECORD, .rec = {core_f, 5}};
static const struct typed_type core_table = {.kind = TYPED_LIST, .list = {&core_row, 64}};

/* ps: table(pid, name, core, mem, state, kind, code) */
static const struct typed_field ps_f[] = {
        {"pid", "its place in init's table", &t_pid, NULL},
        {"name", "its boot module", &t_name, NULL},
        {"core", "where it runs", &t_core, NULL},
        {"mem", "its budget", &t_size, NULL},
        {"state", "asked, running or ended", &t_state, NULL},
        {"kind", "program, driver (device caps) or service (init's channel)", &t_kind, NULL},
        {"code", "its exit code once ended (-1: killed or not started)", &t_int, NULL}};
static const struct typed_type ps_row = {.kind = TYPED_RECORD, .rec = {ps_f, 7}};
static const struct typed_type ps_table = {.kind = TYPED_LIST, .list = {&ps_row, 64}};

/* mem: record(total, used, free) */
static const struct typed_field mem_f[] = {
        {"total", "RAM the cores' CPU drivers were given", &t_size, NULL},
        {"used", "held by programs, monitors and their kernels' objects", &t_size, NULL},
        {"free", "not yet handed out", &t_size, NULL}};
static const struct typed_type mem_rec = {.kind = TYPED_RECORD, .rec = {mem_f, 3}};

/* caps: table(slot, name, type, rights, base, bits) */
static const struct typed_type t_slot = {.kind = TYPED_UINT, .u = {0, 255}};
static const struct typed_type t_type = {.kind = TYPED_STRING, .str = {15}};
static const struct typed_type t_rights = {.kind = TYPED_STRING, .str = {7}};
static const struct typed_type t_hex = {.kind = TYPED_STRING, .str = {18}};
static const struct typed_field cap_f[] = {
        {"slot", "its slot in the program's root CNode", &t_slot, NULL},
        {"name", "what the slot is for, or the device's name", &t_name, NULL},
        {"type", "the object", &t_type, NULL},
        {"rights", "r read, w write, x execute, g grant, t retype", &t_rights, NULL},
        {"base", "physical address, first port or line (hex)", &t_hex, NULL},
        {"bits", "log2 of its size", &t_uint, NULL}};
static const struct typed_type cap_row = {.kind = TYPED_RECORD, .rec = {cap_f, 6}};
static const struct typed_type cap_table = {.kind = TYPED_LIST, .list = {&cap_row, 256}};

/* A copy of s (n bytes) in the call's arena as v's string. */
static bool put_str(struct shell_call *c, struct typed_value *v, const char *s, size_t n)
{
	char *p = typed_arena_alloc(c->arena, n + 1);

	if (!p)
		return false;
	memcpy(p, s, n);
	p[n] = 0;
	v->str.s = p;
	v->str.len = (uint32_t)n;
	return true;
}

/* An INIT_DONE's refusal as the command's error. */
static enum err refused(struct shell_call *c, const struct init_done *d)
{
	return shell_call_fail(c, "%s%s%s", err_str((enum err)d->err), d->why[0] ? ": " : "",
	                       d->why);
}

static enum err no_init(struct shell_call *c, enum err e)
{
	return e == ERR_INVAL ? shell_call_fail(c, "cancelled (Ctrl-C)")
	                      : shell_call_fail(c, "init cannot be asked: %s", err_str(e));
}

/* Asks init (type, payload) and collects answers of type want (each
 * size bytes, at most max) into rows; the INIT_DONE into *d. */
static enum err collect(struct shell_call *c, uint16_t type, const void *q, size_t qlen,
                        uint16_t want, void *rows, size_t size, uint32_t max, uint32_t *n,
                        struct init_done *d)
{
	struct urpc_msg m;
	enum err e = type ? con_ask(type, q, qlen) : ERR_OK; /* 0: asked already */

	*n = 0;
	while (!e && !(e = con_answer(&m))) {
		if (m.type == INIT_DONE && m.len == sizeof *d) {
			memcpy(d, m.payload, sizeof *d);
			return ERR_OK;
		}
		if (m.type == want && m.len == size && *n < max)
			memcpy((uint8_t *)rows + size * (*n)++, m.payload, size);
	}
	return no_init(c, e);
}

static struct mon_core core_rows[64];

static enum err get_cores(struct shell_call *c, uint32_t *n)
{
	struct init_done d;
	enum err e =
	        collect(c, MON_CORES, NULL, 0, MON_CORE, core_rows, sizeof core_rows[0], 64, n, &d);

	return e ? e : d.err ? refused(c, &d) : ERR_OK;
}

static enum err cores(struct shell_call *c)
{
	uint32_t n;
	enum err e = get_cores(c, &n);

	if (e)
		return e;
	/* in the order of the cores, whatever order the monitors answered in */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j && core_rows[j - 1].core > core_rows[j].core; j--) {
			struct mon_core t = core_rows[j];
			core_rows[j] = core_rows[j - 1], core_rows[j - 1] = t;
		}
	if (!shell_make_list(c, c->out, &core_table, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct typed_value *r = &c->out->list.items[i];
		if (!shell_make_record(c->arena, r, &core_row))
			return ERR_NOMEM;
		r->list.items[0].u = core_rows[i].core;
		r->list.items[1].u = core_rows[i].apic;
		r->list.items[2].u = core_rows[i].memory;
		r->list.items[3].u = core_rows[i].free;
		r->list.items[4].u = core_rows[i].programs;
	}
	return ERR_OK;
}

static enum err mem(struct shell_call *c)
{
	uint64_t total = 0, free = 0;
	uint32_t n;
	enum err e = get_cores(c, &n);

	if (e)
		return e;
	for (uint32_t i = 0; i < n; i++)
		total += core_rows[i].memory, free += core_rows[i].free;
	if (!shell_make_record(c->arena, c->out, &mem_rec))
		return ERR_NOMEM;
	c->out->list.items[0].u = total;
	c->out->list.items[1].u = total - free;
	c->out->list.items[2].u = free;
	return ERR_OK;
}

static struct init_proc proc_rows[64];

static enum err ps(struct shell_call *c)
{
	struct init_done d;
	uint32_t n;
	enum err e =
	        collect(c, INIT_PS, NULL, 0, INIT_PROC, proc_rows, sizeof proc_rows[0], 64, &n, &d);

	if (e)
		return e;
	if (!shell_make_list(c, c->out, &ps_table, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		const struct init_proc *p = &proc_rows[i];
		struct typed_value *r = &c->out->list.items[i];
		if (!shell_make_record(c->arena, r, &ps_row) ||
		    !put_str(c, &r->list.items[1], p->name, strnlen(p->name, sizeof p->name)))
			return ERR_NOMEM;
		r->list.items[0].u = p->pid;
		r->list.items[2].u = p->core;
		r->list.items[3].u = p->budget;
		r->list.items[4].u = p->state < 3 ? p->state : 2;
		r->list.items[5].u = p->kind < 3 ? p->kind : 0;
		r->list.items[6].i = p->code;
	}
	return ERR_OK;
}

static enum err uptime(struct shell_call *c)
{
	uint64_t hz = rt_cycles_hz(), t = rt_cycles();

	if (!hz)
		return shell_call_fail(c, "the cycle counter's frequency is not known");
	/* seconds and the rest apart: t * 1e9 would overflow after 18 s at 1 GHz */
	c->out->u = t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
	return ERR_OK;
}

static enum err log_(struct shell_call *c)
{
	const struct typed_value *t = &c->args->list.items[0];

	rt_printf("%.*s\n", (int)t->str.len, t->str.s);
	return ERR_OK;
}

static enum err kill_(struct shell_call *c)
{
	struct init_pid q = {.pid = (uint32_t)c->args->list.items[0].u};
	struct init_done d;
	uint32_t n;
	enum err e = collect(c, INIT_KILL, &q, sizeof q, 0, NULL, 0, 0, &n, &d);

	return e ? e : d.err ? refused(c, &d) : ERR_OK;
}

static const char *type_name(uint16_t t)
{
	static const char *const names[CAP_TYPE_COUNT] = {
	        "null",   "untyped", "frame", "device frame", "pt",         "pd",
	        "pdpt",   "pml4",    "pml5",  "cnode",        "dispatcher", "endpoint",
	        "ioport", "irq",     "log",   "notify",       "monitor"};
	return t < CAP_TYPE_COUNT ? names[t] : "?";
}

static struct init_cap cap_rows[256];

static enum err caps(struct shell_call *c)
{
	struct init_pid q = {.pid = (uint32_t)c->args->list.items[0].u};
	struct init_done d;
	uint32_t n;
	enum err e = collect(c, INIT_CAPS, &q, sizeof q, INIT_CAP, cap_rows, sizeof cap_rows[0],
	                     256, &n, &d);

	if (e || d.err)
		return e ? e : refused(c, &d);
	if (!shell_make_list(c, c->out, &cap_table, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		const struct init_cap *k = &cap_rows[i];
		struct typed_value *r = &c->out->list.items[i];
		const char *tn = type_name(k->type);
		char base[20];
		char rights[6] = {k->rights & CAP_RIGHT_READ ? 'r' : '-',
		                  k->rights & CAP_RIGHT_WRITE ? 'w' : '-',
		                  k->rights & CAP_RIGHT_EXEC ? 'x' : '-',
		                  k->rights & CAP_RIGHT_GRANT ? 'g' : '-',
		                  k->rights & CAP_RIGHT_RETYPE ? 't' : '-',
		                  0};
		if (!shell_make_record(c->arena, r, &cap_row) ||
		    !put_str(c, &r->list.items[1], k->name, strnlen(k->name, sizeof k->name)) ||
		    !put_str(c, &r->list.items[2], tn, strlen(tn)) ||
		    !put_str(c, &r->list.items[3], rights, 5) ||
		    !put_str(c, &r->list.items[4], base,
		             (size_t)fmt_snprintf(base, sizeof base, "%#llx",
		                                  (unsigned long long)k->base)))
			return ERR_NOMEM;
		r->list.items[0].u = k->slot;
		r->list.items[5].u = k->size_bits;
	}
	return ERR_OK;
}

/* ---- top: every core's counters sampled twice (rt/monproto.h, MON_STATS) ---- */

#define TOP_CORES     64
#define TOP_TIMER_BIT (1ull << 8) /* the shell's notification: not a channel's bit */

static const struct typed_type t_load = {.kind = TYPED_UINT, .u = {0, 100}};
static const struct typed_type t_period = {.kind = TYPED_DURATION, .u = {10000000, 10000000000}};
static const struct typed_value v_period = {.type = &t_period, .u = 200000000};
static const struct typed_field top_p_f[] = {
        {"period", "time between the two samples", &t_period, &v_period}};
static const struct typed_type top_p = {.kind = TYPED_RECORD, .rec = {top_p_f, 1}};
static const struct typed_field top_f[] = {
        {"core", "the core's number", &t_core, NULL},
        {"load", "percent of the period it was not halted", &t_load, NULL},
        {"out", "messages a second its CPU driver and monitor sent other cores", &t_uint, NULL},
        {"in", "messages a second they took from other cores", &t_uint, NULL},
        {"free", "its memory no program or monitor holds", &t_size, NULL},
        {"programs", "programs its monitor started that run", &t_uint, NULL}};
static const struct typed_type top_row = {.kind = TYPED_RECORD, .rec = {top_f, 6}};
static const struct typed_type top_table = {.kind = TYPED_LIST, .list = {&top_row, TOP_CORES}};

struct top_core {
	bool have;
	struct mon_stat s;
	uint64_t out, in; /* messages, over all its links */
};
static struct top_core top_then[TOP_CORES], top_now[TOP_CORES];

/* Every core's MON_STAT and links into t, by core. */
static enum err top_sample(struct shell_call *c, struct top_core *t)
{
	struct urpc_msg m;
	struct init_done d;
	struct mon_stat st;
	struct mon_stat_link l;
	enum err e = con_ask(MON_STATS, NULL, 0);

	memset(t, 0, sizeof top_now);
	while (!e && !(e = con_answer(&m))) {
		if (m.type == INIT_DONE && m.len == sizeof d) {
			memcpy(&d, m.payload, sizeof d);
			return d.err ? refused(c, &d) : ERR_OK;
		}
		if (m.type == MON_STAT && m.len == sizeof st) {
			memcpy(&st, m.payload, sizeof st);
			if (st.core < TOP_CORES)
				t[st.core].have = true, t[st.core].s = st;
		} else if (m.type == MON_STAT_LINK && m.len == sizeof l) {
			memcpy(&l, m.payload, sizeof l);
			if (l.core < TOP_CORES) {
				t[l.core].out += l.kernel_sent + l.monitor_sent;
				t[l.core].in += l.kernel_received + l.monitor_received;
			}
		}
	}
	return no_init(c, e);
}

/* Sleeps us microseconds (a NOTIFY_TIMER on the shell's notification);
 * other bits taken meanwhile are kept for the console's next wait. */
static enum err top_sleep(uint64_t us)
{
	uint64_t bits = 0, other = 0;
	enum err e = invoke_notify_timer(SLOT_NOTIFY, rt_depth(), us, TOP_TIMER_BIT, NULL);

	while (!e && !(bits & TOP_TIMER_BIT)) {
		bits = rt_chan_wait(rt_root_ref(SLOT_NOTIFY), NULL, 0);
		other |= bits & ~TOP_TIMER_BIT;
	}
	rt_chan_stash(other);
	return e;
}

/* n events over the cycles between two samples, at hz: events a second. */
static uint64_t per_second(uint64_t n, uint64_t cycles, uint64_t hz)
{
	if (!cycles || !hz)
		return 0;
	return n <= UINT64_MAX / hz ? n * hz / cycles : n / (cycles / hz ? cycles / hz : 1);
}

static enum err top(struct shell_call *c)
{
	enum err e = top_sample(c, top_then);

	if (!e && (e = top_sleep(c->args->list.items[0].u / 1000)))
		return shell_call_fail(c, "no timer: %s", err_str(e));
	if (e || (e = top_sample(c, top_now)))
		return e;
	uint32_t n = 0;
	for (unsigned k = 0; k < TOP_CORES; k++)
		n += top_then[k].have && top_now[k].have;
	if (!shell_make_list(c, c->out, &top_table, n))
		return ERR_NOMEM;
	for (unsigned k = 0, i = 0; k < TOP_CORES; k++) {
		const struct top_core *a = &top_then[k], *b = &top_now[k];
		if (!a->have || !b->have)
			continue;
		struct typed_value *r = &c->out->list.items[i++];
		uint64_t cycles = b->s.cycles - a->s.cycles, idle = b->s.idle - a->s.idle;
		if (!shell_make_record(c->arena, r, &top_row))
			return ERR_NOMEM;
		r->list.items[0].u = k;
		/* never clamped: idle above cycles is a broken counter, and shows */
		r->list.items[1].u = cycles ? (cycles - idle) * 100 / cycles : 0;
		r->list.items[2].u = per_second(b->out - a->out, cycles, b->s.hz);
		r->list.items[3].u = per_second(b->in - a->in, cycles, b->s.hz);
		r->list.items[4].u = b->s.free;
		r->list.items[5].u = b->s.programs;
	}
	return ERR_OK;
}

/* ---- the shell's own figures (make bench-shell) ---- */

static const struct typed_field timing_f[] = {
        {"check", "Enter to the line checked and planned", &t_uint, NULL},
        {"first", "Enter to its first line of output", &t_uint, NULL},
        {"total", "Enter to done", &t_uint, NULL},
        {"hz", "the cycle counter's frequency", &t_uint, NULL}};
static const struct typed_type timing_rec = {.kind = TYPED_RECORD, .rec = {timing_f, 4}};

static enum err timing(struct shell_call *c)
{
	const struct sh_times *t = &sh_last;

	if (!shell_make_record(c->arena, c->out, &timing_rec))
		return ERR_NOMEM;
	c->out->list.items[0].u = t->checked - t->enter;
	c->out->list.items[1].u = t->first ? t->first - t->enter : 0;
	c->out->list.items[2].u = t->done - t->enter;
	c->out->list.items[3].u = rt_cycles_hz();
	return ERR_OK;
}

/* ---- spawn: its program's arguments checked here, before init is asked ---- */

static const char *prog_names[BOOTINFO_MODULES];
static struct typed_type t_prog = {.kind = TYPED_ENUM, .en = {prog_names, 0}};

void sys_programs_init(void)
{
	for (unsigned i = 0; i < rt_module_count(); i++) {
		const struct bootinfo_module *m = rt_module_at(i);
		struct rt_mapping map;
		if (rt_module_map(m, &map))
			continue;
		const struct tile_header *h = map.data;
		if (map.size >= sizeof *h && !memcmp(h->magic, TILE_MAGIC, TILE_MAGIC_BYTES) &&
		    h->kind == TILE_KIND_PROGRAM && strcmp(m->name, "monitor") != 0 &&
		    strcmp(m->name, "init") != 0)
			prog_names[t_prog.en.count++] = m->name;
		rt_module_unmap(&map);
	}
}

/* Splits line (changed in place) at blanks into argv; the count. */
static unsigned split(char *line, const char **argv)
{
	unsigned n = 0;

	for (char *p = line; *p && n < ARGV_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

/* The memory the tile's manifest asks for (0: it names none). */
static uint64_t manifest_memory(const struct rt_mapping *map, const char *name)
{
	static struct tile t;
	struct tile_cap cap;
	char why[8];

	if (tile_check(map->data, map->size, name, TILE_ARCH_X86_64, &t, why, sizeof why))
		return 0;
	for (uint32_t i = 0; i < t.count[TILE_SEC_CAPS]; i++) {
		tile_record(&t, TILE_SEC_CAPS, i, &cap);
		if (cap.type == TILE_CAP_MEMORY)
			return cap.size;
	}
	return 0;
}

/* name's command line checked against its argument schema and encoded;
 * *memory: what its manifest asks for. */
static enum err encode(struct shell_call *c, const char *name, const struct typed_value *line,
                       uint8_t *msg, size_t *size, uint64_t *memory)
{
	const struct bootinfo_module *m = rt_module(name);
	struct rt_mapping map;
	char text[LINE_MAX], why[SPAWN_WHY];
	const char *argv[ARGV_MAX];
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e)
		return shell_call_fail(c, "%s: its module cannot be read: %s", name, err_str(e));
	memcpy(text, line->str.s, line->str.len);
	text[line->str.len] = 0;
	unsigned argc = split(text, argv);
	*memory = manifest_memory(&map, name);
	*size = MON_ARGS_MAX;
	why[0] = 0;
	e = rt_args_encode(name, map.data, map.size, argc, argv, msg, size, why, sizeof why);
	rt_module_unmap(&map);
	if (e)
		return shell_call_fail(c, "%s: %s", name, why[0] ? why : err_str(e));
	return ERR_OK;
}

static enum err spawn(struct shell_call *c)
{
	const struct typed_value *a = c->args->list.items;
	const char *name = prog_names[a[0].u];
	static uint8_t msg[MON_ARGS_MAX];
	struct init_spawn q = {.core = (uint32_t)a[1].u};
	struct init_done d;
	size_t size;
	uint64_t memory;
	uint32_t n;
	enum err e = encode(c, name, &a[3], msg, &size, &memory);

	if (e)
		return e;
	memory = a[2].some ? a[2].some->u : memory ? memory : 1u << 20;
	while ((1ull << q.budget_bits) < memory)
		q.budget_bits++;
	q.args_size = (uint16_t)size;
	mem_strlcpy(q.name, name, sizeof q.name);
	e = con_ask(INIT_SPAWN, &q, sizeof q);
	for (size_t at = 0; !e && at < size; at += URPC_PAYLOAD_MAX)
		e = con_ask(INIT_ARGS, msg + at,
		            size - at < URPC_PAYLOAD_MAX ? size - at : URPC_PAYLOAD_MAX);
	if (!e)
		e = collect(c, 0, NULL, 0, 0, NULL, 0, 0, &n, &d);
	else
		e = no_init(c, e);
	if (e || d.err)
		return e ? e : refused(c, &d);
	if (!shell_make_record(c->arena, c->out, &ps_row) ||
	    !put_str(c, &c->out->list.items[1], name, strlen(name)))
		return ERR_NOMEM;
	c->out->list.items[0].u = d.pid;
	c->out->list.items[2].u = d.core;
	c->out->list.items[3].u = 1ull << q.budget_bits;
	c->out->list.items[4].u = INIT_RUNNING;
	c->out->list.items[5].u = 0;
	c->out->list.items[6].i = 0;
	return ERR_OK;
}

static const struct typed_type t_budget = {.kind = TYPED_SIZE, .u = {64u << 10, 1u << 30}};
static const struct typed_value v_core0 = {.type = &t_core, .u = 0};
static const struct typed_type t_opt_budget = {.kind = TYPED_OPTIONAL, .inner = &t_budget};
static const struct typed_value v_none = {.type = &t_text, .str = {"", 0}};
static const struct typed_field spawn_f[] = {
        {"name", "the program (a boot module)", &t_prog, NULL},
        {"core", "where it runs", &t_core, &v_core0},
        {"memory", "its budget (default: what its manifest asks for)", &t_opt_budget, NULL},
        {"args", "its command line, checked against its argument schema first", &t_text, &v_none}};
static const struct typed_type spawn_p = {.kind = TYPED_RECORD, .rec = {spawn_f, 4}};
static const struct typed_field pid_f[] = {{"pid", "the program (ps's pid)", &t_pid, NULL}};
static const struct typed_type pid_p = {.kind = TYPED_RECORD, .rec = {pid_f, 1}};
static const struct typed_field log_f[] = {{"text", "the line", &t_text, NULL}};
static const struct typed_type log_p = {.kind = TYPED_RECORD, .rec = {log_f, 1}};

#define NONE SHELL_IO_NONE
#define TYPE SHELL_IO_TYPE

static const struct shell_sig sigs[] = {
        {"cores", "online cores: APIC id, memory, free memory, programs", NULL, NULL, NONE, TYPE,
         NULL, &core_table, cores, NULL},
        {"mem", "memory of all cores", NULL, NULL, NONE, TYPE, NULL, &mem_rec, mem, NULL},
        {"ps", "the programs init started", NULL, NULL, NONE, TYPE, NULL, &ps_table, ps, NULL},
        {"spawn", "start a program from a boot module", &spawn_p, NULL, NONE, TYPE, NULL, &ps_row,
         spawn, NULL},
        {"kill", "stop a program and take its memory back", &pid_p, NULL, NONE, NONE, NULL, NULL,
         kill_, NULL},
        {"caps", "the capabilities a program holds", &pid_p, NULL, NONE, TYPE, NULL, &cap_table,
         caps, NULL},
        {"uptime", "time since the machine started (the cycle counter)", NULL, NULL, NONE, TYPE,
         NULL, &t_dur, uptime, NULL},
        {"log", "write a line to the system log", &log_p, NULL, NONE, NONE, NULL, NULL, log_, NULL},
        {"timing", "the previous line's times, in cycles", NULL, NULL, NONE, TYPE, NULL,
         &timing_rec, timing, NULL},
        {"top", "each core's load, messages a second to and from other cores, free memory", &top_p,
         NULL, NONE, TYPE, NULL, &top_table, top, NULL},
};

const struct shell_cmds sys_cmds = {sigs, sizeof sigs / sizeof sigs[0], &files_cmds};
