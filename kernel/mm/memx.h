/* Memory between cores: a core short of memory sends MEM_REQUEST to a peer;
 * the peer answers with MEM_DONATE messages, each one naturally aligned
 * block that has left its pool (buddy_alloc, then buddy_donate_out), and
 * ends the answer with an empty MEM_DONATE (frames 0).  The requester puts
 * each block into a pool (buddy_donate_in).  A block the receiver cannot
 * take goes back to the sender marked as returned, and a returned block is
 * never bounced again, so no block travels forever and none is lost
 * silently.  A core may also give memory unasked (memx_give), e.g. to hand
 * back what it borrowed.
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
	/* A block from core `from` arrives: into a pool, or RANGE (nothing
	 * changed) when none can hold it. */
	enum err (*put_in)(void *ctx, unsigned from, uint64_t pa, unsigned order);
};

struct memx {
	const struct memx_pool *pool;
	bool waiting;      /* an answer to our request is still coming */
	uint64_t received; /* bytes taken in since the last request */
	uint64_t returned; /* bytes sent back since the last request */
	uint64_t lost;     /* returned blocks that could not be taken back */
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
 * naturally aligned power of two of frames. */
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
