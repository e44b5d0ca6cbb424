/* Endpoints: synchronous messages between dispatchers of one core
 * (tessera/caps.h, EP_SEND and EP_RECV).  An endpoint object holds who
 * waits on it: one receiver, or senders in order. */
#ifndef KERNEL_SCHED_ENDPOINT_H
#define KERNEL_SCHED_ENDPOINT_H

#include "cap/cap.h"
#include "sched.h"

struct endpoint {
	struct dcb *receiver;              /* waiting to receive */
	struct dcb *send_head, *send_tail; /* waiting to send, oldest first */
	uint64_t sent, received;           /* messages through it */
	uint64_t reserved[3];
};
_Static_assert(sizeof(struct endpoint) <= 1u << CAP_ENDPOINT_BITS, "an endpoint object holds it");

/* The methods, for kinvoke: slot holds the invoked endpoint cap, root is
 * the caller's root CNode; a = the arguments. */
enum err endpoint_send(struct cte *root, struct cte *slot, const uint64_t *a);
enum err endpoint_recv(struct cte *root, struct cte *slot, const uint64_t *a,
                       struct cap_invocation_result *res);

/* d stops or goes away while blocked: it leaves its endpoint. */
void endpoint_cancel(struct dcb *d);

/* An endpoint object was destroyed: whoever waited on it is woken with
 * REVOKED. */
void endpoint_gone(uint64_t pa);

#endif
