/* This core's kernel heap; see kheap.h. */
#include "kheap.h"

#include <stdbool.h>
#include <string/mem.h>

#include "frame.h"
#include "heap.h"
#include "hhdm.h"
#include "panic.h"

static struct heap heap;
static bool ready;

static void *pages_alloc(void *ctx, unsigned order)
{
	uint64_t pa;
	return frame_alloc_block(order, &pa) == ERR_OK ? hhdm_ptr(pa) : NULL;
}

static void pages_free(void *ctx, void *p, unsigned order)
{
	frame_free_block(hhdm_phys(p), order);
}

void kheap_init(void)
{
	static const struct heap_pages pages = {.alloc = pages_alloc, .free = pages_free};
	heap_init(&heap, &pages);
	ready = true;
}

static struct heap *core_heap(void)
{
	if (!ready)
		panic("kheap used before kheap_init on this core");
	return &heap;
}

void *kheap_alloc(size_t size)
{
	return heap_alloc(core_heap(), size);
}

void *kheap_zalloc(size_t size)
{
	void *p = kheap_alloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kheap_free(void *p)
{
	enum err e = heap_free(core_heap(), p);
	if (e)
		panic("kheap_free(%p): not a live allocation of this core's heap", p);
}

size_t kheap_objects(void)
{
	return core_heap()->objects;
}

size_t kheap_pages(void)
{
	return core_heap()->pages_held;
}
