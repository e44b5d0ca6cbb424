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
