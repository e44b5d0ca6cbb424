/* URPC channel mechanics on one thread: layout, init checks, empty and full
 * rings, credit and acks, lengths, sequence wrap-around, corrupt peers.
 * The threaded tests are in test_urpc_threads.c, the typed messages in
 * test_urpc_msg.c; this file holds the suite's main. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/urpc.h>

#include "../htest.h"
#include "urpc_test.h"

void *urpc_test_alloc(size_t size)
{
	void *p = aligned_alloc(URPC_LINE_SIZE, size);
	if (p)
		memset(p, 0xa5, size); /* init must not rely on zeroed memory */
	return p;
}

/* Sends a message whose payload is `len` bytes of (uint8_t)(seq + i). */
static enum err send_pattern(struct urpc_tx *tx, uint32_t n, uint8_t len)
{
	uint8_t buf[URPC_PAYLOAD_MAX];
	for (unsigned i = 0; i < len; i++)
		buf[i] = (uint8_t)(n + i);
	return urpc_send(tx, (uint16_t)(n & 0xffff), buf, len);
}

/* Receives one message and checks it is send_pattern(n, len)'s. */
static bool recv_pattern(struct urpc_rx *rx, uint32_t n, uint8_t len)
{
	struct urpc_msg m;
	if (urpc_recv(rx, &m) != ERR_OK || m.type != (uint16_t)(n & 0xffff) || m.len != len)
		return false;
	for (unsigned i = 0; i < len; i++)
		if (m.payload[i] != (uint8_t)(n + i))
			return false;
	return true;
}

HTEST(region_size)
{
	HT_EXPECT_EQ(urpc_region_size(1), 128);
	HT_EXPECT_EQ(urpc_region_size(8), 9 * 64);
	HT_EXPECT_EQ(urpc_region_size(URPC_MAX_SLOTS), (URPC_MAX_SLOTS + 1) * 64ull);
	HT_EXPECT_EQ(urpc_region_size(0), 0);
	HT_EXPECT_EQ(urpc_region_size(3), 0);
	HT_EXPECT_EQ(urpc_region_size(URPC_MAX_SLOTS * 2), 0);
	HT_EXPECT_EQ(urpc_pair_size(8), 2 * 9 * 64);
}

HTEST(init_checks)
{
	uint8_t *mem = urpc_test_alloc(urpc_region_size(8) + 64);
	HT_ASSERT(mem);
	struct urpc_tx tx;
	struct urpc_rx rx;
	HT_EXPECT_EQ(urpc_region_init(mem + 8, 8), ERR_ALIGN);
	HT_EXPECT_EQ(urpc_region_init(mem, 6), ERR_INVAL);
	HT_EXPECT_EQ(urpc_region_init(mem, 0), ERR_INVAL);
	memset(mem, 0, urpc_region_size(8));
	HT_EXPECT_EQ(urpc_tx_init(&tx, mem, 8), ERR_INVAL); /* never initialised */
	HT_EXPECT_EQ(urpc_rx_init(&rx, mem, 8), ERR_INVAL);
	HT_ASSERT(urpc_region_init(mem, 8) == ERR_OK);
	HT_EXPECT_EQ(urpc_tx_init(&tx, mem, 4), ERR_INVAL); /* other slot count */
	HT_EXPECT_EQ(urpc_rx_init(&rx, mem, 2), ERR_INVAL);
	HT_EXPECT_EQ(urpc_tx_init(&tx, mem, 8), ERR_OK);
	HT_EXPECT_EQ(urpc_rx_init(&rx, mem, 8), ERR_OK);
	HT_EXPECT_EQ(urpc_tx_init(&tx, mem + 64, 8), ERR_INVAL);
	free(mem);
}

HTEST(empty)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 8, 0) == ERR_OK);
	struct urpc_msg m;
	HT_EXPECT(!urpc_pending(&c.rx));
	HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_EMPTY);
	HT_EXPECT_EQ(send_pattern(&c.tx, 7, 3), ERR_OK);
	HT_EXPECT(urpc_pending(&c.rx));
	HT_EXPECT(recv_pattern(&c.rx, 7, 3));
	HT_EXPECT(!urpc_pending(&c.rx));
	HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_EMPTY);
	urpc_test_chan_close(&c);
}

HTEST(lengths)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 4, 0) == ERR_OK);
	uint8_t big[URPC_PAYLOAD_MAX + 1] = {0};
	HT_EXPECT_EQ(urpc_send(&c.tx, 1, big, sizeof big), ERR_RANGE);
	HT_EXPECT_EQ(urpc_send(&c.tx, 1, big, SIZE_MAX), ERR_RANGE);
	HT_EXPECT(!urpc_pending(&c.rx)); /* a rejected send publishes nothing */
	HT_EXPECT_EQ(urpc_send(&c.tx, 9, NULL, 0), ERR_OK);
	HT_EXPECT_EQ(send_pattern(&c.tx, 1, URPC_PAYLOAD_MAX), ERR_OK);
	HT_EXPECT_EQ(send_pattern(&c.tx, 2, 1), ERR_OK);
	struct urpc_msg m;
	HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_OK);
	HT_EXPECT_EQ(m.type, 9);
	HT_EXPECT_EQ(m.len, 0);
	HT_EXPECT(recv_pattern(&c.rx, 1, URPC_PAYLOAD_MAX));
	HT_EXPECT(recv_pattern(&c.rx, 2, 1));
	urpc_test_chan_close(&c);
}

/* Peek shows the next message and leaves it; skip takes it without a copy
 * and publishes progress on the same schedule as recv. */
HTEST(peek_and_skip)
{
	struct urpc_test_chan c;
	struct urpc_msg m;
	HT_ASSERT(urpc_test_chan_open(&c, 4, 0) == ERR_OK);
	HT_EXPECT_EQ(urpc_peek(&c.rx, &m), ERR_EMPTY);
	HT_EXPECT_EQ(urpc_skip(&c.rx), ERR_EMPTY);
	HT_EXPECT_EQ(c.rx.seq, 0);
	for (uint32_t i = 0; i < 4; i++)
		HT_EXPECT_EQ(send_pattern(&c.tx, i, 5), ERR_OK);
	for (int k = 0; k < 3; k++) {
		HT_EXPECT_EQ(urpc_peek(&c.rx, &m), ERR_OK);
		HT_EXPECT_EQ(m.type, 0);
		HT_EXPECT_EQ(m.len, 5);
		HT_EXPECT(urpc_pending(&c.rx));
	}
	HT_EXPECT_EQ(urpc_skip(&c.rx), ERR_OK);
	HT_EXPECT_EQ(send_pattern(&c.tx, 4, 0), ERR_FULL);
	HT_EXPECT_EQ(urpc_peek(&c.rx, &m), ERR_OK);
	HT_EXPECT_EQ(m.type, 1);
	HT_EXPECT_EQ(urpc_skip(&c.rx), ERR_OK); /* the batch-th: acked */
	HT_EXPECT_EQ(send_pattern(&c.tx, 4, 0), ERR_OK);
	HT_EXPECT(recv_pattern(&c.rx, 2, 5));
	HT_EXPECT(recv_pattern(&c.rx, 3, 5));
	HT_EXPECT(recv_pattern(&c.rx, 4, 0));
	HT_EXPECT_EQ(urpc_skip(&c.rx), ERR_EMPTY);
	/* A corrupt line is shown as such, and skip still takes it. */
	c.tx.ring[c.rx.seq & 3].header = urpc_hdr_make(c.rx.seq, 1, 200);
	HT_EXPECT_EQ(urpc_peek(&c.rx, &m), ERR_CORRUPT);
	HT_EXPECT_EQ(urpc_skip(&c.rx), ERR_OK);
	HT_EXPECT_EQ(urpc_peek(&c.rx, &m), ERR_EMPTY);
	urpc_test_chan_close(&c);
}

/* Fills a ring of `slots`, checks ERR_FULL exactly then, and that credit comes
 * back only when the receiver acks (every URPC_ACK_BATCH, or on flush). */
static void check_full(uint32_t slots, uint32_t first_seq)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, slots, first_seq) == ERR_OK);
	uint32_t batch = URPC_ACK_BATCH(slots), sent = 0, got = 0;
	for (int lap = 0; lap < 3; lap++) {
		while (send_pattern(&c.tx, sent, (uint8_t)(sent % 57)) == ERR_OK)
			sent++;
		HT_EXPECT_EQ(sent - got, slots);
		HT_EXPECT_EQ(send_pattern(&c.tx, sent, 0), ERR_FULL);
		for (uint32_t i = 0; i + 1 < batch; i++) {
			HT_EXPECT(recv_pattern(&c.rx, got, (uint8_t)(got % 57)));
			got++;
			HT_EXPECT_EQ(send_pattern(&c.tx, sent, 0), ERR_FULL); /* not acked */
		}
		HT_EXPECT(recv_pattern(&c.rx, got, (uint8_t)(got % 57)));
		got++; /* the batch-th receive publishes the ack */
		for (uint32_t i = 0; i < batch; i++, sent++)
			HT_EXPECT_EQ(send_pattern(&c.tx, sent, (uint8_t)(sent % 57)), ERR_OK);
		HT_EXPECT_EQ(send_pattern(&c.tx, sent, 0), ERR_FULL);
		while (got < sent) {
			HT_EXPECT(recv_pattern(&c.rx, got, (uint8_t)(got % 57)));
			got++;
		}
		struct urpc_msg m;
		HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_EMPTY); /* no stale lap */
	}
	urpc_rx_flush(&c.rx);
	HT_EXPECT_EQ(send_pattern(&c.tx, sent, 4), ERR_OK);
	HT_EXPECT(recv_pattern(&c.rx, sent, 4));
	urpc_test_chan_close(&c);
}

HTEST(full_and_credit)
{
	check_full(1, 0);
	check_full(2, 0);
	check_full(8, 0);
	check_full(64, 0);
}

HTEST(flush_returns_credit)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 8, 0) == ERR_OK);
	for (uint32_t i = 0; i < 8; i++)
		HT_EXPECT_EQ(send_pattern(&c.tx, i, 8), ERR_OK);
	HT_EXPECT(recv_pattern(&c.rx, 0, 8));
	HT_EXPECT_EQ(send_pattern(&c.tx, 8, 8), ERR_FULL);
	urpc_rx_flush(&c.rx);
	HT_EXPECT_EQ(send_pattern(&c.tx, 8, 8), ERR_OK);
	HT_EXPECT_EQ(send_pattern(&c.tx, 9, 8), ERR_FULL);
	urpc_test_chan_close(&c);
}

/* Sequence numbers cross 2^32 in the middle of the ring and of a batch. */
HTEST(wrap_around)
{
	check_full(8, UINT32_MAX - 5);
	check_full(1, UINT32_MAX);
	check_full(16, UINT32_MAX - 16 * 2 + 1);
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 4, UINT32_MAX - 2) == ERR_OK);
	for (uint32_t i = 0; i < 1000; i++) {
		HT_EXPECT_EQ(send_pattern(&c.tx, i, 20), ERR_OK);
		if (i % 3 == 2)
			for (uint32_t j = i - 2; j <= i; j++)
				HT_EXPECT(recv_pattern(&c.rx, j, 20));
	}
	HT_EXPECT(recv_pattern(&c.rx, 999, 20));
	HT_EXPECT_EQ(c.rx.seq, (uint32_t)(UINT32_MAX - 2 + 1000));
	urpc_test_chan_close(&c);
}

HTEST(corrupt_peer)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 4, 0) == ERR_OK);
	struct urpc_msg m;
	/* A header claiming 200 bytes: reported and skipped, not copied. */
	c.tx.ring[0].header = urpc_hdr_make(0, 1, 200);
	HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_CORRUPT);
	HT_EXPECT_EQ(urpc_recv(&c.rx, &m), ERR_EMPTY);
	/* An ack beyond what was sent: the sender refuses to trust it. */
	struct urpc_ack *ack = (struct urpc_ack *)&c.tx.ring[4];
	for (uint32_t i = 0; i < 4; i++)
		HT_EXPECT_EQ(send_pattern(&c.tx, i, 0), ERR_OK);
	ack->consumed = 100;
	HT_EXPECT_EQ(send_pattern(&c.tx, 4, 0), ERR_CORRUPT);
	urpc_test_chan_close(&c);
}

HTEST(pair_block)
{
	uint32_t slots = 4;
	void *mem = urpc_test_alloc(urpc_pair_size(slots));
	HT_ASSERT(mem);
	HT_ASSERT(urpc_pair_region_init(mem, slots) == ERR_OK);
	struct urpc_pair a, b, bad;
	HT_ASSERT(urpc_pair_init(&a, mem, slots, 0) == ERR_OK);
	HT_ASSERT(urpc_pair_init(&b, mem, slots, 1) == ERR_OK);
	HT_EXPECT_EQ(urpc_pair_init(&bad, mem, slots, 2), ERR_INVAL);
	HT_EXPECT_EQ(send_pattern(&a.tx, 1, 10), ERR_OK);
	HT_EXPECT_EQ(send_pattern(&b.tx, 2, 11), ERR_OK);
	HT_EXPECT(recv_pattern(&a.rx, 2, 11));
	HT_EXPECT(recv_pattern(&b.rx, 1, 10));
	HT_EXPECT(!urpc_pending(&b.rx));
	free(mem);
}

/* Opens a one-way channel on a fresh region. */
enum err urpc_test_chan_open(struct urpc_test_chan *c, uint32_t slots, uint32_t first_seq)
{
	c->mem = urpc_test_alloc(urpc_region_size(slots));
	if (!c->mem)
		return ERR_NOMEM;
	enum err e = urpc_region_init_seq(c->mem, slots, first_seq);
	if (e == ERR_OK)
		e = urpc_tx_init(&c->tx, c->mem, slots);
	if (e == ERR_OK)
		e = urpc_rx_init(&c->rx, c->mem, slots);
	return e;
}

void urpc_test_chan_close(struct urpc_test_chan *c)
{
	free(c->mem);
	c->mem = NULL;
}

HTEST_MAIN("urpc")
