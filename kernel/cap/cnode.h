/* CNodes: arrays of 2^n slots in retyped memory, and CSpace addressing. */
#ifndef KERNEL_CAP_CNODE_H
#define KERNEL_CAP_CNODE_H

#include "cap.h"

/* Slot index of the CNode whose cap is cnode (no checks). */
struct cte *cnode_slot(const struct cap_env *env, const struct cap *cnode, uint64_t index);

/* Slot index of the CNode cap in cnode_slot, which must grant rights:
 * ERR_TYPE not a CNode, PERM, RANGE index past the end. */
enum err cnode_decode_slot(const struct cap_env *env, const struct cte *cnode, uint64_t index,
                           uint32_t rights, struct cte **slot);

/* Resolves the depth-bit address cptr through a CSpace: the root CNode
 * takes the address's top slot-bits bits as an index, and while bits
 * remain, the slot found must hold a CNode that takes the next bits.
 * ERR_RANGE depth 0 or over 64, cptr wider than depth, or bits left over
 * that no CNode consumes exactly; ERR_TYPE a non-CNode in the way. */
enum err cspace_lookup(const struct cap_env *env, const struct cte *root, uint64_t cptr,
                       unsigned depth, struct cte **slot);

#endif
