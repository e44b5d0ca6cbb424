/* Cross-core TLB shootdown for real: core 0 makes a space and has every
 * other core run it (mm_space_share); each core reads a page, so its TLB
 * holds the translation; core 0 unmaps the page (TLB_SHOOTDOWN to every
 * core, SHOOTDOWN_ACK awaited) and maps another frame there; each core must
 * now read the new frame; then core 0 maps a page under a new top-level
 * table (which the mirrors must take, and which flushes them), and each core
 * must read that too.  QEMU keeps each CPU's translations until that CPU
 * flushes them, so a missing shootdown shows as the old value.
 */
#include <arch/paging.h>
#include <tessera/msg.h>

#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "mm.h"
#include "msgloop.h"
#include "smp.h"
#include "vm.h"

#define LOW_VA  0x400000ull
#define HIGH_VA 0x8000400000ull /* under the next top-level entry */
#define OLD     0x01d0000000000000ull
#define NEW     0x0e00000000000000ull
#define LATER   0x0a00000000000000ull

static uint64_t filled(struct ktest *kt, uint64_t base)
{
	uint64_t pa;
	KT_ASSERT(frame_alloc(&pa) == ERR_OK);
	for (unsigned i = 0; i < 512; i++)
		((uint64_t *)hhdm_ptr(pa))[i] = base + i;
	return pa;
}

static bool reads(uintptr_t va, uint64_t *v)
{
	return !arch_probe(va, ARCH_ACCESS_READ, 0, false, v, NULL);
}

/* Core 0: share; every core reads the old frame; unmap and remap (the
 * shootdown); every core reads the new one; a page under a new top-level
 * table (the mirrors take it); every core reads it; take the space back. */
static void owner(struct ktest *kt, uint64_t others)
{
	struct vm_space *s;
	uint64_t a = filled(kt, OLD), b = filled(kt, NEW), c = filled(kt, LATER), v;

	KT_ASSERT(vm_space_create(&s) == ERR_OK);
	KT_ASSERT(vm_map(s, LOW_VA, a, MM_PAGE_BITS, 0) == ERR_OK);
	for (unsigned p = 1; p < 64; p++)
		if (others >> p & 1)
			KT_EXPECT_EQ(mm_space_share(s, p), ERR_OK);
	KT_EXPECT_EQ(s->active, others);
	ktest_barrier(kt); /* every core has read the old frame */
	KT_ASSERT(vm_unmap(s, LOW_VA, MM_PAGE_BITS) == ERR_OK); /* the shootdown */
	KT_ASSERT(vm_map(s, LOW_VA, b, MM_PAGE_BITS, 0) == ERR_OK);
	ktest_barrier(kt);
	ktest_barrier(kt); /* every core has read the new frame */
	KT_ASSERT(vm_map(s, HIGH_VA, c, MM_PAGE_BITS, 0) == ERR_OK); /* mm_space_sync */
	ktest_barrier(kt);
	ktest_barrier(kt); /* every core has read the later page */
	for (unsigned p = 1; p < 64; p++)
		if (others >> p & 1)
			KT_EXPECT_EQ(mm_space_unshare(s, p), ERR_OK);
	KT_EXPECT_EQ(s->active, 0);
	vm_activate(s);
	KT_EXPECT(reads(LOW_VA, &v) && v == NEW);
	vm_activate(vm_kernel());
	KT_EXPECT_EQ(vm_space_destroy(s), ERR_OK);
	frame_free(a);
	frame_free(b);
	frame_free(c);
}

static bool loaded(void *unused)
{
	return vm_current() != vm_kernel();
}

/* Another core: its message loop runs the space when core 0 asks; it reads
 * between core 0's steps (the barriers, in whose waits it serves core 0's
 * shootdown and top-level sync), and runs the kernel's space again once
 * core 0 has taken the space back. */
static void runner(struct ktest *kt)
{
	uint64_t v = 0, shootdowns;

	KT_ASSERT(msgloop_wait(loaded, NULL, ktime_deadline(MM_WAIT_MS)) == ERR_OK);
	KT_EXPECT(reads(LOW_VA + 8, &v));
	KT_EXPECT_EQ(v, OLD + 1);
	shootdowns = msgloop_handled(MSG_TLB_SHOOTDOWN);
	ktest_barrier(kt);
	ktest_barrier(kt); /* core 0 has remapped: the TLB entry read above is gone */
	KT_EXPECT(reads(LOW_VA + 16, &v));
	KT_EXPECT_EQ(v, NEW + 2);
	KT_EXPECT_EQ(msgloop_handled(MSG_TLB_SHOOTDOWN) - shootdowns, 1);
	ktest_barrier(kt);
	ktest_barrier(kt); /* the new top-level entry is in this core's mirror */
	KT_EXPECT(reads(HIGH_VA + 24, &v));
	KT_EXPECT_EQ(v, LATER + 3);
	ktest_barrier(kt);
}

KTEST_SMP(vm, shootdown_reaches_every_core_running_the_space)
{
	uint64_t others = core_online() & ~1ull;

	if (!others)
		KT_SKIP("needs a second core");
	KT_ASSERT(mm_ready());
	ktest_barrier(kt);
	if (core_self() == 0)
		owner(kt, others);
	else
		runner(kt);
	ktest_barrier(kt); /* core 0 took the space back */
	KT_EXPECT(vm_current() == vm_kernel());
}
