/* Retype: untyped memory into typed objects.
 *
 * Overlap rule: an interval check, not a watermark.  The objects retyped
 * from an untyped are the original caps among the children of its caps (the
 * original and its copies); a new region is refused if it overlaps any of
 * them that is still alive.  Deleting an object's original cap (its last
 * cap) unlinks it, so its memory is available again at once, in any order
 * and without first emptying the whole untyped as a watermark would require.
 * The caller chooses the offset (like Barrelfish), so user-level memory
 * managers can place objects, e.g. keep 2 MiB frames aligned.  The check
 * costs one walk over the untyped's caps and their children.
 */
#include "cap.h"

#include <string/mem.h>

#include "cnode.h"
#include "mdb.h"

static bool is_ram_object(unsigned type)
{
	switch (type) {
	case CAP_FRAME:
	case CAP_PT:
	case CAP_PD:
	case CAP_PDPT:
	case CAP_PML4:
	case CAP_PML5:
	case CAP_CNODE:
	case CAP_DISPATCHER:
	case CAP_ENDPOINT:
	case CAP_NOTIFY: return true;
	default: return false;
	}
}

/* May an untyped with these flags become an object of this type? */
static bool retype_allowed(uint16_t ut_flags, unsigned type)
{
	bool device = ut_flags & CAP_FLAG_DEVICE;
	if (type == CAP_UNTYPED)
		return true;
	if (type == CAP_DEVICE_FRAME)
		return device;
	return !device && is_ram_object(type);
}

/* Calls fn on every live object retyped from the untyped object of ut, until
 * fn returns true; returns whether it did. */
static bool each_retyped(struct cte *ut, bool (*fn)(const struct cap *obj, void *arg), void *arg)
{
	struct cte *orig = mdb_original(ut);
	for (struct cte *n = orig; n;) {
		bool object = n != orig && cte_original(n);
		if (object && fn(&n->cap, arg))
			return true;
		n = mdb_preorder_next(n, orig, object);
	}
	return false;
}

struct range {
	uint64_t base, len;
};

static bool overlaps(const struct cap *obj, void *arg)
{
	const struct range *r = arg;
	uint64_t end = obj->base + (1ull << obj->size_bits);
	return obj->base < r->base + r->len && r->base < end;
}

static bool add_size(const struct cap *obj, void *arg)
{
	*(uint64_t *)arg += 1ull << obj->size_bits;
	return false;
}

uint64_t cap_untyped_used(const struct cte *ut)
{
	uint64_t used = 0;
	if (cte_live(ut) && ut->cap.type == CAP_UNTYPED)
		each_retyped((struct cte *)ut, add_size, &used);
	return used;
}

static enum err decode_dest(const struct cap_env *env, const struct cte *cn, uint64_t index,
                            uint64_t count, struct cte **first)
{
	if (!cte_live(cn) || cn->cap.type != CAP_CNODE)
		return ERR_TYPE;
	if (!(cn->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	uint64_t n = cap_cnode_slots(&cn->cap);
	if (index >= n || count > n - index)
		return ERR_RANGE;
	struct cte *s = cnode_slot(env, &cn->cap, index);
	for (uint64_t i = 0; i < count; i++)
		if (s[i].cap.type != CAP_NULL)
			return ERR_EXIST;
	*first = s;
	return ERR_OK;
}

enum err cap_decode_retype(const struct cap_env *env, struct cte *src, const struct cte *dest_cnode,
                           const struct cap_retype_args *args, struct cap_retype_plan *plan)
{
	if (!cte_live(src))
		return ERR_EMPTY;
	const struct cap *ut = &src->cap;
	if (ut->type != CAP_UNTYPED)
		return ERR_TYPE;
	if (!(ut->rights & CAP_RIGHT_RETYPE))
		return ERR_PERM;
	if (!retype_allowed(ut->flags, args->type))
		return ERR_TYPE;
	unsigned bits = cap_object_bits(args->type, args->obj_bits);
	if (!bits || args->count == 0)
		return ERR_INVAL;
	if (args->offset & ((1ull << bits) - 1))
		return ERR_ALIGN;
	uint64_t size = 1ull << ut->size_bits;
	if (bits > ut->size_bits || args->offset >= size ||
	    args->count > (size - args->offset) >> bits)
		return ERR_RANGE;
	struct range r = {ut->base + args->offset, args->count << bits};
	if (is_ram_object(args->type) && !env->reachable(env->ctx, r.base, r.len))
		return ERR_UNSUPPORTED;
	struct cte *dest;
	enum err e = decode_dest(env, dest_cnode, args->dest_index, args->count, &dest);
	if (e)
		return e;
	if (each_retyped(src, overlaps, &r))
		return ERR_OVERLAP;
	*plan = (struct cap_retype_plan){
	        .src = src,
	        .dest = dest,
	        .base = r.base,
	        .count = args->count,
	        .type = args->type,
	        .size_bits = (uint8_t)bits,
	        .flags = args->type == CAP_UNTYPED ? (ut->flags & CAP_FLAG_DEVICE) : 0,
	};
	return ERR_OK;
}

void cap_invoke_retype(const struct cap_env *env, const struct cap_retype_plan *plan)
{
	if (is_ram_object(plan->type))
		memset(env->phys_to_virt(env->ctx, plan->base), 0, plan->count << plan->size_bits);
	for (uint64_t i = 0; i < plan->count; i++) {
		struct cte *d = &plan->dest[i];
		d->cap = (struct cap){
		        .type = plan->type,
		        .size_bits = plan->size_bits,
		        .flags = (uint16_t)(plan->flags | CTE_ORIGINAL),
		        .rights = cap_type_rights(plan->type),
		        .base = plan->base + (i << plan->size_bits),
		};
		mdb_add_child(plan->src, d);
		if (env->made)
			env->made(env->ctx, &d->cap);
	}
}

enum err cap_retype(const struct cap_env *env, struct cte *src, const struct cte *dest_cnode,
                    const struct cap_retype_args *args)
{
	struct cap_retype_plan plan;
	enum err e = cap_decode_retype(env, src, dest_cnode, args, &plan);
	if (!e)
		cap_invoke_retype(env, &plan);
	return e;
}
