/* This CPU's protection features (see <arch/paging.h>): NX and CR0.WP always,
 * SMEP, SMAP, UMIP, PCID and global pages when CPUID reports them.  Every
 * core runs arch_cpu_protect on itself; the enabled set is kept in this
 * core's own data.
 */
#include <arch/paging.h>

#include "cpufeat.h"
#include "panic.h"

/* PCIDs stay off for now: the tagged-TLB paths (mm/vm.c) cannot be run
 * under QEMU's TCG, which has no PCID, and there is no KVM host to test
 * them on; untested TLB code is worse than a flush per switch. */
#define USE_PCID false

static unsigned enabled;

/* Whether CPUID reports a feature (leaf, register, bit); leaves above the
 * CPU's maximum (basic or extended) read as absent. */
static bool cpuid_has(uint32_t leaf, int reg, int bit)
{
	uint32_t r[4];

	x86_cpuid(leaf & 0x80000000u, r);
	if (r[0] < leaf)
		return false;
	x86_cpuid(leaf, r);
	return (r[reg] >> bit) & 1;
}

/* Sets CR4 bit `bit` if feature is reported; adds flag to *set. */
static void cr4_enable(bool reported, int bit, unsigned flag, unsigned *set)
{
	if (!reported)
		return;
	cf_write_cr4(x86_read_cr4() | 1ull << bit);
	*set |= flag;
}

unsigned arch_cpu_protect(void)
{
	unsigned set = 0;

	if (!cpuid_has(CPUID_NX))
		panic("cpufeat: the CPU has no NX (execute-disable) bit");
	x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_NXE);
	cf_write_cr0(x86_read_cr0() | 1ull << CR0_WP_BIT);
	set |= ARCH_FEAT_NX | ARCH_FEAT_WP;
	cr4_enable(cpuid_has(CPUID_PGE), CR4_PGE_BIT, ARCH_FEAT_PGE, &set);
	cr4_enable(cpuid_has(CPUID_SMEP), CR4_SMEP_BIT, ARCH_FEAT_SMEP, &set);
	cr4_enable(cpuid_has(CPUID_SMAP), CR4_SMAP_BIT, ARCH_FEAT_SMAP, &set);
	cr4_enable(cpuid_has(CPUID_UMIP), CR4_UMIP_BIT, ARCH_FEAT_UMIP, &set);
	/* Setting CR4.PCIDE needs CR3[11:0] = 0 (SDM 3A §4.10.1): the current
	 * tables then run as PCID 0, the kernel's own tag. */
	if (USE_PCID && (x86_read_cr3() & CR3_PCID_MASK) == 0)
		cr4_enable(cpuid_has(CPUID_PCID), CR4_PCIDE_BIT, ARCH_FEAT_PCID, &set);
	if ((set & ARCH_FEAT_PCID) && cpuid_has(CPUID_INVPCID))
		set |= ARCH_FEAT_INVPCID;
	if (cpuid_has(CPUID_PAGE_1GB))
		set |= ARCH_FEAT_HUGE;
	enabled = set;
	return set;
}

unsigned arch_cpu_features(void)
{
	return enabled;
}

void arch_user_access_begin(void)
{
	if (enabled & ARCH_FEAT_SMAP)
		cf_stac();
}

void arch_user_access_end(void)
{
	if (enabled & ARCH_FEAT_SMAP)
		cf_clac();
}
