/* Asynchronous invocations: RING_SETUP and RING_ENTER (tessera/ring.h). */
#ifndef KERNEL_SCHED_RING_H
#define KERNEL_SCHED_RING_H

#include "cap/cap.h"
#include "sched.h"

enum err ring_setup(struct cte *root, struct cte *slot, const uint64_t *a);
enum err ring_enter(struct cte *root, struct cte *slot, const uint64_t *a,
                    struct cap_invocation_result *res);

#endif
