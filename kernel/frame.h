/* This core's physical memory: 4 KiB frames and naturally aligned blocks
 * of 4 KiB << order, from a lib/buddy pool over the share of memory the
 * boot core gave this core (memplan.h).  The pool and its metadata are this
 * core's alone; memory moves between cores only by explicit donation.
 *
 *   uint64_t f;
 *   if (frame_alloc(&f) == ERR_OK) { ...; frame_free(f); }
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define FRAME_SIZE 4096ull

/* Starts the pool over the span [base, base + size) with metadata at meta
 * (buddy_meta_size(size) bytes, this core's memory); empty until
 * frame_add. */
enum err frame_init(uint64_t base, uint64_t size, void *meta, size_t meta_size);

/* Adds [base, base + size) (frame aligned, inside the span) as free. */
enum err frame_add(uint64_t base, uint64_t size);

/* One frame, or ERR_NOMEM.  Before frame_init there is none. */
enum err frame_alloc(uint64_t *phys);

/* A block of FRAME_SIZE << order bytes, aligned to its size. */
enum err frame_alloc_block(unsigned order, uint64_t *phys);

/* Exactly the block [phys, phys + (FRAME_SIZE << order)): BUSY if any of it
 * is allocated or not in the pool; ALIGN, RANGE (outside the span), INVAL. */
enum err frame_alloc_at(uint64_t phys, unsigned order);

/* Returns a frame or block.  Panics if it is not one this pool handed out
 * with that order (a caller bug that would corrupt the pool). */
void frame_free(uint64_t phys);
void frame_free_block(uint64_t phys, unsigned order);

/* Frames free, and frames in the pool (free or allocated). */
size_t frame_free_count(void);
size_t frame_total_count(void);

/* The span the pool covers (0, 0 before frame_init). */
void frame_span(uint64_t *base, uint64_t *size);

/* Checks the pool's internal invariants (O(frames)). */
enum err frame_check(void);

/* This core's buddy pool itself, for donating blocks to other cores and
 * taking theirs in (mm/memx.c); NULL before frame_init. */
struct buddy;
struct buddy *frame_buddy(void);

#endif
