/* Bench kernel only (make bench-user; bench/user/README.md): runs the user
 * benchmark programs (user/bench/) on core 0, each phase in a capability
 * space of its own carved from a fresh untyped (spawn_sandbox, as the
 * kernel's tests of user space do), with a bench page
 * (user/bench/benchpage.h) for its role and figures, and prints the
 * figures for bench/user/report.sh to turn into a table of ratios.
 *
 * Phases: bench_sys alone (system calls, bare paths, page faults, rings);
 * bench_ep as a server and a client on endpoints made here; bench_spawn
 * with bench_nop as a module; bench_line on core 0 against its twin on
 * core 1 (bench_ap), sharing a frame of core 0's, each with a notification
 * made on its own core and a cap to the other's.  Between two runs of a
 * program the top level answers its requests for a bare hardware path
 * (arch/bench.h), and takes them away when it has stopped.  A program
 * that fails, a phase that does not end within RUN_MS, or a space that
 * does not give everything back is reported and the run fails; nothing
 * here is a test of timings.
 */
#include <arch/arch.h>
#include <arch/bench.h>
#include <fmt/fmt.h>
#include <tessera/bootinfo.h>
#include <tessera/msg.h>

#include "../../user/bench/benchpage.h"
#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "chan.h"
#include "core.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"
#include "sched.h"
#include "spawn.h"

void bench_run(void);
void bench_ap(unsigned from);

#define SPACE_BITS  6 /* a phase's CNode: 64 slots */
#define SLOT_UT     2
#define SLOT_LOGCAP 3
#define SLOT_EP_REQ 4
#define SLOT_EP_REP 5
#define SLOT_SHARED 6
#define SLOT_NOTE   7  /* bench_line: this core's notification */
#define SLOT_PROG   8  /* programs' root CNodes from here */
#define SLOT_PEER   10 /* bench_line: the other core's notification (by value) */
#define SLOT_PAGE   16 /* their bench pages from here */
#define PROG_GRANTS 3  /* caps a program gets besides its bench page */
#define PRIORITY    3
#define RUN_MS      300000
#define PEER        1 /* bench_line's other core */

/* The spare line of core 0's channel block with PEER, as a mailbox. */
#define LINE_STATE  0 /* AP_* */
#define LINE_FRAME  1 /* the shared frame's physical address */
#define LINE_RESULT 2 /* the peer's enum err */
#define LINE_NOTE0  3 /* core 0's notification object (physical address) */
#define LINE_NOTE1  4 /* the peer's, once AP_READY */
#define AP_GO       1
#define AP_DONE     2
#define AP_READY    3 /* the peer's notification is made, its program about to start */

struct space {
	struct cte cnode, untyped;
	uint64_t offset; /* in the untyped: what spawns took */
};

struct prog_spec {
	const char *module;
	uint64_t role;
	unsigned budget_bits; /* SLOT_UNTYPED: 2^budget_bits bytes (0: none) */
	const struct spawn_grant *grants;
	unsigned ngrants;
	const char *const *modules; /* NULL: none, no arguments frame */
	bool shared;                /* BENCH_SLOT_SHARED (granted) mapped at BENCH_SHARED_VA */
};

struct prog {
	const char *name;
	struct disp_frame *frame;
	struct benchpage *page;
};

static struct bench_figure figs[BENCH_FIGS];

static struct cte *slot(struct space *s, uint64_t i)
{
	return cnode_slot(capboot_env(), &s->cnode.cap, i);
}

/* An invocation from the space's root CNode. */
static enum err inv(struct space *s, uint64_t method, uint64_t cap, uint64_t depth,
                    const uint64_t *args, unsigned n)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	struct cap_invocation_result r;

	for (unsigned i = 0; i < n; i++)
		a.arg[i] = args[i];
	return cap_invoke(capboot_env(), &s->cnode, &a, &r);
}

/* Program n's root CNode, and slot i of it, as addresses from the space. */
static uint64_t prog_cnode(unsigned n)
{
	return SLOT_PROG + n;
}

static uint64_t prog_addr(unsigned n, uint64_t i)
{
	return prog_cnode(n) << SPAWN_SANDBOX_BITS | i;
}
#define PROG_DEPTH (SPACE_BITS + SPAWN_SANDBOX_BITS)

/* One object from the space's untyped into slot index of the CNode at
 * (cnode, SPACE_BITS). */
static enum err carve(struct space *s, uint64_t cnode, unsigned type, unsigned bits, unsigned size,
                      uint64_t index)
{
	uint64_t align = 1ull << size;
	s->offset = (s->offset + align - 1) & ~(align - 1);
	uint64_t a[7] = {type, bits, s->offset, 1, cnode, SPACE_BITS, index};
	enum err e = inv(s, CAP_INV_RETYPE, SLOT_UT, SPACE_BITS, a, 7);
	if (!e)
		s->offset += align;
	return e;
}

/* A space of 2^ut_bits bytes: its CNode holding itself, the untyped and
 * the log. */
static enum err space_up(struct space *s, unsigned ut_bits)
{
	*s = (struct space){0};
	if (!capboot_root())
		return ERR_UNSUPPORTED;
	enum err e = capboot_make_space(SPACE_BITS, ut_bits, &s->cnode, &s->untyped);
	if (e)
		return e;
	e = cap_copy(&s->cnode, slot(s, SLOT_ROOT));
	if (!e)
		e = cap_copy(&s->untyped, slot(s, SLOT_UT));
	if (!e)
		e = cap_copy(capboot_slot(SLOT_LOG), slot(s, SLOT_LOGCAP));
	return e;
}

/* Everything back: what the untyped gave (its programs stop and leave the
 * core), then the space.  Whether all of it went. */
static bool space_down(struct space *s)
{
	const struct cap_env *env = capboot_env();
	bool ok = cap_revoke(env, &s->untyped) == ERR_OK && cap_untyped_used(&s->untyped) == 0;

	ok = cap_revoke(env, &s->cnode) == ERR_OK && ok;
	ok = cap_delete(env, &s->cnode) == ERR_OK && ok;
	ok = cap_delete(env, &s->untyped) == ERR_OK && ok;
	if (!ok)
		log_printf("bench-user: error: a phase's space did not give everything back\n");
	return ok;
}

/* Maps the frame in program n's slot i at va of its space. */
static enum err map(struct space *s, unsigned n, uint64_t i, uint64_t va)
{
	uint64_t a[5] = {prog_addr(n, i), PROG_DEPTH, va, CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0};
	return inv(s, CAP_INV_MAP_FRAME, prog_addr(n, SLOT_VSPACE), PROG_DEPTH, a, 5);
}

/* Spawns program n as spec says, with its bench page (made first, so that
 * a budget, size-aligned after the program's objects, may take half of
 * the untyped); it runs when the core's top level gets to it. */
static enum err prog_start(struct space *s, unsigned n, const struct prog_spec *spec,
                           struct prog *p)
{
	struct spawn_grant g[PROG_GRANTS + 1] = {{SLOT_PAGE + n, BENCH_SLOT_PAGE, 0, 0}};
	struct spawn_sandbox sb = {.module = spec->module,
	                           .root = &s->cnode,
	                           .root_bits = SPACE_BITS,
	                           .untyped_slot = SLOT_UT,
	                           .offset = &s->offset,
	                           .cspace_slot = prog_cnode(n),
	                           .log_slot = SLOT_LOGCAP,
	                           .grants = g,
	                           .ngrants = spec->ngrants + 1,
	                           .priority = PRIORITY,
	                           .budget_bits = spec->budget_bits,
	                           .modules = spec->modules};

	*p = (struct prog){.name = spec->module};
	enum err e = spec->ngrants <= PROG_GRANTS ? ERR_OK : ERR_FULL;
	for (unsigned i = 0; !e && i < spec->ngrants; i++)
		g[i + 1] = spec->grants[i];
	if (!e)
		e = carve(s, SLOT_ROOT, CAP_FRAME, CAP_PAGE_BITS, CAP_PAGE_BITS, SLOT_PAGE + n);
	if (!e)
		e = spawn_sandbox(&sb, &p->frame);
	if (!e)
		e = map(s, n, BENCH_SLOT_PAGE, BENCHPAGE_VA);
	if (!e && spec->shared)
		e = map(s, n, BENCH_SLOT_SHARED, BENCH_SHARED_VA);
	if (e) {
		log_printf("bench-user: error: %s not started: %s\n", spec->module, err_str(e));
		return e;
	}
	p->page = hhdm_ptr(slot(s, SLOT_PAGE + n)->cap.base);
	*p->page = (struct benchpage){.magic = BENCHPAGE_MAGIC, .role = spec->role};
	return ERR_OK;
}

/* A program's request for a bare path, answered between two of its runs. */
static void bare_paths(struct benchpage *pg)
{
	if (pg->want_syscall != pg->have_syscall && pg->have_syscall != BENCH_REFUSED)
		pg->have_syscall = arch_bench_bare_syscall(pg->want_syscall) ? pg->want_syscall
		                                                             : BENCH_REFUSED;
	if (pg->want_ud != pg->have_ud && pg->have_ud != BENCH_REFUSED)
		pg->have_ud = arch_bench_bare_ud(pg->want_ud) ? pg->want_ud : BENCH_REFUSED;
}

/* Runs the core's top level until the n programs have stopped or ms have
 * passed; no bare path is left afterwards.  Whether they all stopped. */
static bool run_all(struct prog *ps, unsigned n, uint64_t ms)
{
	uint64_t deadline = ktime_deadline(ms);
	bool all = false;

	while (!all && !ktime_passed(deadline)) {
		all = true;
		for (unsigned i = 0; i < n; i++) {
			bare_paths(ps[i].page);
			all = all && ps[i].frame->stopped;
		}
		if (!all && !sched_step())
			msgloop_idle();
	}
	arch_bench_bare_syscall(0);
	arch_bench_bare_ud(0);
	if (!all)
		log_printf("bench-user: error: programs still running after %llu ms\n",
		           (unsigned long long)ms);
	return all;
}

/* Whether p stopped itself with 0, no check failed; else says how it ended. */
static bool prog_ok(const struct prog *p)
{
	const struct disp_frame *f = p->frame;

	if (f->stopped == DISP_STOPPED_STOP && f->exit_code == 0 && !p->page->check)
		return true;
	log_printf("bench-user: error: %s (role %llu) on core %u: stopped %llu, exit code %llu, "
	           "check %llu (%#llx), fault %llu at %#llx\n",
	           p->name, (unsigned long long)p->page->role, core_self(),
	           (unsigned long long)f->stopped, (unsigned long long)f->exit_code,
	           (unsigned long long)p->page->check, (unsigned long long)p->page->detail,
	           (unsigned long long)f->fault.vector, (unsigned long long)f->fault.ip);
	return false;
}

/* The figures p measured. */
static void collect(const struct prog *p)
{
	for (unsigned i = 0; i < BENCH_FIGS; i++)
		if (p->page->fig[i].ops)
			figs[i] = p->page->fig[i];
}

/* A phase: programs started in a fresh space of 2^ut_bits bytes after
 * setup (NULL: none); run to their end; finish (NULL: none) before the
 * space goes.  Whether everything went as it must. */
struct phase {
	const char *name;
	unsigned ut_bits;
	const struct prog_spec *progs;
	unsigned nprogs;
	enum err (*setup)(struct space *s);
	bool (*finish)(struct space *s);
};

#define PHASE_PROGS 2

static bool run_phase(const struct phase *ph)
{
	struct space s;
	struct prog ps[PHASE_PROGS];
	enum err e = space_up(&s, ph->ut_bits);
	bool ok = false;

	if (!e && ph->setup)
		e = ph->setup(&s);
	for (unsigned i = 0; !e && i < ph->nprogs; i++)
		e = prog_start(&s, i, &ph->progs[i], &ps[i]);
	if (!e) {
		ok = run_all(ps, ph->nprogs, RUN_MS);
		for (unsigned i = 0; i < ph->nprogs; i++) {
			ok = prog_ok(&ps[i]) && ok;
			collect(&ps[i]);
		}
	}
	if (ph->finish)
		ok = ph->finish(&s) && ok;
	if (e)
		log_printf("bench-user: error: phase %s not set up: %s\n", ph->name, err_str(e));
	if (s.cnode.cap.type) /* made, if only in part */
		ok = space_down(&s) && ok;
	return ok;
}

/* bench_ep's two endpoints, in the space's slots. */
static enum err ep_setup(struct space *s)
{
	enum err e = carve(s, SLOT_ROOT, CAP_ENDPOINT, 0, CAP_ENDPOINT_BITS, SLOT_EP_REQ);
	return e ? e : carve(s, SLOT_ROOT, CAP_ENDPOINT, 0, CAP_ENDPOINT_BITS, SLOT_EP_REP);
}

/* ---- bench_line: core 0's side, and the peer's (bench_ap) ---- */

/* A cap made by value for the notification at pa of another core, as
 * MON_ACCEPT makes one: it may only signal (GRANT: to hand it on). */
static void peer_note(struct cte *slot, uint64_t pa, unsigned core)
{
	slot->cap = (struct cap){.type = CAP_NOTIFY,
	                         .size_bits = CAP_NOTIFY_BITS,
	                         .rights = CAP_RIGHT_WRITE | CAP_RIGHT_GRANT,
	                         .base = pa,
	                         .count = core + 1};
}

static uint64_t peer_state(void)
{
	volatile uint64_t *line = chan_spare_line(PEER);
	return line ? __atomic_load_n(&line[LINE_STATE], __ATOMIC_ACQUIRE) : 0;
}

/* Runs this core's top level until the peer's state is one of a and b, or
 * ms have passed.  Whether it is. */
static bool peer_reached(uint64_t a, uint64_t b, uint64_t ms)
{
	uint64_t deadline = ktime_deadline(ms);

	while (peer_state() != a && peer_state() != b && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	return peer_state() == a || peer_state() == b;
}

/* The shared frame and this core's notification, handed to the peer
 * through the spare line; the peer asked to run its side; once its
 * notification is made, a cap to it. */
static enum err line_setup(struct space *s)
{
	volatile uint64_t *line = chan_spare_line(PEER);
	struct msg_core_run go = {.job = MSG_RUN_BENCH};

	if (!(core_online() >> PEER & 1) || !line)
		return ERR_UNSUPPORTED;
	enum err e = carve(s, SLOT_ROOT, CAP_FRAME, CAP_PAGE_BITS, CAP_PAGE_BITS, SLOT_SHARED);
	if (!e)
		e = carve(s, SLOT_ROOT, CAP_NOTIFY, 0, CAP_NOTIFY_BITS, SLOT_NOTE);
	if (e)
		return e;
	__atomic_store_n(&line[LINE_FRAME], slot(s, SLOT_SHARED)->cap.base, __ATOMIC_RELAXED);
	__atomic_store_n(&line[LINE_NOTE0], slot(s, SLOT_NOTE)->cap.base, __ATOMIC_RELAXED);
	__atomic_store_n(&line[LINE_NOTE1], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&line[LINE_RESULT], ERR_TIMEOUT, __ATOMIC_RELAXED);
	__atomic_store_n(&line[LINE_STATE], AP_GO, __ATOMIC_RELEASE);
	e = msgloop_send(PEER, MSG_CORE_RUN, &go, sizeof go, ktime_deadline(1000));
	if (e) {
		__atomic_store_n(&line[LINE_STATE], 0, __ATOMIC_RELEASE); /* not asked after all */
		return e;
	}
	if (!peer_reached(AP_READY, AP_DONE, RUN_MS) || peer_state() != AP_READY)
		return ERR_TIMEOUT; /* line_finish says what the peer says */
	peer_note(slot(s, SLOT_PEER), __atomic_load_n(&line[LINE_NOTE1], __ATOMIC_RELAXED), PEER);
	return ERR_OK;
}

/* The peer has unmapped the frame and taken its program apart, so the
 * frame may go with the space.  Whether its side went well. */
static bool line_finish(struct space *s)
{
	volatile uint64_t *line = chan_spare_line(PEER);

	if (!line || peer_state() == 0)
		return false; /* never asked */
	if (!peer_reached(AP_DONE, AP_DONE, RUN_MS)) {
		/* the frame stays pinned: the peer may still map it */
		log_printf("bench-user: error: core %u never finished its side\n", PEER);
		cap_pin(slot(s, SLOT_SHARED));
		return false;
	}
	enum err e = (enum err)line[LINE_RESULT];
	if (e)
		log_printf("bench-user: error: core %u's side: %s\n", PEER, err_str(e));
	return e == ERR_OK;
}

/* The peer's side: bench_line's pong in a space of its own, with its own
 * notification, the shared frame made by value (as MON_ACCEPT makes
 * another core's frame: a root cap, never zeroed, never freed here) and
 * a cap to core 0's notification made the same way. */
static enum err line_pong(volatile uint64_t *line)
{
	static const struct spawn_grant g[] = {
	        {SLOT_SHARED, BENCH_SLOT_SHARED, 0, 0},
	        {SLOT_NOTE, BENCH_SLOT_NOTE, 0, 0},
	        {SLOT_PEER, BENCH_SLOT_NOTE_PEER, CAP_RIGHT_WRITE, 0}};
	static const struct prog_spec spec = {.module = "bench_line",
	                                      .role = BENCH_ROLE_LINE_PONG,
	                                      .grants = g,
	                                      .ngrants = 3,
	                                      .shared = true};
	struct space s;
	struct prog p;

	if (!capboot_untyped_complete())
		return ERR_BUSY;
	enum err e = space_up(&s, 22);
	struct cte *f = e ? NULL : slot(&s, SLOT_SHARED), *n = e ? NULL : slot(&s, SLOT_PEER);
	if (f) {
		f->cap = (struct cap){.type = CAP_FRAME,
		                      .size_bits = CAP_PAGE_BITS,
		                      .rights = CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT,
		                      .base = __atomic_load_n(&line[LINE_FRAME], __ATOMIC_RELAXED)};
		peer_note(n, __atomic_load_n(&line[LINE_NOTE0], __ATOMIC_RELAXED), 0);
	}
	if (!e)
		e = carve(&s, SLOT_ROOT, CAP_NOTIFY, 0, CAP_NOTIFY_BITS, SLOT_NOTE);
	if (!e) {
		__atomic_store_n(&line[LINE_NOTE1], slot(&s, SLOT_NOTE)->cap.base,
		                 __ATOMIC_RELAXED);
		__atomic_store_n(&line[LINE_STATE], AP_READY, __ATOMIC_RELEASE);
		e = prog_start(&s, 0, &spec, &p);
	}
	if (!e && (!run_all(&p, 1, RUN_MS) || !prog_ok(&p)))
		e = ERR_CORRUPT;
	if (s.cnode.cap.type) {
		cap_revoke(capboot_env(),
		           &s.untyped); /* the program, its copies, the notification */
		if (f) {                /* never linked: they go by hand */
			*f = (struct cte){0};
			*n = (struct cte){0};
		}
		if (!space_down(&s) && !e)
			e = ERR_BUSY;
	}
	return e;
}

void bench_ap(unsigned from)
{
	volatile uint64_t *line = chan_spare_line(from);

	if (from != 0 || !line || __atomic_load_n(&line[LINE_STATE], __ATOMIC_ACQUIRE) != AP_GO)
		return;
	enum err e = line_pong(line);
	__atomic_store_n(&line[LINE_RESULT], e, __ATOMIC_RELAXED);
	__atomic_store_n(&line[LINE_STATE], AP_DONE, __ATOMIC_RELEASE);
}

/* ---- the run, and the report ---- */

static const char *const fig_names[BENCH_FIGS] = {
        [BENCH_FIG_SYSCALL] = "syscall", [BENCH_FIG_INVALID] = "invalid",
        [BENCH_FIG_NULL] = "null",       [BENCH_FIG_UD] = "ud",
        [BENCH_FIG_FAULT] = "fault",     [BENCH_FIG_SYNC] = "sync",
        [BENCH_FIG_RING] = "ring",       [BENCH_FIG_EP] = "ep",
        [BENCH_FIG_SPAWN] = "spawn",     [BENCH_FIG_LINE] = "line",
        [BENCH_FIG_URPC] = "urpc",       [BENCH_FIG_URPC_WAIT] = "urpcwait",
};

/* v (hundredths) as "12.34" into buf. */
static const char *hundredths(char *buf, size_t size, uint64_t v)
{
	fmt_snprintf(buf, size, "%llu.%02llu", (unsigned long long)(v / 100),
	             (unsigned long long)(v % 100));
	return buf;
}

/* A figure's lines: its name, operations per round, and the median,
 * lowest and highest round in cycles per operation; then every round in
 * the order they ran (whole cycles per operation). */
static void report_fig(unsigned i)
{
	const struct bench_figure *f = &figs[i];
	uint64_t v[BENCH_ROUNDS];
	char med[24], lo[24], hi[24], all[BENCH_ROUNDS * 24];
	size_t len = 0;

	for (unsigned r = 0; r < BENCH_ROUNDS; r++) { /* insertion sort */
		uint64_t x = f->cycles[r] * 100 / f->ops;
		unsigned j = r;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
		len += (size_t)fmt_snprintf(all + len, sizeof all - len, " %llu",
		                            (unsigned long long)(x / 100));
	}
	log_printf("bench-user: fig %s %llu %s %s %s\n", fig_names[i], (unsigned long long)f->ops,
	           hundredths(med, sizeof med, v[BENCH_ROUNDS / 2]),
	           hundredths(lo, sizeof lo, v[0]), hundredths(hi, sizeof hi, v[BENCH_ROUNDS - 1]));
	log_printf("bench-user: rounds %s%s\n", fig_names[i], all);
}

/* Every figure; whether none is missing. */
static bool report(void)
{
	bool ok = true;

	log_printf("bench-user: cycle counter at %llu MHz; %u rounds per figure\n",
	           (unsigned long long)(ktime_cycles_hz() / 1000000), BENCH_ROUNDS);
	for (unsigned i = 0; i < BENCH_FIGS; i++) {
		if (figs[i].ops) {
			report_fig(i);
		} else {
			log_printf("bench-user: missing %s\n", fig_names[i]);
			ok = false;
		}
	}
	return ok;
}

/* Until nothing is runnable (the monitor has parked), or a while. */
static void settle(void)
{
	uint64_t deadline = ktime_deadline(10000);

	while (sched_step() && !ktime_passed(deadline))
		;
}

void bench_run(void)
{
	static const char *const nop[] = {"bench_nop", NULL};
	static const struct spawn_grant server[] = {
	        {SLOT_EP_REQ, BENCH_SLOT_EP_REQ, CAP_RIGHT_READ, 0},
	        {SLOT_EP_REP, BENCH_SLOT_EP_REP, CAP_RIGHT_WRITE, 0}};
	static const struct spawn_grant client[] = {
	        {SLOT_EP_REQ, BENCH_SLOT_EP_REQ, CAP_RIGHT_WRITE, BENCH_EP_BADGE},
	        {SLOT_EP_REP, BENCH_SLOT_EP_REP, CAP_RIGHT_READ, 0}};
	static const struct spawn_grant line[] = {
	        {SLOT_SHARED, BENCH_SLOT_SHARED, 0, 0},
	        {SLOT_NOTE, BENCH_SLOT_NOTE, 0, 0},
	        {SLOT_PEER, BENCH_SLOT_NOTE_PEER, CAP_RIGHT_WRITE, 0}};
	static const struct prog_spec sys[] = {{.module = "bench_sys",
	                                        .role = BENCH_ROLE_SYS,
	                                        .budget_bits = 24}},
	                              ep[] = {{.module = "bench_ep",
	                                       .role = BENCH_ROLE_EP_SERVER,
	                                       .grants = server,
	                                       .ngrants = 2},
	                                      {.module = "bench_ep",
	                                       .role = BENCH_ROLE_EP_CLIENT,
	                                       .grants = client,
	                                       .ngrants = 2}},
	                              spawn[] = {{.module = "bench_spawn",
	                                          .role = BENCH_ROLE_SPAWN,
	                                          .budget_bits = 21,
	                                          .modules = nop}},
	                              ping[] = {{.module = "bench_line",
	                                         .role = BENCH_ROLE_LINE_PING,
	                                         .grants = line,
	                                         .ngrants = 3,
	                                         .shared = true}};
	static const struct phase phases[] = {
	        {"sys", 25, sys, 1, NULL, NULL},
	        {"ep", 22, ep, 2, ep_setup, NULL},
	        {"spawn", 23, spawn, 1, NULL, NULL},
	        {"line", 22, ping, 1, line_setup, line_finish},
	};
	bool ok = true;

	log_printf("bench-user: user benchmarks on core 0 (bench_line: cores 0 and %u)\n", PEER);
	settle();
	for (unsigned i = 0; i < sizeof phases / sizeof phases[0]; i++)
		ok = run_phase(&phases[i]) && ok;
	ok = report() && ok;
	log_printf("bench-user: %s\n", ok ? "done" : "failed");
	arch_emulator_exit(ok);
}
