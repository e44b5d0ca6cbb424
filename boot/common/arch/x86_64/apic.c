/* The BSP's local APIC for sending start-up IPIs; see apic.h. */
#include "apic.h"

#include "cpu.h"

#define ICR_SPINS 1000000u /* polls of a busy xAPIC ICR before giving up */

static int x2apic;
static volatile uint32_t *mmio; /* xAPIC registers (identity-mapped) */

/* SDM 3A 11.12.5: x2APIC mode is entered from xAPIC mode (EN=1) by setting
 * EXTD; going there straight from the disabled state is invalid. */
static void enable_x2apic(uint64_t base)
{
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		cpu_wrmsr(MSR_APIC_BASE, base);
	}
	cpu_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
}

int lapic_open(int want_x2apic)
{
	uint32_t r[4];
	uint64_t base = cpu_rdmsr(MSR_APIC_BASE);

	cpu_cpuid(1, 0, r);
	x2apic = !!(base & APIC_BASE_EXTD);
	if (!x2apic && want_x2apic && (r[2] & CPUID1_ECX_X2APIC)) {
		enable_x2apic(base);
		x2apic = 1;
	}
	if (!x2apic && !(base & APIC_BASE_EN))
		cpu_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
	mmio = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_FRAME);
	return x2apic;
}

enum err lapic_send(uint32_t apic_id, uint32_t low)
{
	uint64_t icr = icr_value(low, apic_id, x2apic);

	/* The trampoline's parameters must be visible before the IPI: a WRMSR
	 * to an x2APIC register may complete before earlier stores do (SDM 3A
	 * 11.12.3). */
	cpu_fence();
	if (x2apic) {
		cpu_wrmsr(X2APIC_MSR(LAPIC_ICR_LO), icr);
		return ERR_OK;
	}
	unsigned spins = 0;
	while ((mmio[LAPIC_ICR_LO / 4] & ICR_PENDING) && ++spins < ICR_SPINS)
		cpu_pause();
	if (spins == ICR_SPINS)
		return ERR_TIMEOUT;
	mmio[LAPIC_ICR_HI / 4] = (uint32_t)(icr >> 32);
	mmio[LAPIC_ICR_LO / 4] = (uint32_t)icr; /* this write sends it */
	return ERR_OK;
}
