/* Programs in ring 3 on every core, each in a capability space of its own
 * (spawn_sandbox) carved from a test untyped: a well-behaved one ends with
 * its code; one that faults is stopped, the core unharmed; one that never
 * yields is taken back by the timer while another runs; and deleting what
 * the untyped gave returns every frame (the leak check). */
#include "sched.h"

#include <tessera/bootinfo.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "core.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "msgloop.h"
#include "spawn.h"

#define TEST_BITS   6  /* the spawner's CNode: 64 slots */
#define TEST_UT     21 /* 2 MiB of untyped */
#define SLOT_UT     2
#define SLOT_LOGCAP 3
#define SLOT_PROG   4 /* programs' root CNodes from here */
#define RUN_MS      20000

struct bench {
	struct cte cnode, untyped;
	uint64_t offset; /* in the untyped: what spawns took */
};

/* A spawner's space: a CNode holding itself, the untyped and a log cap. */
static void bench_up(struct ktest *kt, struct bench *b)
{
	KT_ASSERT(capboot_root() != NULL);
	*b = (struct bench){0};
	KT_ASSERT(capboot_make_space(TEST_BITS, TEST_UT, &b->cnode, &b->untyped) == ERR_OK);
	const struct cap_env *env = capboot_env();
	KT_ASSERT(cap_copy(&b->cnode, cnode_slot(env, &b->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&b->untyped, cnode_slot(env, &b->cnode.cap, SLOT_UT)) == ERR_OK);
	KT_ASSERT(cap_copy(capboot_slot(SLOT_LOG), cnode_slot(env, &b->cnode.cap, SLOT_LOGCAP)) ==
	          ERR_OK);
}

/* Everything back: what the untyped gave, then the space itself. */
static void bench_down(struct ktest *kt, struct bench *b)
{
	const struct cap_env *env = capboot_env();
	KT_EXPECT_EQ(cap_revoke(env, &b->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_untyped_used(&b->untyped), 0);
	KT_EXPECT_EQ(cap_revoke(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->untyped), ERR_OK);
}

/* Starts module in the program slot n with grants; its dispatcher and frame. */
static struct dcb *start_with(struct ktest *kt, struct bench *b, const char *module, unsigned n,
                              unsigned priority, struct disp_frame **frame,
                              const struct spawn_grant *grants, unsigned ngrants)
{
	struct spawn_sandbox p = {.module = module,
	                          .root = &b->cnode,
	                          .root_bits = TEST_BITS,
	                          .untyped_slot = SLOT_UT,
	                          .offset = &b->offset,
	                          .cspace_slot = SLOT_PROG + n,
	                          .log_slot = SLOT_LOGCAP,
	                          .grants = grants,
	                          .ngrants = ngrants,
	                          .priority = priority};
	struct cte *disp;
	uint32_t rights;
	enum err e = spawn_sandbox(&p, frame);
	if (e) {
		ktest_fail(kt, __FILE__, __LINE__, "%s spawned (%s)", module, err_str(e));
		ktest_abort(kt);
	}
	uint64_t addr = (SLOT_PROG + n) << SPAWN_SANDBOX_BITS | SLOT_DISPATCHER;
	KT_ASSERT(cap_lookup(capboot_env(), &b->cnode, addr, TEST_BITS + SPAWN_SANDBOX_BITS, &disp,
	                     &rights) == ERR_OK);
	KT_ASSERT(disp->cap.type == CAP_DISPATCHER);
	return sched_dcb(disp->cap.base);
}

static struct dcb *start(struct ktest *kt, struct bench *b, const char *module, unsigned n,
                         unsigned priority, struct disp_frame **frame)
{
	return start_with(kt, b, module, n, priority, frame, NULL, 0);
}

static bool stopped(void *d)
{
	return ((struct dcb *)d)->state == DCB_STOPPED;
}

/* Runs the core's top level until d has stopped. */
static bool run_until_stopped(struct dcb *d)
{
	uint64_t deadline = ktime_deadline(RUN_MS);

	while (!stopped(d) && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	return stopped(d);
}

KTEST(sched, program_runs_and_ends_with_its_code)
{
	struct bench b;
	struct disp_frame *f;

	bench_up(kt, &b);
	struct dcb *d = start(kt, &b, "hello", 0, 3, &f);
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 42);
	KT_EXPECT(f->runs >= 1);
	KT_EXPECT(d->syscalls >= 3); /* two identifies, the log, the stop */
	KT_EXPECT_EQ(d->stop_vector, 0xff);
	bench_down(kt, &b);
}

KTEST(sched, a_fault_stops_only_that_program)
{
	struct bench b;
	struct disp_frame *f;

	bench_up(kt, &b);
	struct dcb *d = start(kt, &b, "faulter", 0, 3, &f);
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->faults, 1); /* the fault upcall ran */
	KT_EXPECT_EQ(f->fault.vector, 14);
	KT_EXPECT_EQ(f->fault.address, 0x10000000);
	KT_EXPECT_EQ(f->exit_code, 128 + 14);
	/* the core goes on: another program runs to its end */
	struct dcb *h = start(kt, &b, "hello", 1, 3, &f);
	KT_EXPECT(run_until_stopped(h));
	KT_EXPECT_EQ(f->exit_code, 42);
	bench_down(kt, &b);
}

KTEST(sched, the_timer_shares_the_core)
{
	struct bench b;
	struct disp_frame *fs, *fh;

	bench_up(kt, &b);
	struct dcb *spin = start(kt, &b, "spinner", 0, 3, &fs);
	/* the spinner runs first, until it has counted: each step that comes
	 * back while it is runnable is the timer (or a message) taking the core
	 * (a first slice may end before it ran an instruction) */
	uint64_t deadline = ktime_deadline(RUN_MS);
	while (fs->exit_code == 0 && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	KT_EXPECT(fs->exit_code > 0);
	struct dcb *hello = start(kt, &b, "hello", 1, 3, &fh);
	KT_EXPECT(run_until_stopped(hello)); /* the spinner never yields, yet hello ends */
	KT_EXPECT_EQ(fh->exit_code, 42);
	KT_EXPECT(spin->slices >= 1);
	KT_EXPECT(spin->state == DCB_RUNNABLE);
	unsigned before = sched_count(NULL);
	bench_down(kt, &b); /* deleting their objects stops them and they leave the core */
	KT_EXPECT_EQ(sched_count(NULL), before - 2);
}

/* Two programs on one core, a client and a server, exchange EP_ROUNDS
 * request/answer pairs over two endpoints: the server sees the badge the
 * client's cap was minted with, every word arrives, and the first request
 * brings a cap that lands in the server's space. */
KTEST(sched, endpoint_round_trips_with_badge_and_cap)
{
	enum { REQ = 8, REP = 9 };
	struct bench b;
	struct disp_frame *fs, *fc;
	const struct cap_env *env = capboot_env();

	bench_up(kt, &b);
	for (unsigned i = 0; i < 2; i++) {
		struct cap_retype_args r = {
		        .offset = i * 64, .count = 1, .dest_index = REQ + i, .type = CAP_ENDPOINT};
		KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	}
	b.offset = 4096;
	const struct spawn_grant server[] = {{REQ, 16, CAP_RIGHT_READ, 0},
	                                     {REP, 17, CAP_RIGHT_WRITE, 0}};
	const struct spawn_grant client[] = {{REQ, 16, CAP_RIGHT_WRITE, 0x77},
	                                     {REP, 17, CAP_RIGHT_READ, 0}};
	struct dcb *s = start_with(kt, &b, "ep_server", 0, 3, &fs, server, 2);
	struct dcb *c = start_with(kt, &b, "ep_client", 1, 3, &fc, client, 2);
	KT_EXPECT(run_until_stopped(c));
	KT_EXPECT(run_until_stopped(s));
	KT_EXPECT_EQ(fs->exit_code, 0);
	KT_EXPECT_EQ(fc->exit_code, 0);
	KT_EXPECT(s->syscalls >= 2000 && c->syscalls >= 2000);
	bench_down(kt, &b);
}

/* Asynchronous invocations (tessera/ring.h): user/tests/ring.c checks the
 * rings' behaviour from the program's side; here it gets a frame for them. */
KTEST(sched, invocation_rings)
{
	enum { FRAME = 10 };
	struct bench b;
	struct disp_frame *f;
	const struct cap_env *env = capboot_env();

	bench_up(kt, &b);
	struct cap_retype_args r = {
	        .count = 1, .dest_index = FRAME, .type = CAP_FRAME, .obj_bits = CAP_PAGE_BITS};
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	b.offset = 4096;
	const struct spawn_grant g[] = {{FRAME, 19, 0, 0}};
	struct dcb *d = start_with(kt, &b, "ring", 0, 3, &f, g, 1);
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 0);
	bench_down(kt, &b);
}

static bool blocked(void *d)
{
	return ((struct dcb *)d)->state == DCB_BLOCKED;
}

/* Core b: the waiting program; the object's address goes to core a. */
static void notify_waiter(struct ktest *kt, unsigned a)
{
	enum { NOTE = 8 };
	struct bench b;
	struct disp_frame *f;
	const struct cap_env *env = capboot_env();

	bench_up(kt, &b);
	struct cap_retype_args r = {.count = 1, .dest_index = NOTE, .type = CAP_NOTIFY};
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	b.offset = 4096;
	const struct spawn_grant g[] = {{NOTE, 16, CAP_RIGHT_READ, 0}};
	struct dcb *d = start_with(kt, &b, "notify_wait", 0, 3, &f, g, 1);
	uint64_t deadline = ktime_deadline(RUN_MS);
	while (!blocked(d) && !stopped(d) && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	KT_EXPECT(blocked(d));
	const struct cte *note = cnode_slot(env, &b.cnode.cap, NOTE);
	KT_EXPECT(ktest_send_value(a, note->cap.base, 0));
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 0x5);
	bench_down(kt, &b);
}

/* Core a: a cap for b's object, as a monitor would make it, signalled. */
static void notify_signaller(struct ktest *kt, unsigned b)
{
	struct cte cnode = {0}, ut = {0};
	uint64_t pa;
	const struct cap_env *env = capboot_env();

	KT_ASSERT(ktest_take_value(b, &pa, NULL));
	KT_ASSERT(capboot_make_space(6, 12, &cnode, &ut) == ERR_OK);
	struct cte *slot = cnode_slot(env, &cnode.cap, 5);
	slot->cap = (struct cap){.type = CAP_NOTIFY,
	                         .size_bits = CAP_NOTIFY_BITS,
	                         .rights = CAP_RIGHT_READ | CAP_RIGHT_WRITE,
	                         .base = pa,
	                         .count = b + 1};
	struct cap_invocation_args inv = {
	        .cap = 5, .depth = 6, .method = CAP_INV_NOTIFY_SIGNAL, .arg = {0x5}};
	struct cap_invocation_result res;
	KT_EXPECT_EQ(cap_invoke(env, &cnode, &inv, &res), ERR_OK);
	inv.method = CAP_INV_NOTIFY_WAIT; /* waiting is for its own core only */
	inv.arg[0] = 0;
	KT_EXPECT_EQ(cap_invoke(env, &cnode, &inv, &res), ERR_UNSUPPORTED);
	*slot = (struct cte){0}; /* it was never linked */
	KT_EXPECT_EQ(cap_delete(env, &cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &ut), ERR_OK);
}

/* The last two online cores: b (the last) runs a program that waits on a
 * notification object of b's; a signals it from its own core through a
 * cap naming b's object (as a monitor would create it); the program wakes
 * on b with the bits. */
KTEST_SMP(sched, notification_wakes_a_program_on_another_core)
{
	unsigned list[SMP_MAX_CORES], n = 0, me = core_self();

	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		if (core_online() & (1ull << c))
			list[n++] = c;
	if (n < 2)
		KT_SKIP("needs two online cores");
	unsigned a = list[n - 2], b = list[n - 1];
	ktest_barrier(kt);
	if (me == b)
		notify_waiter(kt, a);
	else if (me == a)
		notify_signaller(kt, b);
	ktest_barrier(kt);
}

/* NOTIFY_TIMER: user/tests/notify_timer.c arms, cancels and replaces
 * timers on its notification and checks the times by the cycle counter;
 * here it must be seen blocked (asleep in NOTIFY_WAIT, not polling) while
 * its first timer runs. */
KTEST(sched, a_notification_timer_wakes_a_sleeping_program)
{
	enum { NOTE = 20, NOTE_RO = 21 };
	struct bench b;
	struct disp_frame *f;
	const struct cap_env *env = capboot_env();
	struct cap_retype_args r = {.count = 1, .dest_index = NOTE, .type = CAP_NOTIFY};
	const struct cap_mint_args ro = {.rights = CAP_RIGHT_READ | CAP_RIGHT_GRANT};

	bench_up(kt, &b);
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	struct cte *note = cnode_slot(env, &b.cnode.cap, NOTE);
	KT_ASSERT(cap_mint(note, cnode_slot(env, &b.cnode.cap, NOTE_RO), &ro) == ERR_OK);
	b.offset = 4096;
	const struct spawn_grant g[] = {{NOTE, 16, 0, 0}, {NOTE_RO, 17, 0, 0}};
	struct dcb *d = start_with(kt, &b, "notify_timer", 0, 3, &f, g, 2);
	uint64_t deadline = ktime_deadline(RUN_MS);
	while (!blocked(d) && !stopped(d) && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	KT_EXPECT(blocked(d));
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 0);
	bench_down(kt, &b);
}

/* DISP_NOTIFY: an owner learns its programs ended from its notification,
 * with the bits it chose per program: one that exits, one that faults
 * (its runtime stops it);
 * refusals first (a frame is no notification; no WRITE on it). */
KTEST(sched, a_program_that_stops_signals_its_owner)
{
	enum { NOTE = 20, NOTE_RO = 21 };
	struct bench b;
	struct disp_frame *f1, *f2;
	const struct cap_env *env = capboot_env();
	struct cap_retype_args r = {
	        .offset = 0, .count = 1, .dest_index = NOTE, .type = CAP_NOTIFY};
	const struct cap_mint_args ro = {.rights = CAP_RIGHT_READ};

	bench_up(kt, &b);
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	struct cte *note = cnode_slot(env, &b.cnode.cap, NOTE);
	KT_ASSERT(cap_mint(note, cnode_slot(env, &b.cnode.cap, NOTE_RO), &ro) == ERR_OK);
	b.offset = 4096;
	struct dcb *d1 = start(kt, &b, "hello", 0, 3, &f1);
	struct dcb *d2 = start(kt, &b, "faulter", 1, 3, &f2);
	uint64_t disp[2] = {(SLOT_PROG + 0) << SPAWN_SANDBOX_BITS | SLOT_DISPATCHER,
	                    (SLOT_PROG + 1) << SPAWN_SANDBOX_BITS | SLOT_DISPATCHER};
	struct cap_invocation_args inv = {.cap = disp[0],
	                                  .depth = TEST_BITS + SPAWN_SANDBOX_BITS,
	                                  .method = CAP_INV_DISP_NOTIFY,
	                                  .arg = {SLOT_UT, TEST_BITS, 0x10}};
	struct cap_invocation_result res;
	KT_EXPECT_EQ(cap_invoke(env, &b.cnode, &inv, &res), ERR_TYPE);
	inv.arg[0] = NOTE_RO;
	KT_EXPECT_EQ(cap_invoke(env, &b.cnode, &inv, &res), ERR_PERM);
	inv.arg[0] = NOTE;
	KT_EXPECT_EQ(cap_invoke(env, &b.cnode, &inv, &res), ERR_OK);
	inv.cap = disp[1];
	inv.arg[2] = 0x20;
	KT_EXPECT_EQ(cap_invoke(env, &b.cnode, &inv, &res), ERR_OK);
	KT_EXPECT(run_until_stopped(d1));
	KT_EXPECT(run_until_stopped(d2));
	KT_EXPECT_EQ(f1->exit_code, 42);
	KT_EXPECT_EQ(f2->exit_code, 128 + 14); /* its runtime took the fault and stopped */
	/* both ends in the notification's word, read as a wait would */
	inv = (struct cap_invocation_args){.cap = NOTE,
	                                   .depth = TEST_BITS,
	                                   .method = CAP_INV_NOTIFY_WAIT,
	                                   .arg = {EP_NONBLOCK}};
	KT_EXPECT_EQ(cap_invoke(env, &b.cnode, &inv, &res), ERR_OK);
	KT_EXPECT_EQ(res.value[0], 0x30);
	bench_down(kt, &b);
}

/* Each dispatcher has its own floating-point and SIMD registers: two
 * programs on this core keep different values in the same register and
 * different rounding modes across hundreds of switches between them. */
KTEST(sched, floating_point_registers_are_each_dispatchers)
{
	struct bench b;
	struct disp_frame *f1, *f2;

	bench_up(kt, &b);
	struct dcb *d1 = start(kt, &b, "fpu", 0, 3, &f1);
	struct dcb *d2 = start(kt, &b, "fpu", 1, 3, &f2);
	KT_EXPECT(run_until_stopped(d1));
	KT_EXPECT(run_until_stopped(d2));
	KT_EXPECT_EQ(f1->exit_code, 0);
	KT_EXPECT_EQ(f2->exit_code, 0);
	KT_EXPECT(d1->slices > 100 && d2->slices > 100); /* they did take turns */
	bench_down(kt, &b);
}
