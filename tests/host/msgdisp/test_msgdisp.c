/* Host tests for one core's message dispatch (kernel/msgdisp.c): core 0
 * receives from peers 1..3 over real URPC rings.  Nested handlers run in
 * waits; top-level ones are deferred there and run at the top in arrival
 * order; a full queue leaves the next message in its ring (back-pressure)
 * while other channels are still served; nothing is lost. */
#include <msgdisp.h>
#include <stdlib.h>
#include <string.h>

#include "../htest.h"

#define PEERS 4
#define SLOTS 32
#define ALL   0xeull /* peers 1..3 */

static struct urpc_pair chan[PEERS]; /* core 0's ends */
static struct urpc_tx to0[PEERS];    /* peer p's sending end towards core 0 */
static void *blocks[PEERS];
static struct msgdisp d;

/* What the handlers saw, in order. */
static struct {
	unsigned from;
	uint16_t type;
	uint64_t seq;
	unsigned depth;
} seen[256];
static unsigned nseen, nrejected;
static enum err last_reject;

static enum err t_peek(void *ctx, unsigned p, struct urpc_msg *m)
{
	return urpc_peek(&chan[p].rx, m);
}

static void t_skip(void *ctx, unsigned p)
{
	urpc_skip(&chan[p].rx);
}

static void t_reject(unsigned from, const struct urpc_msg *m, enum err why)
{
	nrejected++;
	last_reject = why;
}

static void record(unsigned from, const struct urpc_msg *m)
{
	uint64_t seq = 0;
	__builtin_memcpy(&seq, m->payload, sizeof seq);
	seen[nseen].from = from;
	seen[nseen].type = m->type;
	seen[nseen].seq = seq;
	seen[nseen].depth = d.depth;
	nseen++;
}

/* A nested handler that itself waits (as a handler that sends into a full
 * ring does): one nested round. */
static void record_and_wait(unsigned from, const struct urpc_msg *m)
{
	record(from, m);
	msgdisp_enter(&d);
	msgdisp_poll(&d, ALL);
	msgdisp_leave(&d);
}

static void setup(void)
{
	size_t size = urpc_pair_size(SLOTS);
	d = (struct msgdisp)MSGDISP_INIT(NULL, t_peek, t_skip, t_reject);
	nseen = nrejected = 0;
	for (unsigned p = 1; p < PEERS; p++) {
		free(blocks[p]);
		blocks[p] = aligned_alloc(64, size);
		struct urpc_pair far;
		if (urpc_pair_region_init(blocks[p], SLOTS) ||
		    urpc_pair_init(&chan[p], blocks[p], SLOTS, 0) ||
		    urpc_pair_init(&far, blocks[p], SLOTS, 1))
			abort();
		to0[p] = far.tx;
	}
	/* TEST_SEQ and PING: nested; CAP_TRANSFER and CORE_CTRL: top-level */
	if (msgdisp_register(&d, MSG_TEST_SEQ, record, false) ||
	    msgdisp_register(&d, MSG_PING, record_and_wait, false) ||
	    msgdisp_register(&d, MSG_CAP_TRANSFER, record, true) ||
	    msgdisp_register(&d, MSG_CORE_CTRL, record, true))
		abort();
}

/* Peer p sends a message of type with seq in its first 8 bytes. */
static enum err send(unsigned p, uint16_t type, uint64_t seq)
{
	uint8_t payload[URPC_PAYLOAD_MAX] = {0};
	__builtin_memcpy(payload, &seq, sizeof seq);
	return urpc_send(&to0[p], type, payload, msg_payload_size(type));
}

static unsigned poll_nested(void)
{
	msgdisp_enter(&d);
	unsigned n = msgdisp_poll(&d, ALL);
	msgdisp_leave(&d);
	return n;
}

HTEST(register_once_per_type)
{
	setup();
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_TEST_SEQ, record, false), ERR_OK);
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_TEST_SEQ, record, true), ERR_EXIST);
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_TEST_SEQ, record_and_wait, false), ERR_EXIST);
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_NONE, record, false), ERR_INVAL);
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_TYPE_COUNT, record, false), ERR_INVAL);
	HT_EXPECT_EQ(msgdisp_register(&d, MSG_PONG, NULL, false), ERR_INVAL);
}

/* At the top everything runs at once, in each channel's order. */
HTEST(top_level_runs_everything)
{
	setup();
	HT_ASSERT(send(1, MSG_TEST_SEQ, 1) == ERR_OK);
	HT_ASSERT(send(1, MSG_CAP_TRANSFER, 2) == ERR_OK);
	HT_ASSERT(send(2, MSG_CORE_CTRL, 3) == ERR_OK);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 3);
	HT_ASSERT(nseen == 3);
	HT_EXPECT(seen[0].type == MSG_TEST_SEQ && seen[0].from == 1);
	HT_EXPECT(seen[1].type == MSG_CAP_TRANSFER && seen[1].from == 1 && seen[1].depth == 0);
	HT_EXPECT(seen[2].type == MSG_CORE_CTRL && seen[2].from == 2);
	HT_EXPECT_EQ(d.handled[MSG_CAP_TRANSFER], 1);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 0);
}

/* In a wait, nested handlers run and top-level ones wait for the top,
 * where they run in arrival order, at depth 0. */
HTEST(top_level_deferred_in_a_wait)
{
	setup();
	HT_ASSERT(send(2, MSG_CAP_TRANSFER, 10) == ERR_OK);
	HT_ASSERT(send(1, MSG_CAP_TRANSFER, 11) == ERR_OK);
	HT_ASSERT(send(1, MSG_TEST_SEQ, 12) == ERR_OK);
	HT_ASSERT(send(3, MSG_CORE_CTRL, 13) == ERR_OK);
	HT_EXPECT_EQ(poll_nested(), 4);
	HT_ASSERT(nseen == 1);
	HT_EXPECT(seen[0].seq == 12 && seen[0].depth == 1);
	HT_EXPECT_EQ(d.len, 3);
	msgdisp_enter(&d);
	HT_EXPECT_EQ(msgdisp_run_deferred(&d), 0); /* not inside a wait */
	msgdisp_leave(&d);
	HT_EXPECT_EQ(msgdisp_run_deferred(&d), 3);
	HT_ASSERT(nseen == 4);
	/* peers are read in index order: 1's, then 2's, then 3's */
	HT_EXPECT(seen[1].seq == 11 && seen[1].from == 1 && seen[1].depth == 0);
	HT_EXPECT(seen[2].seq == 10 && seen[2].from == 2);
	HT_EXPECT(seen[3].seq == 13 && seen[3].from == 3);
	HT_EXPECT_EQ(d.len, 0);
}

/* A nested handler that waits: the top-level message behind it in the
 * same round goes to the queue behind the ones deferred meanwhile, even
 * at depth 0, so top-level messages keep their order. */
HTEST(top_level_keeps_arrival_order)
{
	setup();
	HT_ASSERT(send(1, MSG_PING, 1) == ERR_OK);
	HT_ASSERT(send(2, MSG_CAP_TRANSFER, 2) == ERR_OK);
	HT_ASSERT(send(2, MSG_CAP_TRANSFER, 3) == ERR_OK);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 1); /* the PING's own wait defers 2's */
	HT_ASSERT(nseen == 1);
	HT_EXPECT_EQ(d.len, 2);
	HT_ASSERT(send(3, MSG_CAP_TRANSFER, 4) == ERR_OK);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 1); /* depth 0, but older ones wait */
	HT_EXPECT_EQ(nseen, 1);
	HT_EXPECT_EQ(msgdisp_run_deferred(&d), 3);
	HT_ASSERT(nseen == 4);
	HT_EXPECT(seen[1].seq == 2 && seen[2].seq == 3 && seen[3].seq == 4);
}

/* The queue's bound: the message past it stays in its ring and its channel
 * is not read, other channels are served, the held one is not read; at the
 * top every message runs, in order, none lost. */
HTEST(full_queue_leaves_messages_in_the_ring)
{
	const unsigned extra = 4;
	setup();
	for (unsigned i = 0; i < MSGDISP_DEFER_MAX + extra; i++)
		HT_ASSERT(send(1, MSG_CAP_TRANSFER, i) == ERR_OK);
	HT_ASSERT(send(1, MSG_TEST_SEQ, 100) == ERR_OK); /* behind them */
	HT_ASSERT(send(2, MSG_TEST_SEQ, 200) == ERR_OK);
	HT_ASSERT(send(3, MSG_TEST_SEQ, 300) == ERR_OK);
	d.held = 1ull << 3;
	for (int r = 0; r < 10; r++)
		poll_nested();
	HT_EXPECT_EQ(d.len, MSGDISP_DEFER_MAX);
	HT_EXPECT_EQ(d.stalled, 1ull << 1);
	HT_EXPECT_EQ(msgdisp_readable(&d, ALL), 1ull << 2);
	HT_EXPECT(urpc_pending(&chan[1].rx));
	HT_EXPECT(urpc_pending(&chan[3].rx));
	struct urpc_msg m;
	HT_EXPECT(urpc_peek(&chan[1].rx, &m) == ERR_OK && m.type == MSG_CAP_TRANSFER);
	HT_ASSERT(nseen == 1); /* only core 2's message ran */
	HT_EXPECT(seen[0].from == 2 && seen[0].seq == 200);
	HT_EXPECT_EQ(d.handled[MSG_CAP_TRANSFER], 0);
	/* a holder's message that would need the queue: refused, not taken */
	HT_ASSERT(urpc_recv(&chan[3].rx, &m) == ERR_OK);
	m.type = MSG_CORE_CTRL;
	m.len = msg_payload_size(MSG_CORE_CTRL);
	msgdisp_enter(&d);
	HT_EXPECT_EQ(msgdisp_dispatch(&d, 3, &m), ERR_FULL);
	msgdisp_leave(&d);
	/* the top: the queue, then the rest of the channel */
	HT_EXPECT_EQ(msgdisp_run_deferred(&d), MSGDISP_DEFER_MAX);
	HT_EXPECT_EQ(d.stalled, 0);
	while (msgdisp_poll(&d, ALL))
		;
	HT_ASSERT(nseen == 1 + MSGDISP_DEFER_MAX + extra + 1);
	for (unsigned i = 0; i < MSGDISP_DEFER_MAX + extra; i++)
		HT_EXPECT(seen[1 + i].type == MSG_CAP_TRANSFER && seen[1 + i].seq == i);
	HT_EXPECT_EQ(seen[nseen - 1].seq, 100);
	HT_EXPECT(!urpc_pending(&chan[1].rx));
	HT_EXPECT_EQ(d.handled[MSG_CAP_TRANSFER], MSGDISP_DEFER_MAX + extra);
}

/* Unknown types, wrong lengths, types with no handler here and corrupt
 * lines are reported and taken; what follows them is handled. */
HTEST(bad_messages_are_rejected_and_taken)
{
	setup();
	HT_ASSERT(urpc_send(&to0[1], MSG_TYPE_COUNT, NULL, 0) == ERR_OK);
	HT_ASSERT(urpc_send(&to0[1], MSG_TEST_SEQ, "abc", 3) == ERR_OK);
	HT_ASSERT(send(1, MSG_BOOT_REPORT, 0) == ERR_OK);
	HT_ASSERT(send(1, MSG_TEST_SEQ, 7) == ERR_OK);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 4);
	HT_EXPECT_EQ(nrejected, 3);
	HT_EXPECT_EQ(last_reject, ERR_NOENT);
	HT_ASSERT(nseen == 1);
	HT_EXPECT_EQ(seen[0].seq, 7);
	to0[2].ring[0].header = urpc_hdr_make(0, MSG_TEST_SEQ, 200); /* claims 200 bytes */
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 1);
	HT_EXPECT_EQ(last_reject, ERR_CORRUPT);
	HT_EXPECT(!urpc_pending(&chan[2].rx));
}

/* Past MSGDISP_NEST_MAX waits deep a poll reads nothing. */
HTEST(depth_bound)
{
	setup();
	HT_ASSERT(send(1, MSG_TEST_SEQ, 1) == ERR_OK);
	for (unsigned i = 0; i <= MSGDISP_NEST_MAX; i++)
		msgdisp_enter(&d);
	HT_EXPECT_EQ(msgdisp_readable(&d, ALL), 0);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 0);
	msgdisp_leave(&d);
	HT_EXPECT_EQ(msgdisp_poll(&d, ALL), 1);
	for (unsigned i = 0; i < MSGDISP_NEST_MAX; i++)
		msgdisp_leave(&d);
	HT_EXPECT_EQ(d.depth, 0);
}

HTEST_MAIN("msgdisp")
