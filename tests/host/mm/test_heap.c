/* Host tests for the size-class heap (kernel/mm/heap.c).  Pages come from
 * aligned_alloc and are kept until the test ends, so a double free reads a
 * page the heap already gave back without tripping ASan. */
#include <mm/heap.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../htest.h"

#define MAX_BLOCKS 4096

static struct {
	void *p[MAX_BLOCKS];
	unsigned n, out, limit;
} prov;

static void *page_alloc(void *ctx, unsigned order)
{
	if (prov.out + (1u << order) > prov.limit || prov.n == MAX_BLOCKS)
		return NULL;
	void *p = aligned_alloc(4096ull << order, 4096ull << order);
	prov.p[prov.n++] = p;
	prov.out += 1u << order;
	return p;
}

static void page_free(void *ctx, void *p, unsigned order)
{
	prov.out -= 1u << order;
}

static struct heap fresh(unsigned limit)
{
	struct heap h;
	static const struct heap_pages pages = {.alloc = page_alloc, .free = page_free};
	for (unsigned i = 0; i < prov.n; i++)
		free(prov.p[i]);
	memset(&prov, 0, sizeof prov);
	prov.limit = limit;
	heap_init(&h, &pages);
	return h;
}

HTEST(size_classes)
{
	size_t size;

	HT_EXPECT_EQ(heap_class_of(0, &size), 0);
	HT_EXPECT_EQ(size, 16);
	HT_EXPECT_EQ(heap_class_of(16, &size), 0);
	HT_EXPECT_EQ(heap_class_of(17, &size), 1);
	HT_EXPECT_EQ(size, 32);
	HT_EXPECT_EQ(heap_class_of(HEAP_SMALL_MAX, &size), HEAP_CLASSES - 1);
	HT_EXPECT_EQ(size, HEAP_SMALL_MAX);
	HT_EXPECT_EQ(heap_class_of(HEAP_SMALL_MAX + 1, &size), -1);
	size_t prev = 0;
	for (unsigned c = 0; c < HEAP_CLASSES; c++) {
		HT_EXPECT_EQ(heap_class_of(prev + 1, &size), c);
		HT_EXPECT(size % HEAP_ALIGN == 0 && size > prev);
		HT_EXPECT(heap_class_capacity(c) >= 2);
		HT_EXPECT(HEAP_HEADER_SIZE + heap_class_capacity(c) * size <= HEAP_PAGE_SIZE);
		prev = size;
	}
	HT_EXPECT_EQ(heap_class_capacity(HEAP_CLASSES - 1), 2);
}

HTEST(objects_are_aligned_distinct_and_freed)
{
	struct heap h = fresh(1000);
	void *p[300];

	for (int i = 0; i < 300; i++) {
		p[i] = heap_alloc(&h, 24);
		HT_ASSERT(p[i]);
		HT_EXPECT(((uintptr_t)p[i] % HEAP_ALIGN) == 0);
		memset(p[i], i, 24);
	}
	HT_EXPECT_EQ(h.pages_held, (300 + 125) / 126);
	for (int i = 0; i < 300; i++)
		for (int k = 0; k < 24; k++)
			HT_ASSERT(((uint8_t *)p[i])[k] == (uint8_t)i);
	for (int i = 299; i >= 0; i -= 2)
		HT_EXPECT_EQ(heap_free(&h, p[i]), ERR_OK);
	for (int i = 0; i < 300; i += 2)
		HT_EXPECT_EQ(heap_free(&h, p[i]), ERR_OK);
	HT_EXPECT_EQ(h.objects, 0);
	HT_EXPECT_EQ(h.pages_held, 0);
	HT_EXPECT_EQ(prov.out, 0);
}

HTEST(bad_frees_are_refused)
{
	struct heap h = fresh(100);
	uint8_t *a = heap_alloc(&h, 100), *b = heap_alloc(&h, 100);

	HT_ASSERT(a && b);
	HT_EXPECT_EQ(heap_free(&h, a + 16), ERR_INVAL);  /* inside an object */
	HT_EXPECT_EQ(heap_free(&h, a + 256), ERR_INVAL); /* a free object */
	HT_EXPECT_EQ(heap_free(&h, a), ERR_OK);
	HT_EXPECT_EQ(heap_free(&h, a), ERR_INVAL); /* double free */
	HT_EXPECT_EQ(heap_free(&h, b), ERR_OK);
	HT_EXPECT_EQ(heap_free(&h, b), ERR_INVAL); /* its page is gone */
	HT_EXPECT_EQ(heap_free(&h, NULL), ERR_OK);
	uint8_t *big = heap_alloc(&h, 10000);
	HT_ASSERT(big);
	HT_EXPECT_EQ(heap_free(&h, big + 64), ERR_INVAL);
	HT_EXPECT_EQ(heap_free(&h, big), ERR_OK);
	HT_EXPECT_EQ(heap_free(&h, big), ERR_INVAL);
	HT_EXPECT_EQ(prov.out, 0);
}

HTEST(page_blocks_for_large_requests)
{
	struct heap h = fresh(100);
	void *a = heap_alloc(&h, HEAP_SMALL_MAX + 1);
	void *b = heap_alloc(&h, 4096);
	void *c = heap_alloc(&h, 5 * 4096);

	HT_ASSERT(a && b && c);
	HT_EXPECT_EQ(prov.out, 1 + 2 + 8);
	HT_EXPECT(((uintptr_t)a & 4095) == HEAP_HEADER_SIZE);
	memset(c, 0x5a, 5 * 4096);
	HT_EXPECT_EQ(heap_alloc(&h, 400 * 4096), NULL); /* over the provider's limit */
	HT_EXPECT_EQ(heap_free(&h, a), ERR_OK);
	HT_EXPECT_EQ(heap_free(&h, b), ERR_OK);
	HT_EXPECT_EQ(heap_free(&h, c), ERR_OK);
	HT_EXPECT_EQ(prov.out, 0);
}

HTEST(exhausted_provider)
{
	struct heap h = fresh(1);
	void *a = heap_alloc(&h, 2000), *b = heap_alloc(&h, 2000);

	HT_EXPECT(a && b);
	HT_EXPECT_EQ(heap_alloc(&h, 2000), NULL);
	HT_EXPECT_EQ(heap_alloc(&h, 10), NULL);
	HT_EXPECT_EQ(h.objects, 2);
	heap_free(&h, a);
	heap_free(&h, b);
	HT_EXPECT_EQ(prov.out, 0);
}

/* Random sizes, random frees, contents checked: no two live objects overlap. */
HTEST(random_mix)
{
	enum { N = 2000 };
	static struct {
		uint8_t *p;
		size_t size;
		uint8_t fill;
	} live[N];
	struct heap h = fresh(4000);
	srand(99);
	memset(live, 0, sizeof live);
	for (int round = 0; round < 50000; round++) {
		int i = rand() % N;
		if (live[i].p) {
			for (size_t k = 0; k < live[i].size; k += 7)
				HT_ASSERT(live[i].p[k] == live[i].fill);
			HT_ASSERT(heap_free(&h, live[i].p) == ERR_OK);
			live[i].p = NULL;
			continue;
		}
		size_t size = rand() % 8 ? (size_t)(rand() % 600) : (size_t)(rand() % 9000);
		live[i].p = heap_alloc(&h, size);
		HT_ASSERT(live[i].p);
		live[i].size = size;
		live[i].fill = (uint8_t)rand();
		memset(live[i].p, live[i].fill, size);
	}
	for (int i = 0; i < N; i++)
		if (live[i].p)
			HT_ASSERT(heap_free(&h, live[i].p) == ERR_OK);
	HT_EXPECT_EQ(h.objects, 0);
	HT_EXPECT_EQ(prov.out, 0);
	fresh(0);
}

HTEST_MAIN("mm_heap")
