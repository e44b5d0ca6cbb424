/* Starting the application processors, one at a time, with the INIT-SIPI-
 * SIPI sequence of Intel SDM vol. 3A 9.4.4.1 ("Typical BSP Initialization
 * Sequence"; 8.4.4.1 in older editions): INIT, 10 ms, start-up IPI, 200 us,
 * a second start-up IPI, 200 us.  Each AP runs ap_trampoline.S from a page
 * below 1 MiB and checks in; see ap_trampoline.h for the page's layout. */
#include <arch.h>
#include <string/mem.h>
#include <x86/pit.h>
#include <x86/x86.h>

#include "ap_trampoline.h"
#include "apic.h"
#include "mtrr.h"
#include "paging.h"
#include "tsc.h"

#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200

extern const char ap_trampoline_pm32[], ap_trampoline_lm64[];

static struct {
	struct ap_params *params; /* NULL until arch_smp_prepare */
	uint64_t low, cr3;
	uint8_t vector;
	uint64_t tsc_hz;
	int x2apic;
} ap;

static void *phys_ptr(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* CR0, CR4 and XCR0 as the BSP has them at entry (arch_enter adds only
 * CR0.WP to what the firmware left); every CR4 bit defined today is below
 * bit 32. */
static void control_registers(struct ap_params *p)
{
	uint64_t cr4 = x86_read_cr4();

	p->cr0 = (uint32_t)(x86_read_cr0() | X86_CR0_PE | X86_CR0_PG | X86_CR0_WP);
	p->cr4 = (uint32_t)cr4;
	p->xcr0 = cr4 & X86_CR4_OSXSAVE ? x86_xgetbv(0) : 0;
}

/* Pages 1-3: a PML4 whose slot 0 maps [0, 2 MiB) identically (the upper
 * half is copied from the kernel's in arch_smp_begin). */
static void transition_tables(uint64_t low)
{
	uint64_t *pml4 = phys_ptr(low + 0x1000), *pdpt = phys_ptr(low + 0x2000);
	uint64_t *pd = phys_ptr(low + 0x3000);

	memset(pml4, 0, 3 * 0x1000);
	pml4[0] = (low + 0x2000) | PTE_P | PTE_RW;
	pdpt[0] = (low + 0x3000) | PTE_P | PTE_RW;
	pd[0] = 0 | PTE_P | PTE_RW | PTE_PS;
}

enum err arch_smp_prepare(const struct arch_smp_setup *s)
{
	size_t code = (size_t)(ap_trampoline_end - ap_trampoline_start);
	int vector = apic_sipi_vector(s->low);
	struct arch_caps caps;

	if (vector < 0 || s->low + AP_PAGES * 0x1000 > 0x100000 || code > AP_PARAMS)
		return ERR_RANGE;
	arch_caps(&caps);
	memcpy(phys_ptr(s->low), ap_trampoline_start, code);
	struct ap_params *p = phys_ptr(s->low + AP_PARAMS);
	memset(p, 0, sizeof(*p));
	arch_gdt_fill(p->gdt);
	p->gdt_limit = sizeof(p->gdt) - 1;
	p->gdt_base = (uint32_t)(s->low + AP_PARAMS + AP_GDT);
	p->jmp32_offset = (uint32_t)(s->low + (ap_trampoline_pm32 - ap_trampoline_start));
	p->jmp32_sel = AP_SEL_CODE32;
	p->jmp64_offset = (uint32_t)(s->low + (ap_trampoline_lm64 - ap_trampoline_start));
	p->jmp64_sel = AP_SEL_CODE64;
	p->cr3_boot = (uint32_t)(s->low + 0x1000);
	p->efer = (uint32_t)(X86_EFER_LME | (caps.nx ? X86_EFER_NXE : 0));
	p->flags = caps.pat ? AP_F_PAT : 0;
	p->pat = PAT_VALUE;
	p->page_hhdm = s->low_hhdm;
	p->cr3 = s->cr3;
	p->gdt64_limit = sizeof(p->gdt) - 1;
	p->gdt64_base = s->gdt;
	transition_tables(s->low);
	ap.params = p;
	ap.low = s->low;
	ap.cr3 = s->cr3;
	ap.vector = (uint8_t)vector;
	return ERR_OK;
}

static uint64_t read_msr(void *ctx, uint32_t msr)
{
	return x86_rdmsr(msr);
}

void arch_smp_begin(int want_x2apic, struct arch_smp_state *st)
{
	memset(st, 0, sizeof(*st));
	st->x2apic = ap.x2apic = lapic_open(want_x2apic);
	if (!ap.params)
		return;
	st->tsc_hz = ap.tsc_hz = pit_measure_tsc_hz();
	if (!ap.tsc_hz) {
		st->tsc_hz = ap.tsc_hz = TSC_FALLBACK_HZ;
		st->tsc_guessed = 1;
	}
	struct ap_params *p = ap.params;
	if (ap.x2apic)
		p->flags |= AP_F_X2APIC;
	control_registers(p); /* as they are now: firmware may change them up to fw_exit */
	st->cr0 = p->cr0;
	st->cr4 = p->cr4;
	p->msr_count = (uint32_t)mtrr_snapshot(x86_cpuid_has(X86_CPUID_MTRR), read_msr, NULL,
	                                       p->msrs, AP_MAX_MSRS, &st->mtrrs_dropped);
	st->mtrrs = p->msr_count;
	/* The kernel's upper half (HHDM, kernel image), final by now. */
	uint64_t *pml4 = phys_ptr(ap.low + 0x1000);
	memcpy(pml4 + 256, (const uint64_t *)phys_ptr(ap.cr3) + 256, 256 * sizeof(uint64_t));
}

/* Waits for the AP to check in, at most timeout_us after start (the first
 * start-up IPI); its time in *us. */
static enum err wait_checkin(uint64_t timeout_us, uint64_t start, uint64_t *us)
{
	uint64_t limit = tsc_ticks_for_us(ap.tsc_hz, timeout_us);
	uint64_t mhz = ap.tsc_hz / 1000000u ? ap.tsc_hz / 1000000u : 1;

	while (!ap.params->checkin && x86_rdtsc() - start < limit)
		x86_pause();
	*us = (x86_rdtsc() - start) / mhz;
	return ap.params->checkin ? ERR_OK : ERR_TIMEOUT;
}

enum err arch_smp_start(uint32_t apic_id, uint64_t info, uint64_t stack_top, uint64_t timeout_us,
                        uint64_t *us)
{
	struct ap_params *p = ap.params;

	*us = 0;
	if (!p || !apic_addressable(apic_id, ap.x2apic))
		return ERR_RANGE;
	p->apic_id = apic_id;
	p->info = info;
	p->stack = stack_top;
	p->checkin = 0;
	uint64_t start = 0;
	enum err e = lapic_send(apic_id, apic_icr_init());
	if (!e) {
		tsc_delay_us(ap.tsc_hz, INIT_DELAY_US);
		start = x86_rdtsc();
		e = lapic_send(apic_id, apic_icr_startup(ap.vector));
	}
	if (!e) {
		tsc_delay_us(ap.tsc_hz, SIPI_DELAY_US);
		e = lapic_send(apic_id, apic_icr_startup(ap.vector));
	}
	if (!e) {
		tsc_delay_us(ap.tsc_hz, SIPI_DELAY_US);
		e = wait_checkin(timeout_us, start, us);
	}
	if (e)
		lapic_send(apic_id, apic_icr_init()); /* back to wait-for-SIPI */
	return e;
}
