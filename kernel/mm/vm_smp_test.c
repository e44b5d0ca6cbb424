/* Cross-core TLB shootdown for real: core 0 makes a space and has every
 * other core run it (mm_space_share); each core reads a page, so its TLB
 * holds the translation; core 0 unmaps the page (TLB_SHOOTDOWN to every
 * core, SHOOTDOWN_ACK awaited) and maps another frame there, and maps a page
 * under a new top-level table (which the mirrors must take); each core must
 * now read both.  QEMU keeps each CPU's translations until
 * that CPU flushes them, so a missing shootdown shows as the old value.
 */
#include <arch/paging.h>
#include <tessera/msg.h>

#include "chan.h"
#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "mm.h"
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

/* Core 0: share, wait for every core to have read, unmap and remap, take
 * the space back. */
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
	/* a new top-level table: the mirrors take it (mm_space_sync) */
	KT_ASSERT(vm_map(s, HIGH_VA, c, MM_PAGE_BITS, 0) == ERR_OK);
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

/* Another core: run the space, read, and serve core 0 until it takes the
 * space back, reading once more just before. */
static void runner(struct ktest *kt)
{
	struct urpc_msg m;
	uint64_t v = 0;
	unsigned shootdowns = 0;
	bool loaded = false, done = false;
	unsigned rounds = 0;

	while (!loaded && rounds++ < MM_WAIT_ROUNDS) {
		if (chan_recv(0, &m) != ERR_OK) {
			chan_sleep(1);
			continue;
		}
		KT_EXPECT(mm_handle(0, &m));
		loaded = m.type == MSG_VM_SPACE && vm_current() != vm_kernel();
	}
	KT_ASSERT(loaded);
	KT_EXPECT(reads(LOW_VA + 8, &v));
	KT_EXPECT_EQ(v, OLD + 1);
	ktest_barrier(kt);
	for (rounds = 0; !done && rounds < MM_WAIT_ROUNDS; rounds++) {
		if (chan_recv(0, &m) != ERR_OK) {
			chan_sleep(1);
			continue;
		}
		struct msg_vm_space req;
		if (msg_decode_vm_space(&m, &req) == ERR_OK && req.op == MSG_VM_UNLOAD) {
			/* before leaving: the remapped page, the later one */
			KT_EXPECT(reads(LOW_VA + 16, &v));
			KT_EXPECT_EQ(v, NEW + 2);
			KT_EXPECT(reads(HIGH_VA + 24, &v));
			KT_EXPECT_EQ(v, LATER + 3);
			done = true;
		}
		shootdowns += m.type == MSG_TLB_SHOOTDOWN;
		KT_EXPECT(mm_handle(0, &m));
	}
	KT_EXPECT(done);
	KT_EXPECT_EQ(shootdowns, 1);
	KT_EXPECT(vm_current() == vm_kernel());
}

KTEST_SMP(vm, shootdown_reaches_every_core_running_the_space)
{
	uint64_t others = smp_online() & ~1ull;

	if (!mm_ready() || !others)
		KT_SKIP("needs memory management and a second core");
	ktest_barrier(kt);
	if (smp_self() == 0)
		owner(kt, others);
	else
		runner(kt);
	ktest_barrier(kt);
}
