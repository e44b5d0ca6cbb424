/* Retype's overlap check and its shortcut: an untyped's original keeps a
 * high-water mark (cap_untyped_top) above which nothing retyped from it
 * lies, and a count of the bytes in use.  Each case arranges objects so
 * that a shortcut taken where it must not be (a mark kept per cap, lowered
 * too far, not seen through a copy, kept after a revoke, or a region that
 * only ends above it) would accept an overlapping retype.  The expected
 * offsets and sizes are the cases' own arithmetic. */
#include <string.h>

#include "../htest.h"
#include "capenv.h"

#define MiB (1ull << 20)

static struct tenv T;
static struct cte kroot;
static struct cte *ut; /* slot 0: a 2 MiB root untyped */

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

static void teardown(void)
{
	HT_EXPECT_EQ(cap_revoke(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), 16 * MiB);
	tenv_fini(&T);
}

static enum err frame(struct cte *u, uint64_t off, uint64_t slot)
{
	return tenv_retype(&T, u, CAP_FRAME, 12, off, 1, &kroot, slot);
}

static enum err untyped(struct cte *u, unsigned bits, uint64_t off, uint64_t slot)
{
	return tenv_retype(&T, u, CAP_UNTYPED, bits, off, 1, &kroot, slot);
}

HTEST(objects_below_the_mark_are_still_checked)
{
	setup();
	HT_EXPECT_EQ(cap_untyped_top(ut), 0);
	HT_ASSERT(frame(ut, 0x8000, 1) == ERR_OK);
	HT_EXPECT(cap_untyped_top(ut) >= 0x9000);
	HT_ASSERT(frame(ut, 0x100000, 2) == ERR_OK); /* the mark moves past 1 MiB */
	HT_EXPECT(cap_untyped_top(ut) >= 0x101000);
	/* below the mark: the object at 0x8000 is found */
	HT_EXPECT_EQ(frame(ut, 0x8000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(untyped(ut, 16, 0, 10), ERR_OVERLAP); /* contains it */
	HT_ASSERT(frame(ut, 0x4000, 3) == ERR_OK);         /* a gap below the mark */
	HT_EXPECT_EQ(frame(ut, 0x4000, 10), ERR_OVERLAP);
	/* a region that starts below the mark and ends above it */
	HT_EXPECT_EQ(untyped(ut, 20, 0x100000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(untyped(ut, 12, 0x100000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(cap_untyped_used(ut), 3 * 0x1000);
	/* deleting an object that is not the highest must not lower the mark
	 * below the highest */
	HT_ASSERT(cap_delete(&T.env, S(3)) == ERR_OK);
	HT_EXPECT(cap_untyped_top(ut) >= 0x101000);
	HT_EXPECT_EQ(frame(ut, 0x100000, 10), ERR_OVERLAP);
	/* deleting the highest may lower it, never below the next one */
	HT_ASSERT(cap_delete(&T.env, S(2)) == ERR_OK);
	HT_EXPECT(cap_untyped_top(ut) >= 0x9000);
	HT_EXPECT_EQ(frame(ut, 0x8000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(ut, 0x100000, 10), ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), 2 * 0x1000);
	/* nothing left: the mark is 0 again */
	HT_ASSERT(cap_delete(&T.env, S(10)) == ERR_OK);
	HT_ASSERT(cap_delete(&T.env, S(1)) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0);
	HT_EXPECT_EQ(cap_untyped_top(ut), 0);
	HT_EXPECT_EQ(untyped(ut, 21, 0, 10), ERR_OK); /* the whole untyped is free */
	teardown();
}

/* The mark is the object's, not the cap's: retypes through the original,
 * copies, copies of copies and mints all see each other's objects. */
HTEST(overlap_through_copies)
{
	setup();
	struct cap_mint_args m = {.rights = CAP_RIGHT_RETYPE | CAP_RIGHT_GRANT};
	struct cte *c1 = S(100), *c2 = S(101), *c3 = S(102);
	HT_ASSERT(cap_copy(ut, c1) == ERR_OK);
	HT_ASSERT(cap_copy(c1, c2) == ERR_OK);
	HT_ASSERT(cap_mint(c1, c3, &m) == ERR_OK);
	HT_ASSERT(frame(c2, 0x40000, 1) == ERR_OK);
	HT_EXPECT_EQ(frame(ut, 0x40000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(c1, 0x40000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(c3, 0x40000, 10), ERR_OVERLAP);
	HT_ASSERT(frame(ut, 0x50000, 2) == ERR_OK); /* above the mark, through the original */
	HT_EXPECT_EQ(frame(c2, 0x50000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(c3, 0x50000, 10), ERR_OVERLAP);
	HT_ASSERT(frame(c3, 0x60000, 3) == ERR_OK);
	HT_EXPECT_EQ(frame(c2, 0x60000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(ut, 0x60000, 10), ERR_OVERLAP);
	struct cte *all[] = {ut, c1, c2, c3};
	for (unsigned i = 0; i < 4; i++) {
		HT_EXPECT_EQ(cap_untyped_used(all[i]), 3 * 0x1000);
		HT_EXPECT(cap_untyped_top(all[i]) >= 0x61000);
	}
	/* a copy made now starts with what the object has, too */
	HT_ASSERT(cap_copy(c3, S(103)) == ERR_OK);
	HT_EXPECT_EQ(frame(S(103), 0x40000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(cap_untyped_used(S(103)), 3 * 0x1000);
	teardown();
}

/* Revoking a copy takes only what was retyped through it; revoking the
 * original takes everything, and the untyped is empty again. */
HTEST(after_revoke)
{
	setup();
	struct cte *c1 = S(100), *c2 = S(101);
	HT_ASSERT(cap_copy(ut, c1) == ERR_OK);
	HT_ASSERT(cap_copy(ut, c2) == ERR_OK);
	HT_ASSERT(frame(ut, 0x0, 1) == ERR_OK);
	HT_ASSERT(frame(c1, 0x100000, 2) == ERR_OK);
	HT_ASSERT(frame(c2, 0x10000, 3) == ERR_OK);
	HT_ASSERT(cap_revoke(&T.env, c1) == ERR_OK);
	HT_EXPECT_EQ(S(2)->cap.type, CAP_NULL);
	HT_EXPECT_EQ(cap_untyped_used(ut), 2 * 0x1000);
	HT_EXPECT(cap_untyped_top(ut) >= 0x11000);
	HT_EXPECT_EQ(frame(c1, 0x0, 10), ERR_OVERLAP);     /* the original's object */
	HT_EXPECT_EQ(frame(c1, 0x10000, 10), ERR_OVERLAP); /* the other copy's */
	HT_EXPECT_EQ(frame(c1, 0x100000, 10), ERR_OK);     /* the revoked one's */
	HT_ASSERT(cap_revoke(&T.env, ut) == ERR_OK);
	HT_EXPECT(S(1)->cap.type == CAP_NULL && c1->cap.type == CAP_NULL && S(10)->cap.type == 0);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0);
	HT_EXPECT_EQ(cap_untyped_top(ut), 0);
	HT_EXPECT_EQ(untyped(ut, 21, 0, 10), ERR_OK);
	teardown();
}

/* An untyped retyped from an untyped: its objects are its own (its own
 * mark and count), and it covers its whole range in its parent's. */
HTEST(children_untyped)
{
	setup();
	struct cte *u2 = S(1), *u2copy = S(2);
	HT_ASSERT(untyped(ut, 16, 0x10000, 1) == ERR_OK);
	HT_ASSERT(cap_copy(u2, u2copy) == ERR_OK);
	HT_ASSERT(frame(u2, 0x0, 3) == ERR_OK);
	HT_ASSERT(frame(u2copy, 0xf000, 4) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(u2), 2 * 0x1000);
	HT_EXPECT_EQ(cap_untyped_top(u2), 0x10000);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x10000);
	HT_EXPECT_EQ(frame(u2, 0xf000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(ut, 0x10000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(ut, 0x1f000, 10), ERR_OVERLAP);
	HT_EXPECT_EQ(frame(ut, 0xf000, 10), ERR_OK);
	HT_EXPECT_EQ(frame(ut, 0x20000, 11), ERR_OK);
	HT_ASSERT(cap_revoke(&T.env, u2) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(u2), 0);
	HT_EXPECT_EQ(cap_untyped_top(u2), 0);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0x10000 + 2 * 0x1000);
	HT_EXPECT_EQ(frame(u2, 0xf000, 3), ERR_OK);
	HT_EXPECT_EQ(frame(ut, 0x10000, 12), ERR_OVERLAP); /* u2 is still there */
	HT_ASSERT(cap_revoke(&T.env, u2) == ERR_OK);
	HT_ASSERT(cap_delete(&T.env, u2) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), 2 * 0x1000);
	HT_EXPECT_EQ(frame(ut, 0x10000, 12), ERR_OK);
	teardown();
}

/* An untyped that moves to another core is made there again as a root
 * from its base, size, rights and flags (capboot's CAP_TRANSFER): it
 * starts empty whatever the sender did with it; a cap value that carried
 * a mark is not a valid root.  (Memory outside the arena, as another
 * core's is: untyped only, never touched, never returned to the pool.) */
HTEST(roots_start_empty)
{
	setup();
	struct cap far = {.type = CAP_UNTYPED,
	                  .size_bits = 24,
	                  .rights = cap_type_rights(CAP_UNTYPED),
	                  .base = TENV_FAR};
	struct cte *f = S(50);
	HT_ASSERT(cap_create_root(&T.env, f, &far) == ERR_OK);
	HT_ASSERT(untyped(f, 20, 0x100000, 51) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_top(f), 0x200000);
	/* what the sender puts in the message, after it revoked its copy */
	struct cap moved = {.type = CAP_UNTYPED,
	                    .size_bits = f->cap.size_bits,
	                    .flags = (uint16_t)(f->cap.flags & ~CAP_FLAG_KERNEL),
	                    .rights = f->cap.rights,
	                    .base = f->cap.base};
	HT_ASSERT(cap_revoke(&T.env, f) == ERR_OK);
	HT_ASSERT(cap_delete(&T.env, f) == ERR_OK);
	struct cap stale = moved;
	stale.badge = 0x200000;
	HT_EXPECT_EQ(cap_decode_root(f, &stale), ERR_INVAL);
	HT_ASSERT(cap_decode_root(f, &moved) == ERR_OK);
	cap_invoke_root(&T.env, f, &moved);
	HT_EXPECT_EQ(cap_untyped_used(f), 0);
	HT_EXPECT_EQ(cap_untyped_top(f), 0);
	HT_EXPECT_EQ(untyped(f, 20, 0x100000, 51), ERR_OK);
	HT_EXPECT_EQ(untyped(f, 20, 0x100000, 52), ERR_OVERLAP);
	HT_EXPECT_EQ(untyped(f, 12, 0x0, 52), ERR_OK); /* below the mark, free */
	HT_EXPECT_EQ(cap_untyped_used(f), 0x100000 + 0x1000);
	teardown();
}

/* Many objects, allocated upwards as a bump allocator would and freed in
 * every order: the count and the checks stay exact. */
HTEST(many_objects)
{
	setup();
	enum { N = 200 };
	for (uint64_t i = 0; i < N; i++)
		HT_ASSERT(frame(ut, i * 0x1000, 1 + i) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), N * 0x1000);
	HT_EXPECT(cap_untyped_top(ut) >= N * 0x1000);
	for (uint64_t i = 0; i < N; i += 2) /* every other one */
		HT_ASSERT(cap_delete(&T.env, S(1 + i)) == ERR_OK);
	for (uint64_t i = 0; i < N; i++) { /* odd ones still there, even ones free */
		HT_EXPECT_EQ(frame(ut, i * 0x1000, 230), i % 2 ? ERR_OVERLAP : ERR_OK);
		if (S(230)->cap.type)
			HT_ASSERT(cap_delete(&T.env, S(230)) == ERR_OK);
	}
	HT_EXPECT_EQ(cap_untyped_used(ut), N / 2 * 0x1000);
	for (uint64_t i = N - 1; i < N; i -= 2) /* the rest, from the top down */
		HT_ASSERT(cap_delete(&T.env, S(1 + i)) == ERR_OK);
	HT_EXPECT_EQ(cap_untyped_used(ut), 0);
	HT_EXPECT_EQ(cap_untyped_top(ut), 0);
	teardown();
}

HTEST_MAIN("cap_top")
