/* This core's side of the memory protocol (memx.h): the pools blocks leave
 * from and arrive in, and the HHDM edits that go with them.
 *
 * A core's HHDM maps only memory the core owns (the SMP layer's isolation
 * invariant), so a block given away is unmapped from the giver's HHDM and
 * mapped into the taker's.  Blocks move in units of 2 MiB, naturally
 * aligned, so those edits are whole large pages and never split one.
 *
 * A block joins the frame pool if the pool's span holds it (memory coming
 * home); otherwise it is borrowed: it gets a small buddy pool of its own
 * (metadata from this core's frames), from which borrow_alloc hands it out,
 * until borrow_give_back returns it to its donor.  The pools of lib/buddy
 * cover one span each, and each core's span covers only its own share, so
 * this is where foreign memory lives.
 */
#ifndef KERNEL_MM_BORROW_H
#define KERNEL_MM_BORROW_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include "memx.h"

#define BORROW_MIN_ORDER 9  /* 2 MiB */
#define BORROW_BLOCKS    16 /* borrowed blocks held at once */

/* Sets up this core's pools (after vm_init): the frame pool, keeping
 * reserve bytes when giving, and the HHDM tables other cores' memory will
 * be mapped with, made now so later mappings never allocate. */
void borrow_init(uint64_t reserve);

/* The pool memx gives from and takes into. */
const struct memx_pool *borrow_pool(void);

/* A pool that gives only the free borrowed blocks of donor (whole). */
const struct memx_pool *borrow_lender(unsigned donor);

/* Borrowed memory: a block from the borrowed pools, and its return. */
enum err borrow_alloc(unsigned order, uint64_t *pa);
enum err borrow_free(uint64_t pa, unsigned order);

/* Bytes borrowed (held, free or not) from donor, or from all (donor ~0u),
 * and bytes of them free. */
uint64_t borrow_held(unsigned donor);
uint64_t borrow_free_bytes(void);

#endif
