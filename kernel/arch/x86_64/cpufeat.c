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

/* Sets CR4 bits `bits` if the feature is reported; adds flag to *set. */
static void cr4_enable(bool reported, uint64_t bits, unsigned flag, unsigned *set)
{
	if (!reported)
		return;
	x86_write_cr4(x86_read_cr4() | bits);
	*set |= flag;
}

unsigned arch_cpu_protect(void)
{
	unsigned set = 0;

	if (!x86_cpuid_has(X86_CPUID_NX))
		panic("cpufeat: the CPU has no NX (execute-disable) bit");
	x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_NXE);
	x86_write_cr0(x86_read_cr0() | X86_CR0_WP);
	set |= ARCH_FEAT_NX | ARCH_FEAT_WP;
	cr4_enable(x86_cpuid_has(X86_CPUID_PGE), X86_CR4_PGE, ARCH_FEAT_PGE, &set);
	cr4_enable(x86_cpuid_has(X86_CPUID_SMEP), X86_CR4_SMEP, ARCH_FEAT_SMEP, &set);
	cr4_enable(x86_cpuid_has(X86_CPUID_SMAP), X86_CR4_SMAP, ARCH_FEAT_SMAP, &set);
	cr4_enable(x86_cpuid_has(X86_CPUID_UMIP), X86_CR4_UMIP, ARCH_FEAT_UMIP, &set);
	/* Setting CR4.PCIDE needs CR3[11:0] = 0 (SDM 3A §4.10.1): the current
	 * tables then run as PCID 0, the kernel's own tag. */
	if (USE_PCID && (x86_read_cr3() & CR3_PCID_MASK) == 0)
		cr4_enable(x86_cpuid_has(X86_CPUID_PCID), X86_CR4_PCIDE, ARCH_FEAT_PCID, &set);
	if ((set & ARCH_FEAT_PCID) && x86_cpuid_has(X86_CPUID_INVPCID))
		set |= ARCH_FEAT_INVPCID;
	if (x86_cpuid_has(X86_CPUID_PAGE_1GB))
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
