/* A size-class heap for small kernel objects on top of whole pages.
 *
 * Why this shape: the kernel's small objects (address-space records, message
 * bookkeeping, later dispatcher state) come and go in a few fixed sizes, and
 * each core has its own heap, so no locks are needed.  Size classes give
 * O(1) allocation and free with no search and no external fragmentation
 * inside a page; a page holds objects of one class only and goes back to
 * the page provider (the core's buddy pool) as soon as its last object is
 * freed, so heap memory can be donated to another core again.  A general
 * best-fit allocator would fragment and search; a buddy for small objects
 * wastes up to half of each one.
 *
 * Layout: every heap page starts with a 64-byte header (magic, class, an
 * allocation bitmap), so free(p) finds it from p alone (p rounded down to
 * 4 KiB) and a double free or a foreign pointer is detected.  Requests
 * larger than the largest class get a block of pages of their own, with the
 * same header in front.  Pure: pages come from the caller's provider, so
 * tests/host/mm runs it on malloc'd pages.  Not thread-safe (one per core).
 */
#ifndef KERNEL_MM_HEAP_H
#define KERNEL_MM_HEAP_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define HEAP_PAGE_SIZE   4096u
#define HEAP_HEADER_SIZE 64u
#define HEAP_ALIGN       16u /* every object is at least 16-byte aligned */
#define HEAP_CLASSES     14
#define HEAP_SMALL_MAX   2016u /* the largest class; beyond it, page blocks */

/* Where pages come from: alloc returns 4 KiB << order bytes, aligned to
 * their size, or NULL; free gives them back. */
struct heap_pages {
	void *ctx;
	void *(*alloc)(void *ctx, unsigned order);
	void (*free)(void *ctx, void *p, unsigned order);
};

struct heap_slab;

struct heap {
	struct heap_pages pages;
	struct heap_slab *partial[HEAP_CLASSES]; /* slabs with a free object */
	size_t objects;                          /* live allocations */
	size_t pages_held;                       /* pages taken from the provider */
};

void heap_init(struct heap *h, const struct heap_pages *pages);

/* size bytes (0 counts as 1), HEAP_ALIGN aligned; NULL when the provider
 * has no page. */
void *heap_alloc(struct heap *h, size_t size);

/* Frees p (NULL: nothing).  ERR_INVAL if p is not a live allocation of this
 * heap: a double free or a pointer it never returned. */
enum err heap_free(struct heap *h, void *p);

/* The size class that serves size bytes (index, and its object size in
 * *class_size), or -1 for a page-block request. */
int heap_class_of(size_t size, size_t *class_size);

/* Objects of a class's size that fit one page. */
unsigned heap_class_capacity(unsigned class_index);

#endif
