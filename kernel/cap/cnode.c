/* CNode slots and CSpace address resolution. */
#include "cnode.h"

#include "mdb.h"

struct cte *cnode_slot(const struct cap_env *env, const struct cap *cnode, uint64_t index)
{
	struct cte *slots = env->phys_to_virt(env->ctx, cnode->base);
	return slots + index;
}

enum err cnode_decode_slot(const struct cap_env *env, const struct cte *cnode, uint64_t index,
                           uint32_t rights, struct cte **slot)
{
	if (!cte_live(cnode) || cnode->cap.type != CAP_CNODE)
		return ERR_TYPE;
	if ((cnode->cap.rights & rights) != rights)
		return ERR_PERM;
	if (index >= cap_cnode_slots(&cnode->cap))
		return ERR_RANGE;
	*slot = cnode_slot(env, &cnode->cap, index);
	return ERR_OK;
}

enum err cspace_lookup(const struct cap_env *env, const struct cte *root, uint64_t cptr,
                       unsigned depth, struct cte **slot)
{
	if (depth == 0 || depth > 64 || (depth < 64 && (cptr >> depth)))
		return ERR_RANGE;
	const struct cte *cn = root;
	for (;;) {
		if (!cte_live(cn) || cn->cap.type != CAP_CNODE)
			return ERR_TYPE;
		unsigned bits = cn->cap.size_bits - CAP_SLOT_BITS;
		if (bits > depth)
			return ERR_RANGE;
		depth -= bits;
		uint64_t index = (cptr >> depth) & ((1ull << bits) - 1);
		struct cte *s = cnode_slot(env, &cn->cap, index);
		if (depth == 0) {
			*slot = s;
			return ERR_OK;
		}
		cn = s;
	}
}
