/* libsys: the system's commands, a command library of the shell
 * (user/shlib/shlib.h, docs/tile.md §16): cores, mem (init relays the
 * monitors' answers), ps, spawn, kill, caps (init's table and init's own
 * requests, rt/initproto.h), pci (the PCI service's functions, relayed by
 * init), uptime (the cycle counter), log and timing.
 * Their signatures are sys.manifest's command lines over sys.schema's
 * types, in the tile; results are built in the order the schema declares
 * their fields. */
#include <fmt/fmt.h>
#include <rt/initproto.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "../names.h"
#include "../shlib.h"

/* An INIT_DONE's refusal as the command's error. */
static enum err refused(struct shell_call *c, const struct init_done *d)
{
	return shlib_fail(c, "%s%s%s", err_str((enum err)d->err), d->why[0] ? ": " : "", d->why);
}

/* Asks init (type, payload) and collects answers of type want (each
 * size bytes, at most max) into rows; the INIT_DONE into *d. */
static enum err collect(struct shell_call *c, uint16_t type, const void *q, size_t qlen,
                        uint16_t want, void *rows, size_t size, uint32_t max, uint32_t *n,
                        struct init_done *d)
{
	const struct shlib_host *h = shlib_host(c);
	struct urpc_msg m;
	enum err e = type ? h->ask(type, q, qlen) : ERR_OK; /* 0: asked already */

	*n = 0;
	while (!e && !(e = h->answer(&m))) {
		if (m.type == INIT_DONE && m.len == sizeof *d) {
			memcpy(d, m.payload, sizeof *d);
			return ERR_OK;
		}
		if (m.type == want && m.len == size && *n < max)
			memcpy((uint8_t *)rows + size * (*n)++, m.payload, size);
	}
	return shlib_no_init(c, e);
}

static struct mon_core core_rows[64];

static enum err get_cores(struct shell_call *c, uint32_t *n)
{
	struct init_done d;
	enum err e =
	        collect(c, MON_CORES, NULL, 0, MON_CORE, core_rows, sizeof core_rows[0], 64, n, &d);

	return e ? e : d.err ? refused(c, &d) : ERR_OK;
}

/* A list of n records of c->out_type's element (a table). */
static bool table(struct shell_call *c, uint32_t n)
{
	const struct shlib_host *h = shlib_host(c);

	if (!h->make_list(c, c->out, c->out_type, n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!h->make_record(c->arena, &c->out->list.items[i], c->out_type->list.elem))
			return false;
	return true;
}

SHLIB_CMD sys_cores(struct shell_call *c)
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
	if (!table(c, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct typed_value *r = &c->out->list.items[i];
		r->list.items[0].u = core_rows[i].core;
		r->list.items[1].u = core_rows[i].apic;
		r->list.items[2].u = core_rows[i].memory;
		r->list.items[3].u = core_rows[i].free;
		r->list.items[4].u = core_rows[i].programs;
	}
	return ERR_OK;
}

SHLIB_CMD sys_mem(struct shell_call *c)
{
	uint64_t total = 0, free = 0;
	uint32_t n;
	enum err e = get_cores(c, &n);

	if (e)
		return e;
	for (uint32_t i = 0; i < n; i++)
		total += core_rows[i].memory, free += core_rows[i].free;
	if (!shlib_host(c)->make_record(c->arena, c->out, c->out_type))
		return ERR_NOMEM;
	c->out->list.items[0].u = total;
	c->out->list.items[1].u = total - free;
	c->out->list.items[2].u = free;
	return ERR_OK;
}

static struct init_proc proc_rows[64];

SHLIB_CMD sys_ps(struct shell_call *c)
{
	struct init_done d;
	uint32_t n;
	enum err e =
	        collect(c, INIT_PS, NULL, 0, INIT_PROC, proc_rows, sizeof proc_rows[0], 64, &n, &d);

	if (e)
		return e;
	if (!table(c, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		const struct init_proc *p = &proc_rows[i];
		struct typed_value *r = &c->out->list.items[i];
		if (!shlib_str(c, &r->list.items[1], p->name, strnlen(p->name, sizeof p->name)))
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

SHLIB_CMD sys_uptime(struct shell_call *c)
{
	const struct shlib_host *h = shlib_host(c);
	uint64_t hz = h->cycles_hz(), t = h->cycles();

	if (!hz)
		return shlib_fail(c, "the cycle counter's frequency is not known");
	/* seconds and the rest apart: t * 1e9 would overflow after 18 s at 1 GHz */
	c->out->u = t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
	return ERR_OK;
}

SHLIB_CMD sys_log(struct shell_call *c)
{
	const struct typed_value *t = &c->args->list.items[0];

	shlib_host(c)->log(t->str.s, t->str.len);
	return ERR_OK;
}

SHLIB_CMD sys_kill(struct shell_call *c)
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

SHLIB_CMD sys_caps(struct shell_call *c)
{
	struct init_pid q = {.pid = (uint32_t)c->args->list.items[0].u};
	struct init_done d;
	uint32_t n;
	enum err e = collect(c, INIT_CAPS, &q, sizeof q, INIT_CAP, cap_rows, sizeof cap_rows[0],
	                     256, &n, &d);

	if (e || d.err)
		return e ? e : refused(c, &d);
	if (!table(c, n))
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
		if (!shlib_str(c, &r->list.items[1], k->name, strnlen(k->name, sizeof k->name)) ||
		    !shlib_str(c, &r->list.items[2], tn, strlen(tn)) ||
		    !shlib_str(c, &r->list.items[3], rights, 5) ||
		    !shlib_str(c, &r->list.items[4], base,
		               (size_t)fmt_snprintf(base, sizeof base, "%#llx",
		                                    (unsigned long long)k->base)))
			return ERR_NOMEM;
		r->list.items[0].u = k->slot;
		r->list.items[5].u = k->size_bits;
	}
	return ERR_OK;
}

/* ---- pci: the PCI service's functions (INIT_PCI) ---- */

#define PCI_ROWS 64

static struct pci_row {
	struct init_pci_fn f;
	char bars[128];
	size_t len;
} pci_rows[PCI_ROWS];

/* One BAR appended to its function's summary: "5:mem 0xfebd1000 4K". */
static void pci_bar(struct pci_row *r, const struct init_pci_bar *b)
{
	char size[24];

	shlib_size_text(b->size, size, sizeof size);
	if (r->len < sizeof r->bars)
		r->len += (size_t)fmt_snprintf(r->bars + r->len, sizeof r->bars - r->len,
		                               "%s%u:%s %#llx %s", r->len ? " " : "", b->index,
		                               b->kind == 1 ? "io" : "mem",
		                               (unsigned long long)b->base, size);
	if (r->len >= sizeof r->bars)
		r->len = sizeof r->bars - 1;
}

/* The rows from init: each INIT_PCI_FN, its INIT_PCI_BARs after it. */
static enum err pci_collect(struct shell_call *c, uint32_t *n)
{
	const struct shlib_host *h = shlib_host(c);
	struct urpc_msg m;
	struct init_done d;
	struct init_pci_bar b;
	enum err e = h->ask(INIT_PCI, NULL, 0);

	*n = 0;
	while (!e && !(e = h->answer(&m))) {
		if (m.type == INIT_DONE && m.len == sizeof d) {
			memcpy(&d, m.payload, sizeof d);
			return d.err ? refused(c, &d) : ERR_OK;
		}
		if (m.type == INIT_PCI_FN && m.len == sizeof pci_rows[0].f && *n < PCI_ROWS) {
			memcpy(&pci_rows[*n].f, m.payload, sizeof pci_rows[0].f);
			pci_rows[(*n)++].len = 0;
		} else if (m.type == INIT_PCI_BAR && m.len == sizeof b && *n) {
			memcpy(&b, m.payload, sizeof b);
			pci_bar(&pci_rows[*n - 1], &b);
		}
	}
	return shlib_no_init(c, e);
}

static bool pci_text(struct shell_call *c, struct typed_value *v, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* A string cell made from a format. */
static bool pci_text(struct shell_call *c, struct typed_value *v, const char *fmt, ...)
{
	char s[64];
	va_list ap;

	va_start(ap, fmt);
	size_t n = (size_t)fmt_vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	return shlib_str(c, v, s, n < sizeof s ? n : sizeof s - 1);
}

SHLIB_CMD sys_pci(struct shell_call *c)
{
	uint32_t n;
	enum err e = pci_collect(c, &n);

	if (e)
		return e;
	if (!table(c, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		const struct init_pci_fn *f = &pci_rows[i].f;
		struct typed_value *r = c->out->list.items[i].list.items;
		const char *kind = shlib_pci_class(f->class);
		if (!pci_text(c, &r[0], "%02x:%02x.%u", f->bus, f->dev, f->fn) ||
		    !pci_text(c, &r[1], "%04x", f->vendor) ||
		    !pci_text(c, &r[2], "%04x", f->device) ||
		    !pci_text(c, &r[3], "%02x.%02x.%02x", f->class >> 16, f->class >> 8 & 0xff,
		              f->class & 0xff) ||
		    !shlib_str(c, &r[4], kind, strlen(kind)) ||
		    !shlib_str(c, &r[5], pci_rows[i].bars, pci_rows[i].len))
			return ERR_NOMEM;
		if (f->irq <= 255) {
			r[6].some = shlib_host(c)->alloc(c->arena, sizeof *r[6].some);
			if (!r[6].some)
				return ERR_NOMEM;
			*r[6].some = (struct typed_value){.type = r[6].type->inner, .u = f->irq};
		}
		r[7].b = f->given;
	}
	return ERR_OK;
}

/* ---- the shell's own figures (make bench-shell) ---- */

SHLIB_CMD sys_timing(struct shell_call *c)
{
	const struct shlib_host *h = shlib_host(c);
	struct shlib_times t;

	h->times(&t);
	if (!h->make_record(c->arena, c->out, c->out_type))
		return ERR_NOMEM;
	c->out->list.items[0].u = t.checked - t.enter;
	c->out->list.items[1].u = t.first ? t.first - t.enter : 0;
	c->out->list.items[2].u = t.done - t.enter;
	c->out->list.items[3].u = h->cycles_hz();
	return ERR_OK;
}

/* ---- spawn: its program's arguments checked by the shell, before init is asked ---- */

SHLIB_CMD sys_spawn(struct shell_call *c)
{
	const struct shlib_host *h = shlib_host(c);
	const struct typed_value *a = c->args->list.items;
	const char *name = a[0].str.s;
	static uint8_t msg[MON_ARGS_MAX];
	struct init_spawn q = {.core = (uint32_t)a[1].u};
	struct init_done d;
	size_t size = sizeof msg;
	uint64_t memory;
	uint32_t n;
	char why[160] = "";
	enum err e = h->program_args(name, a[3].str.s, a[3].str.len, msg, &size, &memory, why,
	                             sizeof why);

	if (e)
		return shlib_fail(c, "%s: %s", name, why[0] ? why : err_str(e));
	memory = a[2].some ? a[2].some->u : memory ? memory : 1u << 20;
	while ((1ull << q.budget_bits) < memory)
		q.budget_bits++;
	q.args_size = (uint16_t)size;
	mem_strlcpy(q.name, name, sizeof q.name);
	e = h->ask(INIT_SPAWN, &q, sizeof q);
	for (size_t at = 0; !e && at < size; at += URPC_PAYLOAD_MAX)
		e = h->ask(INIT_ARGS, msg + at,
		           size - at < URPC_PAYLOAD_MAX ? size - at : URPC_PAYLOAD_MAX);
	if (!e)
		e = collect(c, 0, NULL, 0, 0, NULL, 0, 0, &n, &d);
	else
		e = shlib_no_init(c, e);
	if (e || d.err)
		return e ? e : refused(c, &d);
	if (!h->make_record(c->arena, c->out, c->out_type) ||
	    !shlib_str(c, &c->out->list.items[1], name, strlen(name)))
		return ERR_NOMEM;
	c->out->list.items[0].u = d.pid;
	c->out->list.items[2].u = d.core;
	c->out->list.items[3].u = 1ull << q.budget_bits;
	c->out->list.items[4].u = INIT_RUNNING;
	c->out->list.items[5].u = 0;
	c->out->list.items[6].i = 0;
	return ERR_OK;
}

/* ---- top: every core's counters sampled twice (rt/monproto.h, MON_STATS) ---- */

#define TOP_CORES 64

struct top_core {
	bool have;
	struct mon_stat s;
	uint64_t out, in; /* messages, over all its links */
};
static struct top_core top_then[TOP_CORES], top_now[TOP_CORES];

/* Every core's MON_STAT and links into t, by core. */
static enum err top_sample(struct shell_call *c, struct top_core *t)
{
	const struct shlib_host *h = shlib_host(c);
	struct urpc_msg m;
	struct init_done d;
	struct mon_stat st;
	struct mon_stat_link l;
	enum err e = h->ask(MON_STATS, NULL, 0);

	memset(t, 0, sizeof top_now);
	while (!e && !(e = h->answer(&m))) {
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
	return shlib_no_init(c, e);
}

/* n events over the cycles between two samples, at hz: events a second. */
static uint64_t per_second(uint64_t n, uint64_t cycles, uint64_t hz)
{
	if (!cycles || !hz)
		return 0;
	return n <= UINT64_MAX / hz ? n * hz / cycles : n / (cycles / hz ? cycles / hz : 1);
}

SHLIB_CMD sys_top(struct shell_call *c)
{
	enum err e = top_sample(c, top_then);

	if (!e && (e = shlib_host(c)->sleep(c->args->list.items[0].u / 1000)))
		return shlib_fail(c, "no timer: %s", err_str(e));
	if (e || (e = top_sample(c, top_now)))
		return e;
	uint32_t n = 0;
	for (unsigned k = 0; k < TOP_CORES; k++)
		n += top_then[k].have && top_now[k].have;
	if (!table(c, n))
		return ERR_NOMEM;
	for (unsigned k = 0, i = 0; k < TOP_CORES; k++) {
		const struct top_core *a = &top_then[k], *b = &top_now[k];
		if (!a->have || !b->have)
			continue;
		struct typed_value *r = &c->out->list.items[i++];
		uint64_t cycles = b->s.cycles - a->s.cycles, idle = b->s.idle - a->s.idle;
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
