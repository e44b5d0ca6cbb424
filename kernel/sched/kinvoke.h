/* The methods of the kernel's objects, as the kernel's cap_env->invoke
 * (kernel/cap/cap.h): page tables (kernel/mm/vspace.h), dispatchers
 * (sched.h) and the log. */
#ifndef KERNEL_SCHED_KINVOKE_H
#define KERNEL_SCHED_KINVOKE_H

#include "cap/cap.h"

enum err kinvoke(void *ctx, struct cte *root, struct cte *slot,
                 const struct cap_invocation_args *args, struct cap_invocation_result *res);

#endif
