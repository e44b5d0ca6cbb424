/* URPC channels between real cores: all-pairs traffic, the ring's full and
 * empty edges, and the IPI that wakes a sleeping receiver only when it
 * announced sleep. */
#include "chan.h"

#include <arch/arch.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

#include "ktest.h"
#include "ktime.h"
#include "msgloop.h"
#include "smp.h"

#define ALL_PAIRS_COUNT 10000
#define TEST_MS         60000
#define WATCHDOG_MS     5000

/* The online cores in order; their number. */
static unsigned online_list(unsigned *out)
{
	unsigned n = 0;

	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		if (core_online() & (1ull << c))
			out[n++] = c;
	return n;
}

KTEST(chan, block_layout)
{
	static const unsigned sizes[] = {2, 5, 64};

	for (size_t s = 0; s < 3; s++) {
		unsigned n = sizes[s];
		static uint8_t seen[64 * 63 / 2];
		size_t blocks = (size_t)n * (n - 1) / 2;
		for (size_t i = 0; i < blocks; i++)
			seen[i] = 0;
		for (unsigned a = 0; a < n; a++)
			for (unsigned b = a + 1; b < n; b++) {
				size_t i = chan_block_index(a, b, n);
				KT_EXPECT(i < blocks);
				KT_EXPECT_EQ(i, chan_block_index(b, a, n));
				if (i < blocks)
					seen[i]++;
			}
		for (size_t i = 0; i < blocks; i++)
			KT_EXPECT_EQ(seen[i], 1);
		KT_EXPECT_EQ(chan_area_size(n), blocks * CHAN_BLOCK_STRIDE);
	}
}

/* Sends TEST_SEQ messages to p while the ring has room. */
static void send_some(unsigned me, unsigned p, uint64_t *sent)
{
	struct msg_test_seq m;

	for (int k = 0; k < 16 && *sent < ALL_PAIRS_COUNT; k++) {
		urpc_test_seq_fill(&m, me, *sent);
		if (chan_send(p, MSG_TEST_SEQ, &m, sizeof m) != ERR_OK)
			break;
		(*sent)++;
	}
}

/* Every online core sends ALL_PAIRS_COUNT messages to every other, through
 * every core's message loop (ktest.c counts and checks TEST_SEQ per
 * sender): every one arrives once, in order, intact. */
KTEST_SMP(urpc, all_pairs)
{
	static uint64_t sent[SMP_MAX_CORES];
	unsigned list[SMP_MAX_CORES], n = online_list(list), me = core_self();
	uint64_t deadline = ktime_deadline(TEST_MS);
	bool done = false;

	for (unsigned i = 0; i < n; i++)
		sent[list[i]] = 0;
	ktest_seq_reset();
	ktest_barrier(kt); /* nobody sends before every core counts from 0 */
	while (!done && !ktime_passed(deadline)) {
		done = true;
		for (unsigned i = 0; i < n; i++) {
			unsigned p = list[i];
			if (p == me)
				continue;
			send_some(me, p, &sent[p]);
			done &= sent[p] == ALL_PAIRS_COUNT && ktest_seq_got(p) == ALL_PAIRS_COUNT;
		}
		msgloop_poll();
	}
	KT_EXPECT(done);
	KT_EXPECT_EQ(ktest_seq_bad(), 0);
	ktest_barrier(kt);
	/* Nothing more arrived meanwhile: no message came twice. */
	for (unsigned i = 0; i < n; i++)
		if (list[i] != me)
			KT_EXPECT_EQ(ktest_seq_got(list[i]), ALL_PAIRS_COUNT);
	ktest_barrier(kt);
}

/* Sends TEST_SEQ seq, seq + 1, ... to p until the ring is full; how many
 * went (ERR_FULL ends it; anything else counts as a failure). */
static unsigned fill(struct ktest *kt, unsigned me, unsigned p, uint64_t seq)
{
	struct msg_test_seq m;
	unsigned n = 0;

	for (;;) {
		urpc_test_seq_fill(&m, me, seq + n);
		enum err e = chan_send(p, MSG_TEST_SEQ, &m, sizeof m);
		if (e == ERR_FULL)
			return n;
		KT_EXPECT_EQ(e, ERR_OK);
		if (e != ERR_OK || ++n > 2 * CHAN_SLOTS)
			return n;
	}
}

/* Receives from p until the ring is empty, checking seq, seq + 1, ...;
 * how many came. */
static unsigned drain(struct ktest *kt, unsigned p, uint64_t seq)
{
	struct urpc_msg u;
	struct msg_test_seq m;
	unsigned n = 0;

	while (chan_recv(p, &u) == ERR_OK) {
		KT_EXPECT(msg_decode_test_seq(&u, &m) == ERR_OK &&
		          urpc_test_seq_check(&m, p, seq + n));
		n++;
	}
	KT_EXPECT(!chan_pending(p));
	KT_EXPECT(chan_recv(p, &u) == ERR_EMPTY);
	urpc_rx_flush(chan_rx(p));
	return n;
}

/* The full and empty edges of one ring between two cores, a sending and b
 * receiving, stepped by barriers: a full ring takes exactly CHAN_SLOTS
 * messages; one slot freed takes exactly one more; an emptied ring says
 * empty; the next lap (wrapped around) again takes exactly CHAN_SLOTS.
 * b holds its channel from a and reads it itself; core 0's channels carry
 * the barriers, so a and b are two other cores: the last two online. */
KTEST_SMP(urpc, ring_edges)
{
	unsigned list[SMP_MAX_CORES], n = online_list(list), me = core_self();
	struct urpc_msg u;

	if (n < 3)
		KT_SKIP("needs two online cores besides core 0");
	unsigned a = list[n - 2], b = list[n - 1];
	uint64_t held = msgloop_hold(me == b ? 1ull << a : 0);
	if (me == b)
		urpc_rx_flush(chan_rx(a)); /* everything consumed so far is published */
	ktest_barrier(kt);
	if (me == a)
		KT_EXPECT_EQ(fill(kt, me, b, 0), CHAN_SLOTS);
	ktest_barrier(kt);
	if (me == b) {
		KT_EXPECT(chan_pending(a));
		KT_EXPECT(chan_recv(a, &u) == ERR_OK && u.type == MSG_TEST_SEQ);
		urpc_rx_flush(chan_rx(a));
	}
	ktest_barrier(kt);
	if (me == a)
		KT_EXPECT_EQ(fill(kt, me, b, CHAN_SLOTS), 1);
	ktest_barrier(kt);
	if (me == b)
		KT_EXPECT_EQ(drain(kt, a, 1), CHAN_SLOTS);
	ktest_barrier(kt);
	if (me == a)
		KT_EXPECT_EQ(fill(kt, me, b, CHAN_SLOTS + 1), CHAN_SLOTS);
	ktest_barrier(kt);
	if (me == b)
		KT_EXPECT_EQ(drain(kt, a, CHAN_SLOTS + 1), CHAN_SLOTS);
	ktest_barrier(kt);
	msgloop_unhold(held);
	if (me != a && me != b)
		KT_SKIP("runs on the last two online cores");
}

/* Sends p the next of this test's TEST_SEQ messages (*sent counts them). */
static void seq_send(unsigned me, unsigned p, uint64_t *sent)
{
	struct msg_test_seq m;

	urpc_test_seq_fill(&m, me, (*sent)++);
	chan_send_wait(p, MSG_TEST_SEQ, &m, sizeof m, 1000);
}

struct arrival {
	unsigned from;
	uint64_t count;
};

static bool arrived(void *arg)
{
	const struct arrival *a = arg;
	return ktest_seq_got(a->from) >= a->count;
}

/* Waits up to ms until count TEST_SEQ messages from p have reached the
 * message loop: sleeping between rounds, or polling and never sleeping. */
static bool wait_seq(unsigned p, uint64_t count, bool sleep, uint64_t ms)
{
	uint64_t deadline = ktime_deadline(ms);
	struct arrival a = {p, count};

	if (sleep)
		return msgloop_wait(arrived, &a, deadline) == ERR_OK;
	while (!arrived(&a) && !ktime_passed(deadline))
		msgloop_poll();
	return arrived(&a);
}

/* The sleeper b announces sleep before it halts; the sender a sends the
 * wake-up IPI only then.  Awake (b polling): a message costs no IPI.
 * Asleep: exactly one IPI, which wakes b (or, if b's last look at its
 * rings came after the message, is taken at b's next halt).  While b
 * sleeps its periodic timer is replaced by a distant one-shot watchdog:
 * nothing else wakes it in time, and a lost IPI fails the case (after the
 * watchdog) instead of hanging it. */
KTEST_SMP(chan, ipi_wakes_sleeper)
{
	unsigned list[SMP_MAX_CORES], n = online_list(list), me = core_self();
	uint64_t sent = 0;

	if (n < 2)
		KT_SKIP("needs two online cores");
	unsigned a = list[n - 2], b = list[n - 1];
	ktest_seq_reset();
	ktest_barrier(kt);
	if (me == b) {
		uint64_t w0 = arch_wakes();
		seq_send(me, a, &sent); /* ready: awake, and polling from now on */
		KT_EXPECT(wait_seq(a, 1, false, TEST_MS));
		KT_EXPECT_EQ(arch_wakes(), w0);
	} else if (me == a) {
		KT_EXPECT(wait_seq(b, 1, true, TEST_MS));
		uint64_t i0 = chan_ipis_sent();
		seq_send(me, b, &sent);
		KT_EXPECT_EQ(chan_ipis_sent(), i0);
	}
	ktest_barrier(kt);
	if (me == b) {
		uint64_t w0 = arch_wakes();
		uint64_t deadline = ktime_deadline(WATCHDOG_MS / 2);
		arch_timer_oneshot(WATCHDOG_MS);
		seq_send(me, a, &sent); /* the next sleep is this phase's, not the barrier's */
		KT_EXPECT(wait_seq(a, 2, true, WATCHDOG_MS / 2));
		/* If the IPI raced b's last look at its rings (b then found the
		 * message without halting), it is still pending: take it. */
		while (arch_wakes() == w0 && !ktime_passed(deadline))
			arch_idle();
		arch_timer_periodic();
		/* The wake vector counts only wake IPIs (the watchdog is the
		 * timer's), so b was woken by an IPI.  When a is core 0, other
		 * traffic from it (the test protocol) may add a second one. */
		KT_EXPECT(arch_wakes() >= w0 + 1);
	} else if (me == a) {
		uint64_t deadline = ktime_deadline(WATCHDOG_MS / 2);
		bool asleep;
		KT_EXPECT(wait_seq(b, 2, true, WATCHDOG_MS / 2));
		while (!(asleep = chan_peer_sleeping(b)) && !ktime_passed(deadline))
			arch_relax();
		KT_EXPECT(asleep);
		ktime_delay_us(2000); /* most likely halted by now */
		uint64_t i0 = chan_ipis_sent();
		seq_send(me, b, &sent);
		KT_EXPECT_EQ(chan_ipis_sent(), i0 + 1);
	}
	ktest_barrier(kt);
	KT_EXPECT_EQ(ktest_seq_bad(), 0);
	if (me != a && me != b)
		KT_SKIP("runs on the last two online cores");
}
