/* Inside kernel/capboot: this core's untyped region (memplan_untyped), block
 * by block, and what became of each block since the pool started.
 *
 * Every block is in one state:
 *   HELD  allocated in this core's pool, waiting for its untyped cap (the
 *         boot core makes it; on other cores it arrives as CAP_TRANSFER)
 *   CAP   under a root untyped cap in this core's space
 *   FREE  back in the pool as the kernel's memory (its cap was destroyed,
 *         or it could not be held); capboot_init holds it again
 *   GONE  given to the boot core (this core retired, capboot_retire): no
 *         longer mapped here, never used again by this core
 * So the memory an untyped cap covers is always allocated in the pool, and
 * destroying the cap returns it there, as for any root object.
 */
#ifndef KERNEL_CAPBOOT_REGION_H
#define KERNEL_CAPBOOT_REGION_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include "capboot.h"

enum region_state { REGION_FREE, REGION_HELD, REGION_CAP, REGION_GONE };

struct region_block {
	uint64_t base;
	uint8_t bits;  /* log2 of its size */
	uint8_t state; /* enum region_state */
};

/* This core's blocks, in address order; their number to *n. */
struct region_block *region_blocks(unsigned *n);

/* The blocks in state st (enum region_state); their bytes to *bytes. */
unsigned region_count(unsigned st, uint64_t *bytes);

/* Holds every FREE block again (after capboot_fini); errors logged. */
void region_rehold(void);

/* The index of block [base, base + 2^bits): OVERLAP if that range is not
 * wholly inside the region (it touches the kernel's memory), INVAL if it
 * is but is not one of the region's blocks (split another way). */
enum err region_find(uint64_t base, unsigned bits, unsigned *index);

/* A root untyped object lost its last cap: if it is a region block under
 * a cap, it goes back to the pool (FREE) and this returns true. */
bool region_release(const struct cap *c);

/* Shared by the files of kernel/capboot: the info capboot_info() shows. */
struct capboot_info *capboot_info_mut(void);

/* The boot core's record for core c, writable (NULL out of range). */
struct capboot_handout *handout_mut(unsigned c);

/* The boot core: makes every other core's untyped caps that are still its
 * own, from slot *next on; returns how many (transfer.c; capboot_init
 * calls it). */
unsigned handout_make(uint64_t *next, uint64_t end);

#endif
