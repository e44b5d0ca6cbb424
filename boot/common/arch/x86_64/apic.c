/* The BSP's local APIC for sending start-up IPIs; see apic.h. */
#include "apic.h"

static volatile uint32_t *mmio; /* xAPIC registers (identity-mapped); NULL: x2APIC */

/* SDM 3A 11.12.5: x2APIC mode is entered from xAPIC mode (EN=1) by setting
 * EXTD; going there straight from the disabled state is invalid. */
static void enable_x2apic(uint64_t base)
{
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		x86_wrmsr(X86_MSR_APIC_BASE, base);
	}
	x86_wrmsr(X86_MSR_APIC_BASE, base | APIC_BASE_EXTD);
}

int lapic_open(int want_x2apic)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);
	int x2apic = !!(base & APIC_BASE_EXTD);

	if (!x2apic && want_x2apic && x86_cpuid_has(X86_CPUID_X2APIC)) {
		enable_x2apic(base);
		x2apic = 1;
	}
	if (!x2apic && !(base & APIC_BASE_EN))
		x86_wrmsr(X86_MSR_APIC_BASE, base | APIC_BASE_EN);
	mmio = x2apic ? NULL : (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_FRAME);
	return x2apic;
}

/* The trampoline's parameters are visible before the IPI (apic_send
 * fences first). */
enum err lapic_send(uint32_t apic_id, uint32_t low)
{
	return apic_send(mmio, apic_icr_value(low, apic_id, !mmio)) ? ERR_OK : ERR_TIMEOUT;
}
