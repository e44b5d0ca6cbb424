/* The heap: size classes and page runs; see rt/heap.h.
 *
 * The region starts with a table of one 32-bit word per page (itself
 * mapped as it is touched), then the pages.  A page's word says what it
 * is: a page of class c (CLASS | c), the first page of a run of n pages
 * handed out (RUN | n), or nothing (0).  Free objects of a class are a
 * list through their first word; free runs are a list in address order
 * through their first page (struct free_run). */
#include <rt/heap.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <string/mem.h>

#define PAGE       4096ull
#define TABLE_SIZE (HEAP_MAX_BYTES / PAGE * sizeof(uint32_t))
#define DATA_VA    (HEAP_VA + TABLE_SIZE)
#define DATA_PAGES ((HEAP_MAX_BYTES - TABLE_SIZE) / PAGE)
#define CLASS      0x80000000u
#define RUN        0x40000000u
#define COUNT_MASK 0x3fffffffu

static const uint16_t class_size[] = {16,  32,  48,  64,  96,   128,  192,
                                      256, 384, 512, 768, 1024, 1536, RT_HEAP_SMALL};
#define NCLASSES (sizeof class_size / sizeof class_size[0])

struct free_object {
	struct free_object *next;
};

struct free_run {
	uint64_t pages;
	struct free_run *next;
};

static struct rt_mutex lock;
static struct free_object *class_free[NCLASSES];
static struct free_run *runs; /* free runs, by address */
static uint64_t top;          /* pages handed out from the region so far */

static uint32_t *table(void)
{
	return (uint32_t *)(uintptr_t)HEAP_VA;
}

static void *page_at(uint64_t i)
{
	return (void *)(uintptr_t)(DATA_VA + i * PAGE);
}

static uint64_t page_of(const void *p)
{
	return ((uint64_t)(uintptr_t)p - DATA_VA) / PAGE;
}

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (class_size[c] < size)
		c++;
	return c;
}

/* n pages: the first free run that holds them (its front), else new ones
 * at the top.  NULL when the region is spent. */
static void *run_alloc(uint64_t n)
{
	for (struct free_run **at = &runs; *at; at = &(*at)->next) {
		struct free_run *r = *at;
		if (r->pages < n)
			continue;
		if (r->pages == n) {
			*at = r->next;
		} else {
			struct free_run *rest = (struct free_run *)((uint8_t *)r + n * PAGE);
			rest->pages = r->pages - n;
			rest->next = r->next;
			*at = rest;
		}
		return r;
	}
	if (n > DATA_PAGES - top)
		return NULL;
	top += n;
	return page_at(top - n);
}

/* Gives back n pages at p, merged with free neighbours. */
static void run_free(void *p, uint64_t n)
{
	struct free_run *r = p, *prev = NULL, *next = runs;

	while (next && next < r) {
		prev = next;
		next = next->next;
	}
	r->pages = n;
	r->next = next;
	if (next && (uint8_t *)r + n * PAGE == (uint8_t *)next) {
		r->pages += next->pages;
		r->next = next->next;
	}
	if (prev && (uint8_t *)prev + prev->pages * PAGE == (uint8_t *)r) {
		prev->pages += r->pages;
		prev->next = r->next;
	} else if (prev) {
		prev->next = r;
	} else {
		runs = r;
	}
}

/* A page more for class c, cut into objects. */
static bool refill(unsigned c)
{
	uint8_t *page = run_alloc(1);
	size_t size = class_size[c];

	if (!page)
		return false;
	table()[page_of(page)] = CLASS | c;
	for (size_t off = PAGE / size * size; off >= size;) {
		off -= size;
		struct free_object *o = (struct free_object *)(page + off);
		o->next = class_free[c];
		class_free[c] = o;
	}
	return true;
}

void *malloc(size_t size)
{
	void *p = NULL;

	if (size > HEAP_MAX_BYTES)
		return NULL;
	rt_mutex_lock(&lock);
	if (size <= RT_HEAP_SMALL) {
		unsigned c = class_of(size);
		if (class_free[c] || refill(c)) {
			p = class_free[c];
			class_free[c] = class_free[c]->next;
		}
	} else {
		uint64_t n = (size + PAGE - 1) / PAGE;
		p = run_alloc(n);
		if (p)
			table()[page_of(p)] = RUN | (uint32_t)n;
	}
	rt_mutex_unlock(&lock);
	return p;
}

/* The table word of a block malloc gave; stops the program otherwise. */
static uint32_t word_of(const void *p)
{
	uint64_t a = (uint64_t)(uintptr_t)p;

	if (a >= DATA_VA && a < DATA_VA + top * PAGE) {
		uint32_t w = table()[page_of(p)];
		if ((w & CLASS) && (a % PAGE) % class_size[w & COUNT_MASK] == 0)
			return w;
		if ((w & RUN) && a % PAGE == 0)
			return w;
	}
	rt_abort("free or realloc of %p, which malloc did not give\n", p);
}

void free(void *p)
{
	if (!p)
		return;
	rt_mutex_lock(&lock);
	uint32_t w = word_of(p);
	if (w & CLASS) {
		struct free_object *o = p;
		o->next = class_free[w & COUNT_MASK];
		class_free[w & COUNT_MASK] = o;
	} else {
		table()[page_of(p)] = 0;
		run_free(p, w & COUNT_MASK);
	}
	rt_mutex_unlock(&lock);
}

size_t rt_heap_usable(const void *p)
{
	rt_mutex_lock(&lock);
	uint32_t w = word_of(p);
	rt_mutex_unlock(&lock);
	return w & CLASS ? class_size[w & COUNT_MASK] : (size_t)(w & COUNT_MASK) * PAGE;
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	if (!size) {
		free(p);
		return NULL;
	}
	size_t have = rt_heap_usable(p);
	if (size <= have && (have <= RT_HEAP_SMALL) == (size <= RT_HEAP_SMALL))
		return p;
	void *q = malloc(size);
	if (q) {
		memcpy(q, p, have < size ? have : size);
		free(p);
	}
	return q;
}

uint64_t rt_heap_pages(void)
{
	return top;
}
