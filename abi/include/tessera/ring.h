/* Asynchronous invocations (io_uring's shape): a program queues many
 * invocations in a submission ring, enters the kernel once (RING_ENTER on
 * its dispatcher), and reads the results from a completion ring later.
 * Each one goes through the same decode and invoke as a system call; one
 * that would wait (an endpoint with nobody on the other side) answers
 * EMPTY instead.
 *
 * The rings live in one frame of the program's (RING_SETUP names it and
 * the ring sizes), laid out as: the header, then 2^sq_bits submission
 * entries, then 2^cq_bits completion entries.  Indices run freely modulo
 * 2^32; an entry is index & (size - 1).  The program writes sq_tail (after
 * its entries) and cq_head (after reading); the kernel writes sq_head and
 * cq_tail, and trusts neither of the program's indices beyond the ring's
 * size: it keeps its own.
 */
#ifndef TESSERA_RING_H
#define TESSERA_RING_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/caps.h>

struct ring_header {
	uint32_t sq_head;          /* kernel: the next submission it takes */
	uint32_t sq_tail;          /* program: one past the last submission */
	uint32_t cq_head;          /* program: the next completion it reads */
	uint32_t cq_tail;          /* kernel: one past the last completion */
	uint32_t sq_bits, cq_bits; /* kernel: the sizes given at setup */
	uint64_t taken, done;      /* kernel: submissions taken, completions posted */
	uint8_t pad[24];
};
_Static_assert(sizeof(struct ring_header) == 64, "ABI: ring header");

struct ring_sqe {
	struct cap_invocation_args inv;
	uint64_t tag; /* comes back in the completion */
};
_Static_assert(sizeof(struct ring_sqe) == 96, "ABI: submission entry");

struct ring_cqe {
	uint64_t tag;
	struct cap_invocation_result res;
};
_Static_assert(sizeof(struct ring_cqe) == 72, "ABI: completion entry");

#define RING_MAX_BITS 12 /* at most 4096 entries in a ring */

/* Bytes a frame must have for rings of 2^sq_bits and 2^cq_bits entries. */
static inline uint64_t ring_bytes(unsigned sq_bits, unsigned cq_bits)
{
	return sizeof(struct ring_header) + ((uint64_t)sizeof(struct ring_sqe) << sq_bits) +
	       ((uint64_t)sizeof(struct ring_cqe) << cq_bits);
}

static inline struct ring_sqe *ring_sq(struct ring_header *h)
{
	return (struct ring_sqe *)(h + 1);
}

static inline struct ring_cqe *ring_cq(struct ring_header *h)
{
	return (struct ring_cqe *)((char *)(h + 1) +
	                           ((size_t)sizeof(struct ring_sqe) << h->sq_bits));
}

#endif
