/* Randomized capability operations checked against a reference model.
 *
 * The model is deliberately naive: a flat array of caps with a parent index
 * and the object each refers to, and a flat array of objects.  It predicts
 * each operation's error code from the rules in caps.h and, for delete and
 * revoke, the set of caps that disappear as a fixed point ("a cap dies if
 * its parent dies or the CNode holding it dies"), which is order-free.
 * After every step every slot of every live CNode, every tree link, the
 * pool's free bytes and the destroyed-object count are compared.  At the
 * end everything is revoked and deleted, and the pool must be whole again.
 *
 * The seed is printed; CAP_SEED=N replays a run, CAP_STEPS=N sets its length.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../htest.h"
#include "capenv.h"

#define MiB     (1ull << 20)
#define ARENA   (16 * MiB)
#define MAXCAPS (1 << 17)
#define MAXOBJS (1 << 17)
#define NOSLOT  (ARENA / sizeof(struct cte)) /* map index of the kernel slot */

struct mcap {
	struct cte *slot;
	struct cap cap; /* expected contents */
	int parent;     /* mcap index; -1 for roots */
	int obj;        /* the object it refers to */
	int home;       /* the CNode object holding it; -1 for the kernel slot */
	int children;
	bool original, live;
};

struct mobj {
	unsigned type, bits;
	uint64_t base;
	int from; /* untyped object it was retyped from; -1: root */
	int orig; /* its original cap */
	bool live;
};

static struct tenv T;
static struct cte kroot;
static struct mcap *mc;
static struct mobj *mo;
static int nmc, nmo;
static int *slotmap;     /* slot id -> mcap index or -1 */
static int *live, nlive; /* live mcap indices, unordered */
static int *pos;         /* mcap index -> position in live */
static bool *mark;
static uint64_t exp_free;
static unsigned exp_destroyed;
static uint64_t rs;
static unsigned results[5][ERR_COUNT]; /* per operation kind, per error */

static uint64_t rng(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd(uint64_t n)
{
	return n ? rng() % n : 0;
}

static size_t slot_id(const struct cte *s)
{
	const uint8_t *p = (const uint8_t *)s;
	if (p >= T.arena && p < T.arena + ARENA)
		return (size_t)(p - T.arena) / sizeof(struct cte);
	return NOSLOT;
}

static int at(const struct cte *s)
{
	return slotmap[slot_id(s)];
}

/* ---- the model's state changes ----------------------------------------- */

static int new_obj(unsigned type, unsigned bits, uint64_t base, int from)
{
	mo[nmo] = (struct mobj){type, bits, base, from, -1, true};
	return nmo++;
}

static int new_cap(struct cte *slot, const struct cap *c, int parent, int obj, int home,
                   bool original)
{
	int i = nmc++;
	mc[i] = (struct mcap){slot, *c, parent, obj, home, 0, original, true};
	mc[i].cap.flags &= (uint16_t)~CAP_FLAG_KERNEL;
	mc[i].cap.kdata = 0;
	if (parent >= 0)
		mc[parent].children++;
	if (original)
		mo[obj].orig = i;
	slotmap[slot_id(slot)] = i;
	pos[i] = nlive;
	live[nlive++] = i;
	return i;
}

static void kill_cap(int i)
{
	mc[i].live = false;
	slotmap[slot_id(mc[i].slot)] = -1;
	if (mc[i].parent >= 0)
		mc[mc[i].parent].children--;
	int last = live[--nlive];
	live[pos[i]] = last;
	pos[last] = pos[i];
	if (mc[i].original) {
		struct mobj *o = &mo[mc[i].obj];
		o->live = false;
		exp_destroyed++;
		if (o->from < 0 && o->type != CAP_IOPORT)
			exp_free += 1ull << o->bits;
	}
}

/* Kills the marked caps and everything that follows from them: children of
 * dead caps, and caps held in CNodes whose original died. */
static void kill_closure(void)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (int k = 0; k < nlive; k++) {
			int i = live[k];
			if (mark[i])
				continue;
			const struct mcap *c = &mc[i];
			if ((c->parent >= 0 && mark[c->parent]) ||
			    (c->home >= 0 && mark[mo[c->home].orig])) {
				mark[i] = changed = true;
			}
		}
	}
	for (int k = nlive - 1; k >= 0; k--) {
		int i = live[k];
		if (mark[i]) {
			mark[i] = false;
			kill_cap(i); /* moves an already visited entry to k */
		}
	}
}

/* ---- random choices -------------------------------------------------------- */

/* A live cap other than kroot (never operated on until the end); -1 if
 * there is none. */
static int random_live(void)
{
	if (nlive < 2)
		return -1;
	int i;
	do
		i = live[rnd((uint64_t)nlive)];
	while (mc[i].slot == &kroot);
	return i;
}

/* A live cap, preferably of the given type; -1 if there is none. */
static int random_of_type(unsigned type)
{
	int i = -1;
	for (int tries = 0; tries < 20; tries++) {
		i = random_live();
		if (i < 0 || mc[i].cap.type == type)
			break;
	}
	return i;
}

/* A random slot of a random live CNode; *home: that CNode's object. */
static struct cte *random_slot(int *home)
{
	int i = random_of_type(CAP_CNODE);
	if (i < 0 || mc[i].cap.type != CAP_CNODE)
		i = at(&kroot);
	*home = mc[i].obj;
	uint64_t n = cap_cnode_slots(&mc[i].cap);
	return cnode_slot(&T.env, &mc[i].cap, rnd(n));
}

/* A source slot: usually a live cap, sometimes any slot (maybe empty). */
static struct cte *random_src(unsigned type)
{
	int home, i = random_of_type(type);
	if (i < 0 || rnd(10) == 0)
		return random_slot(&home);
	return mc[i].slot;
}

/* ---- operations: the model's prediction, then the real thing ------------- */

static int home_of(const struct cte *cn)
{
	return mc[at(cn)].obj;
}

static enum err model_retype(const struct cte *src, const struct cte *cn,
                             const struct cap_retype_args *a, unsigned *bits)
{
	int s = at(src), d = at(cn);
	if (s < 0)
		return ERR_EMPTY;
	const struct cap *u = &mc[s].cap;
	if (u->type != CAP_UNTYPED)
		return ERR_TYPE;
	if (!(u->rights & CAP_RIGHT_RETYPE))
		return ERR_PERM;
	if (a->type == CAP_NULL || a->type == CAP_DEVICE_FRAME || a->type >= CAP_IOPORT)
		return ERR_TYPE;
	*bits = cap_object_bits(a->type, a->obj_bits);
	if (!*bits || !a->count)
		return ERR_INVAL;
	if (a->offset % (1ull << *bits))
		return ERR_ALIGN;
	if (a->offset + (a->count << *bits) > (1ull << u->size_bits))
		return ERR_RANGE;
	if (d < 0 || mc[d].cap.type != CAP_CNODE)
		return ERR_TYPE;
	if (!(mc[d].cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (a->dest_index + a->count > cap_cnode_slots(&mc[d].cap))
		return ERR_RANGE;
	for (uint64_t i = 0; i < a->count; i++)
		if (at(cnode_slot(&T.env, &mc[d].cap, a->dest_index + i)) >= 0)
			return ERR_EXIST;
	uint64_t lo = u->base + a->offset, hi = lo + (a->count << *bits);
	for (int o = 0; o < nmo; o++)
		if (mo[o].live && mo[o].from == mc[s].obj && mo[o].base < hi &&
		    lo < mo[o].base + (1ull << mo[o].bits))
			return ERR_OVERLAP;
	return ERR_OK;
}

static void op_retype(void)
{
	static const unsigned types[] = {CAP_FRAME, CAP_FRAME, CAP_UNTYPED,    CAP_UNTYPED,
	                                 CAP_CNODE, CAP_CNODE, CAP_ENDPOINT,   CAP_PT,
	                                 CAP_PML4,  CAP_IRQ,   CAP_DISPATCHER, CAP_DEVICE_FRAME};
	struct cte *src = random_src(CAP_UNTYPED);
	struct cap_retype_args a = {.type = (uint8_t)types[rnd(sizeof types / sizeof *types)]};
	a.obj_bits = a.type == CAP_UNTYPED ? (uint8_t)(8 + rnd(12))
	             : a.type == CAP_CNODE ? (uint8_t)(1 + rnd(4))
	             : a.type == CAP_FRAME ? (rnd(20) ? 12 : 21)
	                                   : 0;
	a.count = rnd(12) ? 1 + rnd(3) : rnd(2) * 300;
	unsigned ob = cap_object_bits(a.type, a.obj_bits), ub = src->cap.size_bits;
	if (ob && ub >= ob) /* half the time near the start, to collide more */
		a.offset = rnd(rnd(2) && ub - ob > 4 ? 16 : 1ull << (ub - ob)) << ob;
	if (rnd(12) == 0)
		a.offset += 64;
	int dc = random_of_type(CAP_CNODE);
	const struct cte *cn =
	        dc >= 0 && (mc[dc].cap.type == CAP_CNODE || rnd(8) == 0) ? mc[dc].slot : &kroot;
	if (cn->cap.type == CAP_CNODE)
		a.dest_index = rnd(cap_cnode_slots(&cn->cap) + 1);
	unsigned bits = 0;
	enum err want = model_retype(src, cn, &a, &bits);
	enum err got = cap_retype(&T.env, (struct cte *)src, cn, &a);
	HT_ASSERT(got == want);
	results[0][got]++;
	if (got)
		return;
	int s = at(src);
	for (uint64_t i = 0; i < a.count; i++) {
		uint64_t base = src->cap.base + a.offset + (i << bits);
		struct cap c = {.type = a.type,
		                .size_bits = (uint8_t)bits,
		                .rights = cap_type_rights(a.type),
		                .base = base};
		int o = new_obj(a.type, bits, base, mc[s].obj);
		new_cap(cnode_slot(&T.env, &cn->cap, a.dest_index + i), &c, s, o, home_of(cn),
		        true);
	}
}

static enum err model_mint(int s, const struct cte *dst, const struct cap_mint_args *a,
                           struct cap *out)
{
	if (s < 0)
		return ERR_EMPTY;
	const struct cap *c = &mc[s].cap;
	if (!(c->rights & CAP_RIGHT_GRANT))
		return ERR_PERM;
	if (at(dst) >= 0)
		return ERR_EXIST;
	if (!a)
		return *out = *c, ERR_OK;
	if (a->rights & ~c->rights)
		return ERR_PERM;
	*out = *c;
	out->rights = a->rights;
	if (c->type == CAP_ENDPOINT) {
		if (c->badge && a->badge && a->badge != c->badge)
			return ERR_PERM;
		out->badge = a->badge ? a->badge : c->badge;
	} else if (a->badge) {
		return ERR_INVAL;
	}
	if (c->type != CAP_IOPORT)
		return a->port_first || a->port_count ? ERR_INVAL : ERR_OK;
	if (!a->port_count)
		return a->port_first ? ERR_INVAL : ERR_OK;
	if (a->port_first < c->base || a->port_first + a->port_count > c->base + c->count)
		return ERR_RANGE;
	out->base = a->port_first;
	out->count = a->port_count;
	return ERR_OK;
}

static void op_derive(bool is_mint)
{
	static const unsigned prefer[] = {CAP_FRAME, CAP_ENDPOINT, CAP_IOPORT, CAP_UNTYPED,
	                                  CAP_CNODE};
	int home;
	struct cte *src = random_src(prefer[rnd(5)]), *dst = random_slot(&home);
	int s = at(src);
	struct cap_mint_args a = {0};
	if (s >= 0) {
		const struct cap *c = &mc[s].cap;
		a.rights = c->rights & (uint32_t)rng();
		if (rnd(6) == 0)
			a.rights |= 1u << rnd(5);
		if (c->type == CAP_ENDPOINT || rnd(20) == 0)
			a.badge = rnd(3) ? 0 : rnd(2) ? c->badge : 1 + rnd(3);
		if (c->type == CAP_IOPORT && rnd(2)) {
			a.port_first = c->base + rnd(c->count + 2);
			a.port_count = 1 + rnd(c->count);
		}
	}
	struct cap out;
	enum err want = model_mint(s, dst, is_mint ? &a : NULL, &out);
	enum err got = is_mint ? cap_mint(src, dst, &a) : cap_copy(src, dst);
	HT_ASSERT(got == want);
	results[1 + is_mint][got]++;
	if (!got)
		new_cap(dst, &out, s, mc[s].obj, home, false);
}

static void op_delete(void)
{
	struct cte *s = random_src(CAP_FRAME);
	int i = at(s);
	enum err want = i < 0 ? ERR_EMPTY : mc[i].children ? ERR_BUSY : ERR_OK;
	HT_ASSERT(cap_delete(&T.env, s) == want);
	results[3][want]++;
	if (want == ERR_OK) {
		mark[i] = true;
		kill_closure();
	}
}

static void op_revoke(void)
{
	struct cte *s = random_src(CAP_UNTYPED);
	int i = at(s);
	HT_ASSERT(cap_revoke(&T.env, s) == (i < 0 ? ERR_EMPTY : ERR_OK));
	results[4][i < 0 ? ERR_EMPTY : ERR_OK]++;
	if (i < 0)
		return;
	for (int k = 0; k < nlive; k++)
		if (mc[live[k]].parent == i)
			mark[live[k]] = true;
	kill_closure();
}

/* The kernel hands out a root object from its pool. */
static void root_object(struct cte *slot, unsigned type, unsigned bits, int home)
{
	uint64_t pa;
	HT_ASSERT(buddy_alloc(&T.pool, bits - BUDDY_PAGE_SHIFT, &pa) == ERR_OK);
	struct cap c = {.type = (uint8_t)type,
	                .size_bits = (uint8_t)bits,
	                .rights = cap_type_rights(type),
	                .base = pa};
	HT_ASSERT(cap_create_root(&T.env, slot, &c) == ERR_OK);
	exp_free -= 1ull << bits;
	new_cap(slot, &c, -1, new_obj(type, bits, pa, -1), home, true);
}

/* Slots 0 and 1 of the root CNode get a new root untyped when empty. */
static void op_refill(void)
{
	for (uint64_t i = 0; i < 2; i++) {
		struct cte *s = tenv_slot(&T, &kroot, i);
		if (at(s) < 0) {
			root_object(s, CAP_UNTYPED, i ? 20 : 22, 0);
			return;
		}
	}
}

/* ---- checking the real state against the model ------------------------- */

static void check_slot(const struct cte *s)
{
	int i = at(s);
	if (i < 0) {
		HT_ASSERT(s->cap.type == CAP_NULL && !s->parent && !s->first_child);
		return;
	}
	const struct mcap *m = &mc[i];
	const struct cap *c = &s->cap;
	HT_ASSERT(c->type == m->cap.type && c->size_bits == m->cap.size_bits);
	HT_ASSERT(c->rights == m->cap.rights && c->base == m->cap.base);
	HT_ASSERT(c->badge == m->cap.badge && c->kdata == 0);
	HT_ASSERT((c->flags & (uint16_t)~CAP_FLAG_KERNEL) == m->cap.flags);
	HT_ASSERT(cap_is_original(s) == m->original);
	HT_ASSERT(s->parent == (m->parent >= 0 ? mc[m->parent].slot : NULL));
	int n = 0;
	const struct cte *prev = NULL;
	for (const struct cte *ch = s->first_child; ch; prev = ch, ch = ch->next) {
		HT_ASSERT(ch->parent == s && ch->prev == prev && ++n <= m->children);
		HT_ASSERT(at(ch) >= 0 && mc[at(ch)].parent == i);
	}
	HT_ASSERT(n == m->children);
}

static void check_all(void)
{
	check_slot(&kroot);
	for (int o = 0; o < nmo; o++) {
		if (!mo[o].live || mo[o].type != CAP_CNODE)
			continue;
		struct cte *slots = T.env.phys_to_virt(T.env.ctx, mo[o].base);
		for (uint64_t k = 0; k < 1ull << (mo[o].bits - CAP_SLOT_BITS); k++)
			check_slot(&slots[k]);
	}
	HT_ASSERT(buddy_free_bytes(&T.pool) == exp_free);
	HT_ASSERT(T.destroyed == exp_destroyed);
	for (int k = 0; k < nlive; k++) {
		const struct mcap *m = &mc[live[k]];
		if (!m->original || m->cap.type != CAP_UNTYPED)
			continue;
		uint64_t used = 0;
		for (int o = 0; o < nmo; o++)
			if (mo[o].live && mo[o].from == m->obj)
				used += 1ull << mo[o].bits;
		HT_ASSERT(cap_untyped_used(m->slot) == used);
	}
}

static void seed(void)
{
	const char *s = getenv("CAP_SEED");
	rs = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)clock();
	printf("    # seed: %llu (CAP_SEED to replay)\n", (unsigned long long)rs);
}

static void setup(void)
{
	tenv_init(&T, ARENA);
	memset(&kroot, 0, sizeof kroot);
	mc = calloc(MAXCAPS, sizeof *mc);
	mo = calloc(MAXOBJS, sizeof *mo);
	slotmap = malloc((NOSLOT + 1) * sizeof *slotmap);
	live = malloc(MAXCAPS * sizeof *live);
	pos = malloc(MAXCAPS * sizeof *pos);
	mark = calloc(MAXCAPS, sizeof *mark);
	HT_ASSERT(mc && mo && slotmap && live && pos && mark);
	memset(slotmap, -1, (NOSLOT + 1) * sizeof *slotmap);
	nmc = nmo = nlive = 0;
	exp_free = ARENA;
	exp_destroyed = 0;
	root_object(&kroot, CAP_CNODE, CAP_SLOT_BITS + 8, -1); /* object 0 */
	op_refill();
	op_refill();
	struct cap io = {.type = CAP_IOPORT,
	                 .rights = cap_type_rights(CAP_IOPORT),
	                 .base = 0x60,
	                 .count = 16};
	struct cte *s = tenv_slot(&T, &kroot, 2);
	HT_ASSERT(cap_create_root(&T.env, s, &io) == ERR_OK);
	new_cap(s, &io, -1, new_obj(CAP_IOPORT, 0, io.base, -1), 0, true);
}

static void teardown(void)
{
	free(mc);
	free(mo);
	free(slotmap);
	free(live);
	free(pos);
	free(mark);
	tenv_fini(&T);
}

static void print_stats(long steps, unsigned refills)
{
	static const char *const names[] = {"retype", "copy", "mint", "delete", "revoke"};
	printf("    # %ld steps, %u refills: %d caps and %d objects made, %u destroyed\n", steps,
	       refills, nmc, nmo, T.destroyed);
	for (int k = 0; k < 5; k++) {
		printf("    # %s:", names[k]);
		for (int e = 0; e < ERR_COUNT; e++)
			if (results[k][e])
				printf(" %s %u;", err_str(e), results[k][e]);
		printf("\n");
	}
}

/* Revokes each root untyped still there: nothing of it is in use any more,
 * and one object of its full size fits again.  Returns objects made. */
static unsigned revoke_root_untyped(void)
{
	unsigned made = 0;
	for (uint64_t i = 0; i < 2; i++) {
		struct cte *u = tenv_slot(&T, &kroot, i);
		int m = at(u);
		if (m < 0 || !mc[m].original || mc[m].cap.type != CAP_UNTYPED)
			continue;
		HT_ASSERT(cap_revoke(&T.env, u) == ERR_OK);
		for (int k = 0; k < nlive; k++)
			if (mc[live[k]].parent == m)
				mark[live[k]] = true;
		kill_closure();
		check_all();
		HT_EXPECT_EQ(cap_untyped_used(u), 0);
		uint64_t free_slot = 3;
		while (at(tenv_slot(&T, &kroot, free_slot)) >= 0)
			free_slot++;
		HT_EXPECT_EQ(
		        tenv_retype(&T, u, CAP_UNTYPED, u->cap.size_bits, 0, 1, &kroot, free_slot),
		        ERR_OK);
		HT_EXPECT_EQ(cap_revoke(&T.env, u), ERR_OK);
		exp_destroyed++;
		made++;
	}
	return made;
}

HTEST(random_operations_match_the_model)
{
	seed();
	setup();
	const char *env = getenv("CAP_STEPS");
	long steps = env ? strtol(env, NULL, 0) : 20000;
	unsigned refills = 0;
	for (long step = 0; step < steps && nmc < MAXCAPS - 1000; step++) {
		uint64_t r = rnd(100);
		if (r < 32)
			op_retype();
		else if (r < 47)
			op_derive(false);
		else if (r < 62)
			op_derive(true);
		else if (r < 90)
			op_delete();
		else if (r < 97)
			op_revoke();
		else
			op_refill(), refills++;
		check_all();
	}
	print_stats(steps, refills);
	unsigned extra = revoke_root_untyped();
	/* Then everything: the pool is back to where it started, and every
	 * object made was destroyed, the root ones returned to the pool. */
	HT_EXPECT_EQ(cap_revoke(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), ARENA);
	HT_EXPECT_EQ(buddy_check(&T.pool), ERR_OK);
	int roots = 0;
	for (int o = 0; o < nmo; o++)
		roots += mo[o].from < 0;
	HT_EXPECT_EQ(T.destroyed_roots, roots);
	HT_EXPECT_EQ(T.destroyed, (unsigned)nmo + extra);
	teardown();
}

HTEST_MAIN("cap_stress")
