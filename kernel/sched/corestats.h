/* MON_STATS (tessera/caps.h): what a core's CPU driver counts for a system
 * monitor: its cycles halted (chan.h, chan_sleep) and the messages it sent
 * to and took from each other core over their kernel channel. */
#ifndef KERNEL_SCHED_CORESTATS_H
#define KERNEL_SCHED_CORESTATS_H

#include <tessera/caps.h>

#include "cap/cap.h"

/* MON_STATS on the monitor cap in slot: the counters, about core a[0]'s
 * channel; PERM no READ, RANGE a[0] not below core_count(). */
enum err corestats_invoke(const struct cte *slot, const uint64_t *a,
                          struct cap_invocation_result *res);

#endif
