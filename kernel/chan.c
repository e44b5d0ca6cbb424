/* URPC channels between cores, and sleeping without lost wake-ups; see
 * chan.h.  The per-peer state below is this core's private data; only the
 * blocks themselves are shared, each with one peer. */
#include "chan.h"

#include <arch/arch.h>
#include <string/mem.h>

#include "fault.h"
#include "ktime.h"

struct chan_wake {
	uint32_t sleeping;
	uint8_t unused[60];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct chan_wake) == URPC_LINE_SIZE, "one wake line per cache line");

struct chan_peer {
	struct urpc_pair u;
	struct chan_wake *mine;         /* this core's wake line in the block */
	const struct chan_wake *theirs; /* the peer's */
	volatile uint64_t *spare;
	uint64_t sent, received; /* messages through this end */
	uint32_t hwid;
	bool up;
};

static struct chan_peer peers[CHAN_MAX_CORES];
static unsigned self_core;
static uint64_t ipis;
static uint64_t idle_cycles, start_cycles; /* chan_idle_cycles, chan_start_cycles */

/* The wake lines of a block follow its two rings. */
static struct chan_wake *block_wake(void *block, unsigned side)
{
	return (struct chan_wake *)((char *)block + urpc_pair_size(CHAN_SLOTS)) + side;
}

size_t chan_block_index(unsigned a, unsigned b, unsigned n)
{
	unsigned i = a < b ? a : b, j = a < b ? b : a;
	return (size_t)i * (2 * n - i - 1) / 2 + (j - i - 1);
}

size_t chan_area_size(unsigned n)
{
	return (size_t)n * (n - 1) / 2 * CHAN_BLOCK_STRIDE;
}

enum err chan_block_init(void *block)
{
	_Static_assert(CHAN_BLOCK_STRIDE >= 2 * ((CHAN_SLOTS + 1) * URPC_LINE_SIZE) + 192,
	               "a block holds both rings and three lines");
	enum err e = urpc_pair_region_init(block, CHAN_SLOTS);
	if (e == ERR_OK)
		memset(block_wake(block, 0), 0, 3 * URPC_LINE_SIZE);
	return e;
}

void chan_init(unsigned self)
{
	memset(peers, 0, sizeof peers);
	self_core = self;
	ipis = 0;
	idle_cycles = 0;
	start_cycles = arch_cycles();
}

enum err chan_attach(unsigned peer, void *block, uint32_t hwid)
{
	if (peer >= CHAN_MAX_CORES || peer == self_core)
		return ERR_INVAL;
	struct chan_peer *p = &peers[peer];
	unsigned side = self_core > peer;
	enum err e = urpc_pair_init(&p->u, block, CHAN_SLOTS, side);
	if (e != ERR_OK)
		return e;
	p->mine = block_wake(block, side);
	p->theirs = block_wake(block, !side);
	p->spare = (volatile uint64_t *)block_wake(block, 2);
	p->hwid = hwid;
	p->up = true;
	return ERR_OK;
}

bool chan_up(unsigned peer)
{
	return peer < CHAN_MAX_CORES && peers[peer].up;
}

/* The sender's half of the wake protocol (chan.h): the message is
 * published; fence, then look at the receiver's announcement. */
static void kick(struct chan_peer *p)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->theirs->sleeping, __ATOMIC_RELAXED)) {
		arch_wake(p->hwid);
		ipis++;
	}
}

enum err chan_send_direct(unsigned peer, uint16_t type, const void *payload, size_t len)
{
	if (!chan_up(peer))
		return ERR_NOENT;
	enum err e = urpc_send(&peers[peer].u.tx, type, payload, len);
	if (e == ERR_OK) {
		peers[peer].sent++;
		kick(&peers[peer]);
	}
	return e;
}

enum err chan_send(unsigned peer, uint16_t type, const void *payload, size_t len)
{
	if (fault_intercept && chan_up(peer) && len <= URPC_PAYLOAD_MAX &&
	    urpc_room(&peers[peer].u.tx) && fault_intercept(peer, type, payload, len))
		return ERR_OK;
	return chan_send_direct(peer, type, payload, len);
}

enum err chan_send_wait(unsigned peer, uint16_t type, const void *payload, size_t len, uint64_t ms)
{
	uint64_t deadline = ktime_deadline(ms);
	enum err e;

	while ((e = chan_send(peer, type, payload, len)) == ERR_FULL) {
		if (ktime_passed(deadline))
			return ERR_TIMEOUT;
		arch_relax();
	}
	return e;
}

enum err chan_recv(unsigned peer, struct urpc_msg *m)
{
	if (!chan_up(peer))
		return ERR_NOENT;
	enum err e = urpc_recv(&peers[peer].u.rx, m);
	if (e == ERR_OK || e == ERR_CORRUPT)
		peers[peer].received++;
	return e;
}

enum err chan_peek(unsigned peer, struct urpc_msg *m)
{
	return chan_up(peer) ? urpc_peek(&peers[peer].u.rx, m) : ERR_NOENT;
}

void chan_skip(unsigned peer)
{
	if (chan_up(peer)) {
		urpc_skip(&peers[peer].u.rx);
		peers[peer].received++;
	}
}

uint64_t chan_sent(unsigned peer)
{
	return chan_up(peer) ? peers[peer].sent : 0;
}

uint64_t chan_received(unsigned peer)
{
	return chan_up(peer) ? peers[peer].received : 0;
}

uint64_t chan_peers(void)
{
	uint64_t mask = 0;

	for (unsigned p = 0; p < CHAN_MAX_CORES; p++)
		if (peers[p].up)
			mask |= 1ull << p;
	return mask;
}

unsigned chan_backlog(unsigned peer)
{
	return chan_up(peer) ? urpc_backlog(&peers[peer].u.rx) : 0;
}

bool chan_pending(unsigned peer)
{
	return chan_up(peer) && urpc_pending(&peers[peer].u.rx);
}

/* Announces (or withdraws) sleeping in every block; announcing also
 * publishes what this core consumed, so no sender waits on our acks. */
static void announce(uint32_t sleeping)
{
	for (unsigned p = 0; p < CHAN_MAX_CORES; p++) {
		if (!peers[p].up)
			continue;
		if (sleeping && peers[p].u.rx.unacked)
			urpc_rx_flush(&peers[p].u.rx);
		__atomic_store_n(&peers[p].mine->sleeping, sleeping, __ATOMIC_RELAXED);
	}
}

void chan_sleep(uint64_t watch)
{
	bool waiting = false;

	announce(1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the receiver's half of the protocol */
	for (unsigned p = 0; p < CHAN_MAX_CORES && !waiting; p++)
		waiting = ((watch >> p) & 1) && chan_pending(p);
	if (!waiting) {
		uint64_t t = arch_cycles();
		arch_idle();
		idle_cycles += arch_cycles() - t;
	}
	announce(0);
}

uint64_t chan_idle_cycles(void)
{
	return idle_cycles;
}

uint64_t chan_start_cycles(void)
{
	return start_cycles;
}

bool chan_drained(unsigned peer)
{
	if (!chan_up(peer))
		return true;
	const struct urpc_tx *tx = &peers[peer].u.tx;
	return __atomic_load_n(&tx->ack->consumed, __ATOMIC_ACQUIRE) == tx->seq;
}

bool chan_peer_sleeping(unsigned peer)
{
	return chan_up(peer) && __atomic_load_n(&peers[peer].theirs->sleeping, __ATOMIC_ACQUIRE);
}

uint64_t chan_ipis_sent(void)
{
	return ipis;
}

struct urpc_tx *chan_tx(unsigned peer)
{
	return chan_up(peer) ? &peers[peer].u.tx : NULL;
}

struct urpc_rx *chan_rx(unsigned peer)
{
	return chan_up(peer) ? &peers[peer].u.rx : NULL;
}

volatile uint64_t *chan_spare_line(unsigned peer)
{
	return chan_up(peer) ? peers[peer].spare : NULL;
}
