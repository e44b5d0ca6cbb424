/* The capability core, operation by operation: every success and every
 * refusal the decode steps promise, and the leak check at the end of each
 * case (everything deleted: the pool is whole again). */
#include <stdlib.h>
#include <string.h>

#include "../htest.h"
#include "capenv.h"

#define MiB (1ull << 20)
#define R   CAP_RIGHT_READ

static struct tenv T;
static struct cte kroot; /* the root CNode's cap, held by the "kernel" */
static struct cte *ut;   /* slot 0: a 2 MiB root untyped */

static struct cte *S(uint64_t i)
{
	return tenv_slot(&T, &kroot, i);
}

static void setup(void)
{
	tenv_init(&T, 16 * MiB);
	memset(&kroot, 0, sizeof kroot);
	HT_ASSERT(tenv_root_cnode(&T, &kroot, 8) == ERR_OK);
	ut = S(0);
	HT_ASSERT(tenv_root_untyped(&T, ut, 21) == ERR_OK);
}

/* Deletes everything through the root CNode and checks nothing leaked. */
static void teardown(void)
{
	HT_EXPECT_EQ(cap_revoke(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), 16 * MiB);
	HT_EXPECT_EQ(buddy_check(&T.pool), ERR_OK);
	tenv_fini(&T);
}

static enum err retype(struct cte *u, unsigned type, unsigned bits, uint64_t off, uint64_t n,
                       uint64_t slot)
{
	return tenv_retype(&T, u, type, bits, off, n, &kroot, slot);
}

static enum err mint(struct cte *src, struct cte *dst, uint32_t rights, uint64_t badge)
{
	struct cap_mint_args a = {.rights = rights, .badge = badge};
	return cap_mint(src, dst, &a);
}

static int is_child(const struct cte *parent, const struct cte *c)
{
	for (const struct cte *n = parent->first_child; n; n = n->next)
		if (n == c)
			return c->parent == parent;
	return 0;
}

HTEST(root_refusals)
{
	setup();
	struct cap c = {
	        .type = CAP_FRAME, .size_bits = 12, .rights = CAP_RIGHT_READ, .base = TENV_PHYS};
	HT_EXPECT_EQ(cap_decode_root(ut, &c), ERR_EXIST);
	struct cte *d = S(1);
	c.type = CAP_NULL;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_TYPE);
	c.type = CAP_TYPE_COUNT;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_TYPE);
	c.type = CAP_FRAME;
	c.rights = CAP_RIGHT_RETYPE;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_PERM);
	c.rights = CAP_RIGHT_READ;
	c.size_bits = 13;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_INVAL);
	c.size_bits = 21;
	c.base = TENV_PHYS + 0x1000;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_ALIGN);
	c.base = TENV_PHYS;
	c.size_bits = 12;
	c.flags = CAP_FLAG_DEVICE;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_INVAL);
	c.flags = 0;
	c.badge = 7;
	HT_EXPECT_EQ(cap_decode_root(d, &c), ERR_INVAL);
	struct cap io = {.type = CAP_IOPORT, .base = 0xfff0, .count = 0x20};
	HT_EXPECT_EQ(cap_decode_root(d, &io), ERR_RANGE);
	io.count = 0;
	HT_EXPECT_EQ(cap_decode_root(d, &io), ERR_RANGE);
	io.count = 0x10;
	HT_EXPECT_EQ(cap_decode_root(d, &io), ERR_OK);
	struct cap irq = {.type = CAP_IRQ, .base = 256};
	HT_EXPECT_EQ(cap_decode_root(d, &irq), ERR_RANGE);
	irq.base = 4;
	HT_EXPECT_EQ(cap_create_root(&T.env, d, &irq), ERR_OK);
	HT_EXPECT(cap_is_original(d) && d->parent == NULL);
	teardown();
}

HTEST(retype_frames)
{
	setup();
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0x4000, 4, 1) == ERR_OK);
	for (int i = 0; i < 4; i++) {
		struct cte *f = S(1 + (uint64_t)i);
		HT_EXPECT_EQ(f->cap.type, CAP_FRAME);
		HT_EXPECT_EQ(f->cap.size_bits, 12);
		HT_EXPECT_EQ(f->cap.base, ut->cap.base + 0x4000 + 0x1000 * (uint64_t)i);
		HT_EXPECT_EQ(f->cap.rights, cap_type_rights(CAP_FRAME));
		HT_EXPECT(cap_is_original(f));
		HT_EXPECT(is_child(ut, f));
		uint8_t *mem = T.env.phys_to_virt(T.env.ctx, f->cap.base);
		HT_EXPECT(mem[0] == 0 && mem[4095] == 0);
	}
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x4000);
	/* Untyped memory is not zeroed by retyping it into smaller untyped. */
	HT_ASSERT(retype(ut, CAP_UNTYPED, 16, 0x10000, 1, 5) == ERR_OK);
	HT_EXPECT_EQ(*(uint8_t *)T.env.phys_to_virt(T.env.ctx, S(5)->cap.base), 0xa5);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x4000 + 0x10000);
	teardown();
}

HTEST(retype_every_type)
{
	setup();
	static const struct {
		unsigned type, arg, bits;
	} t[] = {
	        {CAP_UNTYPED, 12, 12}, {CAP_FRAME, 12, 12},
	        {CAP_FRAME, 21, 21},   {CAP_PT, 0, 12},
	        {CAP_PD, 0, 12},       {CAP_PDPT, 0, 12},
	        {CAP_PML4, 0, 12},     {CAP_PML5, 0, 12},
	        {CAP_CNODE, 4, 10},    {CAP_DISPATCHER, 0, 11},
	        {CAP_ENDPOINT, 0, 6},  {CAP_NOTIFY, 0, 6}, /* a dcb holds an FXSAVE image: 2 KiB */
	};
	struct cte *big = S(1);
	HT_ASSERT(retype(ut, CAP_UNTYPED, 21, 0, 1, 1) == ERR_OK);
	/* 2 MiB frame first at offset 0, the rest behind it in a second untyped. */
	HT_EXPECT_EQ(retype(big, CAP_FRAME, 21, 0, 1, 2), ERR_OK);
	HT_EXPECT_EQ(cap_revoke(&T.env, big), ERR_OK);
	uint64_t off = 0, taken = 0;
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].bits == 21)
			continue;
		off = (off + (1ull << t[i].bits) - 1) & ~((1ull << t[i].bits) - 1);
		HT_EXPECT_EQ(retype(big, t[i].type, t[i].arg, off, 1, 10 + i), ERR_OK);
		struct cte *o = S(10 + i);
		HT_EXPECT_EQ(o->cap.type, t[i].type);
		HT_EXPECT_EQ(o->cap.size_bits, t[i].bits);
		HT_EXPECT_EQ(o->cap.base, big->cap.base + off);
		off += 1ull << t[i].bits;
		taken += 1ull << t[i].bits;
	}
	/* the bytes live objects take, not counting alignment gaps */
	HT_EXPECT_EQ(cap_untyped_used(big), taken);
	HT_EXPECT_EQ(cap_cnode_slots(&S(18)->cap), 16);
	teardown();
}

HTEST(retype_refusals)
{
	setup();
	struct cte *empty = S(200);
	HT_EXPECT_EQ(retype(empty, CAP_FRAME, 12, 0, 1, 1), ERR_EMPTY);
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	HT_EXPECT_EQ(retype(S(1), CAP_FRAME, 12, 0, 1, 2), ERR_TYPE); /* not untyped */
	HT_ASSERT(mint(ut, S(2), CAP_RIGHT_GRANT, 0) == ERR_OK);
	HT_EXPECT_EQ(retype(S(2), CAP_FRAME, 12, 0x1000, 1, 3), ERR_PERM); /* no RETYPE */
	HT_EXPECT_EQ(retype(ut, CAP_IOPORT, 12, 0x1000, 1, 3), ERR_TYPE);
	HT_EXPECT_EQ(retype(ut, CAP_IRQ, 12, 0x1000, 1, 3), ERR_TYPE);
	HT_EXPECT_EQ(retype(ut, CAP_NULL, 12, 0x1000, 1, 3), ERR_TYPE);
	HT_EXPECT_EQ(retype(ut, 0xff, 12, 0x1000, 1, 3), ERR_TYPE);
	HT_EXPECT_EQ(retype(ut, CAP_DEVICE_FRAME, 12, 0x1000, 1, 3), ERR_TYPE);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 14, 0x4000, 1, 3), ERR_INVAL); /* no 16 KiB pages */
	HT_EXPECT_EQ(retype(ut, CAP_CNODE, 0, 0x4000, 1, 3), ERR_INVAL);
	HT_EXPECT_EQ(retype(ut, CAP_UNTYPED, 5, 0x4000, 1, 3), ERR_INVAL);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x4000, 0, 3), ERR_INVAL);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x4800, 1, 3), ERR_ALIGN);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 21, 0x200000, 1, 3), ERR_RANGE); /* past the end */
	HT_EXPECT_EQ(retype(ut, CAP_UNTYPED, 22, 0, 1, 3), ERR_RANGE);      /* bigger */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1ff000, 2, 3), ERR_RANGE);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1000, 1ull << 62, 3), ERR_RANGE);
	HT_EXPECT_EQ(tenv_retype(&T, ut, CAP_FRAME, 12, 0x1000, 1, S(1), 0), ERR_TYPE);
	HT_ASSERT(mint(&kroot, S(4), CAP_RIGHT_READ | CAP_RIGHT_GRANT, 0) == ERR_OK);
	HT_EXPECT_EQ(tenv_retype(&T, ut, CAP_FRAME, 12, 0x1000, 1, S(4), 5), ERR_PERM);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1000, 2, 255), ERR_RANGE);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1000, 1, 256), ERR_RANGE);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1000, 2, 3), ERR_EXIST); /* slot 4 taken */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0, 1, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(retype(ut, CAP_UNTYPED, 16, 0, 1, 10), ERR_OVERLAP); /* contains it */
	/* Objects retyped through a copy of the untyped count too. */
	HT_ASSERT(cap_copy(ut, S(20)) == ERR_OK);
	HT_ASSERT(retype(S(20), CAP_UNTYPED, 16, 0x10000, 1, 21) == ERR_OK);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x1f000, 1, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(retype(S(20), CAP_FRAME, 12, 0x10000, 1, 10), ERR_OVERLAP);
	/* ... as do objects inside those (their untyped covers them). */
	HT_ASSERT(retype(S(21), CAP_FRAME, 12, 0x3000, 1, 22) == ERR_OK);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x13000, 1, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0x20000, 1, 10), ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x1000 + 0x10000 + 0x1000);
	HT_EXPECT_EQ(cap_untyped_used(S(20)), cap_untyped_used(ut));
	HT_EXPECT_EQ(S(10)->cap.type, CAP_FRAME);
	HT_EXPECT_EQ(S(3)->cap.type, CAP_NULL); /* the refusals changed nothing */
	teardown();
}

HTEST(decode_changes_nothing_until_invoke)
{
	setup();
	struct cap_retype_args a = {.count = 2, .dest_index = 7, .type = CAP_FRAME, .obj_bits = 12};
	struct cap_retype_plan rp;
	HT_ASSERT(cap_decode_retype(&T.env, ut, &kroot, &a, &rp) == ERR_OK);
	HT_EXPECT(S(7)->cap.type == CAP_NULL && ut->first_child == NULL);
	HT_EXPECT(cap_untyped_used(ut) == 0 && cap_untyped_top(ut) == 0);
	cap_invoke_retype(&T.env, &rp);
	HT_EXPECT(S(7)->cap.type == CAP_FRAME && S(8)->cap.type == CAP_FRAME);
	HT_EXPECT(cap_untyped_used(ut) == 0x2000 && cap_untyped_top(ut) >= 0x2000);
	struct cap_derive_plan dp;
	struct cap_mint_args m = {.rights = CAP_RIGHT_READ};
	HT_ASSERT(cap_decode_mint(S(7), S(9), &m, &dp) == ERR_OK);
	HT_EXPECT(S(9)->cap.type == CAP_NULL && S(7)->first_child == NULL);
	cap_invoke_derive(&dp);
	HT_EXPECT(S(9)->cap.rights == CAP_RIGHT_READ && is_child(S(7), S(9)));
	HT_EXPECT_EQ(cap_decode_delete(S(7)), ERR_BUSY);
	HT_EXPECT_EQ(cap_decode_delete(S(9)), ERR_OK);
	HT_EXPECT_EQ(S(9)->cap.type, CAP_FRAME);
	cap_invoke_delete(&T.env, S(9));
	HT_EXPECT_EQ(cap_decode_revoke(S(9)), ERR_EMPTY);
	HT_EXPECT_EQ(cap_decode_revoke(S(7)), ERR_OK);
	cap_invoke_revoke(&T.env, ut);
	HT_EXPECT(S(7)->cap.type == CAP_NULL && S(8)->cap.type == CAP_NULL);
	teardown();
}

HTEST(device_memory)
{
	setup();
	struct cap dev = {.type = CAP_UNTYPED,
	                  .size_bits = 24,
	                  .flags = CAP_FLAG_DEVICE,
	                  .rights = cap_type_rights(CAP_UNTYPED),
	                  .base = TENV_DEVICE};
	HT_ASSERT(cap_create_root(&T.env, S(1), &dev) == ERR_OK);
	HT_EXPECT_EQ(retype(S(1), CAP_FRAME, 12, 0, 1, 2), ERR_TYPE);
	HT_EXPECT_EQ(retype(S(1), CAP_CNODE, 4, 0, 1, 2), ERR_TYPE);
	/* Never zeroed: p2v aborts for addresses outside the arena. */
	HT_EXPECT_EQ(retype(S(1), CAP_DEVICE_FRAME, 21, 0, 2, 2), ERR_OK);
	HT_EXPECT_EQ(S(3)->cap.base, TENV_DEVICE + 2 * MiB);
	HT_EXPECT_EQ(retype(S(1), CAP_UNTYPED, 16, 4 * MiB, 1, 4), ERR_OK);
	HT_EXPECT(S(4)->cap.flags & CAP_FLAG_DEVICE);
	HT_EXPECT_EQ(retype(S(4), CAP_DEVICE_FRAME, 12, 0, 1, 5), ERR_OK);
	HT_EXPECT_EQ(cap_revoke(&T.env, S(1)), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, S(1)), ERR_OK);
	HT_EXPECT(T.destroyed_roots == 1 && T.last.type == CAP_UNTYPED);
	teardown();
}

/* Memory this core does not map (another core's): RAM objects there are
 * refused, untyped is not (p2v aborts on any touch of the hole). */
HTEST(unreachable_memory)
{
	setup();
	T.hole_base = ut->cap.base + MiB;
	T.hole_len = 0x10000;
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, MiB, 1, 1), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, MiB - 0x1000, 2, 1),
	             ERR_UNSUPPORTED); /* straddles */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 21, 0, 1, 1), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(ut, CAP_CNODE, 4, MiB + 0xfc00, 1, 1), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(ut, CAP_ENDPOINT, 0, MiB + 0xffc0, 1, 1), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, MiB - 0x1000, 1, 1), ERR_OK);  /* just before */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, MiB + 0x10000, 1, 2), ERR_OK); /* just after */
	/* order: after RANGE, before the destination's checks */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 2 * MiB, 1, 3), ERR_RANGE);
	HT_EXPECT_EQ(tenv_retype(&T, ut, CAP_FRAME, 12, MiB, 1, S(1), 0), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, MiB, 1, 1), ERR_UNSUPPORTED); /* slot 1 taken */
	/* untyped is never touched: it can be split, and its parts hand on */
	HT_ASSERT(retype(ut, CAP_UNTYPED, 16, MiB, 1, 3) == ERR_OK);
	HT_EXPECT_EQ(retype(S(3), CAP_FRAME, 12, 0, 1, 4), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype(S(3), CAP_UNTYPED, 12, 0, 1, 4), ERR_OK);
	/* roots: RAM objects but untyped are zeroed, so they must be reachable */
	struct cap far = {.type = CAP_FRAME, .size_bits = 12, .rights = R, .base = TENV_FAR};
	HT_EXPECT_EQ(cap_create_root(&T.env, S(5), &far), ERR_UNSUPPORTED);
	far.type = CAP_CNODE;
	far.rights = 0;
	HT_EXPECT_EQ(cap_create_root(&T.env, S(5), &far), ERR_UNSUPPORTED);
	far.type = CAP_UNTYPED;
	far.rights = cap_type_rights(CAP_UNTYPED);
	HT_EXPECT_EQ(cap_create_root(&T.env, S(5), &far), ERR_OK);
	HT_EXPECT_EQ(retype(S(5), CAP_PT, 0, 0, 1, 6), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(cap_create_root(&T.env, S(5), &far), ERR_EXIST); /* root's order */
	HT_EXPECT_EQ(S(6)->cap.type, CAP_NULL);
	T.hole_len = 0;
	teardown();
}

HTEST(copy)
{
	setup();
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	HT_EXPECT_EQ(cap_copy(S(1), S(2)), ERR_OK);
	HT_EXPECT_EQ(S(2)->cap.type, CAP_FRAME);
	HT_EXPECT_EQ(S(2)->cap.base, S(1)->cap.base);
	HT_EXPECT_EQ(S(2)->cap.rights, S(1)->cap.rights);
	HT_EXPECT(!cap_is_original(S(2)) && is_child(S(1), S(2)));
	HT_EXPECT_EQ(cap_copy(S(1), S(2)), ERR_EXIST); /* occupied */
	HT_EXPECT_EQ(cap_copy(S(1), S(1)), ERR_EXIST);
	HT_EXPECT_EQ(cap_copy(S(3), S(4)), ERR_EMPTY);
	HT_ASSERT(mint(S(1), S(3), CAP_RIGHT_READ, 0) == ERR_OK); /* no GRANT */
	HT_EXPECT_EQ(cap_copy(S(3), S(4)), ERR_PERM);
	HT_EXPECT_EQ(mint(S(3), S(4), CAP_RIGHT_READ, 0), ERR_PERM);
	HT_EXPECT_EQ(S(4)->cap.type, CAP_NULL);
	teardown();
}

HTEST(mint)
{
	setup();
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	HT_ASSERT(mint(S(1), S(2), CAP_RIGHT_READ | CAP_RIGHT_GRANT, 0) == ERR_OK);
	HT_EXPECT_EQ(S(2)->cap.rights, CAP_RIGHT_READ | CAP_RIGHT_GRANT);
	HT_EXPECT(is_child(S(1), S(2)));
	HT_EXPECT_EQ(mint(S(2), S(3), CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0), ERR_PERM);
	HT_EXPECT_EQ(mint(S(2), S(3), CAP_RIGHT_READ, 5), ERR_INVAL); /* badge on a frame */
	HT_EXPECT_EQ(mint(S(2), S(2), CAP_RIGHT_READ, 0), ERR_EXIST);
	HT_EXPECT_EQ(mint(S(2), S(3), 0, 0), ERR_OK); /* no rights at all is allowed */
	/* Endpoints: a badge once, then never another. */
	HT_ASSERT(retype(ut, CAP_ENDPOINT, 0, 0x1000, 1, 10) == ERR_OK);
	uint32_t all = cap_type_rights(CAP_ENDPOINT);
	HT_EXPECT_EQ(mint(S(10), S(11), all, 0x77), ERR_OK);
	HT_EXPECT_EQ(S(11)->cap.badge, 0x77);
	HT_EXPECT_EQ(mint(S(11), S(12), all, 0x78), ERR_PERM);
	HT_EXPECT_EQ(mint(S(11), S(12), CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0x77), ERR_OK);
	HT_EXPECT_EQ(mint(S(11), S(13), CAP_RIGHT_WRITE, 0), ERR_OK);
	HT_EXPECT_EQ(S(13)->cap.badge, 0x77); /* 0 keeps it */
	HT_EXPECT_EQ(cap_copy(S(11), S(14)), ERR_OK);
	HT_EXPECT_EQ(S(14)->cap.badge, 0x77);
	/* I/O ports: narrower ranges only. */
	struct cap io = {.type = CAP_IOPORT,
	                 .rights = cap_type_rights(CAP_IOPORT),
	                 .base = 0x3f8,
	                 .count = 8};
	HT_ASSERT(cap_create_root(&T.env, S(20), &io) == ERR_OK);
	struct cap_mint_args a = {.rights = io.rights, .port_first = 0x3fa, .port_count = 2};
	HT_EXPECT_EQ(cap_mint(S(20), S(21), &a), ERR_OK);
	HT_EXPECT(S(21)->cap.base == 0x3fa && S(21)->cap.count == 2);
	a.port_first = 0x3fb;
	HT_EXPECT_EQ(cap_mint(S(21), S(22), &a), ERR_RANGE);
	a.port_first = 0x3f0;
	a.port_count = 1;
	HT_EXPECT_EQ(cap_mint(S(20), S(22), &a), ERR_RANGE);
	a.port_first = 0x3f8;
	a.port_count = 9;
	HT_EXPECT_EQ(cap_mint(S(20), S(22), &a), ERR_RANGE);
	a.port_count = 0;
	HT_EXPECT_EQ(cap_mint(S(20), S(22), &a), ERR_INVAL);
	a.port_first = 0;
	HT_EXPECT_EQ(cap_mint(S(20), S(22), &a), ERR_OK);
	HT_EXPECT(S(22)->cap.base == 0x3f8 && S(22)->cap.count == 8);
	a.port_first = 0x3f8;
	a.port_count = 1;
	HT_EXPECT_EQ(cap_mint(S(1), S(23), &a), ERR_INVAL); /* ports on a frame */
	teardown();
}

HTEST(revoke_removes_children_and_grandchildren)
{
	setup();
	HT_ASSERT(retype(ut, CAP_UNTYPED, 16, 0, 1, 1) == ERR_OK);
	HT_ASSERT(retype(S(1), CAP_FRAME, 12, 0, 2, 2) == ERR_OK); /* grandchildren */
	HT_ASSERT(cap_copy(S(2), S(4)) == ERR_OK);
	HT_ASSERT(cap_copy(S(4), S(5)) == ERR_OK);
	HT_ASSERT(mint(S(5), S(6), CAP_RIGHT_READ, 0) == ERR_OK);
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0x10000, 1, 7) == ERR_OK);
	HT_EXPECT_EQ(cap_revoke(&T.env, S(4)), ERR_OK); /* a middle cap */
	HT_EXPECT(S(5)->cap.type == CAP_NULL && S(6)->cap.type == CAP_NULL);
	HT_EXPECT(S(4)->cap.type == CAP_FRAME && S(4)->first_child == NULL);
	HT_EXPECT_EQ(cap_copy(S(5), S(8)), ERR_EMPTY); /* gone with its parent */
	HT_EXPECT_EQ(cap_delete(&T.env, S(6)), ERR_EMPTY);
	unsigned before = T.destroyed;
	HT_EXPECT_EQ(cap_revoke(&T.env, ut), ERR_OK);
	for (int i = 1; i <= 7; i++)
		HT_EXPECT_EQ(S((uint64_t)i)->cap.type, CAP_NULL);
	HT_EXPECT_EQ(T.destroyed - before, 4); /* untyped, 2 frames, 1 frame */
	HT_EXPECT(ut->cap.type == CAP_UNTYPED && ut->first_child == NULL);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0);
	HT_EXPECT_EQ(cap_revoke(&T.env, ut), ERR_OK); /* nothing left: fine */
	HT_EXPECT_EQ(cap_revoke(&T.env, S(1)), ERR_EMPTY);
	/* The whole untyped is free again. */
	HT_EXPECT_EQ(retype(ut, CAP_UNTYPED, 21, 0, 1, 1), ERR_OK);
	teardown();
}

HTEST(delete)
{
	setup();
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	HT_ASSERT(cap_copy(S(1), S(2)) == ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, S(1)), ERR_BUSY); /* has a copy */
	unsigned before = T.destroyed;
	HT_EXPECT_EQ(cap_delete(&T.env, S(2)), ERR_OK);
	HT_EXPECT_EQ(T.destroyed, before);                 /* a copy: the object lives */
	HT_EXPECT_EQ(cap_delete(&T.env, S(2)), ERR_EMPTY); /* double delete */
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0, 1, 3), ERR_OVERLAP);
	HT_EXPECT_EQ(cap_delete(&T.env, S(1)), ERR_OK);
	HT_EXPECT_EQ(T.destroyed, before + 1);
	HT_EXPECT(T.last.type == CAP_FRAME && T.last.base == ut->cap.base);
	HT_EXPECT_EQ(cap_delete(&T.env, S(1)), ERR_EMPTY);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0, 1, 3), ERR_OK); /* memory free again */
	/* A root untyped goes back to the pool when its last cap goes. */
	uint64_t free_before = buddy_free_bytes(&T.pool);
	HT_EXPECT_EQ(cap_delete(&T.env, ut), ERR_BUSY);
	HT_EXPECT_EQ(cap_revoke(&T.env, ut), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, ut), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), free_before + 2 * MiB);
	teardown();
}

HTEST(cnode_destruction_cascades)
{
	setup();
	/* X (16 slots) holds the original of Y (4 slots), which holds the
	 * original of frame F; X also holds a copy of frame G and of X. */
	HT_ASSERT(retype(ut, CAP_CNODE, 4, 0, 1, 1) == ERR_OK);
	struct cte *x = S(1);
	HT_ASSERT(tenv_retype(&T, ut, CAP_CNODE, 2, 0x1000, 1, x, 0) == ERR_OK);
	struct cte *y = tenv_slot(&T, x, 0);
	HT_ASSERT(tenv_retype(&T, ut, CAP_FRAME, 12, 0x2000, 1, y, 3) == ERR_OK);
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0x3000, 1, 2) == ERR_OK);
	HT_ASSERT(cap_copy(S(2), tenv_slot(&T, x, 5)) == ERR_OK);
	HT_ASSERT(cap_copy(x, tenv_slot(&T, x, 6)) == ERR_OK);
	HT_ASSERT(cap_copy(tenv_slot(&T, y, 3), S(3)) == ERR_OK); /* F's copy outside */
	HT_EXPECT_EQ(cap_delete(&T.env, x), ERR_BUSY);
	HT_EXPECT_EQ(cap_revoke(&T.env, x), ERR_OK); /* the copy of X inside X */
	HT_EXPECT_EQ(tenv_slot(&T, x, 6)->cap.type, CAP_NULL);
	unsigned before = T.destroyed;
	HT_EXPECT_EQ(cap_delete(&T.env, x), ERR_OK);
	/* X, Y, F destroyed; F's copy went with F; G lives on, without its copy. */
	HT_EXPECT_EQ(T.destroyed - before, 3);
	HT_EXPECT_EQ(S(3)->cap.type, CAP_NULL);
	HT_EXPECT(S(2)->cap.type == CAP_FRAME && S(2)->first_child == NULL);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x1000);
	HT_EXPECT_EQ(retype(ut, CAP_FRAME, 12, 0, 3, 10), ERR_OK);
	teardown();
}

HTEST(revoke_destroys_nested_cnodes)
{
	setup();
	/* A chain of CNodes each holding the next one's original. */
	HT_ASSERT(retype(ut, CAP_UNTYPED, 20, 0, 1, 1) == ERR_OK);
	struct cte *u = S(1), *cn = &kroot;
	uint64_t idx = 2;
	for (int i = 0; i < 50; i++) {
		HT_ASSERT(tenv_retype(&T, u, CAP_CNODE, 2, 0x1000 * (uint64_t)i, 1, cn, idx) ==
		          ERR_OK);
		cn = tenv_slot(&T, cn, idx);
		idx = 1;
		HT_ASSERT(cap_copy(u, tenv_slot(&T, cn, 3)) == ERR_OK);
	}
	unsigned before = T.destroyed;
	HT_EXPECT_EQ(cap_revoke(&T.env, u), ERR_OK);
	HT_EXPECT_EQ(T.destroyed - before, 50);
	HT_EXPECT_EQ(S(2)->cap.type, CAP_NULL);
	HT_EXPECT(u->first_child == NULL && cap_untyped_used(u) == 0);
	teardown();
}

HTEST(cnode_slots)
{
	setup();
	struct cte *s;
	HT_EXPECT_EQ(cnode_decode_slot(&T.env, &kroot, 256, 0, &s), ERR_RANGE);
	HT_EXPECT_EQ(cnode_decode_slot(&T.env, ut, 0, 0, &s), ERR_TYPE);
	HT_ASSERT(mint(&kroot, S(1), CAP_RIGHT_READ | CAP_RIGHT_GRANT, 0) == ERR_OK);
	HT_EXPECT_EQ(cnode_decode_slot(&T.env, S(1), 3, CAP_RIGHT_WRITE, &s), ERR_PERM);
	HT_EXPECT_EQ(cnode_decode_slot(&T.env, S(1), 3, CAP_RIGHT_READ, &s), ERR_OK);
	HT_EXPECT(s == S(3));
	teardown();
}

/* A pinned original (its object is mapped on another core) is never
 * destroyed: deleting it and revoking its untyped are refused; copies of it
 * come and go; unpinned siblings are unaffected by the pin itself. */
HTEST(pinned_objects_stay)
{
	setup();
	HT_ASSERT(retype(ut, CAP_FRAME, 12, 0, 2, 1) == ERR_OK);
	HT_EXPECT(cap_pin(S(1)));
	HT_EXPECT(!cap_pin(S(9))); /* empty */
	HT_ASSERT(cap_copy(S(1), S(3)) == ERR_OK);
	HT_EXPECT(!cap_pin(S(3))); /* not an original */
	HT_EXPECT_EQ(cap_delete(&T.env, S(3)), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, S(1)), ERR_BUSY);
	HT_EXPECT_EQ(cap_revoke(&T.env, ut), ERR_BUSY);
	HT_EXPECT(cap_slot_live(S(1)) && cap_slot_live(S(2)));
	HT_EXPECT_EQ(cap_delete(&T.env, S(2)), ERR_OK); /* the other frame goes */
	HT_EXPECT_EQ(cap_untyped_used(ut), 4096);
	S(1)->cap.flags &= (uint16_t)~0x0400u; /* unpin (what a recall would do) */
	teardown();
}

HTEST_MAIN("cap")
