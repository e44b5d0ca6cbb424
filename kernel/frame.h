/* Physical frames: 4 KiB pages of RAM, handed out one at a time.
 *
 * A pool is built from ranges of usable RAM (the loader's memory map).  Free
 * memory is a list of runs of consecutive frames, each run's header stored
 * in its first frame through the HHDM, so the allocator needs no memory of
 * its own and alloc/free are O(1).  A later issue replaces this with a
 * per-core buddy allocator.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define FRAME_SIZE       4096ull
#define FRAME_MAX_RANGES 64

struct frame_range {
	uint64_t base, size; /* frame-aligned */
};

struct frame_pool {
	uint64_t head; /* physical address of the first free run, 0: none */
	size_t free;   /* frames on the free list */
	size_t total;  /* frames ever added */
	size_t nranges;
	struct frame_range ranges[FRAME_MAX_RANGES];
};

/* Empties a pool. */
void frame_pool_init(struct frame_pool *p);

/* Adds the whole frames inside [base, base + size) as free.  ERR_OVERLAP if
 * they overlap memory the pool already has, ERR_FULL when the range table is
 * full (the memory is then not used), ERR_OK (adding nothing) if the range
 * holds no whole frame. */
enum err frame_pool_add(struct frame_pool *p, uint64_t base, uint64_t size);

/* Takes one free frame: its physical address in *phys, or ERR_NOMEM. */
enum err frame_pool_alloc(struct frame_pool *p, uint64_t *phys);

/* Returns a frame taken from this pool.  Panics on an address that is not a
 * frame of the pool (a caller bug that would corrupt the free list). */
void frame_pool_free(struct frame_pool *p, uint64_t phys);

/* Whether phys lies in one of the pool's ranges. */
int frame_pool_owns(const struct frame_pool *p, uint64_t phys);

/* The kernel's pool (this core's). */
extern struct frame_pool frame_pool;

/* Shorthands for the kernel's pool. */
enum err frame_alloc(uint64_t *phys);
void frame_free(uint64_t phys);
size_t frame_free_count(void);
size_t frame_total_count(void);

#endif
