/* Memory moving between cores for real: core 1 asks core 0 for memory
 * (MEM_REQUEST), core 0 donates 2 MiB blocks (MEM_DONATE) that leave its
 * pool and its HHDM, core 1 takes them in, writes them through its own
 * HHDM, and gives them back; both pools end where they started. */
#include <arch/arch.h>
#include <arch/paging.h>
#include <tessera/msg.h>

#include "borrow.h"
#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "memx.h"
#include "mm.h"
#include "msgloop.h"
#include "prot.h"
#include "smp.h"
#include "tests/fault_inject.h"

#define ASK (4ull << 20)

static bool free_is(void *frames)
{
	return frame_free_count() == *(size_t *)frames;
}

/* Core 0: serves the other cores until its pool holds `frames` free. */
static bool serve_until(size_t frames)
{
	return msgloop_wait(free_is, &frames, ktime_deadline(MM_WAIT_MS)) == ERR_OK;
}

static void donor(struct ktest *kt)
{
	size_t before = frame_free_count();
	uint64_t probe = 0;

	KT_EXPECT(serve_until(before - ASK / FRAME_SIZE));
	ktest_barrier(kt); /* core 1 has the blocks */
	ktest_barrier(kt); /* core 1 has written them and sent them back */
	KT_EXPECT(serve_until(before));
	/* the blocks are back in the pool and mapped again */
	KT_EXPECT(frame_alloc_block(BORROW_MIN_ORDER, &probe) == ERR_OK);
	KT_EXPECT(arch_mapped((uintptr_t)hhdm_ptr(probe), MM_LARGE_PAGE_SIZE));
	if (probe)
		frame_free_block(probe, BORROW_MIN_ORDER);
}

static bool dups_are(void *want)
{
	return mm_exchange()->duplicates == *(uint64_t *)want;
}

static void taker(struct ktest *kt)
{
	size_t before = frame_free_count();
	uint64_t got = 0, pa[2] = {0}, given = 0;

	uint64_t dups = mm_exchange()->duplicates;
	KT_EXPECT_EQ(mm_request_memory(0, ASK - 4096, &got), ERR_OK);
	KT_EXPECT_EQ(got, ASK);
	KT_EXPECT_EQ(borrow_held(0), ASK);
	/* a donation the fault rules duplicated is taken once (it may come
	 * after the answer's end: wait for it) */
	uint64_t want = dups + fault_rules("dup", MSG_MEM_DONATE, 0, 1);
	KT_EXPECT(msgloop_wait(dups_are, &want, ktime_deadline(5000)) == ERR_OK);
	KT_EXPECT_EQ(borrow_held(0), ASK);
	ktest_barrier(kt);
	const struct smp_core *c0 = core_info(0);
	for (int i = 0; i < 2; i++) {
		KT_ASSERT(borrow_alloc(BORROW_MIN_ORDER, &pa[i]) == ERR_OK);
		KT_EXPECT(pa[i] >= c0->share_base && pa[i] < c0->share_base + 2 * c0->share_bytes);
		uint64_t *w = hhdm_ptr(pa[i]);
		KT_ASSERT(arch_mapped((uintptr_t)w, MM_LARGE_PAGE_SIZE));
		w[0] = w[MM_LARGE_PAGE_SIZE / 8 - 1] = 0xb0770ed + (uint64_t)i;
		KT_EXPECT_EQ(w[MM_LARGE_PAGE_SIZE / 8 - 1], 0xb0770ed + (uint64_t)i);
	}
	KT_EXPECT_EQ(borrow_alloc(BORROW_MIN_ORDER, &got), ERR_NOMEM);
	KT_EXPECT_EQ(mm_give_back(0, &given), ERR_OK);
	KT_EXPECT_EQ(given, 0); /* still in use: nothing goes back */
	for (int i = 0; i < 2; i++)
		KT_EXPECT_EQ(borrow_free(pa[i], BORROW_MIN_ORDER), ERR_OK);
	KT_EXPECT_EQ(mm_give_back(0, &given), ERR_OK);
	KT_EXPECT_EQ(given, ASK);
	KT_EXPECT_EQ(borrow_held(~0u), 0);
	KT_EXPECT(!arch_mapped((uintptr_t)hhdm_ptr(pa[0]), 8));
	KT_EXPECT_EQ(frame_free_count(), before);
	ktest_barrier(kt);
}

KTEST_SMP(mm, memory_moves_between_cores)
{
	if (!(core_online() & 2))
		KT_SKIP("needs core 1");
	KT_ASSERT(mm_ready());
	ktest_barrier(kt);
	if (core_self() == 0)
		donor(kt);
	else if (core_self() == 1)
		taker(kt);
	else {
		ktest_barrier(kt);
		ktest_barrier(kt);
	}
	ktest_barrier(kt);
}
