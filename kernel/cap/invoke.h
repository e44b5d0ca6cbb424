/* The invocation layer: what user space calls (later through syscall, see
 * tessera/caps.h).  One entry point takes the invoked cap's address, a
 * method and the argument registers, resolves every capability address
 * against the caller's root CNode, checks the rights of the CNodes holding
 * each slot, and hands the operation to its decode/invoke pair.  Pure C
 * like the rest of kernel/cap, tested on the host.
 */
#ifndef KERNEL_CAP_INVOKE_H
#define KERNEL_CAP_INVOKE_H

#include "cap.h"

/* Performs inv with root (a slot holding the caller's root CNode cap) as
 * the root of every address.  res: err, then the method's results (zeros
 * past them, and all zeros on failure).  Returns res->err; nothing changed
 * unless it is ERR_OK.  Errors: tessera/caps.h, in the order listed. */
enum err cap_invoke(const struct cap_env *env, struct cte *root,
                    const struct cap_invocation_args *inv, struct cap_invocation_result *res);

#endif
