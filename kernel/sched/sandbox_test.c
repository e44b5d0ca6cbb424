/* Test kernel only: sandboxes for user test programs; see sandbox_test.h. */
#include "sandbox_test.h"

#include <arch/arch.h>
#include <tessera/bootinfo.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "hhdm.h"
#include "ktime.h"
#include "mm/vm.h"
#include "mm/vspace.h"
#include "msgloop.h"
#include "spawn.h"

static char kernel_data_marker; /* an address in the kernel's data */

void sandbox_up(struct ktest *kt, struct sandbox *b, unsigned untyped_bits)
{
	const struct cap_env *env = capboot_env();
	struct cap_mint_args ro = {.rights = CAP_RIGHT_READ | CAP_RIGHT_GRANT};

	KT_ASSERT(capboot_root() != NULL);
	*b = (struct sandbox){.dispatchers = sched_count(NULL), .spaces = vspace_count()};
	KT_ASSERT(capboot_make_space(SANDBOX_BITS, untyped_bits, &b->cnode, &b->untyped) == ERR_OK);
	KT_ASSERT(cap_copy(&b->cnode, cnode_slot(env, &b->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&b->untyped, cnode_slot(env, &b->cnode.cap, SANDBOX_SLOT_UT)) == ERR_OK);
	struct cte *log = cnode_slot(env, &b->cnode.cap, SANDBOX_SLOT_LOG);
	KT_ASSERT(cap_copy(capboot_slot(SLOT_LOG), log) == ERR_OK);
	KT_ASSERT(cap_mint(log, cnode_slot(env, &b->cnode.cap, SANDBOX_SLOT_LOGR), &ro) == ERR_OK);
}

void sandbox_down(struct ktest *kt, struct sandbox *b)
{
	const struct cap_env *env = capboot_env();

	KT_EXPECT_EQ(cap_revoke(env, &b->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_untyped_used(&b->untyped), 0);
	KT_EXPECT_EQ(cap_revoke(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->untyped), ERR_OK);
	KT_EXPECT_EQ(sched_count(NULL), b->dispatchers);
	KT_EXPECT_EQ(vspace_count(), b->spaces);
}

/* An invocation from the bench's root CNode. */
static enum err binv(struct sandbox *b, uint64_t method, uint64_t cap, uint64_t depth,
                     const uint64_t *args, unsigned n)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	struct cap_invocation_result r;

	for (unsigned i = 0; i < n; i++)
		a.arg[i] = args[i];
	return cap_invoke(capboot_env(), &b->cnode, &a, &r);
}

/* Program n's root slot s, from the bench. */
static uint64_t own(unsigned n, uint64_t s)
{
	return (uint64_t)(SANDBOX_SLOT_PROG + n) << SPAWN_SANDBOX_BITS | s;
}
#define OWN_DEPTH (SANDBOX_BITS + SPAWN_SANDBOX_BITS)

static struct cte *slot_of(struct sandbox *b, unsigned n, uint64_t s)
{
	struct cte *c;
	uint32_t rights;

	if (cap_lookup(capboot_env(), &b->cnode, own(n, s), OWN_DEPTH, &c, &rights) ||
	    !cap_slot_live(c))
		return NULL;
	return c;
}

uint64_t sandbox_base(struct sandbox *b, unsigned n, uint64_t slot)
{
	struct cte *c = slot_of(b, n, slot);
	return c ? c->cap.base : 0;
}

uint64_t sandbox_phys(struct sandbox *b, unsigned n, uint64_t va)
{
	struct cte *top = slot_of(b, n, SLOT_VSPACE);
	struct vm_space *space;
	uint64_t pa;
	unsigned prot, bits;

	if (!top || vspace_space(top, &space) || vm_lookup(space, va, &pa, &prot, &bits))
		return 0;
	return pa;
}

/* One object retyped from the bench's untyped into program n's slot s. */
static enum err carve(struct sandbox *b, unsigned n, unsigned type, unsigned bits, unsigned size,
                      uint64_t s)
{
	uint64_t align = 1ull << size;
	b->offset = (b->offset + align - 1) & ~(align - 1);
	uint64_t args[7] = {type, bits, b->offset, 1, SANDBOX_SLOT_PROG + n, SANDBOX_BITS, s};
	enum err e = binv(b, CAP_INV_RETYPE, SANDBOX_SLOT_UT, SANDBOX_BITS, args, 7);
	if (!e)
		b->offset += align;
	return e;
}

/* The test page: a frame in SLOT_ARGS, mapped at TESTPAGE_VA. */
static struct testpage *test_page(struct ktest *kt, struct sandbox *b, unsigned n, uint64_t mode)
{
	uint64_t map[5] = {own(n, SLOT_ARGS), OWN_DEPTH, TESTPAGE_VA,
	                   CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0};
	uint64_t on_stack;

	KT_ASSERT(carve(b, n, CAP_FRAME, 12, 12, SLOT_ARGS) == ERR_OK);
	KT_ASSERT(binv(b, CAP_INV_MAP_FRAME, own(n, SLOT_VSPACE), OWN_DEPTH, map, 5) == ERR_OK);
	struct testpage *t = hhdm_ptr(sandbox_base(b, n, SLOT_ARGS));
	*t = (struct testpage){.magic = TESTPAGE_MAGIC,
	                       .mode = mode,
	                       .seed = 0x9e3779b97f4a7c15ull * (n + 1) ^ arch_cycles(),
	                       .hhdm = (uint64_t)(uintptr_t)hhdm_ptr(0),
	                       .kernel_text = (uint64_t)(uintptr_t)sandbox_run_until,
	                       .kernel_data = (uint64_t)(uintptr_t)&kernel_data_marker,
	                       .kernel_stack = (uint64_t)(uintptr_t)&on_stack};
	return t;
}

void sandbox_spawn(struct ktest *kt, struct sandbox *b, const char *module, unsigned n,
                   unsigned priority, uint64_t mode, unsigned own_bits, uint64_t log_slot,
                   struct sandbox_prog *p)
{
	struct spawn_sandbox s = {.module = module,
	                          .root = &b->cnode,
	                          .root_bits = SANDBOX_BITS,
	                          .untyped_slot = SANDBOX_SLOT_UT,
	                          .offset = &b->offset,
	                          .cspace_slot = SANDBOX_SLOT_PROG + n,
	                          .log_slot = log_slot,
	                          .priority = priority};

	KT_ASSERT(n < SANDBOX_PROGS);
	*p = (struct sandbox_prog){.n = n};
	enum err e = spawn_sandbox(&s, &p->frame);
	if (e) {
		ktest_fail(kt, __FILE__, __LINE__, "%s spawned (%s)", module, err_str(e));
		ktest_abort(kt);
	}
	struct cte *disp = slot_of(b, n, SLOT_DISPATCHER);
	KT_ASSERT(disp && disp->cap.type == CAP_DISPATCHER);
	p->d = sched_dcb(disp->cap.base);
	p->page = test_page(kt, b, n, mode);
	if (own_bits) {
		KT_ASSERT(carve(b, n, CAP_UNTYPED, own_bits, own_bits, TESTPAGE_SLOT_UNTYPED) ==
		          ERR_OK);
		p->page->untyped_bits = own_bits;
	}
}

bool sandbox_run_until(bool (*done)(void *ctx), void *ctx, unsigned ms)
{
	uint64_t deadline = ktime_deadline(ms);

	while (!done(ctx) && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	return done(ctx);
}

bool sandbox_stopped(void *p)
{
	return ((struct sandbox_prog *)p)->frame->stopped != 0;
}
