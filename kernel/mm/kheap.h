/* This core's kernel heap: small objects for the kernel (heap.h explains
 * the size classes), pages from this core's pool (frame.h), reached through
 * the HHDM.  Per core by construction: the heap state is kernel data.
 */
#ifndef KERNEL_MM_KHEAP_H
#define KERNEL_MM_KHEAP_H

#include <stddef.h>

/* Starts this core's heap, empty (explicitly, so a core never inherits
 * another's heap state through a copy of kernel data). */
void kheap_init(void);

/* size bytes, 16-byte aligned, not zeroed; NULL when memory is exhausted. */
void *kheap_alloc(size_t size);

/* The same, zeroed. */
void *kheap_zalloc(size_t size);

/* Frees p (NULL: nothing); panics on a pointer that is not a live
 * allocation (double free, foreign pointer). */
void kheap_free(void *p);

/* Live allocations and pages held, for leak checks. */
size_t kheap_objects(void);
size_t kheap_pages(void);

#endif
