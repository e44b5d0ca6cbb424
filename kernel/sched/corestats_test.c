/* Test kernel only: MON_STATS (tessera/caps.h) through a monitor cap of
 * the test's own.  The refusals; the idle counter still while the core
 * spins and growing while it halts, busy cycles growing while it spins;
 * and the message counters against messages this test sends itself, both
 * ways between the last two online cores. */
#include <arch/arch.h>
#include <string/mem.h>
#include <tessera/caps.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "chan.h"
#include "core.h"
#include "ktest.h"
#include "ktime.h"
#include "msgloop.h"

#define BITS     6 /* the test's CNode */
#define UT_BITS  12
#define S_MON    2
#define S_MON_WO 3 /* the monitor cap without READ */
#define S_UT     4
#define WAIT_MS  10000
#define A_TO_B   100 /* messages the test sends: more than a ring holds */
#define B_TO_A   37

struct space {
	struct cte cnode, untyped;
};

static void space_up(struct ktest *kt, struct space *s)
{
	const struct cap_env *env = capboot_env();
	const struct cap_mint_args wo = {.rights = CAP_RIGHT_WRITE};
	struct cap mon = {.type = CAP_MONITOR, .rights = cap_type_rights(CAP_MONITOR)};

	*s = (struct space){0};
	KT_ASSERT(capboot_make_space(BITS, UT_BITS, &s->cnode, &s->untyped) == ERR_OK);
	KT_ASSERT(cap_copy(&s->cnode, cnode_slot(env, &s->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&s->untyped, cnode_slot(env, &s->cnode.cap, S_UT)) == ERR_OK);
	KT_ASSERT(cap_create_root(env, cnode_slot(env, &s->cnode.cap, S_MON), &mon) == ERR_OK);
	KT_ASSERT(cap_mint(cnode_slot(env, &s->cnode.cap, S_MON),
	                   cnode_slot(env, &s->cnode.cap, S_MON_WO), &wo) == ERR_OK);
}

static void space_down(struct ktest *kt, struct space *s)
{
	const struct cap_env *env = capboot_env();

	KT_EXPECT_EQ(cap_delete(env, cnode_slot(env, &s->cnode.cap, S_MON_WO)), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, cnode_slot(env, &s->cnode.cap, S_MON)), ERR_OK);
	KT_EXPECT_EQ(cap_revoke(env, &s->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_revoke(env, &s->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &s->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &s->untyped), ERR_OK);
}

/* MON_STATS about core on the cap in slot, as a program would invoke it. */
static enum err stats(struct space *s, uint64_t slot, uint64_t core,
                      struct cap_results_mon_stats *out)
{
	struct cap_invocation_args args = {
	        .cap = slot, .depth = BITS, .method = CAP_INV_MON_STATS, .arg = {core}};
	struct cap_invocation_result res = {0};
	enum err e = cap_invoke(capboot_env(), &s->cnode, &args, &res);

	*out = (struct cap_results_mon_stats){.err = (uint64_t)e};
	memcpy(&out->cycles, res.value, sizeof *out - sizeof out->err);
	return e;
}

static uint64_t busy(const struct cap_results_mon_stats *r)
{
	return r->cycles - r->start - r->idle;
}

static bool idle_grew(void *arg)
{
	return chan_idle_cycles() != *(uint64_t *)arg;
}

KTEST(corestats, refusals_and_the_clock)
{
	struct space s;
	struct cap_results_mon_stats r;

	space_up(kt, &s);
	KT_EXPECT_EQ(stats(&s, S_MON_WO, core_self(), &r), ERR_PERM);
	KT_EXPECT_EQ(stats(&s, S_MON, core_count(), &r), ERR_RANGE);
	KT_EXPECT_EQ(stats(&s, S_MON, ~0ull, &r), ERR_RANGE);
	KT_EXPECT_EQ(stats(&s, S_UT, core_self(), &r), ERR_TYPE);
	uint64_t before = arch_cycles();
	KT_EXPECT_EQ(stats(&s, S_MON, core_self(), &r), ERR_OK);
	uint64_t after = arch_cycles();
	KT_EXPECT(r.cycles >= before && r.cycles <= after); /* the counter, read then */
	KT_EXPECT(r.start < before);
	KT_EXPECT(r.idle <= r.cycles - r.start);
	KT_EXPECT_EQ(r.hz, ktime_cycles_hz());
	KT_EXPECT_EQ(r.sent, 0); /* no channel to itself */
	KT_EXPECT_EQ(r.received, 0);
	space_down(kt, &s);
}

/* Spinning (interrupts off, no halt) leaves idle alone and adds to busy;
 * halting (the loop's sleep, woken by the next tick) adds to idle. */
KTEST(corestats, idle_and_busy_cycles_advance)
{
	struct space s;
	struct cap_results_mon_stats r1, r2, r3;

	space_up(kt, &s);
	KT_ASSERT(stats(&s, S_MON, core_self(), &r1) == ERR_OK);
	ktime_delay_us(20000);
	KT_ASSERT(stats(&s, S_MON, core_self(), &r2) == ERR_OK);
	KT_EXPECT_EQ(r2.idle, r1.idle);
	KT_EXPECT(busy(&r2) > busy(&r1));
	uint64_t idle = r2.idle;
	KT_EXPECT(msgloop_wait(idle_grew, &idle, ktime_deadline(WAIT_MS)) == ERR_OK);
	KT_ASSERT(stats(&s, S_MON, core_self(), &r3) == ERR_OK);
	KT_EXPECT(r3.idle > r2.idle);
	KT_EXPECT(busy(&r3) >= busy(&r2));
	KT_EXPECT_EQ(r3.start, r1.start);
	space_down(kt, &s);
}

/* Core `to`: takes the next `count` TEST_SEQ messages from `from` off the
 * ring itself (the loop leaves that channel alone meanwhile); any other
 * message is handled as the loop would.  Checks that the received counter
 * moved by exactly the messages taken, count of them TEST_SEQ. */
static void take(struct ktest *kt, struct space *s, unsigned from, uint64_t count)
{
	struct cap_results_mon_stats r1, r2;
	struct urpc_msg m;
	uint64_t seq = 0, taken = 0, deadline = ktime_deadline(WAIT_MS);
	uint64_t held = msgloop_hold(1ull << from);

	KT_EXPECT(stats(s, S_MON, from, &r1) == ERR_OK);
	KT_EXPECT(ktest_send_value(from, 1, 0)); /* ready: send them */
	while (seq < count && !ktime_passed(deadline)) {
		if (chan_recv(from, &m) != ERR_OK) {
			msgloop_poll();
			continue;
		}
		taken++;
		if (m.type == MSG_TEST_SEQ)
			seq++;
		else
			msgloop_dispatch(from, &m);
	}
	KT_EXPECT(stats(s, S_MON, from, &r2) == ERR_OK);
	msgloop_unhold(held);
	KT_EXPECT_EQ(seq, count);
	KT_EXPECT_EQ(r2.received - r1.received, taken);
}

/* Core `from`: once `to` is ready, sends it count TEST_SEQ messages; the
 * sent counter moves by exactly that. */
static void give(struct ktest *kt, struct space *s, unsigned to, uint64_t count)
{
	struct cap_results_mon_stats r1, r2;
	struct msg_test_seq m;
	uint64_t v;

	KT_EXPECT(ktest_take_value(to, &v, NULL));
	KT_EXPECT(stats(s, S_MON, to, &r1) == ERR_OK);
	for (uint64_t i = 0; i < count; i++) {
		urpc_test_seq_fill(&m, core_self(), i);
		KT_EXPECT_EQ(chan_send_wait(to, MSG_TEST_SEQ, &m, sizeof m, WAIT_MS), ERR_OK);
	}
	KT_EXPECT(stats(s, S_MON, to, &r2) == ERR_OK);
	KT_EXPECT_EQ(r2.sent - r1.sent, count);
}

KTEST_SMP(corestats, messages_between_cores_counted_exactly)
{
	unsigned list[SMP_MAX_CORES], n = 0, me = core_self();
	struct space s;

	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		if (core_online() & (1ull << c))
			list[n++] = c;
	if (n < 2)
		KT_SKIP("needs two online cores");
	unsigned a = list[n - 2], b = list[n - 1];
	space_up(kt, &s);
	ktest_barrier(kt);
	if (me == a)
		give(kt, &s, b, A_TO_B);
	else if (me == b)
		take(kt, &s, a, A_TO_B);
	ktest_barrier(kt);
	if (me == b)
		give(kt, &s, a, B_TO_A);
	else if (me == a)
		take(kt, &s, b, B_TO_A);
	ktest_barrier(kt);
	space_down(kt, &s);
}
