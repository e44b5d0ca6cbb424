/* bench-mm: cycles per buddy allocation and free (lib/buddy) beside the same
 * number of glibc malloc/free calls, printed as a ratio (buddy / malloc,
 * below 1 means the buddy is cheaper).
 *
 * The buddy manages a 4 GiB span it never touches, so only its bookkeeping
 * is measured.  malloc is measured warm: trimming and mmap are turned off
 * (mallopt) and a first untimed round faults its heap in, so its figures
 * are bookkeeping too, not page faults and brk/munmap calls.  Each figure
 * is the best of several rounds, in TSC cycles (rdtsc).
 *
 * "pool in use" pairs run with a few thousand scattered 4 KiB blocks
 * allocated first, as in a running system; "empty pool" pairs show the
 * buddy's worst case, where every allocation splits a 1 GiB block down to
 * the requested order and every free merges it all the way back.
 */
#include <buddy/buddy.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#define SPAN   (4ull << 30)
#define BASE   (4ull << 30)
#define N4K    100000
#define N2M    256
#define ROUNDS 5

static struct buddy pool;
static void *meta;
static uint64_t addrs[N4K];
static void *ptrs[N4K];
static size_t order_idx[N4K];
static volatile uintptr_t sink;

struct result {
	double alloc, free;
};

static uint64_t now(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

static void fresh_pool(void)
{
	if (buddy_init(&pool, BASE, SPAN, meta, buddy_meta_size(SPAN)) ||
	    buddy_add_range(&pool, BASE, SPAN)) {
		fprintf(stderr, "bench-mm: cannot set up the pool\n");
		exit(1);
	}
}

/* n allocations of 4 KiB << order, then n frees (in order[] sequence). */
static struct result run_buddy(unsigned order, size_t n)
{
	fresh_pool();
	uint64_t t0 = now();
	for (size_t i = 0; i < n; i++)
		if (buddy_alloc(&pool, order, &addrs[i]))
			exit(2);
	uint64_t t1 = now();
	for (size_t i = 0; i < n; i++)
		if (buddy_free(&pool, addrs[order_idx[i]], order))
			exit(3);
	uint64_t t2 = now();
	return (struct result){(double)(t1 - t0) / n, (double)(t2 - t1) / n};
}

static struct result run_malloc(size_t size, size_t n)
{
	uint64_t t0 = now();
	for (size_t i = 0; i < n; i++)
		ptrs[i] = malloc(size);
	uint64_t t1 = now();
	uintptr_t x = 0;
	for (size_t i = 0; i < n; i++) {
		x ^= (uintptr_t)ptrs[order_idx[i]];
		free(ptrs[order_idx[i]]);
	}
	uint64_t t2 = now();
	sink = x;
	return (struct result){(double)(t1 - t0) / n, (double)(t2 - t1) / n};
}

/* Alternating alloc/free of one block: the steady state of a busy pool. */
static double run_pairs_buddy(unsigned order, size_t n)
{
	uint64_t a, t0 = now();
	for (size_t i = 0; i < n; i++)
		if (buddy_alloc(&pool, order, &a) || buddy_free(&pool, a, order))
			exit(4);
	return (double)(now() - t0) / n;
}

static double run_pairs_malloc(size_t size, size_t n)
{
	uint64_t t0 = now();
	for (size_t i = 0; i < n; i++) {
		void *p = malloc(size);
		sink ^= (uintptr_t)p;
		free(p);
	}
	return (double)(now() - t0) / n;
}

static void set_order(size_t n, int shuffled)
{
	for (size_t i = 0; i < n; i++)
		order_idx[i] = n - 1 - i;
	for (size_t i = n - 1; shuffled && i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1), t = order_idx[i];
		order_idx[i] = order_idx[j];
		order_idx[j] = t;
	}
}

static struct result best(struct result a, struct result b)
{
	return (struct result){a.alloc < b.alloc ? a.alloc : b.alloc,
	                       a.free < b.free ? a.free : b.free};
}

static void row(const char *what, double buddy, double libc)
{
	printf("  %-36s %9.1f %9.1f %8.2f\n", what, buddy, libc, buddy / libc);
}

static void batch(const char *label, unsigned order, size_t n, int shuffled)
{
	struct result b = {1e30, 1e30}, m = {1e30, 1e30};
	set_order(n, shuffled);
	run_malloc(BUDDY_PAGE_SIZE << order, n); /* warm the heap up */
	for (int r = 0; r < ROUNDS; r++) {
		b = best(b, run_buddy(order, n));
		m = best(m, run_malloc(BUDDY_PAGE_SIZE << order, n));
	}
	char what[64];
	snprintf(what, sizeof what, "%s alloc (x%zu)", label, n);
	row(what, b.alloc, m.alloc);
	snprintf(what, sizeof what, "%s free, %s (x%zu)", label, shuffled ? "shuffled" : "LIFO", n);
	row(what, b.free, m.free);
}

/* Scatters n single frames over the pool, so small free blocks exist. */
static void fragment(size_t n)
{
	fresh_pool();
	for (size_t i = 0; i < n; i++) {
		uint64_t a = BASE + ((uint64_t)rand() % (SPAN / BUDDY_PAGE_SIZE)) * BUDDY_PAGE_SIZE;
		buddy_alloc_at(&pool, a, 0);
	}
}

static void pairs(const char *label, unsigned order, size_t n, int in_use)
{
	double b = 1e30, m = 1e30;
	if (in_use)
		fragment(4096);
	else
		fresh_pool();
	run_pairs_malloc(BUDDY_PAGE_SIZE << order, n);
	for (int r = 0; r < ROUNDS; r++) {
		double x = run_pairs_buddy(order, n),
		       y = run_pairs_malloc(BUDDY_PAGE_SIZE << order, n);
		b = x < b ? x : b;
		m = y < m ? y : m;
	}
	char what[64];
	snprintf(what, sizeof what, "%s alloc+free, %s", label,
	         in_use ? "pool in use" : "empty pool");
	row(what, b, m);
}

int main(void)
{
	meta = malloc(buddy_meta_size(SPAN));
	if (!meta)
		return 1;
	srand(1);
	mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
	mallopt(M_TOP_PAD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	printf("bench-mm: lib/buddy over a 4 GiB span vs glibc malloc/free, "
	       "TSC cycles per call (best of %d)\n",
	       ROUNDS);
	printf("  %-36s %9s %9s %8s\n", "", "buddy", "malloc", "ratio");
	batch("4 KiB", 0, N4K, 0);
	batch("4 KiB", 0, N4K, 1);
	batch("2 MiB", 9, N2M, 0);
	pairs("4 KiB", 0, N4K, 1);
	pairs("2 MiB", 9, N4K, 1);
	pairs("4 KiB", 0, N4K, 0);
	pairs("2 MiB", 9, N4K, 0);
	free(meta);
	return 0;
}
