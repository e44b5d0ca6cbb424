/* A program with a segment linked 2 MiB-aligned (tile.ld's `large`
 * segment: docs/tile.md §5, align_bits 21): a page of initialized data,
 * then 2 MiB + 4 KiB of zeros.  The runtime's spawn maps its first,
 * whole 2 MiB as a large page and the two pages after it as 4 KiB ones
 * (kernel/sched/rt_test.c counts the large mappings).  Checks the data,
 * that the zeros are zeros, then writes and reads back every word of the
 * segment.  Ends with 0 or the number of the check that failed. */
#include <rt/rt.h>
#include <stdint.h>

#define LARGE     (2ull << 20)
#define BIG_WORDS (((2ull << 20) + 4096) / 8)
#define MARKS     512

/* Its own page of file bytes at the segment's start. */
__attribute__((section(".large.data"), aligned(LARGE))) static volatile uint64_t marks[MARKS] = {
        [0] = 0x74696c6562696701ull, [1] = 2, [MARKS - 1] = 0x5a5a5a5a00000001ull};
/* Zeros, no file bytes. */
__attribute__((section(".large.bss"))) static volatile uint64_t big[BIG_WORDS];

static uint64_t pattern(uint64_t i)
{
	return i * 0x9e3779b97f4a7c15ull ^ 0xa5a500000000a5a5ull;
}

int main(void)
{
	if ((uintptr_t)marks % LARGE)
		return 1;
	if (marks[0] != 0x74696c6562696701ull || marks[1] != 2 ||
	    marks[MARKS - 1] != 0x5a5a5a5a00000001ull || marks[2] != 0)
		return 2;
	for (uint64_t i = 0; i < BIG_WORDS; i++)
		if (big[i])
			return 3;
	for (uint64_t i = 0; i < BIG_WORDS; i++)
		big[i] = pattern(i);
	for (uint64_t i = 0; i < MARKS; i++)
		marks[i] = ~pattern(i);
	for (uint64_t i = 0; i < BIG_WORDS; i++)
		if (big[i] != pattern(i))
			return 4;
	for (uint64_t i = 0; i < MARKS; i++)
		if (marks[i] != ~pattern(i))
			return 5;
	rt_printf("tile_big: %llu KiB at %#llx written and read back\n",
	          (unsigned long long)(sizeof marks + sizeof big) / 1024,
	          (unsigned long long)(uintptr_t)marks);
	return 0;
}
