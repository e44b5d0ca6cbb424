/* CNode slots and capability address resolution. */
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

enum err cap_lookup(const struct cap_env *env, const struct cte *root, uint64_t addr,
                    uint64_t depth, struct cte **slot, uint32_t *rights)
{
	if (depth == 0 || depth > 64)
		return ERR_INVAL;
	if (depth < 64 && (addr >> depth))
		return ERR_RANGE;
	const struct cte *cn = root;
	for (;;) {
		if (!cte_live(cn))
			return ERR_EMPTY;
		if (cn->cap.type != CAP_CNODE)
			return ERR_TYPE;
		unsigned bits = cn->cap.size_bits - CAP_SLOT_BITS;
		if (bits > depth)
			return ERR_RANGE;
		depth -= bits;
		struct cte *s = cnode_slot(env, &cn->cap, (addr >> depth) & ((1ull << bits) - 1));
		if (depth == 0) {
			*slot = s;
			*rights = cn->cap.rights;
			return ERR_OK;
		}
		if (!(cn->cap.rights & CAP_RIGHT_READ))
			return ERR_PERM;
		cn = s;
	}
}
