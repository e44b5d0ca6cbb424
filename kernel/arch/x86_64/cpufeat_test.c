/* The protection features as the hardware sees them on this core: every
 * bit arch_cpu_protect reports is really set in CR0, CR4 or EFER, and every
 * feature CPUID offers (but PCID, off by choice) is on. */
#include <arch/paging.h>

#include "cpufeat.h"
#include "ktest.h"

KTEST(cpufeat, enabled_in_hardware)
{
	unsigned f = arch_cpu_features();
	uint64_t cr0 = x86_read_cr0(), cr4 = x86_read_cr4(), efer = x86_rdmsr(X86_MSR_EFER);

	KT_ASSERT(f != 0); /* arch_cpu_protect ran on this core */
	KT_EXPECT(f & ARCH_FEAT_NX);
	KT_EXPECT(f & ARCH_FEAT_WP);
	KT_EXPECT(efer & X86_EFER_NXE);
	KT_EXPECT(cr0 & X86_CR0_WP);
	KT_EXPECT_EQ(!!(cr4 & X86_CR4_SMEP), x86_cpuid_has(X86_CPUID_SMEP));
	KT_EXPECT_EQ(!!(cr4 & X86_CR4_SMAP), x86_cpuid_has(X86_CPUID_SMAP));
	KT_EXPECT_EQ(!!(cr4 & X86_CR4_UMIP), x86_cpuid_has(X86_CPUID_UMIP));
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_SMEP), !!(cr4 & X86_CR4_SMEP));
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_SMAP), !!(cr4 & X86_CR4_SMAP));
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_UMIP), !!(cr4 & X86_CR4_UMIP));
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_PCID), !!(cr4 & X86_CR4_PCIDE));
}

/* The harness runs QEMU with -cpu max, which offers all three. */
KTEST(cpufeat, smep_smap_umip_under_qemu_max)
{
	unsigned f = arch_cpu_features();
	if (!x86_cpuid_has(X86_CPUID_SMEP) && !x86_cpuid_has(X86_CPUID_SMAP))
		KT_SKIP("the CPU offers neither SMEP nor SMAP");
	KT_EXPECT(f & ARCH_FEAT_SMEP);
	KT_EXPECT(f & ARCH_FEAT_SMAP);
	KT_EXPECT(f & ARCH_FEAT_UMIP);
}

/* SMAP's AC flag: set only between begin and end. */
KTEST(cpufeat, user_access_brackets)
{
	if (!(arch_cpu_features() & ARCH_FEAT_SMAP))
		KT_SKIP("no SMAP");
	arch_user_access_begin();
	KT_EXPECT(x86_read_rflags() & X86_RFLAGS_AC);
	arch_user_access_end();
	KT_EXPECT(!(x86_read_rflags() & X86_RFLAGS_AC));
}
