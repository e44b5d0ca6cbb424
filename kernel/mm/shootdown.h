/* Cross-core TLB shootdown: the initiator sends TLB_SHOOTDOWN to each core
 * on which the changed address space is active and waits for as many
 * SHOOTDOWN_ACKs (tessera/msg.h); a receiver invalidates its own TLB and
 * acks.  A core waiting for acks keeps serving requests from others, so
 * two cores shooting at each other both finish.  Pure protocol state; the
 * caller supplies the transport (xcore.h) and the local invalidation.
 */
#ifndef KERNEL_MM_SHOOTDOWN_H
#define KERNEL_MM_SHOOTDOWN_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/msg.h>

#include "xcore.h"

struct shootdown {
	uint32_t next_request; /* number of the next request this core sends */
	uint32_t request;      /* the request being waited for */
	uint64_t waiting;      /* cores that have not acked it, bit per core */
};

/* Sends request(s) for [va, va + len) of space id to every core in targets
 * (not this one).  INVAL targets outside the machine or a request already
 * waiting; errors of x->send other than FULL (FULL is retried after
 * x->poll). */
enum err shootdown_start(struct shootdown *sd, const struct xcore *x, uint64_t targets, uint64_t id,
                         uint64_t va, uint64_t len);

/* Whether acks are still outstanding. */
bool shootdown_waiting(const struct shootdown *sd);

/* Sends, then polls until every target has acked. */
enum err shootdown_run(struct shootdown *sd, const struct xcore *x, uint64_t targets, uint64_t id,
                       uint64_t va, uint64_t len);

/* An ack arrived from core `from`; stale or duplicate acks are ignored
 * (CORRUPT for an ack naming another core than its sender). */
enum err shootdown_on_ack(struct shootdown *sd, unsigned from, const struct msg_shootdown_ack *a);

/* A request arrived: invalidate(id, va, len) on this core, then ack it. */
enum err shootdown_on_request(const struct xcore *x, const struct msg_tlb_shootdown *m,
                              void (*invalidate)(uint64_t id, uint64_t va, uint64_t len));

#endif
