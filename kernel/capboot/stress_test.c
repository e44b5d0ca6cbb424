/* Thousands of random retype, copy, mint, revoke and delete operations on
 * every core, through the kernel's cap_env, each checked against a small
 * model that predicts its error code and the contents of every slot from
 * the rules in tessera/caps.h.  At the end everything is revoked and the
 * core's pool must be whole again (the runner's leak check, and our own).
 *
 * The model: one CNode of NSLOT slots plus the kernel-held root untyped
 * (slot KSLOT); a cap knows its parent slot and its object; an object knows
 * the untyped object it came from.  Retyped CNodes stay empty, so a cap
 * dies only with its parent chain.
 */
#include <string/mem.h>

#include "cap/cnode.h"
#include "capboot.h"
#include "frame.h"
#include "ktest.h"
#include "mm/vm.h"

#define NSLOT   128
#define KSLOT   NSLOT /* the root untyped, held by the kernel */
#define NOBJ    4096
#define STEPS   3000
#define UT_BITS 20

struct mslot {
	bool live, original;
	uint8_t type, bits;
	uint32_t rights;
	uint64_t base;
	int parent, obj;
};

struct mobj {
	bool live;
	uint8_t bits;
	uint64_t base;
	int from; /* the untyped object it was retyped from; -1 for the root */
};

struct model {
	struct mslot s[NSLOT + 1];
	struct mobj o[NOBJ];
	int nobj;
	uint64_t rng;
	unsigned ok[5], refused[5]; /* per kind: retype, copy, mint, revoke, delete */
	struct cte cn, ut;
};

static struct model m; /* kernel data: each core has its own */

static uint64_t rnd(uint64_t n)
{
	uint64_t z = (m.rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return n ? (z ^ (z >> 31)) % n : 0;
}

static const struct cap_env *env(void)
{
	return capboot_env();
}

static struct cte *real(int i)
{
	return i == KSLOT ? &m.ut : cnode_slot(env(), &m.cn.cap, (uint64_t)i);
}

/* Kills slot i's descendants (revoke), children before parents. */
static void kill_descendants(int root)
{
	bool dead[NSLOT + 1] = {0};
	dead[root] = true;
	for (bool changed = true; changed;) {
		changed = false;
		for (int i = 0; i < NSLOT; i++)
			if (m.s[i].live && !dead[i] && dead[m.s[i].parent])
				dead[i] = changed = true;
	}
	for (int i = 0; i < NSLOT; i++) {
		if (i == root || !dead[i])
			continue;
		m.s[i].live = false;
		if (m.s[i].original)
			m.o[m.s[i].obj].live = false;
	}
}

static bool has_children(int i)
{
	for (int k = 0; k < NSLOT; k++)
		if (m.s[k].live && m.s[k].parent == i)
			return true;
	return false;
}

/* The error a retype should give (caps.h order), with the new objects'
 * base and size in *base and *bits. */
static enum err predict_retype(int src, const struct cap_retype_args *a, uint64_t *base,
                               unsigned *bits)
{
	const struct mslot *s = &m.s[src];
	if (!s->live)
		return ERR_EMPTY;
	if (s->type != CAP_UNTYPED)
		return ERR_TYPE;
	if (!(s->rights & CAP_RIGHT_RETYPE))
		return ERR_PERM;
	if (a->type == CAP_IOPORT || a->type == CAP_DEVICE_FRAME)
		return ERR_TYPE;
	*bits = cap_object_bits(a->type, a->obj_bits);
	if (!*bits || !a->count)
		return ERR_INVAL;
	if (a->offset & ((1ull << *bits) - 1))
		return ERR_ALIGN;
	uint64_t size = 1ull << s->bits;
	if (*bits > s->bits || a->offset >= size || a->count > (size - a->offset) >> *bits)
		return ERR_RANGE;
	if (a->dest_index >= NSLOT || a->count > NSLOT - a->dest_index)
		return ERR_RANGE;
	for (uint64_t i = 0; i < a->count; i++)
		if (m.s[a->dest_index + i].live)
			return ERR_EXIST;
	*base = s->base + a->offset;
	uint64_t end = *base + (a->count << *bits);
	for (int k = 0; k < m.nobj; k++) {
		const struct mobj *o = &m.o[k];
		if (o->live && o->from == s->obj && o->base < end &&
		    *base < o->base + (1ull << o->bits))
			return ERR_OVERLAP;
	}
	return ERR_OK;
}

/* A random slot: mostly a live one, sometimes the root untyped or any. */
static int pick(void)
{
	uint64_t r = rnd(10);
	if (r == 0)
		return KSLOT;
	int start = (int)rnd(NSLOT);
	for (int k = 0; r < 8 && k < NSLOT; k++)
		if (m.s[(start + k) % NSLOT].live)
			return (start + k) % NSLOT;
	return start;
}

static void random_retype_args(struct cap_retype_args *a)
{
	static const uint8_t types[] = {CAP_UNTYPED, CAP_UNTYPED, CAP_FRAME,
	                                CAP_FRAME,   CAP_PT,      CAP_ENDPOINT,
	                                CAP_CNODE,   CAP_IOPORT,  CAP_DEVICE_FRAME};
	uint8_t type = types[rnd(sizeof types)];
	uint8_t bits = type == CAP_UNTYPED ? (uint8_t)(12 + rnd(5))
	               : type == CAP_FRAME ? (rnd(8) ? 12 : 13)
	               : type == CAP_CNODE ? (uint8_t)(1 + rnd(3))
	                                   : 0;
	*a = (struct cap_retype_args){.offset = rnd(64) * 0x1000 + (rnd(8) ? 0 : 0x40),
	                              .count = rnd(12) ? 1 + rnd(3) : 0,
	                              .dest_index = rnd(NSLOT + 4),
	                              .type = type,
	                              .obj_bits = bits};
}

static void op_retype(struct ktest *kt)
{
	struct cap_retype_args a;
	int src = pick();
	uint64_t base = 0;
	unsigned bits = 0;

	random_retype_args(&a);
	enum err want = predict_retype(src, &a, &base, &bits);
	enum err got = cap_retype(env(), real(src), &m.cn, &a);
	KT_EXPECT_EQ(got, want);
	if (got != ERR_OK || want != ERR_OK) {
		m.refused[0]++;
		return;
	}
	m.ok[0]++;
	for (uint64_t i = 0; i < a.count && m.nobj < NOBJ; i++) {
		uint64_t b = base + (i << bits);
		m.o[m.nobj] = (struct mobj){true, (uint8_t)bits, b, m.s[src].obj};
		m.s[a.dest_index + i] = (struct mslot){.live = true,
		                                       .original = true,
		                                       .type = a.type,
		                                       .bits = (uint8_t)bits,
		                                       .rights = cap_type_rights(a.type),
		                                       .base = b,
		                                       .parent = src,
		                                       .obj = m.nobj++};
	}
}

/* Copy (mint false) or mint with a random subset of rights. */
static void op_derive(struct ktest *kt, bool mint)
{
	int src = pick(), dest = (int)rnd(NSLOT);
	struct cap_mint_args a = {.rights = (uint32_t)rnd(CAP_RIGHTS_ALL + 1)};
	const struct mslot *s = &m.s[src];
	enum err want = !s->live                          ? ERR_EMPTY
	                : !(s->rights & CAP_RIGHT_GRANT)  ? ERR_PERM
	                : m.s[dest].live                  ? ERR_EXIST
	                : mint && (a.rights & ~s->rights) ? ERR_PERM
	                                                  : ERR_OK;
	enum err got = mint ? cap_mint(real(src), real(dest), &a) : cap_copy(real(src), real(dest));
	KT_EXPECT_EQ(got, want);
	if (got != ERR_OK || want != ERR_OK) {
		m.refused[mint ? 2 : 1]++;
		return;
	}
	m.ok[mint ? 2 : 1]++;
	m.s[dest] = *s;
	m.s[dest].original = false;
	m.s[dest].parent = src;
	if (mint)
		m.s[dest].rights = a.rights;
}

/* Revoke or delete a slot of the CNode (never the root untyped). */
static void op_remove(struct ktest *kt, bool revoke)
{
	int i = (int)rnd(NSLOT);
	for (int k = 0; k < 4 && !m.s[i].live; k++)
		i = (int)rnd(NSLOT);
	enum err want = !m.s[i].live ? ERR_EMPTY : !revoke && has_children(i) ? ERR_BUSY : ERR_OK;
	enum err got = revoke ? cap_revoke(env(), real(i)) : cap_delete(env(), real(i));
	KT_EXPECT_EQ(got, want);
	if (got != ERR_OK || want != ERR_OK) {
		m.refused[revoke ? 3 : 4]++;
		return;
	}
	m.ok[revoke ? 3 : 4]++;
	kill_descendants(i);
	if (!revoke) {
		m.s[i].live = false;
		if (m.s[i].original)
			m.o[m.s[i].obj].live = false;
	}
}

/* Every slot as the model has it; the root untyped's use. */
static bool matches(struct ktest *kt)
{
	uint64_t used = 0;
	for (int i = 0; i < m.nobj; i++)
		if (m.o[i].live && m.o[i].from == 0)
			used += 1ull << m.o[i].bits;
	bool ok = cap_untyped_used(&m.ut) == used;
	for (int i = 0; i < NSLOT && ok; i++) {
		const struct mslot *s = &m.s[i];
		const struct cte *c = real(i);
		ok = cap_slot_live(c) == s->live;
		if (ok && s->live)
			ok = c->cap.type == s->type && c->cap.size_bits == s->bits &&
			     c->cap.rights == s->rights && c->cap.base == s->base &&
			     cap_is_original(c) == s->original;
		if (!ok)
			ktest_fail(kt, __FILE__, __LINE__, "slot %d as the model has it", i);
	}
	return ok;
}

static void start(struct ktest *kt)
{
	memset(&m, 0, sizeof m);
	m.rng = 0x5eed + 7919ull * vm_core();
	KT_ASSERT(capboot_make_space(7, UT_BITS, &m.cn, &m.ut) == ERR_OK);
	m.s[KSLOT] = (struct mslot){.live = true,
	                            .original = true,
	                            .type = CAP_UNTYPED,
	                            .bits = UT_BITS,
	                            .rights = m.ut.cap.rights,
	                            .base = m.ut.cap.base,
	                            .parent = KSLOT,
	                            .obj = 0};
	m.o[0] = (struct mobj){true, UT_BITS, m.ut.cap.base, -1};
	m.nobj = 1;
}

KTEST(capboot, random_operations_match_the_model)
{
	size_t before = frame_free_count();

	start(kt);
	for (int step = 0; step < STEPS && m.nobj < NOBJ; step++) {
		switch (rnd(10)) {
		case 0:
		case 1:
		case 2: op_retype(kt); break;
		case 3:
		case 4: op_derive(kt, false); break;
		case 5:
		case 6: op_derive(kt, true); break;
		case 7: op_remove(kt, true); break;
		default: op_remove(kt, false); break;
		}
		if (!matches(kt)) {
			ktest_fail(kt, __FILE__, __LINE__, "model and kernel agree after step %d",
			           step);
			break;
		}
	}
	for (int k = 0; k < 5; k++)
		KT_EXPECT(m.ok[k] > 0 && m.refused[k] > 0);
	KT_ASSERT(cap_revoke(env(), &m.ut) == ERR_OK);
	for (int i = 0; i < NSLOT; i++)
		KT_EXPECT(!cap_slot_live(real(i)));
	KT_EXPECT_EQ(cap_untyped_used(&m.ut), 0);
	KT_ASSERT(cap_delete(env(), &m.ut) == ERR_OK);
	KT_ASSERT(cap_delete(env(), &m.cn) == ERR_OK);
	KT_EXPECT_EQ(frame_free_count(), before);
}
