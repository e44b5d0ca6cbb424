/* The CPU drivers' part in linking the monitors (tessera/caps.h,
 * MON_INTRODUCE and MON_ACCEPT): carrying one core's frame and
 * notification, by value, to another core's monitor; and then any frame
 * or notification a monitor sends another (MON_SEND, MON_RECV). */
#ifndef KERNEL_SCHED_MONLINK_H
#define KERNEL_SCHED_MONLINK_H

#include "cap/cap.h"

enum err monlink_introduce(struct cte *root, struct cte *slot, const uint64_t *a);
/* MON_SEND and MON_RECV: caps moved between monitors by value. */
enum err monlink_send(struct cte *root, struct cte *slot, const uint64_t *a);
enum err monlink_recv(struct cte *root, struct cte *slot, const uint64_t *a,
                      struct cap_invocation_result *res);
enum err monlink_accept(struct cte *root, struct cte *slot, const uint64_t *a,
                        struct cap_invocation_result *res);

/* The notification to signal when another core introduces itself (the
 * monitor's, set when the monitor is made): its physical address. */
void monlink_set_notify(uint64_t pa);

/* A cap left its slot (capboot's env): the last cap this core made by
 * value for another core's frame tells that core, at the top level. */
void monlink_removed(const struct cap *cap);
/* Sends what monlink_removed queued (the scheduler's top level). */
void monlink_flush(void);

/* Registers the MON_HELLO, MON_CAP and MON_RELEASE handlers (at start). */
void monlink_register(void);

#endif
