/* Memory between cores: a core short of memory sends MEM_REQUEST to a peer;
 * the peer answers with MEM_DONATE messages, each one naturally aligned
 * block that has left its pool (buddy_alloc, then buddy_donate_out), and
 * ends the answer with an empty MEM_DONATE (frames 0).  The requester puts
 * each block into a pool (buddy_donate_in).  A block the receiver cannot
 * take goes back to the sender marked as returned, and a returned block is
 * never bounced again, so no block travels forever and none is lost
 * silently.  One owner always: a block leaves the giver's pool (and HHDM)
 * before it is sent, and a block that arrives twice is taken at most once.  A core may also give
 * memory unasked (memx_give), e.g. to hand back what it borrowed.
 *
 * Pure: pools are reached through struct memx_pool and the transport is an
 * xcore (xcore.h), so tests/host/mm runs the protocol between simulated
 * cores; memx_buddy is the plain pool over one struct buddy.
 */
#ifndef KERNEL_MM_MEMX_H
#define KERNEL_MM_MEMX_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/msg.h>

#include "xcore.h"

struct buddy;

#define MEMX_RETURNED 1u /* msg_mem_donate.reserved: a block sent back */

/* Where blocks leave from and arrive in. */
struct memx_pool {
	void *ctx;
	unsigned min_order; /* the smallest block it gives (requests round up to it) */
	/* Takes a free block of at most 4 KiB << max_order (and at least
	 * min_order) out of the pool for sending; NOMEM when there is none it
	 * may give. */
	enum err (*take_out)(void *ctx, unsigned max_order, uint64_t *pa, unsigned *order);
	/* A block from core `from` arrives: into a pool; EXIST (nothing
	 * changed) when any of it is this core's already (a donation that came
	 * twice: taking or returning it would give it two owners); RANGE
	 * (nothing changed) when no pool can hold it. */
	enum err (*put_in)(void *ctx, unsigned from, uint64_t pa, unsigned order);
};

#define MEMX_PEERS 64

struct memx {
	const struct memx_pool *pool;
	uint64_t sent_serial[MEMX_PEERS];  /* the last block serial sent to each core */
	uint64_t taken_serial[MEMX_PEERS]; /* the last one taken from each core */
	bool waiting;                      /* an answer to our request is still coming */
	unsigned donor;                    /* the core asked (while waiting) */
	uint64_t received;                 /* bytes taken in since the last request */
	uint64_t returned;                 /* bytes sent back since the last request */
	uint64_t lost;                     /* returned blocks that could not be taken back */
	uint64_t duplicates;               /* donations of memory this core had already */
	uint64_t stray_ends;               /* ends of an answer nobody here waits for */
};

void memx_init(struct memx *m, const struct memx_pool *pool);

/* Asks core donor for bytes (rounded up to the donor's unit). */
enum err memx_request(struct memx *m, const struct xcore *x, unsigned donor, uint64_t bytes);

/* Gives core `to` up to bytes (rounded up to from's min_order) from pool
 * `from` (NULL: m->pool), largest blocks first; the bytes given go to
 * *given (may be NULL). */
enum err memx_give(struct memx *m, const struct xcore *x, unsigned to, uint64_t bytes,
                   const struct memx_pool *from, uint64_t *given);

/* A MEM_REQUEST from core `from`: memx_give, then the end of the answer. */
enum err memx_on_request(struct memx *m, const struct xcore *x, unsigned from,
                         const struct msg_mem_request *r);

/* A MEM_DONATE from core `from`.  CORRUPT for a block that is not a
 * naturally aligned power of two of frames.  A block whose serial is not
 * above the last one taken from `from` (it came twice, or overtaken), or
 * that this core has already, is dropped (counted in duplicates), never
 * returned: either could give it two owners; an end from a core other than
 * the one asked does not end the wait (stray_ends).  Without a pool every
 * block goes back (but a returned one, which is lost). */
enum err memx_on_donate(struct memx *m, const struct xcore *x, unsigned from,
                        const struct msg_mem_donate *d);

/* The plain pool: one buddy, keeping reserve bytes free when giving. */
struct memx_buddy {
	struct memx_pool pool;
	struct buddy *b;
	uint64_t reserve;
};

void memx_buddy_init(struct memx_buddy *mb, struct buddy *b, uint64_t reserve);

/* memx_buddy's two operations, for pools built on top of it. */
enum err memx_buddy_take_out(void *ctx, unsigned max_order, uint64_t *pa, unsigned *order);
enum err memx_buddy_put_in(void *ctx, unsigned from, uint64_t pa, unsigned order);

#endif
