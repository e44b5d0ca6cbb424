/* Test kernel only: moving caps between monitors (tessera/caps.h,
 * MON_SEND and MON_RECV) between the last two online cores, with a
 * monitor cap of the test's own: every refusal in the documented order,
 * then a notification and a frame sent by core a, taken on core b as caps
 * naming core a; the notification signalled from there; the frame pinned
 * on a until b deletes its cap, then free on a again. */
#include <tessera/caps.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "cap/mdb.h"
#include "capboot/capboot.h"
#include "core.h"
#include "ktest.h"
#include "ktime.h"
#include "monlink.h"
#include "msgloop.h"
#include "notify.h"

#define BITS      6 /* the test's CNode */
#define UT_BITS   16
#define S_UT      2
#define S_MON     3
#define S_MON_RO  4 /* the monitor cap without WRITE */
#define S_FRAME   5
#define S_COPY    6 /* a copy of the frame: not its original */
#define S_NOGRANT 7
#define S_NOTE    8
#define S_DEST    9
#define S_MON_WO  10 /* the monitor cap without READ */
#define S_DEST2   11
#define TAG       0x5eed0001ull
#define WAIT_MS   10000

struct space {
	struct cte cnode, untyped;
};

static enum err inv(struct space *s, uint64_t cap, uint64_t method, const uint64_t *a, unsigned n,
                    struct cap_invocation_result *res)
{
	struct cap_invocation_args args = {.cap = cap, .depth = BITS, .method = method};
	struct cap_invocation_result ignored;

	for (unsigned i = 0; i < n; i++)
		args.arg[i] = a[i];
	return cap_invoke(capboot_env(), &s->cnode, &args, res ? res : &ignored);
}

static void space_up(struct ktest *kt, struct space *s)
{
	const struct cap_env *env = capboot_env();
	const struct cap_mint_args ro = {.rights = CAP_RIGHT_READ};
	const struct cap_mint_args wo = {.rights = CAP_RIGHT_WRITE};
	const struct cap_mint_args nogrant = {.rights = CAP_RIGHT_READ | CAP_RIGHT_WRITE};
	struct cap mon = {.type = CAP_MONITOR, .rights = cap_type_rights(CAP_MONITOR)};
	struct cap_retype_args frame = {
	        .count = 1, .dest_index = S_FRAME, .type = CAP_FRAME, .obj_bits = 12};
	struct cap_retype_args note = {
	        .offset = 4096, .count = 1, .dest_index = S_NOTE, .type = CAP_NOTIFY};

	*s = (struct space){0};
	KT_ASSERT(capboot_make_space(BITS, UT_BITS, &s->cnode, &s->untyped) == ERR_OK);
	KT_ASSERT(cap_copy(&s->cnode, cnode_slot(env, &s->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&s->untyped, cnode_slot(env, &s->cnode.cap, S_UT)) == ERR_OK);
	KT_ASSERT(cap_create_root(env, cnode_slot(env, &s->cnode.cap, S_MON), &mon) == ERR_OK);
	KT_ASSERT(cap_mint(cnode_slot(env, &s->cnode.cap, S_MON),
	                   cnode_slot(env, &s->cnode.cap, S_MON_RO), &ro) == ERR_OK);
	KT_ASSERT(cap_mint(cnode_slot(env, &s->cnode.cap, S_MON),
	                   cnode_slot(env, &s->cnode.cap, S_MON_WO), &wo) == ERR_OK);
	KT_ASSERT(cap_retype(env, &s->untyped, &s->cnode, &frame) == ERR_OK);
	KT_ASSERT(cap_retype(env, &s->untyped, &s->cnode, &note) == ERR_OK);
	struct cte *f = cnode_slot(env, &s->cnode.cap, S_FRAME);
	KT_ASSERT(cap_copy(f, cnode_slot(env, &s->cnode.cap, S_COPY)) == ERR_OK);
	KT_ASSERT(cap_mint(f, cnode_slot(env, &s->cnode.cap, S_NOGRANT), &nogrant) == ERR_OK);
}

static void space_down(struct ktest *kt, struct space *s)
{
	const struct cap_env *env = capboot_env();

	KT_EXPECT_EQ(cap_delete(env, cnode_slot(env, &s->cnode.cap, S_MON_RO)), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, cnode_slot(env, &s->cnode.cap, S_MON_WO)), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, cnode_slot(env, &s->cnode.cap, S_MON)), ERR_OK);
	KT_EXPECT_EQ(cap_revoke(env, &s->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_revoke(env, &s->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &s->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &s->untyped), ERR_OK);
}

/* Core a: the refusals, then the notification to b. */
static void sender(struct ktest *kt, unsigned b)
{
	struct space s;
	const uint64_t d = BITS;

	space_up(kt, &s);
	const uint64_t self[4] = {core_self(), S_NOTE, d, TAG};
	const uint64_t wild[4] = {SMP_MAX_CORES, S_NOTE, d, TAG};
	const uint64_t empty[4] = {b, S_DEST, d, TAG};
	const uint64_t ut[4] = {b, S_UT, d, TAG};
	const uint64_t copy[4] = {b, S_COPY, d, TAG};
	const uint64_t nogrant[4] = {b, S_NOGRANT, d, TAG};
	const uint64_t deep[4] = {b, S_FRAME << 1, d + 1, TAG}; /* a bad address */
	const uint64_t note[4] = {b, S_NOTE, d, TAG};
	KT_EXPECT_EQ(inv(&s, S_MON_RO, CAP_INV_MON_SEND, note, 4, NULL), ERR_PERM);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, self, 4, NULL), ERR_RANGE);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, wild, 4, NULL), ERR_RANGE);
	KT_EXPECT(inv(&s, S_MON, CAP_INV_MON_SEND, deep, 4, NULL) != ERR_OK);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, empty, 4, NULL), ERR_EMPTY);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, ut, 4, NULL), ERR_TYPE);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, copy, 4, NULL), ERR_TYPE);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, nogrant, 4, NULL), ERR_PERM);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, note, 4, NULL), ERR_OK);
	const uint64_t frame[4] = {b, S_FRAME, d, TAG + 1};
	struct cte *f = cnode_slot(capboot_env(), &s.cnode.cap, S_FRAME);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_SEND, frame, 4, NULL), ERR_OK);
	KT_EXPECT(f->cap.flags & CTE_PINNED); /* b may map it now */
	const struct cte *n = cnode_slot(capboot_env(), &s.cnode.cap, S_NOTE);
	KT_EXPECT(ktest_send_value(b, n->cap.base, f->cap.base)); /* one value, two words */
	/* b signals it from its core with 0x21, then says so; the signal is
	 * taken at this core's top level */
	uint64_t v, deadline = ktime_deadline(WAIT_MS);
	KT_EXPECT(ktest_take_value(b, &v, NULL));
	const uint64_t nonblock[1] = {EP_NONBLOCK};
	struct cap_invocation_result res = {0};
	enum err e;
	while ((e = inv(&s, S_NOTE, CAP_INV_NOTIFY_WAIT, nonblock, 1, &res)) == ERR_EMPTY &&
	       !ktime_passed(deadline))
		msgloop_step();
	KT_EXPECT_EQ(e, ERR_OK);
	KT_EXPECT_EQ(res.value[0], 0x21);
	/* b deleted its frame cap: its CPU driver told this one, which unpins */
	deadline = ktime_deadline(WAIT_MS);
	while ((f->cap.flags & CTE_PINNED) && !ktime_passed(deadline))
		msgloop_step();
	KT_EXPECT(!(f->cap.flags & CTE_PINNED));
	space_down(kt, &s);
}

/* Core b: refusals before anything came, the notification once it has. */
static void receiver(struct ktest *kt, unsigned a)
{
	struct space s;
	struct cap_invocation_result res = {0};
	uint64_t base, fbase;

	space_up(kt, &s);
	const uint64_t ro[3] = {a, S_DEST, BITS};
	const uint64_t self[3] = {core_self(), S_DEST, BITS};
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_RECV, self, 3, &res), ERR_RANGE);
	KT_EXPECT(ktest_take_value(a, &base, &fbase)); /* a has sent them */
	const uint64_t taken[3] = {a, S_NOTE, BITS};   /* an occupied slot */
	uint64_t deadline = ktime_deadline(WAIT_MS);
	enum err e;
	while ((e = inv(&s, S_MON, CAP_INV_MON_RECV, taken, 3, &res)) == ERR_EMPTY &&
	       !ktime_passed(deadline))
		msgloop_step();
	KT_EXPECT_EQ(e, ERR_EXIST);
	KT_EXPECT_EQ(inv(&s, S_MON_WO, CAP_INV_MON_RECV, ro, 3, &res), ERR_PERM);
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_RECV, ro, 3, &res), ERR_OK);
	KT_EXPECT_EQ(res.value[0], CAP_NOTIFY);
	KT_EXPECT_EQ(res.value[1], TAG);
	const struct cte *got = cnode_slot(capboot_env(), &s.cnode.cap, S_DEST);
	KT_EXPECT_EQ(got->cap.type, CAP_NOTIFY);
	KT_EXPECT_EQ(got->cap.base, base);
	KT_EXPECT_EQ(got->cap.count, a + 1); /* it names its core */
	/* the cap works from here: a signal to a's object, carried by the CPU
	 * drivers (a checks the bits) */
	const uint64_t bits[1] = {0x21};
	KT_EXPECT_EQ(inv(&s, S_DEST, CAP_INV_NOTIFY_SIGNAL, bits, 1, NULL), ERR_OK);
	/* then the frame: a cap naming core a, for a's memory */
	const uint64_t two[3] = {a, S_DEST2, BITS};
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_RECV, two, 3, &res), ERR_OK);
	KT_EXPECT_EQ(res.value[0], CAP_FRAME);
	KT_EXPECT_EQ(res.value[1], TAG + 1);
	struct cte *fr = cnode_slot(capboot_env(), &s.cnode.cap, S_DEST2);
	KT_EXPECT_EQ(fr->cap.base, fbase);
	KT_EXPECT_EQ(fr->cap.count, a + 1);
	KT_EXPECT_EQ(cap_delete(capboot_env(), fr), ERR_OK);
	monlink_flush(); /* the scheduler's top level would */
	const uint64_t again[3] = {a, S_DEST2, BITS};
	KT_EXPECT_EQ(inv(&s, S_MON, CAP_INV_MON_RECV, again, 3, &res),
	             ERR_EMPTY); /* two were sent */
	KT_EXPECT(ktest_send_value(a, 1, 0));
	space_down(kt, &s);
}

KTEST_SMP(monlink, caps_move_between_monitors_only_as_documented)
{
	unsigned list[SMP_MAX_CORES], n = 0, me = core_self();

	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		if (core_online() & (1ull << c))
			list[n++] = c;
	if (n < 2)
		KT_SKIP("needs two online cores");
	unsigned a = list[n - 2], b = list[n - 1];
	ktest_barrier(kt);
	if (me == a)
		sender(kt, b);
	else if (me == b)
		receiver(kt, a);
	ktest_barrier(kt);
}
