/* Notification objects (tessera/caps.h, NOTIFY_SIGNAL and NOTIFY_WAIT): a
 * word of bits on the core the object was made on, which a dispatcher
 * there waits on; signalled from that core directly, from another through
 * a NOTIFY message to the owner (and its wake-up interrupt). */
#ifndef KERNEL_SCHED_NOTIFY_H
#define KERNEL_SCHED_NOTIFY_H

#include "cap/cap.h"
#include "sched.h"

struct notify {
	uint64_t bits;
	struct dcb *waiter;
	struct notify *next, *prev; /* this core's live notification objects */
	uint64_t signals;           /* signals taken (local and remote) */
	uint64_t timer_at;          /* NOTIFY_TIMER: the cycle count it fires at (0: none) */
	uint64_t timer_bits;        /* ... and what it signals */
	uint64_t reserved[1];
};
_Static_assert(sizeof(struct notify) <= 1u << CAP_NOTIFY_BITS, "a notification object holds it");

/* The core of the object a notification cap names. */
unsigned notify_core(const struct cap *c);

enum err notify_signal(struct cte *slot, const uint64_t *a);
enum err notify_wait(struct cte *slot, const uint64_t *a, struct cap_invocation_result *res);
enum err notify_timer(struct cte *slot, const uint64_t *a);

/* Fires the timers whose time has come (the top level, between slices);
 * how many fired. */
unsigned notify_timers_fire(void);

/* cap_env hooks: a notification object made here; one destroyed (its
 * waiter wakes with REVOKED). */
void notify_made(const struct cap *cap);
void notify_gone(uint64_t pa);

/* d stops or goes away while it waits. */
void notify_cancel(struct dcb *d);

/* Signals the notification object at pa of this core (the kernel's own
 * signals); false if there is none. */
bool notify_signal_here(uint64_t pa, uint64_t bits);

/* Registers the NOTIFY message handler (at start). */
void notify_register(void);

#endif
