/* The heap and the stack grow on page faults: blocks of every size class
 * and page runs keep their contents, are reused when freed and merge with
 * free neighbours; a large block touched page by page and a deep
 * recursion are mapped by the fault upcall as they go.  Ends with 0, or
 * the number of the check that failed (kernel/sched/rt_test.c). */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#define SMALL     300
#define RUN_PAGES 128 /* the large block: 512 KiB */
#define DEPTH     480 /* recursion frames of about 1 KiB: 480 KiB */

static void *small[SMALL];

static uint8_t pattern(size_t i, size_t j)
{
	return (uint8_t)(i * 7 + j);
}

/* Blocks of sizes 1..2048 and beyond, filled; all still intact once every
 * one is allocated (no two overlap), 16-byte aligned. */
static int sizes(void)
{
	for (size_t i = 0; i < SMALL; i++) {
		size_t n = 1 + (i * 37) % 3000;
		small[i] = malloc(n);
		if (!small[i] || (uintptr_t)small[i] % 16 || rt_heap_usable(small[i]) < n)
			return 1;
		for (size_t j = 0; j < n; j++)
			((uint8_t *)small[i])[j] = pattern(i, j);
	}
	for (size_t i = 0; i < SMALL; i++)
		for (size_t j = 0; j < 1 + (i * 37) % 3000; j++)
			if (((uint8_t *)small[i])[j] != pattern(i, j))
				return 2;
	for (size_t i = 0; i < SMALL; i++)
		free(small[i]);
	return 0;
}

/* A freed block is given again; calloc clears what was written before. */
static int reuse(void)
{
	uint8_t *a = malloc(100);
	memset(a, 0xab, 100);
	free(a);
	uint8_t *b = calloc(10, 10);
	if (b != a)
		return 3;
	for (int i = 0; i < 100; i++)
		if (b[i])
			return 4;
	free(b);
	return 0;
}

/* realloc keeps the contents from a small block to runs and back. */
static int grow(void)
{
	uint8_t *p = malloc(40);
	for (int i = 0; i < 40; i++)
		p[i] = (uint8_t)i;
	p = realloc(p, 5000);
	p = realloc(p, 20000);
	if (!p || (uintptr_t)p % RT_PAGE)
		return 5;
	for (int i = 0; i < 40; i++)
		if (p[i] != i)
			return 6;
	p = realloc(p, 8);
	for (int i = 0; i < 8; i++)
		if (p[i] != i)
			return 7;
	free(p);
	return 0;
}

/* On a fresh heap: three runs side by side, freed out of order, make one
 * run again (its pages touched, so mapped from here on). */
static int merge(void)
{
	uint8_t *a = malloc(3 * RT_PAGE), *b = malloc(3 * RT_PAGE), *c = malloc(3 * RT_PAGE);

	if (b != a + 3 * RT_PAGE || c != b + 3 * RT_PAGE)
		return 8;
	free(a);
	free(c);
	free(b);
	uint8_t *d = malloc(9 * RT_PAGE);
	if (d != a)
		return 9;
	memset(d, 0, 9 * RT_PAGE);
	free(d);
	return 0;
}

/* A large block touched page by page: each page a fault the runtime
 * takes; once freed, a block as large (first fit: where it was, perhaps
 * merged with the mapped run before it) costs none. */
static int large(void)
{
	uint64_t before = rt_fault_pages();
	uint8_t *p = malloc(RUN_PAGES * RT_PAGE);

	if (!p)
		return 10;
	for (uint64_t i = 0; i < RUN_PAGES; i++)
		p[i * RT_PAGE + i % 64] = (uint8_t)i;
	if (rt_fault_pages() - before < RUN_PAGES)
		return 11;
	for (uint64_t i = 0; i < RUN_PAGES; i++)
		if (p[i * RT_PAGE + i % 64] != (uint8_t)i)
			return 12;
	free(p);
	before = rt_fault_pages();
	uint8_t *q = malloc(RUN_PAGES * RT_PAGE);
	memset(q, 1, RUN_PAGES * RT_PAGE);
	if (!q || rt_fault_pages() != before)
		return 13;
	free(q);
	return 0;
}

/* About 1 KiB of stack per frame, all of it written (memset is a call:
 * the array is really there), read after the call (no tail call). */
static unsigned deep(unsigned n)
{
	uint8_t frame[1000];

	memset(frame, (int)(n >> 1), sizeof frame);
	frame[0] = (uint8_t)n;
	if (n == 0)
		return 0;
	return deep(n - 1) + frame[0] + frame[999];
}

static unsigned deep_expected(unsigned n)
{
	unsigned sum = 0;

	for (unsigned i = 1; i <= n; i++)
		sum += (uint8_t)i + (uint8_t)(i >> 1);
	return sum;
}

int main(void)
{
	int e = merge();

	if (!e)
		e = large();
	if (!e)
		e = sizes();
	if (!e)
		e = reuse();
	if (!e)
		e = grow();
	uint64_t before = rt_fault_pages();
	if (!e && deep(DEPTH) != deep_expected(DEPTH))
		e = 14;
	if (!e && rt_fault_pages() - before < DEPTH / 4 - 16)
		e = 15;
	rt_printf("rt_heap: %s (check %d): %llu pages mapped on faults, %llu heap pages\n",
	          e ? "failed" : "ok", e, (unsigned long long)rt_fault_pages(),
	          (unsigned long long)rt_heap_pages());
	return e;
}
