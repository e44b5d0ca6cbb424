/* CNodes: arrays of 2^n slots in retyped memory, and capability addresses. */
#ifndef KERNEL_CAP_CNODE_H
#define KERNEL_CAP_CNODE_H

#include "cap.h"

/* Slot index of the CNode whose cap is cnode (no checks). */
struct cte *cnode_slot(const struct cap_env *env, const struct cap *cnode, uint64_t index);

/* Slot index of the CNode cap in cnode_slot, which must grant rights:
 * ERR_TYPE not a CNode, PERM, RANGE index past the end. */
enum err cnode_decode_slot(const struct cap_env *env, const struct cte *cnode, uint64_t index,
                           uint32_t rights, struct cte **slot);

/* Resolves the capability address (addr, depth) from the CNode cap in root
 * (tessera/caps.h: "Capability addresses"): the slot named, and the rights
 * of the CNode cap that holds it.  The slot may be empty.  Errors in the
 * order checked: INVAL depth 0 or over 64; RANGE addr wider than depth;
 * per CNode on the way: EMPTY, TYPE not a CNode, RANGE fewer bits left than
 * its slot bits, PERM no READ to walk on through it. */
enum err cap_lookup(const struct cap_env *env, const struct cte *root, uint64_t addr,
                    uint64_t depth, struct cte **slot, uint32_t *rights);

#endif
