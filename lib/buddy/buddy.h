/* Binary buddy allocator for one core's pool of physical memory.
 *
 * The pool is a span of physical addresses given at init; memory joins it
 * with buddy_add_range (one call per memory-map entry, so holes stay out)
 * or buddy_donate_in (a block received from another core), and leaves it
 * with buddy_donate_out.  Blocks are 4 KiB << order, order 0..BUDDY_MAX_ORDER
 * (4 KiB .. 1 GiB), always naturally aligned in physical address space so a
 * 2 MiB or 1 GiB block can be mapped with one large page.
 *
 * All bookkeeping lives in a caller-supplied metadata region sized by
 * buddy_meta_size; the allocator never reads or writes the memory it manages.
 * Not thread-safe: each core owns its pool.
 */
#ifndef LIB_BUDDY_BUDDY_H
#define LIB_BUDDY_BUDDY_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define BUDDY_PAGE_SHIFT 12
#define BUDDY_PAGE_SIZE  (1ull << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER  18 /* 4 KiB << 18 = 1 GiB */
#define BUDDY_ORDERS     (BUDDY_MAX_ORDER + 1)

struct buddy {
	uint64_t base_pfn; /* first frame of the span */
	uint32_t nframes;  /* frames in the span */
	uint32_t nonempty; /* bit k set: free list k is not empty */
	uint64_t free_frames;
	uint64_t owned_frames;       /* frames in the pool: free or allocated */
	uint32_t head[BUDDY_ORDERS]; /* free lists, by frame index */
	uint32_t *link;              /* 2 per frame: next, prev (free-block heads only) */
	uint8_t *state;              /* 1 per frame: see buddy.c */
};

/* Bytes of metadata needed for a span of size bytes (0 if the span is too
 * large: more than 2^32 - 2 frames). */
size_t buddy_meta_size(uint64_t size);

/* Prepares b for the span [base, base + size), 4 KiB aligned, with no memory
 * in it yet.  meta: meta_size bytes, any alignment, owned by b from now on. */
enum err buddy_init(struct buddy *b, uint64_t base, uint64_t size, void *meta, size_t meta_size);

/* Adds [base, base + size) (4 KiB aligned, inside the span, not yet in the
 * pool) as free memory.  Costs O(size / 4 KiB): for boot and donations. */
enum err buddy_add_range(struct buddy *b, uint64_t base, uint64_t size);

/* Allocates a free block of 4 KiB << order; its address goes to *addr. */
enum err buddy_alloc(struct buddy *b, unsigned order, uint64_t *addr);

/* Allocates exactly the block [addr, addr + (4 KiB << order)); ERR_BUSY if
 * any of it is allocated or outside the pool. */
enum err buddy_alloc_at(struct buddy *b, uint64_t addr, unsigned order);

/* Frees a block returned by buddy_alloc or buddy_alloc_at with that order;
 * ERR_INVAL if addr is not such a block (double free, wrong order). */
enum err buddy_free(struct buddy *b, uint64_t addr, unsigned order);

/* An allocated block leaves the pool (it is being sent to another core). */
enum err buddy_donate_out(struct buddy *b, uint64_t addr, unsigned order);

/* A block from another core joins the pool as free memory; it must be
 * aligned, inside the span and not in the pool already. */
enum err buddy_donate_in(struct buddy *b, uint64_t addr, unsigned order);

/* Bytes free, and bytes in the pool (free + allocated). */
uint64_t buddy_free_bytes(const struct buddy *b);
uint64_t buddy_pool_bytes(const struct buddy *b);

/* Order of the largest free block, or -1 if the pool is exhausted. */
int buddy_largest_free_order(const struct buddy *b);

/* Checks every internal invariant (O(frames)); ERR_CORRUPT if one fails. */
enum err buddy_check(const struct buddy *b);

#endif
