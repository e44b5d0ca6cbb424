/* The invocation layer; see invoke.h.  Dispatch comes from the method table
 * in tessera/caps.h: a method is defined there once, with its number, the
 * type of cap it applies to and its argument names, and each row needs an
 * inv_<name> handler here (a missing one does not compile). */
#include "invoke.h"

#include <string/mem.h>

#include "cnode.h"
#include "mdb.h"

/* One invocation under way: the invoked slot is live and of the method's
 * type, its CNode granted READ, unused arguments are zero. */
struct inv {
	const struct cap_env *env;
	struct cte *root;
	struct cte *slot; /* the invoked cap */
	const struct cap_invocation_args *args;
};

/* An argument that must fit a field of `max`: wider values become max,
 * which every field's decode refuses as it would any invalid value. */
static uint64_t clamp(uint64_t v, uint64_t max)
{
	return v > max ? max : v;
}

/* The slot at (addr, depth) from the CNode cap in from, whose CNode must
 * grant rights: lookup errors, then PERM. */
static enum err find(const struct inv *in, const struct cte *from, uint64_t addr, uint64_t depth,
                     uint32_t rights, struct cte **slot)
{
	uint32_t have;
	enum err e = cap_lookup(in->env, from, addr, depth, slot, &have);
	if (e)
		return e;
	return (have & rights) == rights ? ERR_OK : ERR_PERM;
}

static enum err inv_identify(const struct inv *in, struct cap_invocation_result *res)
{
	const struct cap *c = &in->slot->cap;
	struct cap_results_identify r = {
	        .type = c->type,
	        .rights = c->rights,
	        .size_bits = c->size_bits,
	        .flags = c->flags & (uint16_t)~CAP_FLAG_KERNEL,
	        .base = c->base,
	        .badge = c->type == CAP_ENDPOINT ? c->badge : 0,
	        .count = c->type == CAP_IOPORT || c->type == CAP_NOTIFY ? c->count : 0,
	};
	memcpy(res, &r, sizeof r);
	return ERR_OK;
}

static enum err inv_retype(const struct inv *in, struct cap_invocation_result *res)
{
	struct cap_args_retype a;
	struct cte *dest;
	struct cap_retype_plan plan;

	memcpy(&a, in->args, sizeof a);
	enum err e = find(in, in->root, a.dest_cnode, a.dest_depth, CAP_RIGHT_READ, &dest);
	if (e)
		return e;
	struct cap_retype_args r = {.offset = a.offset,
	                            .count = a.count,
	                            .dest_index = a.dest_index,
	                            .type = (uint8_t)clamp(a.type, UINT8_MAX),
	                            .obj_bits = (uint8_t)clamp(a.obj_bits, UINT8_MAX)};
	e = cap_decode_retype(in->env, in->slot, dest, &r, &plan);
	if (!e)
		cap_invoke_retype(in->env, &plan);
	return e;
}

/* COPY and MINT share their slot arguments: dest needs WRITE on its CNode,
 * src READ. */
static enum err derive_slots(const struct inv *in, const struct cap_args_copy *a, struct cte **dest,
                             struct cte **src)
{
	enum err e = find(in, in->slot, a->dest, a->dest_depth, CAP_RIGHT_WRITE, dest);
	if (!e)
		e = find(in, in->slot, a->src, a->src_depth, CAP_RIGHT_READ, src);
	return e;
}

static enum err inv_copy(const struct inv *in, struct cap_invocation_result *res)
{
	struct cap_args_copy a;
	struct cte *dest, *src;
	struct cap_derive_plan plan;

	memcpy(&a, in->args, sizeof a);
	enum err e = derive_slots(in, &a, &dest, &src);
	if (!e)
		e = cap_decode_copy(src, dest, &plan);
	if (!e)
		cap_invoke_derive(&plan);
	return e;
}

static enum err inv_mint(const struct inv *in, struct cap_invocation_result *res)
{
	struct cap_args_mint a;
	struct cap_args_copy slots;
	struct cte *dest, *src;
	struct cap_derive_plan plan;

	memcpy(&a, in->args, sizeof a);
	memcpy(&slots, in->args, sizeof slots); /* MINT's arguments start as COPY's */
	_Static_assert(offsetof(struct cap_args_mint, src_depth) ==
	                       offsetof(struct cap_args_copy, src_depth),
	               "MINT's slot arguments are COPY's");
	enum err e = derive_slots(in, &slots, &dest, &src);
	if (e)
		return e;
	struct cap_mint_args m = {.rights = (uint32_t)clamp(a.rights, UINT32_MAX),
	                          .badge = a.badge,
	                          .port_first = a.port_first,
	                          .port_count = a.port_count};
	e = cap_decode_mint(src, dest, &m, &plan);
	if (!e)
		cap_invoke_derive(&plan);
	return e;
}

static enum err inv_revoke(const struct inv *in, struct cap_invocation_result *res)
{
	struct cap_args_revoke a;
	struct cte *s;

	memcpy(&a, in->args, sizeof a);
	enum err e = find(in, in->slot, a.slot, a.slot_depth, CAP_RIGHT_WRITE, &s);
	if (!e)
		e = cap_decode_revoke(s);
	if (!e)
		cap_invoke_revoke(in->env, s);
	return e;
}

static enum err inv_delete(const struct inv *in, struct cap_invocation_result *res)
{
	struct cap_args_delete a;
	struct cte *s;

	memcpy(&a, in->args, sizeof a);
	enum err e = find(in, in->slot, a.slot, a.slot_depth, CAP_RIGHT_WRITE, &s);
	if (!e)
		e = cap_decode_delete(s);
	if (!e)
		cap_invoke_delete(in->env, s);
	return e;
}

struct method {
	uint8_t type;  /* of the invoked cap; CAP_NULL: any */
	uint8_t nargs; /* arguments used; the rest must be 0 */
	enum err (*fn)(const struct inv *in, struct cap_invocation_result *res);
};

/* A method of the kernel's objects (K in the table): the kernel's hook. */
static enum err inv_kernel(const struct inv *in, struct cap_invocation_result *res)
{
	if (!in->env->invoke)
		return ERR_UNSUPPORTED;
	return in->env->invoke(in->env->ctx, in->root, in->slot, in->args, res);
}

#define WHERE_C(name) inv_##name
#define WHERE_K(name) inv_kernel
#define METHOD_ROW(NAME, name, num, type, where, ARGS, RES) \
	[num] = {type, CAP_INV_NARGS(name), WHERE_##where(name)},
static const struct method methods[] = {CAP_METHOD_TABLE(METHOD_ROW)};
#undef METHOD_ROW

/* The checks before the method's own: method, invoked cap, its CNode's
 * READ, its type, spare arguments. */
static enum err decode_call(struct inv *in, const struct method **m)
{
	const struct cap_invocation_args *a = in->args;
	uint32_t rights;
	struct cte *slot;

	if (a->method >= sizeof methods / sizeof methods[0] || !methods[a->method].fn)
		return ERR_INVAL;
	*m = &methods[a->method];
	enum err e = cap_lookup(in->env, in->root, a->cap, a->depth, &slot, &rights);
	if (e)
		return e;
	if (!cte_live(slot))
		return ERR_EMPTY;
	if (!(rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if ((*m)->type != CAP_NULL && slot->cap.type != (*m)->type)
		return ERR_TYPE;
	for (unsigned i = (*m)->nargs; i < CAP_INV_ARGS; i++)
		if (a->arg[i])
			return ERR_INVAL;
	in->slot = slot;
	return ERR_OK;
}

enum err cap_invoke(const struct cap_env *env, struct cte *root,
                    const struct cap_invocation_args *inv, struct cap_invocation_result *res)
{
	struct inv in = {env, root, NULL, inv};
	const struct method *m;

	memset(res, 0, sizeof *res);
	enum err e = decode_call(&in, &m);
	if (!e)
		e = m->fn(&in, res);
	if (e)
		memset(res, 0, sizeof *res);
	res->err = e;
	return e;
}
