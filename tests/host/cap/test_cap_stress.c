/* Randomized capability operations through the direct (kernel) API, each
 * checked against the reference model (model.h): its error code, then
 * every slot of every live CNode, every tree link, the pool's free bytes
 * and the destroyed-object count.  At the end everything is revoked and
 * deleted, and the pool must be whole again.
 *
 * The seed is printed; CAP_SEED=N replays a run, CAP_STEPS=N sets its length.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../htest.h"
#include "capenv.h"
#include "model.h"

#define MiB     (1ull << 20)
#define ARENA   (16 * MiB)
#define MAXCAPS (1 << 17)

static struct tenv T;
static struct cte kroot;
static struct model M;
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

/* ---- random choices -------------------------------------------------------- */

/* A live cap other than kroot (never operated on until the end); -1 if
 * there is none. */
static int random_live(void)
{
	if (M.nlive < 2)
		return -1;
	int i;
	do
		i = M.live[rnd((uint64_t)M.nlive)];
	while (M.mc[i].slot == &kroot);
	return i;
}

/* A live cap, preferably of the given type; -1 if there is none. */
static int random_of_type(unsigned type)
{
	int i = -1;
	for (int tries = 0; tries < 20; tries++) {
		i = random_live();
		if (i < 0 || M.mc[i].cap.type == type)
			break;
	}
	return i;
}

/* A random slot of a random live CNode. */
static struct cte *random_slot(void)
{
	int i = random_of_type(CAP_CNODE);
	if (i < 0 || M.mc[i].cap.type != CAP_CNODE)
		i = model_at(&M, &kroot);
	uint64_t n = 1ull << (M.mc[i].cap.size_bits - CAP_SLOT_BITS);
	return model_slot(&M, &M.mc[i].cap, rnd(n));
}

/* A source slot: usually a live cap, sometimes any slot (maybe empty). */
static struct cte *random_src(unsigned type)
{
	int i = random_of_type(type);
	if (i < 0 || rnd(10) == 0)
		return random_slot();
	return M.mc[i].slot;
}

/* ---- operations: the model's prediction, then the real thing ------------- */

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
	        dc >= 0 && (M.mc[dc].cap.type == CAP_CNODE || rnd(8) == 0) ? M.mc[dc].slot : &kroot;
	if (cn->cap.type == CAP_CNODE)
		a.dest_index = rnd(cap_cnode_slots(&cn->cap) + 1);
	enum err want = model_retype(&M, src, cn, &a);
	enum err got = cap_retype(&T.env, src, cn, &a);
	HT_ASSERT(got == want);
	results[0][got]++;
}

static void op_derive(bool is_mint)
{
	static const unsigned prefer[] = {CAP_FRAME, CAP_ENDPOINT, CAP_IOPORT, CAP_UNTYPED,
	                                  CAP_CNODE};
	struct cte *src = random_src(prefer[rnd(5)]), *dst = random_slot();
	int s = model_at(&M, src);
	struct cap_mint_args a = {0};
	if (s >= 0) {
		const struct cap *c = &M.mc[s].cap;
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
	enum err want = model_derive(&M, src, dst, is_mint ? &a : NULL);
	enum err got = is_mint ? cap_mint(src, dst, &a) : cap_copy(src, dst);
	HT_ASSERT(got == want);
	results[1 + is_mint][got]++;
}

static void op_delete(void)
{
	struct cte *s = random_src(CAP_FRAME);
	enum err want = model_delete(&M, s);
	HT_ASSERT(cap_delete(&T.env, s) == want);
	results[3][want]++;
}

static void op_revoke(void)
{
	struct cte *s = random_src(CAP_UNTYPED);
	enum err want = model_revoke(&M, s);
	HT_ASSERT(cap_revoke(&T.env, s) == want);
	results[4][want]++;
}

/* The kernel hands out a root object from its pool. */
static void root_object(struct cte *slot, unsigned type, unsigned bits)
{
	uint64_t pa;
	HT_ASSERT(buddy_alloc(&T.pool, bits - BUDDY_PAGE_SHIFT, &pa) == ERR_OK);
	struct cap c = {.type = (uint8_t)type,
	                .size_bits = (uint8_t)bits,
	                .rights = cap_type_rights(type),
	                .base = pa};
	HT_ASSERT(cap_create_root(&T.env, slot, &c) == ERR_OK);
	model_root(&M, slot, &c, true);
}

/* Another core's memory: untyped, but nothing this core can zero. */
static void far_untyped(struct cte *slot)
{
	struct cap far = {.type = CAP_UNTYPED,
	                  .size_bits = 24,
	                  .rights = cap_type_rights(CAP_UNTYPED),
	                  .base = TENV_FAR};
	HT_ASSERT(cap_create_root(&T.env, slot, &far) == ERR_OK);
	model_root(&M, slot, &far, false);
}

/* Slots 0 and 1 of the root CNode get a new root untyped when empty, slot
 * 3 the far one. */
static void op_refill(void)
{
	for (uint64_t i = 0; i < 2; i++) {
		struct cte *s = model_slot(&M, &kroot.cap, i);
		if (model_at(&M, s) < 0) {
			root_object(s, CAP_UNTYPED, i ? 20 : 22);
			return;
		}
	}
	struct cte *s = model_slot(&M, &kroot.cap, 3);
	if (model_at(&M, s) < 0)
		far_untyped(s);
}

static void check_all(void)
{
	const char *why = model_check(&M);
	if (why)
		printf("    # %s\n", why);
	HT_ASSERT(why == NULL);
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
	HT_ASSERT(model_init(&M, &T, &kroot, MAXCAPS));
	root_object(&kroot, CAP_CNODE, CAP_SLOT_BITS + 8); /* object 0 */
	op_refill();
	op_refill();
	struct cap io = {.type = CAP_IOPORT,
	                 .rights = cap_type_rights(CAP_IOPORT),
	                 .base = 0x60,
	                 .count = 16};
	struct cte *s = model_slot(&M, &kroot.cap, 2);
	HT_ASSERT(cap_create_root(&T.env, s, &io) == ERR_OK);
	model_root(&M, s, &io, false);
	far_untyped(model_slot(&M, &kroot.cap, 3));
}

static void print_stats(long steps, unsigned refills)
{
	static const char *const names[] = {"retype", "copy", "mint", "delete", "revoke"};
	printf("    # %ld steps, %u refills: %d caps and %d objects made, %u destroyed\n", steps,
	       refills, M.nmc, M.nmo, T.destroyed);
	for (int k = 0; k < 5; k++) {
		printf("    # %s:", names[k]);
		for (int e = 0; e < ERR_COUNT; e++)
			if (results[k][e])
				printf(" %s %u;", err_str(e), results[k][e]);
		printf("\n");
	}
}

/* Revokes each root untyped in slots 0 and 1: nothing of it is in use any
 * more, and one object of its full size fits again. */
static void revoke_root_untyped(void)
{
	for (uint64_t i = 0; i < 2; i++) {
		struct cte *u = model_slot(&M, &kroot.cap, i);
		int k = model_at(&M, u);
		if (k < 0 || !M.mc[k].original || M.mc[k].cap.type != CAP_UNTYPED)
			continue;
		HT_ASSERT(cap_revoke(&T.env, u) == model_revoke(&M, u));
		check_all();
		HT_EXPECT_EQ(cap_untyped_used(u), 0);
		uint64_t free_slot = 4;
		while (model_at(&M, model_slot(&M, &kroot.cap, free_slot)) >= 0)
			free_slot++;
		struct cap_retype_args a = {.count = 1,
		                            .dest_index = free_slot,
		                            .type = CAP_UNTYPED,
		                            .obj_bits = u->cap.size_bits};
		HT_EXPECT_EQ(model_retype(&M, u, &kroot, &a), ERR_OK);
		HT_EXPECT_EQ(cap_retype(&T.env, u, &kroot, &a), ERR_OK);
		HT_EXPECT_EQ(cap_revoke(&T.env, u), model_revoke(&M, u));
		check_all();
	}
}

HTEST(random_operations_match_the_model)
{
	seed();
	setup();
	const char *env = getenv("CAP_STEPS");
	long steps = env ? strtol(env, NULL, 0) : 20000;
	unsigned refills = 0;
	for (long step = 0; step < steps && M.nmc < MAXCAPS - 1000; step++) {
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
	HT_EXPECT(results[0][ERR_UNSUPPORTED] > 0); /* the far untyped was tried */
	revoke_root_untyped();
	/* Then everything: the pool is back to where it started, and every
	 * object made was destroyed, the root ones returned to the pool. */
	HT_EXPECT_EQ(cap_revoke(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), ARENA);
	HT_EXPECT_EQ(buddy_check(&T.pool), ERR_OK);
	int roots = 0;
	for (int o = 0; o < M.nmo; o++)
		roots += M.mo[o].from < 0;
	HT_EXPECT_EQ(T.destroyed_roots, roots);
	HT_EXPECT_EQ(T.destroyed, (unsigned)M.nmo);
	model_fini(&M);
	tenv_fini(&T);
}

HTEST_MAIN("cap_stress")
