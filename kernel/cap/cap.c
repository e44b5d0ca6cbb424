/* Copy, mint and root caps; small queries. */
#include "cap.h"

#include <string/mem.h>

#include "mdb.h"

bool cap_slot_live(const struct cte *slot)
{
	return cte_live(slot);
}

bool cap_is_original(const struct cte *slot)
{
	return cte_live(slot) && cte_original(slot);
}

static enum err decode_derive(struct cte *src, struct cte *dest, struct cap_derive_plan *plan)
{
	if (!cte_live(src))
		return ERR_EMPTY;
	if (!(src->cap.rights & CAP_RIGHT_GRANT))
		return ERR_PERM;
	if (dest->cap.type != CAP_NULL)
		return ERR_EXIST;
	plan->src = src;
	plan->dest = dest;
	plan->cap = src->cap;
	plan->cap.flags &= (uint16_t)~CAP_FLAG_KERNEL;
	plan->cap.kdata = 0;
	if (plan->cap.type == CAP_UNTYPED)
		plan->cap.top = 0; /* the original's (mdb.h) */
	return ERR_OK;
}

enum err cap_decode_copy(struct cte *src, struct cte *dest, struct cap_derive_plan *plan)
{
	return decode_derive(src, dest, plan);
}

/* The badge and port range a mint asks for, against the source's. */
static enum err decode_mint_object(const struct cap *src, const struct cap_mint_args *args,
                                   struct cap *out)
{
	if (src->type == CAP_ENDPOINT) {
		if (src->badge && args->badge && args->badge != src->badge)
			return ERR_PERM;
		if (args->badge)
			out->badge = args->badge;
	} else if (args->badge) {
		return ERR_INVAL;
	}
	if (src->type != CAP_IOPORT) {
		if (args->port_first || args->port_count)
			return ERR_INVAL;
		return ERR_OK;
	}
	if (!args->port_count)
		return args->port_first ? ERR_INVAL : ERR_OK;
	if (args->port_first < src->base || args->port_first - src->base >= src->count ||
	    args->port_count > src->count - (args->port_first - src->base))
		return ERR_RANGE;
	out->base = args->port_first;
	out->count = args->port_count;
	return ERR_OK;
}

enum err cap_decode_mint(struct cte *src, struct cte *dest, const struct cap_mint_args *args,
                         struct cap_derive_plan *plan)
{
	enum err e = decode_derive(src, dest, plan);
	if (e)
		return e;
	if (args->rights & ~src->cap.rights)
		return ERR_PERM;
	plan->cap.rights = args->rights;
	return decode_mint_object(&src->cap, args, &plan->cap);
}

void cap_invoke_derive(const struct cap_derive_plan *plan)
{
	plan->dest->cap = plan->cap;
	mdb_add_child(plan->src, plan->dest);
}

/* Is size_bits a size an object of this type can have? */
static bool root_size_valid(const struct cap *c)
{
	if (c->type == CAP_IOPORT || c->type == CAP_IRQ || c->type == CAP_LOG ||
	    c->type == CAP_MONITOR)
		return c->size_bits == 0;
	unsigned arg = c->size_bits;
	if (c->type == CAP_CNODE)
		arg = arg > CAP_SLOT_BITS ? arg - CAP_SLOT_BITS : 0;
	return cap_object_bits(c->type, arg) == c->size_bits && c->size_bits < 64;
}

enum err cap_decode_root(const struct cte *dest, const struct cap *cap)
{
	if (dest->cap.type != CAP_NULL)
		return ERR_EXIST;
	if (cap->type == CAP_NULL || cap->type >= CAP_TYPE_COUNT)
		return ERR_TYPE;
	if (cap->rights & ~cap_type_rights(cap->type))
		return ERR_PERM;
	if ((cap->flags & ~(CAP_FLAG_DEVICE | CAP_FLAG_ECAM | CAP_FLAG_IOMMU)) ||
	    (cap->flags && cap->type != CAP_UNTYPED) ||
	    ((cap->flags & (CAP_FLAG_ECAM | CAP_FLAG_IOMMU)) && !(cap->flags & CAP_FLAG_DEVICE)) ||
	    !root_size_valid(cap) ||
	    (cap->badge && cap->type != CAP_ENDPOINT && cap->type != CAP_IOPORT))
		return ERR_INVAL;
	switch (cap->type) {
	case CAP_IOPORT:
		if (!cap->count || cap->base >= CAP_IOPORT_COUNT ||
		    cap->count > CAP_IOPORT_COUNT - cap->base)
			return ERR_RANGE;
		return ERR_OK;
	case CAP_IRQ: return cap->base < CAP_IRQ_COUNT ? ERR_OK : ERR_RANGE;
	case CAP_LOG:
	case CAP_MONITOR: return cap->base == 0 ? ERR_OK : ERR_RANGE;
	default: break;
	}
	uint64_t size = 1ull << cap->size_bits;
	if (cap->base & (size - 1))
		return ERR_ALIGN;
	if (cap->base + size - 1 < cap->base)
		return ERR_RANGE;
	return ERR_OK;
}

/* Whether a root object of cap's type is RAM that is zeroed when made. */
static bool root_zeroed(const struct cap *cap)
{
	return cap->type != CAP_UNTYPED && cap->type != CAP_DEVICE_FRAME &&
	       cap->type != CAP_IOPORT && cap->type != CAP_IRQ && cap->type != CAP_LOG &&
	       cap->type != CAP_MONITOR;
}

void cap_invoke_root(const struct cap_env *env, struct cte *dest, const struct cap *cap)
{
	if (root_zeroed(cap))
		memset(env->phys_to_virt(env->ctx, cap->base), 0, 1ull << cap->size_bits);
	dest->cap = *cap;
	dest->cap.flags |= CTE_ORIGINAL;
	dest->cap.kdata = 0;
	dest->parent = NULL;
	dest->first_child = NULL;
	dest->next = NULL;
	dest->prev = NULL;
}

enum err cap_copy(struct cte *src, struct cte *dest)
{
	struct cap_derive_plan plan;
	enum err e = cap_decode_copy(src, dest, &plan);
	if (!e)
		cap_invoke_derive(&plan);
	return e;
}

enum err cap_mint(struct cte *src, struct cte *dest, const struct cap_mint_args *args)
{
	struct cap_derive_plan plan;
	enum err e = cap_decode_mint(src, dest, args, &plan);
	if (!e)
		cap_invoke_derive(&plan);
	return e;
}

enum err cap_create_root(const struct cap_env *env, struct cte *dest, const struct cap *cap)
{
	enum err e = cap_decode_root(dest, cap);
	if (!e && root_zeroed(cap) && !env->reachable(env->ctx, cap->base, 1ull << cap->size_bits))
		e = ERR_UNSUPPORTED;
	if (!e)
		cap_invoke_root(env, dest, cap);
	return e;
}
