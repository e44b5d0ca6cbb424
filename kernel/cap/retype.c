/* Retype: untyped memory into typed objects.
 *
 * Overlap rule: an interval check.  The objects retyped from an untyped
 * are the original caps among the children of its caps (the original and
 * its copies); a new region is refused if it overlaps any of them that is
 * still alive.  Deleting an object's original cap (its last cap) unlinks
 * it, so its memory is available again at once, in any order and without
 * first emptying the whole untyped as a watermark alone would require.
 * The caller chooses the offset (like Barrelfish), so user-level memory
 * managers can place objects, e.g. keep 2 MiB frames aligned.
 *
 * Cost: the untyped's original keeps a high-water mark (top, mdb.h): a
 * region at or above it cannot overlap anything, so a retype there (a
 * bump or buddy allocator's usual case) looks at no other object.  Only a
 * region below top walks the untyped's caps and their children, and that
 * walk also finds the least top again.  Deletions lower top when they free
 * the object just below it, and an untyped with nothing left in use has
 * top 0 (revoking its original empties it).
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

struct cte *mdb_untyped_home(struct cte *ut)
{
	struct cte *orig = mdb_original(ut);
	return orig ? orig : ut;
}

void mdb_untyped_release(struct cte *parent, const struct cap *obj)
{
	struct cte *home = mdb_untyped_home(parent);
	uint64_t size = 1ull << obj->size_bits, off = obj->base - home->cap.base;

	home->cap.used -= size;
	if (!home->cap.used)
		home->cap.top = 0;
	else if (off + size == home->cap.top)
		home->cap.top = off; /* nothing else lies in [off, top): no overlaps */
}

/* Calls fn on every live object retyped from the untyped whose original is
 * home, until fn returns true; returns whether it did. */
static bool each_retyped(struct cte *home, bool (*fn)(const struct cap *obj, void *arg), void *arg)
{
	for (struct cte *n = home; n;) {
		bool object = n != home && cte_original(n);
		if (object && fn(&n->cap, arg))
			return true;
		n = mdb_preorder_next(n, home, object);
	}
	return false;
}

/* A region to check and the end of the highest object seen, as offsets
 * from the untyped's base (so that nothing wraps at the top of memory). */
struct scan {
	uint64_t ut_base;
	uint64_t off, len;
	uint64_t end;
};

static bool overlaps(const struct cap *obj, void *arg)
{
	struct scan *r = arg;
	uint64_t off = obj->base - r->ut_base, end = off + (1ull << obj->size_bits);
	if (end > r->end)
		r->end = end;
	return off < r->off + r->len && r->off < end;
}

uint64_t cap_untyped_used(const struct cte *ut)
{
	if (!cte_live(ut) || ut->cap.type != CAP_UNTYPED)
		return 0;
	return mdb_untyped_home((struct cte *)ut)->cap.used;
}

uint64_t cap_untyped_top(const struct cte *ut)
{
	if (!cte_live(ut) || ut->cap.type != CAP_UNTYPED)
		return 0;
	return mdb_untyped_home((struct cte *)ut)->cap.top;
}

/* Whether [off, off + len) of src's untyped overlaps a live object retyped
 * from it; if not, *top is the untyped's top with it retyped. */
static bool overlap(struct cte *src, uint64_t off, uint64_t len, uint64_t *top)
{
	struct cte *home = mdb_untyped_home(src);
	struct scan r = {home->cap.base, off, len, 0};

	*top = home->cap.top;
	if (off >= *top) {
		*top = off + len;
		return false;
	}
	if (each_retyped(home, overlaps, &r))
		return true;
	*top = r.end > off + len ? r.end : off + len; /* all seen: the least top */
	return false;
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
	uint64_t base = ut->base + args->offset, len = args->count << bits, top;
	if (is_ram_object(args->type) && !env->reachable(env->ctx, base, len))
		return ERR_UNSUPPORTED;
	struct cte *dest;
	enum err e = decode_dest(env, dest_cnode, args->dest_index, args->count, &dest);
	if (e)
		return e;
	if (overlap(src, args->offset, len, &top))
		return ERR_OVERLAP;
	*plan = (struct cap_retype_plan){
	        .src = src,
	        .dest = dest,
	        .base = base,
	        .count = args->count,
	        .type = args->type,
	        .size_bits = (uint8_t)bits,
	        .flags = args->type == CAP_UNTYPED ? (ut->flags & CAP_FLAG_DEVICE) : 0,
	        .home = mdb_untyped_home(src),
	        .top = top,
	};
	return ERR_OK;
}

void cap_invoke_retype(const struct cap_env *env, const struct cap_retype_plan *plan)
{
	if (is_ram_object(plan->type))
		memset(env->phys_to_virt(env->ctx, plan->base), 0, plan->count << plan->size_bits);
	plan->home->cap.used += plan->count << plan->size_bits;
	plan->home->cap.top = plan->top;
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
