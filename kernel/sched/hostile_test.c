/* The sandbox under attack (user/tests/hostile*.c): a program with an
 * untyped of its own tries every way out next to a victim program on the
 * same core, and must be refused each time exactly as documented; programs
 * that delete their own dispatcher, address space, code or frame end alone.
 * Afterwards everything the test untyped gave comes back (the leak check)
 * and the core's dispatchers and address spaces are as before. */
#include "sandbox_test.h"

#include <tessera/bootinfo.h>

#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "hhdm.h"

#define BENCH_BITS 22 /* 4 MiB */
#define RUN_MS     60000

static bool victim_ready(void *p)
{
	struct sandbox_prog *v = p;
	return v->page->ready || v->frame->stopped;
}

/* The victim's secret as it wrote it (hostile.c). */
static bool secret_intact(uint64_t pa)
{
	const uint8_t *s = hhdm_ptr(pa);
	for (unsigned i = 0; i < 4096; i++)
		if (s[i] != (uint8_t)(i * 7 + 3))
			return false;
	return true;
}

KTEST(hostile, every_way_out_is_refused)
{
	struct sandbox b;
	struct sandbox_prog v, h;

	sandbox_up(kt, &b, BENCH_BITS);
	sandbox_spawn(kt, &b, "hostile", 0, 3, HOSTILE_VICTIM, 0, SANDBOX_SLOT_LOG, &v);
	KT_ASSERT(sandbox_run_until(victim_ready, &v, RUN_MS) && v.page->ready);
	uint64_t secret = sandbox_phys(&b, 0, v.page->secret_va);
	KT_ASSERT(secret && secret_intact(secret));
	sandbox_spawn(kt, &b, "hostile", 1, 3, HOSTILE_EVERYTHING, 17, SANDBOX_SLOT_LOG, &h);
	h.page->other[0] = sandbox_base(&b, 0, SLOT_ROOT);
	h.page->other[1] = sandbox_base(&b, 0, SLOT_DISPATCHER);
	h.page->other[2] = sandbox_base(&b, 0, SLOT_DISP_FRAME);
	h.page->other[3] = secret;
	KT_EXPECT(sandbox_run_until(sandbox_stopped, &h, RUN_MS));
	KT_EXPECT_EQ(h.frame->stopped, DISP_STOPPED_STOP);
	KT_EXPECT_EQ(h.frame->exit_code, 0);
	KT_EXPECT_EQ(h.page->escapes, 0);
	KT_EXPECT_EQ(h.page->wrong, 0);
	if (h.page->first_line)
		ktest_fail(kt, __FILE__, __LINE__, "first failed check: hostile*.c line %llu",
		           (unsigned long long)h.page->first_line);
	KT_EXPECT_EQ(h.page->checks, HOSTILE_CHECKS);
	KT_EXPECT_EQ(h.page->faults, h.frame->faults); /* every fault upcall expected */
	/* the victim ran meanwhile, and finds its secret and caps as they were */
	v.page->go = 1;
	KT_EXPECT(sandbox_run_until(sandbox_stopped, &v, RUN_MS));
	KT_EXPECT_EQ(v.frame->stopped, DISP_STOPPED_STOP);
	KT_EXPECT_EQ(v.frame->exit_code, 0);
	KT_EXPECT(secret_intact(secret));
	sandbox_down(kt, &b);
}

struct ended {
	struct sandbox_prog *p;
	unsigned dispatchers; /* with it */
};

/* It stopped, or its dispatcher left the core. */
static bool ended(void *ctx)
{
	struct ended *e = ctx;
	return e->p->frame->stopped || sched_count(NULL) < e->dispatchers ||
	       e->p->d->state == DCB_STOPPED;
}

/* A program deletes one of its own objects while it runs: it ends, and
 * the core goes on (another program runs to its end). */
static void self_destruct(struct ktest *kt, uint64_t mode)
{
	struct sandbox b;
	struct sandbox_prog p, hello;

	sandbox_up(kt, &b, BENCH_BITS);
	sandbox_spawn(kt, &b, "hostile", 0, 3, mode, 0, SANDBOX_SLOT_LOG, &p);
	struct ended e = {&p, sched_count(NULL)};
	KT_EXPECT(sandbox_run_until(ended, &e, RUN_MS));
	switch (mode) {
	case HOSTILE_DELETE_DISPATCHER: /* gone from the core; its frame says so */
		KT_EXPECT_EQ(sched_count(NULL), e.dispatchers - 1);
		KT_EXPECT_EQ(p.frame->stopped, DISP_STOPPED_GONE);
		break;
	case HOSTILE_DELETE_VSPACE:
		KT_EXPECT_EQ(p.d->state, DCB_STOPPED);
		KT_EXPECT_EQ(p.frame->stopped, DISP_STOPPED_GONE);
		break;
	case HOSTILE_DELETE_IMAGE: /* its code is gone: its next instruction faults */
		KT_EXPECT_EQ(p.d->state, DCB_STOPPED);
		KT_EXPECT_EQ(p.frame->stopped, DISP_STOPPED_FAULT);
		KT_EXPECT_EQ(p.frame->fault.vector, 14);
		break;
	case HOSTILE_DELETE_FRAME: /* its frame's memory is not its any more */
		KT_EXPECT_EQ(p.d->state, DCB_STOPPED);
		KT_EXPECT_EQ(p.d->frame_alive, 0);
		break;
	}
	sandbox_spawn(kt, &b, "hello", 1, 3, 0, 0, SANDBOX_SLOT_LOG, &hello);
	KT_EXPECT(sandbox_run_until(sandbox_stopped, &hello, RUN_MS));
	KT_EXPECT_EQ(hello.frame->exit_code, 42);
	sandbox_down(kt, &b);
}

KTEST(hostile, deleting_its_own_dispatcher_ends_only_it)
{
	self_destruct(kt, HOSTILE_DELETE_DISPATCHER);
}

KTEST(hostile, deleting_its_own_address_space_ends_only_it)
{
	self_destruct(kt, HOSTILE_DELETE_VSPACE);
}

KTEST(hostile, deleting_its_own_code_ends_only_it)
{
	self_destruct(kt, HOSTILE_DELETE_IMAGE);
}

KTEST(hostile, deleting_its_own_frame_ends_only_it)
{
	self_destruct(kt, HOSTILE_DELETE_FRAME);
}
