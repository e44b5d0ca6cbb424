/* tdemo: a library for the tile tests (user/tests/tile_spawn.c): code, a
 * read-only table of two pages and a counter in its data, which every
 * program that imports it has its own copy of.  No runtime: a library
 * holds only its own code and data. */
#include <stdint.h>

#define TABLE 1024 /* 8 KiB: two pages of read-only data */

/* i * i for i < TABLE, filled at build time. */
#define SQ(i)   ((uint64_t)(i) * (uint64_t)(i))
#define R4(i)   SQ(i), SQ((i) + 1), SQ((i) + 2), SQ((i) + 3)
#define R16(i)  R4(i), R4((i) + 4), R4((i) + 8), R4((i) + 12)
#define R64(i)  R16(i), R16((i) + 16), R16((i) + 32), R16((i) + 48)
#define R256(i) R64(i), R64((i) + 64), R64((i) + 128), R64((i) + 192)

const uint64_t tdemo_squares[TABLE] = {R256(0), R256(256), R256(512), R256(768)};
uint64_t tdemo_counter = 7;

uint64_t tdemo_add(uint64_t a, uint64_t b)
{
	return a + b;
}

uint64_t tdemo_bump(void)
{
	return ++tdemo_counter;
}

/* The sum of the squares below n (n <= TABLE), from the table. */
uint64_t tdemo_sum_squares(uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n && i < TABLE; i++)
		s += tdemo_squares[i];
	return s;
}
