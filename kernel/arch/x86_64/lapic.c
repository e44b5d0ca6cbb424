/* This core's local APIC: xAPIC registers through MMIO, or x2APIC through
 * MSRs when the loader enabled it (Limine "SMP Feature", flag X2APIC); a
 * periodic timer, the wake-up IPI and the spurious vector.  All state is in
 * .bss, so it is per core.  Register formats and access: lib/x86/apic.h.
 * Sections cited: Intel SDM Vol. 3A ch. 10 of the 2022 edition (ch. 11 in
 * later ones).
 */
#include <arch/arch.h>
#include <stddef.h>
#include <x86/apic.h>

#include "hhdm.h"
#include "idt.h"
#include "lapic.h"

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
static bool started;
static uint64_t timer_hz; /* the timer's input clock, after the divider */
static uint32_t period;   /* the periodic timer's initial count */
static volatile uint64_t ticks, wakes;

static uint32_t lapic_read(unsigned off)
{
	return apic_read(mmio, off);
}

static void lapic_write(unsigned off, uint32_t v)
{
	apic_write(mmio, off, v);
}

/* End of interrupt: a write of 0 (§10.8.5). */
static void eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_eoi(void)
{
	if (started)
		eoi();
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
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE) & APIC_BASE_FRAME;
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

	if (!(base & APIC_BASE_EN) || !cycles_hz || !hz)
		return ERR_UNSUPPORTED;
	if (!(base & APIC_BASE_EXTD)) {
		if (!arch_mapped((uintptr_t)hhdm_ptr(base & APIC_BASE_FRAME), 4096))
			return ERR_NOENT;
		mmio = hhdm_ptr(base & APIC_BASE_FRAME);
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
	return started ? apic_read_id(mmio) : apic_cpuid_id();
}

uint64_t arch_ticks(void)
{
	return ticks;
}

uint64_t arch_wakes(void)
{
	return wakes;
}

/* A fixed, edge-triggered IPI to one core by physical id; the message it
 * announces is visible before it (apic_send fences). */
void arch_wake(uint32_t hwid)
{
	if (started)
		apic_send(mmio, apic_icr_value(apic_icr_fixed(VEC_WAKE), hwid, !mmio));
}
