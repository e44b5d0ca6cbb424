/* A host stand-in for what the kernel gives the capability core: "physical"
 * memory is a heap arena at a fake physical base, owned by a buddy pool
 * from which root objects are taken and to which they return.  This
 * "core" maps the arena but for an optional hole (another core's memory);
 * reachable says so, and phys_to_virt aborts outside what it maps, so an
 * invoke that touched unreachable memory would crash the test. */
#ifndef TESTS_HOST_CAP_CAPENV_H
#define TESTS_HOST_CAP_CAPENV_H

#include <buddy/buddy.h>
#include <cap/cap.h>
#include <cap/cnode.h>

#define TENV_PHYS   0x40000000ull  /* where the arena pretends to be */
#define TENV_DEVICE 0xfe000000ull  /* MMIO: outside the arena, never touched */
#define TENV_FAR    0x100000000ull /* RAM of another core: never mapped here */

struct tenv {
	struct cap_env env;
	uint8_t *arena;
	uint64_t size;
	struct buddy pool;
	void *meta;
	uint64_t hole_base, hole_len; /* part of the arena not mapped (default none) */
	unsigned destroyed, destroyed_roots, reach_calls;
	struct cap last; /* the last destroyed object's cap */
};

/* An arena of size bytes (a multiple of 4 KiB), all in the pool. */
void tenv_init(struct tenv *t, uint64_t size);
void tenv_fini(struct tenv *t);
/* The same arena as new: all in the pool again, no hole, counters 0. */
void tenv_reset(struct tenv *t);

/* A root CNode of 2^slot_bits slots in slot, memory from the pool. */
enum err tenv_root_cnode(struct tenv *t, struct cte *slot, unsigned slot_bits);
/* A root untyped of 2^bits bytes (bits >= 12) in slot, from the pool. */
enum err tenv_root_untyped(struct tenv *t, struct cte *slot, unsigned bits);

/* Slot index of the CNode cap in cn (checked to be a CNode). */
struct cte *tenv_slot(struct tenv *t, const struct cte *cn, uint64_t index);

/* Retype shorthand. */
enum err tenv_retype(struct tenv *t, struct cte *ut, unsigned type, unsigned obj_bits,
                     uint64_t offset, uint64_t count, const struct cte *cn, uint64_t index);

#endif
