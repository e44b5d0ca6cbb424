/* How the boot core divides physical memory between the cores' CPU
 * drivers: one block shared by all (the URPC channels), then one share per
 * core.  A pure computation over the loader's usable ranges, so it is
 * tested with made-up memory maps.
 *
 * The policy:
 *  - Memory below MEMPLAN_LOW_LIMIT (1 MiB) is left alone: it is where a
 *    real-mode AP trampoline or firmware data would go, and it is tiny.
 *  - The shared block is carved first, contiguous, from the lowest range
 *    that holds it, so channel addresses are a base plus an index.
 *  - The rest is split evenly, in address order: core 0 gets the lowest
 *    share, then core 1, and so on; a share may span several ranges (up to
 *    MEMPLAN_MAX_RANGES; what would need more stays unused).  Every CPU
 *    driver is the same program with the same needs, so an even split is
 *    the fair default; a core that needs more asks a peer over its channel
 *    (MEM_REQUEST / MEM_DONATE) rather than reaching into a shared pool.
 *    Address order keeps each share as few ranges as possible, so its
 *    buddy allocator's span, and the metadata sized by it, stays small.
 *    The firmware gives no NUMA affinity yet (no ACPI SRAT), so nothing
 *    better than address order is known.
 *  - A share must hold at least min_share bytes (the CPU driver's own
 *    data, stack, page tables and some memory to work with); if the memory
 *    cannot give every core that much, the later cores get none and are
 *    not started.
 *  - Untyped memory (memplan_untyped).  A core's pool is its share minus
 *    the boot structures carved from the front of it.  The CPU driver keeps
 *    the front of the pool for itself (heap, page tables, its own tests):
 *    MEMPLAN_KERNEL_RESERVE bytes or a quarter of the pool, whichever is
 *    more, the cut then rounded up to MEMPLAN_UNTYPED_ALIGN so the rest
 *    starts on a large page.  The rest, to the end of the pool, is the
 *    core's untyped region: the boot core makes it into untyped caps and
 *    hands them to the core (kernel/capboot).  The region is cut into
 *    naturally aligned blocks (memplan_next_block: the largest at each
 *    address, at most 2^MEMPLAN_BLOCK_MAX_BITS, a buddy pool's largest), at
 *    most MEMPLAN_MAX_BLOCKS of them; memory past that stays the kernel's.
 *    This is the only place the rule lives: the boot core applies it to
 *    every core's pool when it builds the core.
 */
#ifndef KERNEL_MEMPLAN_H
#define KERNEL_MEMPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define MEMPLAN_LOW_LIMIT  (1ull << 20)
#define MEMPLAN_MAX_RANGES 16
#define MEMPLAN_MAX_INPUT  64
#define MEMPLAN_PAGE       4096ull

struct memplan_range {
	uint64_t base, size;
};

struct memplan_share {
	size_t n;
	struct memplan_range r[MEMPLAN_MAX_RANGES];
	uint64_t bytes; /* sum of the ranges */
};

#define MEMPLAN_KERNEL_RESERVE (16ull << 20)
#define MEMPLAN_UNTYPED_ALIGN  (2ull << 20)
#define MEMPLAN_BLOCK_MAX_BITS 30
#define MEMPLAN_MAX_BLOCKS     128

/* A core's pool and the untyped region cut from it. */
struct memplan_untyped {
	uint64_t pool_bytes;   /* free memory the pool starts with */
	uint64_t kernel_bytes; /* of it, what the CPU driver keeps */
	uint32_t blocks;       /* blocks of the region */
	uint32_t truncated;    /* 1: MEMPLAN_MAX_BLOCKS left memory to the kernel */
	struct memplan_share region;
};

/* Where memplan_next_block is in a region; zero to start. */
struct memplan_cursor {
	size_t k;
	uint64_t at;
};

/* Splits the usable ranges (page aligned, sorted, disjoint; at most
 * MEMPLAN_MAX_INPUT are used): shared_bytes (rounded up to pages) into
 * *shared, then shares[0 .. *fitted) for the first *fitted of ncores cores.
 * ERR_NOMEM if the shared block does not fit or not even core 0 gets
 * min_share bytes. */
enum err memplan_split(const struct memplan_range *usable, size_t n, unsigned ncores,
                       uint64_t shared_bytes, uint64_t min_share, struct memplan_range *shared,
                       struct memplan_share *shares, unsigned *fitted);

/* Bytes of the usable ranges above the low limit that no share and not the
 * shared block got (a share ran out of range slots). */
uint64_t memplan_unassigned(const struct memplan_range *usable, size_t n,
                            const struct memplan_range *shared, const struct memplan_share *shares,
                            unsigned fitted);

/* The smallest range holding every range of a share (a buddy span). */
struct memplan_range memplan_span(const struct memplan_share *s);

/* Cuts the untyped region from a pool's ranges (page aligned, sorted,
 * disjoint; at most MEMPLAN_MAX_RANGES are used), by the rule above. */
void memplan_untyped(const struct memplan_range *pool, size_t n, struct memplan_untyped *u);

/* log2 of the largest naturally aligned block at base (page aligned) that
 * ends by end (at least a page after base), at most MEMPLAN_BLOCK_MAX_BITS. */
unsigned memplan_block_bits(uint64_t base, uint64_t end);

/* The next block of a region, in address order: false after the last. */
bool memplan_next_block(const struct memplan_share *region, struct memplan_cursor *cur,
                        uint64_t *base, unsigned *bits);

#endif
