/* Cross-core figures between two user programs on cores 0 and 1 (make
 * bench-user), through a frame the bench kernel mapped into both at
 * BENCH_SHARED_VA.  The ping side (core 0) times; the pong side (core 1)
 * answers.  Ends with 0 or the failed check (also in the bench page).
 *
 * line: one cache line bounced, the floor under any cross-core channel.
 * Ping writes 2k + 1 and waits for 2k + 2; pong waits for 2k + 1 and
 * writes 2k + 2, each in its own line, so every value is checked by the
 * wait itself.  Both poll, never block.
 *
 * urpc, urpcwait: round trips of a 56-byte message over a user channel
 * (rt/chan.h) in the rest of the same frame, each side with a notification
 * of its own (BENCH_SLOT_NOTE) and a cap to the other's. Every payload is
 * checked: request k carries payload(k), its answer the complement.  In
 * urpc each receiver polls (rt_chan_recv in a loop); in urpcwait each
 * sleeps on its notification (rt_chan_wait) until the sender's signal
 * arrives: a system call, a message between the CPU drivers and an
 * interrupt that wakes the receiver's core.
 *
 * A polling wait gives up after BENCH_WAIT_S seconds; a sleeping one looks at the
 * clock each time it wakes. */
#include <rt/chan.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "bench.h"

#define WORDS    (URPC_PAYLOAD_MAX / 8)
#define TYPE_REQ 1
#define TYPE_REP 2

_Static_assert(BENCH_LINES_AT >= 2 * (RT_CHAN_SLOTS + 1) * URPC_LINE_SIZE &&
                       BENCH_LINES_AT + sizeof(struct bench_shared) <= RT_CHAN_FLAGS_AT,
               "the bounced lines lie between the channel's rings and its flags");

static struct bench_shared *const shared =
        (struct bench_shared *)(uintptr_t)(BENCH_SHARED_VA + BENCH_LINES_AT);
static uint64_t bounces; /* the ping side's so far */
static struct rt_chan chan;
static uint64_t trips; /* messages sent (ping) or answered (pong) so far */

static bool pings(uint64_t n)
{
	return bench_pings(&shared->ping, &shared->pong, &bounces, n);
}

/* ---- the channel ---- */

/* Request k's payload: words no other request has. */
static void payload(uint64_t k, uint64_t *w)
{
	for (unsigned i = 0; i < WORDS; i++)
		w[i] = (k * WORDS + i + 1) * 0x9e3779b97f4a7c15ull;
}

/* Whether m is message k of type, with payload(k), complemented if not. */
static bool is(const struct urpc_msg *m, uint16_t type, uint64_t k, bool inverted)
{
	uint64_t want[WORDS], got[WORDS];

	if (m->type != type || m->len != URPC_PAYLOAD_MAX)
		return false;
	payload(k, want);
	memcpy(got, m->payload, sizeof got);
	for (unsigned i = 0; i < WORDS; i++)
		if (got[i] != (inverted ? ~want[i] : want[i]))
			return false;
	return true;
}

/* The next message: polling, or asleep on the notification. */
static bool next(struct urpc_msg *m, bool sleep)
{
	struct rt_chan *const c[] = {&chan};
	uint64_t deadline = 0;

	for (unsigned spins = 1;; spins++) {
		enum err e = rt_chan_recv(&chan, m);
		if (e != ERR_EMPTY)
			return e == ERR_OK;
		if (sleep)
			rt_chan_wait(rt_root_ref(BENCH_SLOT_NOTE), c, 1);
		else if (spins % BENCH_SPINS)
			continue;
		if (!deadline)
			deadline = bench_deadline(BENCH_WAIT_S);
		else if (rt_cycles() > deadline)
			return false;
	}
}

static bool round_trips(uint64_t n, bool sleep)
{
	uint64_t w[WORDS];
	struct urpc_msg m;

	for (uint64_t i = 0; i < n; i++, trips++) {
		payload(trips, w);
		if (rt_chan_send(&chan, TYPE_REQ, w, sizeof w) || !next(&m, sleep) ||
		    !is(&m, TYPE_REP, trips, true))
			return false;
	}
	return true;
}

static bool polled(uint64_t n)
{
	return round_trips(n, false);
}

static bool slept(uint64_t n)
{
	return round_trips(n, true);
}

/* Pong: answers n requests, from check on. */
static int answer(uint64_t n, bool sleep, int check)
{
	uint64_t w[WORDS];
	struct urpc_msg m;

	for (uint64_t i = 0; i < n; i++, trips++) {
		if (!next(&m, sleep))
			return bench_fail(check, trips);
		if (!is(&m, TYPE_REQ, trips, false))
			return bench_fail(check + 1, trips);
		payload(trips, w);
		for (unsigned j = 0; j < WORDS; j++)
			w[j] = ~w[j];
		if (rt_chan_send(&chan, TYPE_REP, w, sizeof w))
			return bench_fail(check + 2, trips);
	}
	return 0;
}

/* Whether the notifications are there: this side's, and a cap to the other
 * side's on core peer (count peer + 1) that may only signal it. */
static bool notes(unsigned peer)
{
	struct cap_results_identify self, other;

	return !invoke_identify(BENCH_SLOT_NOTE, rt_depth(), &self) && self.type == CAP_NOTIFY &&
	       self.count == 0 && !invoke_identify(BENCH_SLOT_NOTE_PEER, rt_depth(), &other) &&
	       other.type == CAP_NOTIFY && other.count == peer + 1 &&
	       other.rights == CAP_RIGHT_WRITE;
}

/* Side side of the channel, laid out by side 0; the two meet in their
 * lines after the last bounce. */
static enum err attach(unsigned side)
{
	void *frame = (void *)(uintptr_t)BENCH_SHARED_VA;
	uint64_t laid = 2 * BENCH_LINE_TOTAL + 1;

	if (side && !bench_wait_for(&shared->ping, laid))
		return ERR_TIMEOUT;
	enum err e = rt_chan_init(&chan, frame, side, !side, rt_root_ref(BENCH_SLOT_NOTE),
	                          rt_root_ref(BENCH_SLOT_NOTE_PEER), 1);
	if (e)
		return e;
	if (side) {
		__atomic_store_n(&shared->pong, laid + 1, __ATOMIC_RELEASE);
		return ERR_OK;
	}
	__atomic_store_n(&shared->ping, laid, __ATOMIC_RELEASE);
	return bench_wait_for(&shared->pong, laid + 1) ? ERR_OK : ERR_TIMEOUT;
}

static int pong(void)
{
	__atomic_store_n(&shared->pong, 1, __ATOMIC_RELEASE); /* ready */
	for (uint64_t k = 0; k < BENCH_LINE_TOTAL; k++) {
		if (!bench_wait_for(&shared->ping, 2 * k + 1))
			return bench_fail(10, k);
		__atomic_store_n(&shared->pong, 2 * k + 2, __ATOMIC_RELEASE);
	}
	if (!notes(0))
		return bench_fail(11, 0);
	enum err e = attach(1);
	if (e)
		return bench_fail(12, e);
	int r = answer(BENCH_URPC_TOTAL, false, 13);
	return r ? r : answer(BENCH_URPC_WAIT_TOTAL, true, 16);
}

int main(void)
{
	static const struct bench_op line = {BENCH_FIG_LINE, BENCH_LINE_OPS, NULL, pings},
	                             urpc = {BENCH_FIG_URPC, BENCH_URPC_OPS, NULL, polled},
	                             wait = {BENCH_FIG_URPC_WAIT, BENCH_URPC_WAIT_OPS, NULL, slept};
	struct benchpage *p = bench_page();

	if (p->magic != BENCHPAGE_MAGIC)
		return bench_fail(1, p->magic);
	if (p->role == BENCH_ROLE_LINE_PONG)
		return pong();
	if (p->role != BENCH_ROLE_LINE_PING)
		return bench_fail(2, p->role);
	if (!notes(1))
		return bench_fail(4, 0);
	if (!bench_wait_for(&shared->pong, 1))
		return bench_fail(3, shared->pong);
	int e = bench_measure(&line, 20);
	if (!e && bounces != BENCH_LINE_TOTAL)
		e = bench_fail(21, bounces);
	enum err ce = e ? ERR_OK : attach(0);
	if (ce)
		e = bench_fail(22, ce);
	if (!e)
		e = bench_measure(&urpc, 23);
	if (!e)
		e = bench_measure(&wait, 24);
	if (!e && trips != BENCH_URPC_TOTAL + BENCH_URPC_WAIT_TOTAL)
		e = bench_fail(25, trips);
	return e;
}
