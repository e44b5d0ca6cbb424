/* The heap: malloc and friends over the heap region (tessera/bootinfo.h,
 * HEAP_VA), whose pages the fault upcall maps from the program's budget as
 * they are first touched.  Small blocks (up to RT_HEAP_SMALL bytes) come
 * from size classes, a page of one class at a time; larger ones are runs
 * of whole pages (first fit, neighbours merged when freed).  Every block
 * is 16-byte aligned (runs: page aligned).  Thread safe (a mutex).  Pages
 * are never given back to the budget.  Running out of budget while a new
 * page is touched ends the program (the fault upcall, 128 + 14); malloc
 * returns NULL only when the heap region itself is spent.  free of a
 * pointer malloc did not return stops the program (rt_abort).
 */
#ifndef RT_HEAP_H
#define RT_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define RT_HEAP_SMALL 2048

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/* The bytes a block can hold (at least what was asked). */
size_t rt_heap_usable(const void *p);

/* Heap pages handed out so far (the region's high-water mark). */
uint64_t rt_heap_pages(void);

#endif
