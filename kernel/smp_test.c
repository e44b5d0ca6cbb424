/* Every core runs its own CPU driver: its own APIC, timer, stack and page
 * tables over shared text; a kernel global written on one core is
 * unchanged on every other (the invariant in smp_build.c); missing cores
 * are reported, not waited for. */
#include "smp.h"

#include <arch/arch.h>
#include <arch/paging.h>
#include <tessera/msg.h>

#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "tests/fault_inject.h"

extern const char __text_start[], __rodata_start[], __data_start[];

#define ISO_INITIAL 0x150d47a0000000ull

static volatile uint64_t iso_data = ISO_INITIAL; /* .data */
static volatile uint64_t iso_bss;                /* .bss */

/* Each core writes its own value into the same two globals; after every
 * core has written, each still reads its own: no core sees another's
 * write.  Then the reason why: the data address maps this core's own copy,
 * and no other core's copy or memory is mapped here at all. */
KTEST_SMP(smp, isolation)
{
	unsigned me = smp_self();
	uint64_t mine = 0x5eed000000000000ull | me, phys;

	/* A fresh copy from the kernel file: nobody wrote these before. */
	KT_EXPECT_EQ(iso_data, ISO_INITIAL);
	KT_EXPECT_EQ(iso_bss, 0);
	iso_data = mine;
	iso_bss = ~mine;
	ktest_barrier(kt); /* every online core has written its value */
	KT_EXPECT_EQ(iso_data, mine);
	KT_EXPECT_EQ(iso_bss, ~mine);
	KT_ASSERT(arch_virt_to_phys((uintptr_t)&iso_data, &phys));
	KT_EXPECT_EQ(phys,
	             smp_core(me)->data_phys + ((uintptr_t)&iso_data - (uintptr_t)__data_start));
	for (unsigned o = 0; o < smp_ncores(); o++) {
		const struct smp_core *k = smp_core(o);
		if (o == me || k->state == SMP_CORE_ABSENT)
			continue;
		KT_EXPECT(k->data_phys != smp_core(me)->data_phys);
		KT_EXPECT(!arch_mapped((uintptr_t)hhdm_ptr(k->data_phys), 1));
		KT_EXPECT(!arch_mapped((uintptr_t)hhdm_ptr(k->share_base), 1));
	}
	ktest_barrier(kt);
}

/* The text and rodata this core runs are the pages the loader loaded, the
 * same for every core; stack and pool are this core's. */
KTEST(smp, own_cpu_driver)
{
	const struct smp_handoff *h = smp_record();
	const struct smp_core *k = smp_core(smp_self());
	volatile int local = 0;
	uint64_t text, rodata, base, size;

	KT_ASSERT(h && k);
	KT_EXPECT_EQ(arch_cpu_hwid(), k->hwid);
	KT_EXPECT(arch_virt_to_phys((uintptr_t)__text_start, &text) && text == h->text_phys);
	KT_EXPECT(arch_virt_to_phys((uintptr_t)__rodata_start, &rodata) &&
	          rodata == h->rodata_phys);
	uintptr_t sp = (uintptr_t)&local;
	KT_EXPECT(sp < ARCH_STACK_TOP && sp >= ARCH_STACK_TOP - SMP_STACK_SIZE);
	KT_EXPECT(!arch_mapped(ARCH_STACK_TOP - SMP_STACK_SIZE - 4096, 1)); /* the guard page */
	frame_span(&base, &size);
	KT_EXPECT_EQ(base, k->share_base);
	KT_EXPECT(frame_total_count() * FRAME_SIZE <= k->share_bytes);
}

/* The local APIC timer is running on this core: its interrupt keeps
 * arriving while the core idles.  No rate is asserted (timings are not test
 * results; an emulator delivers ticks late and in bursts): the deadline is
 * only a guard against a timer that never fires. */
#define TIMER_TICKS_WANTED 3
#define TIMER_GUARD_MS     10000

KTEST(smp, timer_ticks)
{
	uint64_t t0 = arch_ticks(), deadline = ktime_deadline(TIMER_GUARD_MS);

	while (arch_ticks() - t0 < TIMER_TICKS_WANTED && !ktime_passed(deadline))
		arch_idle();
	KT_EXPECT(arch_ticks() - t0 >= TIMER_TICKS_WANTED);
}

/* Every core the loader reported is online or reported missing, and the
 * missing ones are exactly those the command line held back, those whose
 * boot report a fault rule holds back (late), and those a fault rule made
 * fail a part of their start (which they say in their report). */
KTEST_BSP(smp, missing_cores_reported)
{
	uint64_t held = 0, all = 0, failed = 0;

	for (unsigned c = 0; c < smp_ncores(); c++) {
		all |= 1ull << c;
		if (smp_held(c) || fault_rules("delay", MSG_BOOT_REPORT, c, 0) ||
		    fault_rules("drop", MSG_BOOT_REPORT, c, 0))
			held |= 1ull << c;
		if (fault_start_rule(c))
			failed |= 1ull << c;
	}
	KT_EXPECT_EQ(smp_failed(), failed);
	KT_EXPECT_EQ(smp_missing(), held | failed);
	KT_EXPECT_EQ(smp_online() | smp_missing(), all);
	KT_EXPECT_EQ(smp_online() & smp_missing(), 0);
}
