/* The memory split on made-up memory maps: the shared block, even shares in
 * address order, the low megabyte left alone, conservation of memory. */
#include "memplan.h"

#include "ktest.h"

#define MiB (1ull << 20)

/* Bytes of all shares plus the shared block. */
static uint64_t planned(const struct memplan_share *s, unsigned n, const struct memplan_range *sh)
{
	uint64_t total = sh->size;

	for (unsigned c = 0; c < n; c++) {
		uint64_t sum = 0;
		for (size_t k = 0; k < s[c].n; k++)
			sum += s[c].r[k].size;
		total += sum;
	}
	return total;
}

KTEST(memplan, even_split_of_one_range)
{
	static struct memplan_share s[4];
	const struct memplan_range in[] = {{0x1000, 0x9f000}, {1 * MiB, 255 * MiB}};
	struct memplan_range shared;
	unsigned fitted;

	KT_ASSERT(memplan_split(in, 2, 4, 12345, 4 * MiB, &shared, s, &fitted) == ERR_OK);
	KT_EXPECT_EQ(fitted, 4);
	/* The low megabyte is left alone; the shared block comes first. */
	KT_EXPECT_EQ(shared.base, 1 * MiB);
	KT_EXPECT_EQ(shared.size, 16384);
	KT_EXPECT_EQ(s[0].r[0].base, 1 * MiB + 16384);
	for (unsigned c = 0; c < 4; c++) {
		KT_EXPECT_EQ(s[c].n, 1);
		KT_EXPECT_EQ(s[c].r[0].base % MEMPLAN_PAGE, 0);
		KT_EXPECT(s[c].bytes >= (255 * MiB - 16384) / 4 - MEMPLAN_PAGE);
		if (c)
			KT_EXPECT_EQ(s[c].r[0].base, s[c - 1].r[0].base + s[c - 1].bytes);
	}
	KT_EXPECT_EQ(planned(s, 4, &shared), 255 * MiB);
}

KTEST(memplan, shares_span_holes_in_address_order)
{
	static struct memplan_share s[2];
	const struct memplan_range in[] = {
	        {1 * MiB, 10 * MiB}, {16 * MiB, 2 * MiB}, {64 * MiB, 20 * MiB}};
	struct memplan_range shared;
	unsigned fitted;

	KT_ASSERT(memplan_split(in, 3, 2, 4 * MiB, 1 * MiB, &shared, s, &fitted) == ERR_OK);
	KT_EXPECT_EQ(fitted, 2);
	KT_EXPECT_EQ(shared.base, 1 * MiB);
	/* 28 MiB left: core 0 takes 6 + 2 + 6, core 1 the remaining 14. */
	KT_EXPECT_EQ(s[0].n, 3);
	KT_EXPECT_EQ(s[0].bytes, 14 * MiB);
	KT_EXPECT_EQ(s[1].n, 1);
	KT_EXPECT_EQ(s[1].r[0].base, 70 * MiB);
	KT_EXPECT_EQ(s[1].bytes, 14 * MiB);
	struct memplan_range span = memplan_span(&s[0]);
	KT_EXPECT_EQ(span.base, 5 * MiB);
	KT_EXPECT_EQ(span.size, 65 * MiB);
	KT_EXPECT_EQ(planned(s, 2, &shared), 32 * MiB);
}

KTEST(memplan, too_little_memory_starts_fewer_cores)
{
	static struct memplan_share s[8];
	const struct memplan_range in[] = {{1 * MiB, 20 * MiB}};
	struct memplan_range shared;
	unsigned fitted;

	KT_ASSERT(memplan_split(in, 1, 8, 1 * MiB, 4 * MiB, &shared, s, &fitted) == ERR_OK);
	KT_EXPECT_EQ(fitted, 4); /* 19 MiB / 4 MiB */
	for (unsigned c = 0; c < fitted; c++)
		KT_EXPECT(s[c].bytes >= 4 * MiB);
	KT_EXPECT(memplan_split(in, 1, 8, 1 * MiB, 64 * MiB, &shared, s, &fitted) == ERR_NOMEM);
	KT_EXPECT_EQ(fitted, 0);
}

KTEST(memplan, shared_block_must_fit_one_range)
{
	static struct memplan_share s[2];
	const struct memplan_range in[] = {{1 * MiB, 8 * MiB}, {10 * MiB, 8 * MiB}};
	struct memplan_range shared;
	unsigned fitted;

	KT_EXPECT(memplan_split(in, 2, 2, 9 * MiB, 0, &shared, s, &fitted) == ERR_NOMEM);
	KT_ASSERT(memplan_split(in, 2, 2, 8 * MiB, 0, &shared, s, &fitted) == ERR_OK);
	KT_EXPECT_EQ(shared.base, 1 * MiB);
	KT_EXPECT_EQ(s[0].r[0].base, 10 * MiB);
}

/* Walks a region's blocks: each naturally aligned and inside the region,
 * one after the other; their count and bytes. */
static void walk_blocks(struct ktest *kt, const struct memplan_untyped *u, uint64_t *bytes,
                        uint32_t *count)
{
	struct memplan_cursor cur = {0};
	uint64_t base, prev_end = 0;
	unsigned bits;

	*bytes = 0;
	*count = 0;
	while (memplan_next_block(&u->region, &cur, &base, &bits)) {
		KT_EXPECT(bits >= 12 && bits <= MEMPLAN_BLOCK_MAX_BITS);
		KT_EXPECT_EQ(base & ((1ull << bits) - 1), 0);
		KT_EXPECT(base >= prev_end);
		prev_end = base + (1ull << bits);
		*bytes += 1ull << bits;
		(*count)++;
	}
}

KTEST(memplan, untyped_is_the_pool_past_the_kernel_front)
{
	const struct memplan_range pool[] = {{5 * MiB + 0x3000, 200 * MiB}};
	struct memplan_untyped u;
	uint64_t bytes, cut = (5 * MiB + 0x3000 + 50 * MiB + 2 * MiB - 1) & ~(2 * MiB - 1);
	uint32_t count;

	memplan_untyped(pool, 1, &u);
	KT_EXPECT_EQ(u.pool_bytes, 200 * MiB);
	KT_ASSERT(u.region.n == 1);
	KT_EXPECT_EQ(u.region.r[0].base, cut); /* a quarter kept, cut on 2 MiB */
	KT_EXPECT_EQ(u.region.r[0].base + u.region.r[0].size, pool[0].base + pool[0].size);
	KT_EXPECT_EQ(u.kernel_bytes + u.region.bytes, u.pool_bytes);
	KT_EXPECT(u.kernel_bytes >= 50 * MiB && u.kernel_bytes < 52 * MiB);
	KT_EXPECT_EQ(u.truncated, 0);
	walk_blocks(kt, &u, &bytes, &count);
	KT_EXPECT_EQ(bytes, u.region.bytes);
	KT_EXPECT_EQ(count, u.blocks);
}

KTEST(memplan, untyped_small_pools_and_several_ranges)
{
	const struct memplan_range small[] = {{8 * MiB, 12 * MiB}};
	const struct memplan_range three[] = {
	        {4 * MiB, 10 * MiB}, {20 * MiB, 10 * MiB + 0x5000}, {64 * MiB, 30 * MiB}};
	struct memplan_untyped u;
	uint64_t bytes;
	uint32_t count;

	memplan_untyped(small, 1, &u); /* under the 16 MiB reserve: all the kernel's */
	KT_EXPECT_EQ(u.region.n, 0);
	KT_EXPECT_EQ(u.kernel_bytes, 12 * MiB);
	/* 50 MiB: 16 kept, the first range and 6 MiB of the second; the rest of
	 * the second from 26 MiB (2 MiB aligned) and all of the third */
	memplan_untyped(three, 3, &u);
	KT_ASSERT(u.region.n == 2);
	KT_EXPECT_EQ(u.region.r[0].base, 26 * MiB);
	KT_EXPECT_EQ(u.region.r[0].size, 4 * MiB + 0x5000);
	KT_EXPECT_EQ(u.region.r[1].base, 64 * MiB);
	KT_EXPECT_EQ(u.region.r[1].size, 30 * MiB);
	KT_EXPECT_EQ(u.kernel_bytes, 16 * MiB);
	walk_blocks(kt, &u, &bytes, &count);
	KT_EXPECT_EQ(bytes, u.region.bytes);
	KT_EXPECT_EQ(count, u.blocks);
	KT_EXPECT_EQ(memplan_block_bits(26 * MiB, 64 * MiB), 21);
	KT_EXPECT_EQ(memplan_block_bits(32 * MiB, 64 * MiB), 25);
	KT_EXPECT_EQ(memplan_block_bits(0, 1ull << 40), MEMPLAN_BLOCK_MAX_BITS);
	KT_EXPECT_EQ(memplan_block_bits(30 * MiB + 0x5000, 31 * MiB), 12);
}

KTEST(memplan, untyped_block_limit_leaves_the_rest_to_the_kernel)
{
	struct memplan_range pool[MEMPLAN_MAX_RANGES];
	struct memplan_untyped u;
	uint64_t bytes;
	uint32_t count;

	/* ranges that start and end a page off 4 MiB: ~20 blocks each */
	for (unsigned i = 0; i < MEMPLAN_MAX_RANGES; i++)
		pool[i] = (struct memplan_range){(64 + 8 * i) * MiB + 0x1000, 4 * MiB - 0x2000};
	pool[0].size = 32 * MiB; /* the kernel's reserve */
	for (unsigned i = 1; i < MEMPLAN_MAX_RANGES; i++)
		pool[i].base += 32 * MiB;
	memplan_untyped(pool, MEMPLAN_MAX_RANGES, &u);
	KT_EXPECT_EQ(u.blocks, MEMPLAN_MAX_BLOCKS);
	KT_EXPECT_EQ(u.truncated, 1);
	KT_EXPECT_EQ(u.kernel_bytes + u.region.bytes, u.pool_bytes);
	walk_blocks(kt, &u, &bytes, &count);
	KT_EXPECT_EQ(bytes, u.region.bytes);
	KT_EXPECT_EQ(count, MEMPLAN_MAX_BLOCKS);
}
