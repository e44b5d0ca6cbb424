/* lib/buddy: every order, coalescing, exhaustion, holes, alloc_at,
 * donation, refusals, and a randomized run against a per-frame model. */
#include <buddy/buddy.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "../htest.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* A buddy over [base, base + size) with its metadata on the heap. */
struct pool {
	struct buddy b;
	void *meta;
};

static void pool_init(struct pool *p, uint64_t base, uint64_t size)
{
	size_t n = buddy_meta_size(size);
	p->meta = malloc(n);
	HT_ASSERT(p->meta != NULL);
	HT_ASSERT(buddy_init(&p->b, base, size, p->meta, n) == ERR_OK);
}

static void pool_fini(struct pool *p)
{
	free(p->meta);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Seeds from $BUDDY_SEED if set (to replay a failure), else the clock. */
static void rng_seed(void)
{
	const char *s = getenv("BUDDY_SEED");
	rng_state = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)clock();
	printf("    # seed: %llu (BUDDY_SEED to replay)\n", (unsigned long long)rng_state);
}

HTEST(init_refusals)
{
	struct buddy b;
	char meta[64];
	HT_EXPECT_EQ(buddy_init(&b, 0x1001, 0x4000, meta, sizeof meta), ERR_ALIGN);
	HT_EXPECT_EQ(buddy_init(&b, 0x1000, 0x4800, meta, sizeof meta), ERR_ALIGN);
	HT_EXPECT_EQ(buddy_init(&b, 0x1000, 0, meta, sizeof meta), ERR_RANGE);
	HT_EXPECT_EQ(buddy_init(&b, 0x1000, 1 * MiB, meta, sizeof meta), ERR_NOSPC);
	HT_EXPECT_EQ(buddy_init(&b, -0x2000ull, 0x4000, meta, sizeof meta), ERR_RANGE);
	HT_EXPECT(buddy_meta_size(15ull << 40) > 0);
	HT_EXPECT_EQ(buddy_meta_size(16ull << 40), 0);
	/* An unaligned metadata pointer is fine. */
	HT_EXPECT_EQ(buddy_init(&b, 0x1000, 0x4000, meta + 1, sizeof meta - 1), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&b), 0);
	HT_EXPECT_EQ(buddy_check(&b), ERR_OK);
}

HTEST(every_order)
{
	struct pool p;
	pool_init(&p, 1 * GiB, 1 * GiB);
	HT_ASSERT(buddy_add_range(&p.b, 1 * GiB, 1 * GiB) == ERR_OK);
	HT_EXPECT_EQ(buddy_largest_free_order(&p.b), BUDDY_MAX_ORDER);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t a = 0, sz = BUDDY_PAGE_SIZE << k;
		HT_ASSERT(buddy_alloc(&p.b, k, &a) == ERR_OK);
		HT_EXPECT_EQ(a & (sz - 1), 0);
		HT_EXPECT(a >= 1 * GiB && a + sz <= 2 * GiB);
		HT_EXPECT_EQ(buddy_free_bytes(&p.b), 1 * GiB - sz);
		HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
		HT_EXPECT_EQ(buddy_free(&p.b, a, k), ERR_OK);
		HT_EXPECT_EQ(buddy_free_bytes(&p.b), 1 * GiB);
		HT_EXPECT_EQ(buddy_largest_free_order(&p.b), BUDDY_MAX_ORDER);
	}
	uint64_t a;
	HT_EXPECT_EQ(buddy_alloc(&p.b, BUDDY_MAX_ORDER + 1, &a), ERR_INVAL);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(coalesces_back_to_full_range)
{
	struct pool p;
	enum { N = 512 };
	static uint64_t addr[N];
	pool_init(&p, 2 * MiB, 2 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 2 * MiB, 2 * MiB) == ERR_OK);
	for (int i = 0; i < N; i++)
		HT_ASSERT(buddy_alloc(&p.b, 0, &addr[i]) == ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 0);
	HT_EXPECT_EQ(buddy_largest_free_order(&p.b), -1);
	rng_state = 42;
	for (int i = N - 1; i > 0; i--) { /* free in a shuffled order */
		int j = (int)(rng() % (uint64_t)(i + 1));
		uint64_t t = addr[i];
		addr[i] = addr[j];
		addr[j] = t;
	}
	for (int i = 0; i < N; i++) {
		HT_ASSERT(buddy_free(&p.b, addr[i], 0) == ERR_OK);
		HT_ASSERT(buddy_check(&p.b) == ERR_OK);
	}
	HT_EXPECT_EQ(buddy_largest_free_order(&p.b), 9);
	uint64_t a;
	HT_EXPECT_EQ(buddy_alloc(&p.b, 9, &a), ERR_OK);
	HT_EXPECT_EQ(a, 2 * MiB);
	pool_fini(&p);
}

HTEST(exhaustion)
{
	struct pool p;
	uint64_t a;
	pool_init(&p, 0, 64 * KiB);
	HT_ASSERT(buddy_add_range(&p.b, 0, 64 * KiB) == ERR_OK);
	HT_EXPECT_EQ(buddy_alloc(&p.b, 5, &a), ERR_NOMEM);
	for (int i = 0; i < 16; i++)
		HT_ASSERT(buddy_alloc(&p.b, 0, &a) == ERR_OK);
	HT_EXPECT_EQ(buddy_alloc(&p.b, 0, &a), ERR_NOMEM);
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 0);
	HT_EXPECT_EQ(buddy_pool_bytes(&p.b), 64 * KiB);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(holes_from_several_ranges)
{
	struct pool p;
	pool_init(&p, 0, 16 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 0, 1 * MiB) == ERR_OK);
	HT_ASSERT(buddy_add_range(&p.b, 1 * MiB + 8 * KiB, 2 * MiB - 8 * KiB) == ERR_OK);
	HT_ASSERT(buddy_add_range(&p.b, 5 * MiB, 11 * MiB) == ERR_OK);
	uint64_t total = 14 * MiB - 8 * KiB;
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), total);
	HT_EXPECT_EQ(buddy_pool_bytes(&p.b), total);
	HT_EXPECT_EQ(buddy_add_range(&p.b, 2 * MiB, 4 * KiB), ERR_OVERLAP);
	HT_EXPECT_EQ(buddy_add_range(&p.b, 15 * MiB, 2 * MiB), ERR_RANGE);
	HT_EXPECT_EQ(buddy_add_range(&p.b, 3 * MiB, 0), ERR_INVAL);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 1 * MiB, 0), ERR_BUSY); /* in a hole */
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 0, 9), ERR_BUSY);       /* spans a hole */
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 4 * MiB, 9), ERR_BUSY);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	/* Exhaust it one frame at a time: never an address in a hole. */
	uint64_t a, n = 0;
	while (buddy_alloc(&p.b, 0, &a) == ERR_OK) {
		HT_ASSERT(a < 1 * MiB || (a >= 1 * MiB + 8 * KiB && a < 3 * MiB) || a >= 5 * MiB);
		n++;
	}
	HT_EXPECT_EQ(n * BUDDY_PAGE_SIZE, total);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(blocks_are_physically_aligned)
{
	struct pool p;
	uint64_t a;
	pool_init(&p, 0x3000, 4 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 0x3000, 4 * MiB) == ERR_OK);
	/* [0x3000, 0x403000) holds one aligned 2 MiB block only. */
	HT_ASSERT(buddy_alloc(&p.b, 9, &a) == ERR_OK);
	HT_EXPECT_EQ(a, 2 * MiB);
	HT_EXPECT_EQ(buddy_alloc(&p.b, 9, &a), ERR_NOMEM);
	for (unsigned k = 0; k < 9; k++) {
		if (buddy_alloc(&p.b, k, &a) == ERR_OK)
			HT_EXPECT_EQ(a & ((BUDDY_PAGE_SIZE << k) - 1), 0);
	}
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(alloc_at)
{
	struct pool p;
	pool_init(&p, 2 * MiB, 4 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 2 * MiB, 4 * MiB) == ERR_OK);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 3 * MiB + 0x5000, 0), ERR_OK);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 3 * MiB + 0x5000, 0), ERR_BUSY);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 2 * MiB, 9), ERR_BUSY); /* contains it */
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 3 * MiB + 0x6000, 0), ERR_OK);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 3 * MiB + 0x1000, 1), ERR_ALIGN);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 1 * MiB, 0), ERR_RANGE);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 6 * MiB, 0), ERR_RANGE);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 4 * MiB, 9), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 2 * MiB - 0x2000);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	HT_EXPECT_EQ(buddy_free(&p.b, 3 * MiB + 0x5000, 0), ERR_OK);
	HT_EXPECT_EQ(buddy_free(&p.b, 3 * MiB + 0x6000, 0), ERR_OK);
	HT_EXPECT_EQ(buddy_free(&p.b, 4 * MiB, 9), ERR_OK);
	/* All merged again: two 2 MiB blocks (they are not buddies). */
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 4 * MiB);
	HT_EXPECT_EQ(buddy_largest_free_order(&p.b), 9);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 2 * MiB, 9), ERR_OK);
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, 4 * MiB, 9), ERR_OK);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(free_refusals)
{
	struct pool p;
	uint64_t a;
	pool_init(&p, 0, 1 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 0, 1 * MiB) == ERR_OK);
	HT_ASSERT(buddy_alloc(&p.b, 2, &a) == ERR_OK);
	HT_EXPECT_EQ(buddy_free(&p.b, a, 1), ERR_INVAL);          /* wrong order */
	HT_EXPECT_EQ(buddy_free(&p.b, a + 0x1000, 0), ERR_INVAL); /* inside */
	HT_EXPECT_EQ(buddy_free(&p.b, a + 0x800, 0), ERR_ALIGN);
	HT_EXPECT_EQ(buddy_free(&p.b, 2 * MiB, 0), ERR_RANGE);
	HT_EXPECT_EQ(buddy_free(&p.b, a, 2), ERR_OK);
	HT_EXPECT_EQ(buddy_free(&p.b, a, 2), ERR_INVAL); /* double free */
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 1 * MiB);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

HTEST(donation)
{
	struct pool p;
	uint64_t a, c;
	pool_init(&p, 0, 8 * MiB);
	HT_ASSERT(buddy_add_range(&p.b, 0, 8 * MiB) == ERR_OK);
	HT_ASSERT(buddy_alloc(&p.b, 9, &a) == ERR_OK);
	HT_EXPECT_EQ(buddy_donate_out(&p.b, a, 8), ERR_INVAL);
	HT_EXPECT_EQ(buddy_donate_out(&p.b, a, 9), ERR_OK);
	HT_EXPECT_EQ(buddy_pool_bytes(&p.b), 6 * MiB);
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), 6 * MiB);
	HT_EXPECT_EQ(buddy_free(&p.b, a, 9), ERR_INVAL); /* not ours any more */
	HT_EXPECT_EQ(buddy_alloc_at(&p.b, a, 0), ERR_BUSY);
	HT_EXPECT_EQ(buddy_donate_out(&p.b, a, 9), ERR_INVAL);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	/* An 8 MiB pool missing 2 MiB has no 8 MiB block. */
	HT_EXPECT_EQ(buddy_alloc(&p.b, 11, &c), ERR_NOMEM);
	/* It comes back (as if from another core) and merges. */
	HT_EXPECT_EQ(buddy_donate_in(&p.b, a + 0x1000, 9), ERR_ALIGN);
	HT_EXPECT_EQ(buddy_donate_in(&p.b, a, 9), ERR_OK);
	HT_EXPECT_EQ(buddy_donate_in(&p.b, a, 9), ERR_OVERLAP);
	HT_EXPECT_EQ(buddy_donate_in(&p.b, 8 * MiB, 0), ERR_RANGE);
	HT_EXPECT_EQ(buddy_pool_bytes(&p.b), 8 * MiB);
	HT_EXPECT_EQ(buddy_alloc(&p.b, 11, &c), ERR_OK);
	HT_EXPECT_EQ(buddy_check(&p.b), ERR_OK);
	pool_fini(&p);
}

/* ---- randomized run against a per-frame model ---------------------------- */

enum { M_HOLE, M_FREE, M_USED };
#define RFRAMES 2048 /* 8 MiB */
#define RMAXORD 11

struct model {
	uint8_t frame[RFRAMES];
	uint64_t blk_addr[RFRAMES];
	unsigned blk_order[RFRAMES];
	int nblk;
	uint64_t free_frames, owned_frames;
};

static int m_all(const struct model *m, uint64_t pfn, unsigned k, int want)
{
	for (uint64_t i = 0; i < (1ull << k); i++)
		if (m->frame[pfn + i] != want)
			return 0;
	return 1;
}

static void m_set(struct model *m, uint64_t pfn, unsigned k, int to)
{
	for (uint64_t i = 0; i < (1ull << k); i++)
		m->frame[pfn + i] = (uint8_t)to;
}

/* Does any naturally aligned all-free block of order k exist? */
static int m_fits(const struct model *m, unsigned k)
{
	for (uint64_t p = 0; p + (1ull << k) <= RFRAMES; p += 1ull << k)
		if (m_all(m, p, k, M_FREE))
			return 1;
	return 0;
}

static void m_add_block(struct model *m, uint64_t pfn, unsigned k)
{
	m_set(m, pfn, k, M_USED);
	m->blk_addr[m->nblk] = pfn * BUDDY_PAGE_SIZE;
	m->blk_order[m->nblk++] = k;
	m->free_frames -= 1ull << k;
}

static void m_drop_block(struct model *m, int i)
{
	m->blk_addr[i] = m->blk_addr[m->nblk - 1];
	m->blk_order[i] = m->blk_order[--m->nblk];
}

static void step_alloc(struct pool *p, struct model *m)
{
	unsigned k = (unsigned)(rng() % 64 < 48 ? rng() % 3 : rng() % (RMAXORD + 1));
	uint64_t a;
	enum err e = buddy_alloc(&p->b, k, &a);
	if (e == ERR_NOMEM) {
		HT_EXPECT(!m_fits(m, k));
		return;
	}
	HT_ASSERT(e == ERR_OK);
	HT_ASSERT(a % (BUDDY_PAGE_SIZE << k) == 0 && a / BUDDY_PAGE_SIZE < RFRAMES);
	HT_ASSERT(m_all(m, a / BUDDY_PAGE_SIZE, k, M_FREE));
	m_add_block(m, a / BUDDY_PAGE_SIZE, k);
}

static void step_alloc_at(struct pool *p, struct model *m)
{
	unsigned k = (unsigned)(rng() % 4);
	uint64_t pfn = (rng() % RFRAMES) & ~((1ull << k) - 1);
	enum err e = buddy_alloc_at(&p->b, pfn * BUDDY_PAGE_SIZE, k);
	int ok = m_all(m, pfn, k, M_FREE);
	HT_ASSERT(e == (ok ? ERR_OK : ERR_BUSY));
	if (ok)
		m_add_block(m, pfn, k);
}

static void step_free(struct pool *p, struct model *m, int donate)
{
	if (!m->nblk) {
		HT_EXPECT_EQ(buddy_free(&p->b, 0, 0), ERR_INVAL);
		return;
	}
	int i = (int)(rng() % (uint64_t)m->nblk);
	uint64_t a = m->blk_addr[i];
	unsigned k = m->blk_order[i];
	if (k > 0 && rng() % 8 == 0) /* wrong order: refused, nothing changes */
		HT_ASSERT(buddy_free(&p->b, a, k - 1) == ERR_INVAL);
	if (donate) {
		HT_ASSERT(buddy_donate_out(&p->b, a, k) == ERR_OK);
		m_set(m, a / BUDDY_PAGE_SIZE, k, M_HOLE);
		m->owned_frames -= 1ull << k;
	} else {
		HT_ASSERT(buddy_free(&p->b, a, k) == ERR_OK);
		HT_ASSERT(buddy_free(&p->b, a, k) == ERR_INVAL);
		m_set(m, a / BUDDY_PAGE_SIZE, k, M_FREE);
		m->free_frames += 1ull << k;
	}
	m_drop_block(m, i);
}

static void step_donate_in(struct pool *p, struct model *m)
{
	unsigned k = (unsigned)(rng() % 6);
	uint64_t pfn = (rng() % RFRAMES) & ~((1ull << k) - 1);
	enum err e = buddy_donate_in(&p->b, pfn * BUDDY_PAGE_SIZE, k);
	int ok = m_all(m, pfn, k, M_HOLE);
	HT_ASSERT(e == (ok ? ERR_OK : ERR_OVERLAP));
	if (ok) {
		m_set(m, pfn, k, M_FREE);
		m->free_frames += 1ull << k;
		m->owned_frames += 1ull << k;
	}
}

HTEST(randomized_against_model)
{
	static struct model m;
	struct pool p;
	rng_seed();
	memset(&m, 0, sizeof m);
	pool_init(&p, 0, RFRAMES * BUDDY_PAGE_SIZE);
	/* Three ranges with holes between them. */
	static const uint64_t rs[][2] = {{0, 300}, {301, 900}, {1100, 2048}};
	for (int i = 0; i < 3; i++) {
		HT_ASSERT(buddy_add_range(&p.b, rs[i][0] * BUDDY_PAGE_SIZE,
		                          (rs[i][1] - rs[i][0]) * BUDDY_PAGE_SIZE) == ERR_OK);
		for (uint64_t f = rs[i][0]; f < rs[i][1]; f++)
			m.frame[f] = M_FREE;
		m.free_frames += rs[i][1] - rs[i][0];
	}
	m.owned_frames = m.free_frames;
	for (int step = 0; step < 20000; step++) {
		uint64_t r = rng() % 100;
		if (r < 40)
			step_alloc(&p, &m);
		else if (r < 50)
			step_alloc_at(&p, &m);
		else if (r < 90)
			step_free(&p, &m, 0);
		else if (r < 95)
			step_free(&p, &m, 1);
		else
			step_donate_in(&p, &m);
		HT_ASSERT(buddy_check(&p.b) == ERR_OK);
		HT_ASSERT(buddy_free_bytes(&p.b) == m.free_frames * BUDDY_PAGE_SIZE);
		HT_ASSERT(buddy_pool_bytes(&p.b) == m.owned_frames * BUDDY_PAGE_SIZE);
	}
	while (m.nblk)
		step_free(&p, &m, 0);
	HT_EXPECT_EQ(buddy_free_bytes(&p.b), buddy_pool_bytes(&p.b));
	for (unsigned k = 0; k <= RMAXORD; k++) {
		uint64_t a;
		enum err e = buddy_alloc(&p.b, k, &a);
		HT_EXPECT_EQ(e, m_fits(&m, k) ? ERR_OK : ERR_NOMEM);
		if (e == ERR_OK)
			HT_EXPECT_EQ(buddy_free(&p.b, a, k), ERR_OK);
	}
	pool_fini(&p);
}

HTEST_MAIN("buddy")
