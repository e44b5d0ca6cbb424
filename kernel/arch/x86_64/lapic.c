/* This core's local APIC: xAPIC registers through MMIO, or x2APIC through
 * MSRs when the loader enabled it (Limine "SMP Feature", flag X2APIC); a
 * periodic timer, the wake-up IPI and the spurious vector.  All state is in
 * .bss, so it is per core.
 *
 * Formats: Intel SDM Vol. 3A ch. 10 (2022 edition): register map Table
 * 10-1, IA32_APIC_BASE Figure 10-5, LVT Figure 10-8, divide configuration
 * Figure 10-10, ICR Figures 10-12 and 10-28, SVR Figure 10-23, x2APIC MSR
 * numbers Table 10-6.
 */
#include <arch/arch.h>
#include <stddef.h>

#include "hhdm.h"
#include "idt.h"
#include "x86.h"

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + offset / 16. */
#define LAPIC_ID         0x020
#define LAPIC_TPR        0x080
#define LAPIC_EOI        0x0b0
#define LAPIC_SVR        0x0f0
#define LAPIC_ICR_LO     0x300
#define LAPIC_ICR_HI     0x310
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0
#define X2APIC_MSR(off)  (0x800u + ((unsigned)(off) >> 4))

_Static_assert(X2APIC_MSR(LAPIC_ID) == 0x802, "SDM 3A Table 10-6: x2APIC ID is MSR 802H");
_Static_assert(X2APIC_MSR(LAPIC_EOI) == 0x80b, "SDM 3A Table 10-6: EOI is MSR 80BH");
_Static_assert(X2APIC_MSR(LAPIC_ICR_LO) == 0x830, "SDM 3A Table 10-6: ICR is MSR 830H");
_Static_assert(X2APIC_MSR(LAPIC_TIMER_DIV) == 0x83e, "SDM 3A Table 10-6: divide is MSR 83EH");

/* IA32_APIC_BASE (Figure 10-5). */
#define APIC_BASE_X2APIC  (1ull << 10)
#define APIC_BASE_ENABLE  (1ull << 11)
#define APIC_BASE_ADDR(v) ((v)&0x000ffffffffff000ull)

/* xAPIC ID register (Figure 10-6): the id in bits 31:24. */
#define XAPIC_ID(v) ((uint32_t)(v) >> 24)

/* Spurious-interrupt vector register (Figure 10-23). */
#define SVR_VECTOR(v) ((uint32_t)(v)&0xff)
#define SVR_ENABLE    (1u << 8)

/* Local vector table entries (Figure 10-8). */
#define LVT_VECTOR(v)      ((uint32_t)(v)&0xff)
#define LVT_MASKED         (1u << 16)
#define LVT_TIMER_ONESHOT  (0u << 17)
#define LVT_TIMER_PERIODIC (1u << 17)

/* Divide configuration (Figure 10-10): bits 3 and 1:0; 0b0011 divides by 16. */
#define TIMER_DIV_16 0x3u

/* Interrupt command register (Figures 10-12, 10-28). */
#define ICR_VECTOR(v)       ((uint32_t)(v)&0xff)
#define ICR_FIXED           (0u << 8)
#define ICR_PHYSICAL        (0u << 11)
#define ICR_PENDING         (1u << 12) /* xAPIC delivery status */
#define ICR_ASSERT          (1u << 14)
#define ICR_XAPIC_DEST(id)  ((uint32_t)(id) << 24) /* in ICR_HI */
#define ICR_X2APIC_DEST(id) ((uint64_t)(id) << 32)

_Static_assert(LVT_TIMER_PERIODIC == 0x20000, "SDM 3A Figure 10-8: timer mode bits 18:17");
_Static_assert(LVT_MASKED == 0x10000, "SDM 3A Figure 10-8: mask is bit 16");
_Static_assert(ICR_ASSERT == 0x4000, "SDM 3A Figure 10-12: level assert is bit 14");
_Static_assert(ICR_X2APIC_DEST(1) == 1ull << 32, "SDM 3A Figure 10-28: destination 63:32");

/* Vectors: above every exception and legacy IRQ; spurious with its low
 * bits set, as older local APICs hardwire them (§10.9). */
#define VEC_TIMER    0xf0
#define VEC_WAKE     0xf1
#define VEC_SPURIOUS 0xff

/* The calibration window: 1/CAL_PER_SECOND s. */
#define CAL_PER_SECOND 100

_Static_assert(offsetof(struct limine_smp_info, extra_argument) == 24, "enter.S reads it at 24");
_Static_assert(offsetof(struct arch_ap_start, stack_top) == 8, "enter.S reads it at 8");

static volatile uint32_t *mmio; /* xAPIC registers, NULL in x2APIC mode */
static bool x2apic;
static bool started;
static uint64_t timer_hz; /* the timer's input clock, after the divider */
static uint32_t period;   /* the periodic timer's initial count */
static volatile uint64_t ticks, wakes;

static uint32_t lapic_read(unsigned off)
{
	return x2apic ? (uint32_t)x86_rdmsr(X2APIC_MSR(off)) : mmio[off / 4];
}

static void lapic_write(unsigned off, uint32_t v)
{
	if (x2apic)
		x86_wrmsr(X2APIC_MSR(off), v);
	else
		mmio[off / 4] = v;
}

/* End of interrupt: a write of 0 (§10.8.5). */
static void eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void on_timer(struct trap_frame *tf)
{
	ticks++;
	eoi();
}

static void on_wake(struct trap_frame *tf)
{
	wakes++;
	eoi();
}

/* A spurious interrupt takes no EOI (§10.9). */
static void on_spurious(struct trap_frame *tf)
{
}

enum err arch_space_map_platform(struct arch_space *s, uint64_t hhdm_offset)
{
	uint64_t base = APIC_BASE_ADDR(x86_rdmsr(X86_MSR_APIC_BASE));
	return arch_space_map(s, hhdm_offset + base, base, 4096, ARCH_MAP_WRITE | ARCH_MAP_DEVICE);
}

/* The timer's input frequency after the divide-by-16, measured against the
 * cycle counter over 1/CAL_PER_SECOND s; 0 if the timer did not move. */
static uint64_t timer_calibrate(uint64_t cycles_hz)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | LVT_VECTOR(VEC_TIMER));
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = x86_rdtsc();
	uint32_t c0 = lapic_read(LAPIC_TIMER_CUR);
	uint64_t t1;
	do
		t1 = x86_rdtsc();
	while (t1 - t0 < cycles_hz / CAL_PER_SECOND);
	uint32_t c1 = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	uint64_t us = (t1 - t0) * 1000000 / cycles_hz;
	return us && c0 > c1 ? (uint64_t)(c0 - c1) * 1000000 / us : 0;
}

enum err arch_irq_init(uint64_t cycles_hz, unsigned hz, struct arch_clock *clock)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE) || !cycles_hz || !hz)
		return ERR_UNSUPPORTED;
	x2apic = base & APIC_BASE_X2APIC;
	if (!x2apic) {
		if (!arch_mapped((uintptr_t)hhdm_ptr(APIC_BASE_ADDR(base)), 4096))
			return ERR_NOENT;
		mmio = hhdm_ptr(APIC_BASE_ADDR(base));
	}
	started = true;
	idt_set_handler(VEC_TIMER, on_timer);
	idt_set_handler(VEC_WAKE, on_wake);
	idt_set_handler(VEC_SPURIOUS, on_spurious);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED | LVT_VECTOR(VEC_SPURIOUS));
	lapic_write(LAPIC_SVR, SVR_ENABLE | SVR_VECTOR(VEC_SPURIOUS));
	timer_hz = timer_calibrate(cycles_hz);
	if (timer_hz < hz || timer_hz / hz > UINT32_MAX)
		return ERR_IO;
	clock->cycles_hz = cycles_hz;
	clock->timer_hz = timer_hz;
	period = (uint32_t)(timer_hz / hz);
	arch_timer_periodic();
	return ERR_OK;
}

void arch_timer_periodic(void)
{
	if (!period)
		return;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | LVT_VECTOR(VEC_TIMER));
	lapic_write(LAPIC_TIMER_INIT, period);
}

void arch_timer_oneshot(uint64_t ms)
{
	uint64_t count = timer_hz / 1000 * ms;

	if (!period)
		return;
	lapic_write(LAPIC_TIMER_INIT, 0); /* stops the timer (§10.5.4) */
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | LVT_VECTOR(VEC_TIMER));
	lapic_write(LAPIC_TIMER_INIT,
	            count > UINT32_MAX ? UINT32_MAX : (uint32_t)(count ? count : 1));
}

uint32_t arch_cpu_hwid(void)
{
	uint32_t r[4];

	if (started)
		return x2apic ? (uint32_t)x86_rdmsr(X2APIC_MSR(LAPIC_ID))
		              : XAPIC_ID(lapic_read(LAPIC_ID));
	x86_cpuid(1, r);
	return r[1] >> 24; /* initial APIC id, CPUID.01H:EBX[31:24] */
}

uint64_t arch_ticks(void)
{
	return ticks;
}

uint64_t arch_wakes(void)
{
	return wakes;
}

/* A fixed, edge-triggered IPI to one core by physical id.  x2APIC ICR
 * writes are not serializing (§10.12.3), hence the fence: the message the
 * IPI announces is visible before the IPI. */
void arch_wake(uint32_t hwid)
{
	uint32_t lo = ICR_VECTOR(VEC_WAKE) | ICR_FIXED | ICR_PHYSICAL | ICR_ASSERT;

	if (!started)
		return;
	if (x2apic) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		x86_wrmsr(X2APIC_MSR(LAPIC_ICR_LO), ICR_X2APIC_DEST(hwid) | lo);
		return;
	}
	for (int i = 0; i < 1000000 && (lapic_read(LAPIC_ICR_LO) & ICR_PENDING); i++)
		x86_pause();
	lapic_write(LAPIC_ICR_HI, ICR_XAPIC_DEST(hwid));
	lapic_write(LAPIC_ICR_LO, lo);
}
