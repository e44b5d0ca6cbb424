/* Memory between cores: a core short of memory sends MEM_REQUEST to a peer;
 * the peer answers with MEM_DONATE messages, each one naturally aligned
 * block it took out of its own buddy pool (buddy_alloc, then
 * buddy_donate_out), and ends the answer with an empty MEM_DONATE (frames
 * 0).  The requester puts each block into its pool with buddy_donate_in.  A
 * block the receiver cannot take (outside its pool's span) goes back to the
 * sender marked as returned, and a returned block is never bounced again,
 * so no block travels forever and none is lost silently.  A core may also
 * give memory unasked (memx_give), e.g. to hand back what it borrowed.
 *
 * Pure: the pool is a struct buddy, the transport an xcore (xcore.h), so
 * tests/host/mm runs the protocol between simulated cores.
 */
#ifndef KERNEL_MM_MEMX_H
#define KERNEL_MM_MEMX_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/msg.h>

#include "xcore.h"

struct buddy;

#define MEMX_RETURNED 1u /* msg_mem_donate.reserved: a block sent back */

struct memx {
	struct buddy *pool;
	uint64_t reserve;  /* bytes a donor keeps free for itself */
	bool waiting;      /* an answer to our request is still coming */
	uint64_t received; /* bytes taken in since the last request */
	uint64_t returned; /* bytes sent back since the last request */
	uint64_t lost;     /* returned blocks that could not be taken back */
};

void memx_init(struct memx *m, struct buddy *pool, uint64_t reserve);

/* Asks core donor for bytes (rounded up to 4 KiB frames). */
enum err memx_request(struct memx *m, const struct xcore *x, unsigned donor, uint64_t bytes);

/* Gives core `to` up to bytes of free memory, as large blocks as the pool
 * has, keeping m->reserve; the bytes given go to *given (may be NULL). */
enum err memx_give(struct memx *m, const struct xcore *x, unsigned to, uint64_t bytes,
                   uint64_t *given);

/* A MEM_REQUEST from core `from`: memx_give, then the end of the answer. */
enum err memx_on_request(struct memx *m, const struct xcore *x, unsigned from,
                         const struct msg_mem_request *r);

/* A MEM_DONATE from core `from`.  CORRUPT for a block that is not a
 * naturally aligned power of two of frames. */
enum err memx_on_donate(struct memx *m, const struct xcore *x, unsigned from,
                        const struct msg_mem_donate *d);

#endif
