/* Host tests for the cross-core memory protocols (kernel/mm/memx.c,
 * kernel/mm/shootdown.c) between simulated cores joined by real URPC
 * channels (lib/urpc) with tiny rings, so senders meet full channels.
 * One thread plays every core: a core's poll serves all cores' inboxes. */
#include <buddy/buddy.h>
#include <mm/memx.h>
#include <mm/shootdown.h>
#include <stdlib.h>

#include "../htest.h"

#define NCORES 4
#define SLOTS  2
#define MIB    (1ull << 20)

struct core {
	struct xcore x;
	struct urpc_pair chan[NCORES];
	struct memx memx;
	struct memx_buddy mb;
	struct buddy pool;
	void *meta;
	struct shootdown sd;
	unsigned invalidations;
	uint64_t last_id, last_va, last_len;
};

static struct core cores[NCORES];
static void *blocks[NCORES][NCORES];
static unsigned serving = NCORES; /* the core whose message is being handled */
static unsigned polls;

static enum err sim_send(void *ctx, unsigned to, uint16_t type, const void *p, size_t len)
{
	struct core *c = ctx;
	return urpc_send(&c->chan[to].tx, type, p, len);
}

static void on_invalidate(uint64_t id, uint64_t va, uint64_t len)
{
	struct core *c = &cores[serving];
	c->invalidations++;
	c->last_id = id;
	c->last_va = va;
	c->last_len = len;
}

static void dispatch(unsigned self, unsigned from, const struct urpc_msg *m)
{
	struct core *c = &cores[self];
	unsigned saved = serving;
	enum err e = msg_check(m);
	serving = self;
	if (!e && m->type == MSG_MEM_REQUEST)
		e = memx_on_request(&c->memx, &c->x, from, (const void *)m->payload);
	else if (!e && m->type == MSG_MEM_DONATE)
		e = memx_on_donate(&c->memx, &c->x, from, (const void *)m->payload);
	else if (!e && m->type == MSG_TLB_SHOOTDOWN)
		e = shootdown_on_request(&c->x, (const void *)m->payload, on_invalidate);
	else if (!e && m->type == MSG_SHOOTDOWN_ACK)
		e = shootdown_on_ack(&c->sd, from, (const void *)m->payload);
	serving = saved;
	if (e && e != ERR_RANGE)
		abort();
}

/* Every core takes what is waiting for it. */
static void sim_poll(void *ctx)
{
	struct urpc_msg m;
	polls++;
	for (unsigned self = 0; self < NCORES; self++)
		for (unsigned from = 0; from < NCORES; from++)
			while (from != self && urpc_recv(&cores[self].chan[from].rx, &m) == ERR_OK)
				dispatch(self, from, &m);
}

/* Cores with pools: core i owns [i * 64 MiB + 64 MiB, +pool_mib MiB); every
 * pool's span covers all four (span_all) or only its own memory. */
static void setup(uint64_t pool_mib, bool span_all, uint64_t reserve)
{
	size_t size = urpc_pair_size(SLOTS);
	for (unsigned i = 0; i < NCORES; i++) {
		struct core *c = &cores[i];
		free(c->meta);
		memset(c, 0, sizeof *c);
		uint64_t own = (i + 1) * 64 * MIB;
		uint64_t base = span_all ? 64 * MIB : own,
		         span = span_all ? NCORES * 64 * MIB : 64 * MIB;
		c->meta = malloc(buddy_meta_size(span));
		if (buddy_init(&c->pool, base, span, c->meta, buddy_meta_size(span)) ||
		    buddy_add_range(&c->pool, own, pool_mib * MIB))
			abort();
		memx_buddy_init(&c->mb, &c->pool, reserve);
		memx_init(&c->memx, &c->mb.pool);
		c->x = (struct xcore){
		        .ctx = c, .self = i, .ncores = NCORES, .send = sim_send, .poll = sim_poll};
	}
	for (unsigned a = 0; a < NCORES; a++)
		for (unsigned b = a + 1; b < NCORES; b++) {
			free(blocks[a][b]);
			blocks[a][b] = aligned_alloc(64, size);
			if (urpc_pair_region_init(blocks[a][b], SLOTS) ||
			    urpc_pair_init(&cores[a].chan[b], blocks[a][b], SLOTS, 0) ||
			    urpc_pair_init(&cores[b].chan[a], blocks[a][b], SLOTS, 1))
				abort();
		}
}

static void wait_answer(struct core *c)
{
	for (int i = 0; c->memx.waiting && i < 100000; i++)
		sim_poll(NULL);
}

HTEST(request_is_answered_in_aligned_blocks)
{
	setup(32, true, 0);
	HT_ASSERT(memx_request(&cores[1].memx, &cores[1].x, 0, 10 * MIB + 1) == ERR_OK);
	HT_EXPECT(cores[1].memx.waiting);
	wait_answer(&cores[1]);
	HT_EXPECT(!cores[1].memx.waiting);
	/* 10 MiB + 1 byte is 2561 frames: 8 MiB + 2 MiB + 4 KiB blocks */
	HT_EXPECT_EQ(cores[1].memx.received, 10 * MIB + 4096);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[1].pool), 42 * MIB + 4096);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 22 * MIB - 4096);
	HT_EXPECT_EQ(buddy_pool_bytes(&cores[0].pool), 22 * MIB - 4096);
	HT_EXPECT_EQ(buddy_check(&cores[0].pool), ERR_OK);
	HT_EXPECT_EQ(buddy_check(&cores[1].pool), ERR_OK);
	/* and back again, unasked */
	uint64_t given;
	HT_ASSERT(memx_give(&cores[1].memx, &cores[1].x, 0, 42 * MIB + 4096, NULL, &given) ==
	          ERR_OK);
	HT_EXPECT_EQ(given, 42 * MIB + 4096);
	sim_poll(NULL);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 64 * MIB);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[1].pool), 0);
	HT_EXPECT_EQ(buddy_check(&cores[0].pool), ERR_OK);
}

HTEST(donor_keeps_its_reserve)
{
	setup(16, true, 6 * MIB);
	HT_ASSERT(memx_request(&cores[2].memx, &cores[2].x, 0, 64 * MIB) == ERR_OK);
	wait_answer(&cores[2]);
	HT_EXPECT(!cores[2].memx.waiting);
	HT_EXPECT_EQ(cores[2].memx.received, 10 * MIB);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 6 * MIB);
	/* nothing left above the reserve: an empty answer still ends the wait */
	HT_ASSERT(memx_request(&cores[2].memx, &cores[2].x, 0, MIB) == ERR_OK);
	wait_answer(&cores[2]);
	HT_EXPECT(!cores[2].memx.waiting);
	HT_EXPECT_EQ(cores[2].memx.received, 0);
	HT_EXPECT_EQ(memx_request(&cores[2].memx, &cores[2].x, 2, MIB), ERR_INVAL);
	HT_EXPECT_EQ(memx_request(&cores[2].memx, &cores[2].x, NCORES, MIB), ERR_INVAL);
}

/* A pool with a unit: requests round up to whole 2 MiB blocks. */
HTEST(donor_unit_rounds_requests_up)
{
	setup(16, true, 0);
	cores[0].mb.pool.min_order = 9;
	HT_ASSERT(memx_request(&cores[1].memx, &cores[1].x, 0, 4097) == ERR_OK);
	wait_answer(&cores[1]);
	HT_EXPECT_EQ(cores[1].memx.received, 2 * MIB);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 14 * MIB);
	HT_ASSERT(memx_request(&cores[1].memx, &cores[1].x, 0, 5 * MIB) == ERR_OK);
	wait_answer(&cores[1]);
	HT_EXPECT_EQ(cores[1].memx.received, 6 * MIB); /* 4 MiB + 2 MiB */
}

/* Spans that do not cover the donor's memory: every block comes back. */
HTEST(blocks_outside_the_span_go_back)
{
	setup(32, false, 0);
	HT_ASSERT(memx_request(&cores[3].memx, &cores[3].x, 1, 5 * MIB) == ERR_OK);
	wait_answer(&cores[3]);
	for (int i = 0; i < 10; i++)
		sim_poll(NULL);
	HT_EXPECT_EQ(cores[3].memx.received, 0);
	HT_EXPECT_EQ(cores[3].memx.returned, 5 * MIB);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[1].pool), 32 * MIB);
	HT_EXPECT_EQ(buddy_check(&cores[1].pool), ERR_OK);
	HT_EXPECT_EQ(cores[1].memx.lost, 0);
}

HTEST(malformed_donations)
{
	setup(8, true, 0);
	struct msg_mem_donate d = {.base = 0x1000, .frames = 3, .donor = 1};
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_CORRUPT);
	d.frames = 2;
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_CORRUPT);
	d = (struct msg_mem_donate){.base = 0x2000, .frames = 2, .donor = 2};
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_CORRUPT);
	struct msg_mem_request r = {.bytes = 4096, .requester = 3};
	HT_EXPECT_EQ(memx_on_request(&cores[0].memx, &cores[0].x, 1, &r), ERR_CORRUPT);
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 8 * MIB);
}

/* A donation that arrives twice (a duplicated message, or one that a
 * delayed copy overtakes) is taken once and never sent back: returning it
 * would give the donor memory the taker owns.  Caught by its serial, and
 * a block the taker owns already is refused even with a new serial.
 * Counted, not lost, nothing bounced. */
HTEST(duplicated_donation_is_taken_once)
{
	setup(8, true, 0);
	uint64_t pa;
	HT_ASSERT(buddy_alloc(&cores[1].pool, 9, &pa) == ERR_OK); /* 2 MiB of core 1's */
	HT_ASSERT(buddy_donate_out(&cores[1].pool, pa, 9) == ERR_OK);
	struct msg_mem_donate d = {.base = pa, .frames = 512, .donor = 1, .serial = 1};
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.received, 2 * MIB);
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.received, 2 * MIB);
	HT_EXPECT_EQ(cores[0].memx.duplicates, 1);
	d.serial = 2; /* the same memory under a new serial: it is core 0's already */
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.duplicates, 2);
	HT_EXPECT_EQ(cores[0].memx.returned, 0);
	for (int i = 0; i < 4; i++)
		sim_poll(NULL);
	HT_EXPECT_EQ(buddy_pool_bytes(&cores[1].pool), 6 * MIB); /* nothing came back */
	HT_EXPECT_EQ(buddy_free_bytes(&cores[0].pool), 10 * MIB);
	HT_EXPECT_EQ(buddy_check(&cores[0].pool), ERR_OK);
	/* a returned block that is the receiver's already: dropped as well */
	d.reserved = MEMX_RETURNED;
	d.serial = 3;
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.duplicates, 3);
	HT_EXPECT_EQ(cores[0].memx.lost, 0);
}

/* Serials count per sender: core 2's first block is taken after core 1's
 * third; an old serial from core 1 is not. */
HTEST(serials_are_per_sender)
{
	setup(8, true, 0);
	uint64_t a, b;
	HT_ASSERT(buddy_alloc(&cores[1].pool, 9, &a) == ERR_OK);
	HT_ASSERT(buddy_donate_out(&cores[1].pool, a, 9) == ERR_OK);
	HT_ASSERT(buddy_alloc(&cores[2].pool, 9, &b) == ERR_OK);
	HT_ASSERT(buddy_donate_out(&cores[2].pool, b, 9) == ERR_OK);
	struct msg_mem_donate d1 = {.base = a, .frames = 512, .donor = 1, .serial = 3};
	struct msg_mem_donate d2 = {.base = b, .frames = 512, .donor = 2, .serial = 1};
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d1), ERR_OK);
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 2, &d2), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.received, 4 * MIB);
	HT_EXPECT_EQ(cores[0].memx.duplicates, 0);
	d1.serial = 2; /* late: overtaken by serial 3 */
	HT_EXPECT_EQ(memx_on_donate(&cores[0].memx, &cores[0].x, 1, &d1), ERR_OK);
	HT_EXPECT_EQ(cores[0].memx.duplicates, 1);
	HT_EXPECT_EQ(cores[0].memx.received, 4 * MIB);
}

/* The end of an answer ends only the wait for that donor's answer. */
HTEST(stray_end_does_not_end_a_wait)
{
	setup(8, true, 0);
	HT_ASSERT(memx_request(&cores[2].memx, &cores[2].x, 0, MIB) == ERR_OK);
	struct msg_mem_donate end = {.donor = 3};
	HT_EXPECT_EQ(memx_on_donate(&cores[2].memx, &cores[2].x, 3, &end), ERR_OK);
	HT_EXPECT(cores[2].memx.waiting);
	HT_EXPECT_EQ(cores[2].memx.stray_ends, 1);
	wait_answer(&cores[2]);
	HT_EXPECT(!cores[2].memx.waiting);
	HT_EXPECT_EQ(cores[2].memx.received, MIB);
	end.donor = 0; /* the same end again: nobody waits */
	HT_EXPECT_EQ(memx_on_donate(&cores[2].memx, &cores[2].x, 0, &end), ERR_OK);
	HT_EXPECT_EQ(cores[2].memx.stray_ends, 2);
}

HTEST(shootdown_reaches_every_target)
{
	setup(1, true, 0);
	polls = 0;
	HT_ASSERT(shootdown_run(&cores[0].sd, &cores[0].x, 0xe, 77, 0x400000, 0x3000) == ERR_OK);
	HT_EXPECT(!shootdown_waiting(&cores[0].sd));
	for (unsigned i = 1; i < NCORES; i++) {
		HT_EXPECT_EQ(cores[i].invalidations, 1);
		HT_EXPECT_EQ(cores[i].last_id, 77);
		HT_EXPECT_EQ(cores[i].last_va, 0x400000);
		HT_EXPECT_EQ(cores[i].last_len, 0x3000);
	}
	HT_EXPECT_EQ(cores[0].invalidations, 0);
	HT_EXPECT_EQ(shootdown_run(&cores[0].sd, &cores[0].x, 0x1, 1, 0, 1), ERR_INVAL);
	HT_EXPECT_EQ(shootdown_run(&cores[0].sd, &cores[0].x, 0x10, 1, 0, 1), ERR_INVAL);
}

/* Two cores shoot at each other at once; both must finish, and an old ack
 * must not count for a new request. */
HTEST(crossing_shootdowns_and_stale_acks)
{
	setup(1, true, 0);
	HT_ASSERT(shootdown_start(&cores[0].sd, &cores[0].x, 0x2, 5, 0, 4096) == ERR_OK);
	HT_ASSERT(shootdown_start(&cores[1].sd, &cores[1].x, 0x1, 6, 0, 4096) == ERR_OK);
	HT_EXPECT_EQ(shootdown_start(&cores[1].sd, &cores[1].x, 0x4, 6, 0, 4096), ERR_INVAL);
	for (int i = 0;
	     i < 10 && (shootdown_waiting(&cores[0].sd) || shootdown_waiting(&cores[1].sd)); i++)
		sim_poll(NULL);
	HT_EXPECT(!shootdown_waiting(&cores[0].sd));
	HT_EXPECT(!shootdown_waiting(&cores[1].sd));
	HT_EXPECT_EQ(cores[0].last_id, 6);
	HT_EXPECT_EQ(cores[1].last_id, 5);

	HT_ASSERT(shootdown_start(&cores[0].sd, &cores[0].x, 0x2, 8, 0, 4096) == ERR_OK);
	struct msg_shootdown_ack old = {.request = cores[0].sd.request - 1, .core = 1};
	HT_EXPECT_EQ(shootdown_on_ack(&cores[0].sd, 1, &old), ERR_OK);
	HT_EXPECT(shootdown_waiting(&cores[0].sd));
	struct msg_shootdown_ack forged = {.request = cores[0].sd.request, .core = 2};
	HT_EXPECT_EQ(shootdown_on_ack(&cores[0].sd, 1, &forged), ERR_CORRUPT);
	HT_EXPECT(shootdown_waiting(&cores[0].sd));
	sim_poll(NULL); /* core 1 acks */
	sim_poll(NULL); /* core 0 takes the ack */
	HT_EXPECT(!shootdown_waiting(&cores[0].sd));
}

HTEST_MAIN("mm_xcore")
