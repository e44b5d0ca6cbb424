/* Blocks of an untyped cap: a buddy allocator of offsets; see rt/mem.h. */
#include <rt/mem.h>
#include <tessera/caps.h>

static struct rt_untyped budget;
static int budget_state; /* 0 not looked at yet, 1 there, 2 none */

void rt_untyped_init(struct rt_untyped *u, struct rt_capref cap, unsigned bits)
{
	*u = (struct rt_untyped){.cap = cap, .bits = bits > RT_UT_MAX_BITS ? RT_UT_MAX_BITS : bits};
	if (bits >= RT_UT_MIN_BITS) {
		u->free[u->bits - RT_UT_MIN_BITS][0] = 0;
		u->count[u->bits - RT_UT_MIN_BITS] = 1;
	}
}

struct rt_untyped *rt_memory(void)
{
	bool was = rt_disable();

	if (!budget_state) {
		struct cap_results_identify id;
		enum err e = invoke_identify(rt_cap(SLOT_UNTYPED), rt_depth(), &id);
		budget_state = 2;
		if (!e && id.type == CAP_UNTYPED && !(id.flags & CAP_FLAG_DEVICE)) {
			rt_untyped_init(&budget, rt_root_ref(SLOT_UNTYPED), (unsigned)id.size_bits);
			budget_state = 1;
		}
	}
	rt_enable(was);
	return budget_state == 1 ? &budget : NULL;
}

static void push(struct rt_untyped *u, unsigned order, uint64_t offset)
{
	if (u->count[order] == RT_UT_LIST) {
		u->lost += 1ull << (order + RT_UT_MIN_BITS);
		return;
	}
	u->free[order][u->count[order]++] = offset;
}

/* Takes offset out of the list of order if it is there. */
static bool take(struct rt_untyped *u, unsigned order, uint64_t offset)
{
	for (unsigned i = 0; i < u->count[order]; i++) {
		if (u->free[order][i] != offset)
			continue;
		u->free[order][i] = u->free[order][--u->count[order]];
		return true;
	}
	return false;
}

enum err rt_untyped_alloc(struct rt_untyped *u, unsigned bits, uint64_t *offset)
{
	if (bits < RT_UT_MIN_BITS || bits > u->bits)
		return bits < RT_UT_MIN_BITS || bits > RT_UT_MAX_BITS ? ERR_RANGE : ERR_NOMEM;
	bool was = rt_disable();
	unsigned want = bits - RT_UT_MIN_BITS, k = want;

	while (k <= u->bits - RT_UT_MIN_BITS && !u->count[k])
		k++;
	if (k > u->bits - RT_UT_MIN_BITS) {
		rt_enable(was);
		return ERR_NOMEM;
	}
	uint64_t at = u->free[k][--u->count[k]];
	while (k > want) { /* split: the upper half stays free */
		k--;
		push(u, k, at + (1ull << (k + RT_UT_MIN_BITS)));
	}
	u->used += 1ull << bits;
	*offset = at;
	rt_enable(was);
	return ERR_OK;
}

void rt_untyped_free(struct rt_untyped *u, uint64_t offset, unsigned bits)
{
	bool was = rt_disable();
	unsigned k = bits - RT_UT_MIN_BITS;

	u->used -= 1ull << bits;
	while (k + RT_UT_MIN_BITS < u->bits) { /* merge with a free buddy */
		uint64_t buddy = offset ^ (1ull << (k + RT_UT_MIN_BITS));
		if (!take(u, k, buddy))
			break;
		offset &= ~(1ull << (k + RT_UT_MIN_BITS));
		k++;
	}
	push(u, k, offset);
	rt_enable(was);
}

unsigned rt_object_block_bits(unsigned type, unsigned obj_bits)
{
	unsigned b = cap_object_bits(type, obj_bits);

	return b && b < RT_UT_MIN_BITS ? RT_UT_MIN_BITS : b;
}

enum err rt_retype(struct rt_untyped *u, unsigned type, unsigned obj_bits, struct rt_capref cnode,
                   uint64_t index, uint64_t *offset, unsigned *bits)
{
	unsigned b = rt_object_block_bits(type, obj_bits);

	if (!b)
		return ERR_INVAL;
	enum err e = rt_untyped_alloc(u, b, offset);
	if (e)
		return e;
	e = invoke_retype(u->cap.addr, u->cap.depth, type, obj_bits, *offset, 1, cnode.addr,
	                  cnode.depth, index, NULL);
	if (e)
		rt_untyped_free(u, *offset, b);
	*bits = b;
	return e;
}

enum err rt_retype_slot(struct rt_untyped *u, unsigned type, unsigned obj_bits,
                        struct rt_capref *slot, uint64_t *offset, unsigned *bits)
{
	struct rt_capref cnode;
	uint64_t index;
	enum err e = rt_slot_alloc(slot);

	if (e)
		return e;
	rt_slot_where(*slot, &cnode, &index);
	e = rt_retype(u, type, obj_bits, cnode, index, offset, bits);
	if (e)
		rt_slot_free(*slot);
	return e;
}
