/* This core's frames: single frames and aligned blocks from its own pool,
 * exhaustion, and the pool's invariants.  Runs on every core, each on its
 * own pool. */
#include "frame.h"

#include <string/mem.h>

#include "hhdm.h"
#include "ktest.h"

/* Whether phys lies in this core's span. */
static bool in_span(uint64_t phys)
{
	uint64_t base, size;

	frame_span(&base, &size);
	return phys - base < size;
}

KTEST(frame, alloc_and_free)
{
	size_t before = frame_free_count();
	uint64_t f;

	KT_ASSERT(frame_alloc(&f) == ERR_OK);
	KT_EXPECT(f != 0);
	KT_EXPECT_EQ(f % FRAME_SIZE, 0);
	KT_EXPECT(in_span(f));
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

/* A 2 MiB block is aligned to 2 MiB, inside the pool, and whole. */
KTEST(frame, aligned_blocks)
{
	size_t before = frame_free_count();
	uint64_t b, f;

	if (frame_alloc_block(9, &b) != ERR_OK)
		KT_SKIP("no free 2 MiB block");
	KT_EXPECT_EQ(b % (FRAME_SIZE << 9), 0);
	KT_EXPECT(in_span(b) && in_span(b + (FRAME_SIZE << 9) - 1));
	KT_EXPECT_EQ(frame_free_count(), before - 512);
	/* A single frame taken now is not inside the block. */
	KT_ASSERT(frame_alloc(&f) == ERR_OK);
	KT_EXPECT(f - b >= (FRAME_SIZE << 9));
	frame_free(f);
	frame_free_block(b, 9);
	KT_EXPECT_EQ(frame_free_count(), before);
	KT_EXPECT(frame_check() == ERR_OK);
}

#define FRAME_MARK 0x6672616d65746573ull /* "frametes" */

/* Takes every free frame of this core's pool, chaining them through their
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
	KT_EXPECT(frame_check() == ERR_OK);
}
