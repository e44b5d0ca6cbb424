/* The frame allocator: single frames, private pools, exhaustion of the
 * kernel's pool and the free count returning to where it started. */
#include "frame.h"

#include <string/mem.h>

#include "hhdm.h"
#include "ktest.h"

KTEST(frame, alloc_and_free)
{
	size_t before = frame_free_count();
	uint64_t f;

	KT_ASSERT(frame_alloc(&f) == ERR_OK);
	KT_EXPECT(f != 0);
	KT_EXPECT_EQ(f % FRAME_SIZE, 0);
	KT_EXPECT(frame_pool_owns(&frame_pool, f));
	KT_EXPECT_EQ(frame_free_count(), before - 1);
	/* The frame is real, writable memory through the HHDM. */
	memset(hhdm_ptr(f), 0xa5, FRAME_SIZE);
	KT_EXPECT_EQ(((volatile uint8_t *)hhdm_ptr(f))[FRAME_SIZE - 1], 0xa5);
	frame_free(f);
	KT_EXPECT_EQ(frame_free_count(), before);
}

KTEST(frame, distinct_frames)
{
	uint64_t f[32];

	for (size_t i = 0; i < 32; i++)
		KT_ASSERT(frame_alloc(&f[i]) == ERR_OK);
	for (size_t i = 0; i < 32; i++)
		for (size_t j = i + 1; j < 32; j++)
			KT_EXPECT(f[i] != f[j]);
	for (size_t i = 0; i < 32; i++)
		frame_free(f[i]);
}

/* A pool over n frames taken from the kernel's pool, added one by one. */
static size_t make_pool(struct frame_pool *p, uint64_t *taken, size_t n)
{
	frame_pool_init(p);
	for (size_t i = 0; i < n; i++)
		if (frame_alloc(&taken[i]) != ERR_OK ||
		    frame_pool_add(p, taken[i], FRAME_SIZE) != ERR_OK)
			return i;
	return n;
}

KTEST(frame, private_pool_exhaustion)
{
	static struct frame_pool pool;
	uint64_t taken[8], got[8], extra;

	KT_ASSERT(make_pool(&pool, taken, 8) == 8);
	KT_EXPECT_EQ(pool.free, 8);
	KT_EXPECT_EQ(pool.total, 8);
	for (size_t i = 0; i < 8; i++)
		KT_EXPECT(frame_pool_alloc(&pool, &got[i]) == ERR_OK);
	KT_EXPECT(frame_pool_alloc(&pool, &extra) == ERR_NOMEM);
	KT_EXPECT_EQ(pool.free, 0);
	for (size_t i = 0; i < 8; i++)
		frame_pool_free(&pool, got[i]);
	KT_EXPECT_EQ(pool.free, 8);
	for (size_t i = 0; i < 8; i++)
		frame_free(taken[i]);
}

KTEST(frame, pool_ranges)
{
	static struct frame_pool pool;
	uint64_t taken[4], f;

	KT_ASSERT(make_pool(&pool, taken, 1) == 1);
	/* The same frame again overlaps; a range with no whole frame adds nothing. */
	KT_EXPECT(frame_pool_add(&pool, taken[0], FRAME_SIZE) == ERR_OVERLAP);
	KT_EXPECT(frame_pool_add(&pool, taken[0] + 8, FRAME_SIZE - 16) == ERR_OK);
	KT_EXPECT_EQ(pool.total, 1);
	KT_EXPECT(frame_pool_owns(&pool, taken[0] + 100));
	KT_EXPECT(!frame_pool_owns(&pool, taken[0] + FRAME_SIZE));
	KT_EXPECT(frame_pool_alloc(&pool, &f) == ERR_OK);
	KT_EXPECT_EQ(f, taken[0]);
	frame_free(taken[0]);
}

/* Index of a frame in f[0..n) whose next two frames are also in f, or n. */
static size_t find_three_in_a_row(const uint64_t *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (size_t j = 0; j < n; j++)
			found += f[j] == f[i] + FRAME_SIZE || f[j] == f[i] + 2 * FRAME_SIZE;
		if (found == 2)
			return i;
	}
	return n;
}

KTEST(frame, multi_frame_run)
{
	static struct frame_pool pool;
	uint64_t f[64], got[3], extra;
	size_t i, n;

	for (n = 0; n < 64; n++)
		KT_ASSERT(frame_alloc(&f[n]) == ERR_OK);
	i = find_three_in_a_row(f, n);
	if (i < n) {
		/* An unaligned range: only the three whole frames inside count. */
		frame_pool_init(&pool);
		KT_EXPECT(frame_pool_add(&pool, f[i] - 5, 3 * FRAME_SIZE + 10) == ERR_OK);
		KT_EXPECT_EQ(pool.total, 3);
		KT_EXPECT(frame_pool_add(&pool, f[i] + FRAME_SIZE, FRAME_SIZE) == ERR_OVERLAP);
		/* The run hands out its frames from the top down. */
		for (size_t k = 0; k < 3; k++)
			KT_EXPECT(frame_pool_alloc(&pool, &got[k]) == ERR_OK);
		KT_EXPECT_EQ(got[0], f[i] + 2 * FRAME_SIZE);
		KT_EXPECT_EQ(got[1], f[i] + FRAME_SIZE);
		KT_EXPECT_EQ(got[2], f[i]);
		KT_EXPECT(frame_pool_alloc(&pool, &extra) == ERR_NOMEM);
	}
	for (size_t k = 0; k < n; k++)
		frame_free(f[k]);
	if (i == n)
		KT_SKIP("no three consecutive frames among 64");
}

#define FRAME_MARK 0x6672616d65746573ull /* "frametes" */

/* Takes every free frame of the kernel's pool, chaining them through their
 * first word and marking each, so a frame handed out twice is caught. */
KTEST(frame, exhaustion_and_leak_check)
{
	size_t start = frame_free_count(), n = 0;
	uint64_t chain = 0, f;

	KT_ASSERT(start > 0);
	while (frame_alloc(&f) == ERR_OK) {
		uint64_t *w = hhdm_ptr(f);
		KT_EXPECT(w[1] != FRAME_MARK);
		w[0] = chain;
		w[1] = FRAME_MARK;
		chain = f;
		n++;
	}
	KT_EXPECT_EQ(n, start);
	KT_EXPECT_EQ(frame_free_count(), 0);
	KT_EXPECT(frame_alloc(&f) == ERR_NOMEM);
	while (chain) {
		uint64_t *w = hhdm_ptr(chain), next = w[0];
		w[1] = 0;
		frame_free(chain);
		chain = next;
	}
	KT_EXPECT_EQ(frame_free_count(), start);
}
