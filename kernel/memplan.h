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
 */
#ifndef KERNEL_MEMPLAN_H
#define KERNEL_MEMPLAN_H

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

#endif
