/* The protection features as the hardware sees them on this core: every
 * bit arch_cpu_protect reports is really set in CR0, CR4 or EFER, and every
 * feature CPUID offers (but PCID, off by choice) is on. */
#include <arch/paging.h>

#include "cpufeat.h"
#include "ktest.h"

static bool cpuid_bit(uint32_t leaf, int reg, int bit)
{
	uint32_t r[4];
	x86_cpuid(leaf & 0x80000000u, r);
	if (r[0] < leaf)
		return false;
	x86_cpuid(leaf, r);
	return (r[reg] >> bit) & 1;
}

KTEST(cpufeat, enabled_in_hardware)
{
	unsigned f = arch_cpu_features();
	uint64_t cr0 = x86_read_cr0(), cr4 = x86_read_cr4(), efer = x86_rdmsr(X86_MSR_EFER);

	KT_ASSERT(f != 0); /* arch_cpu_protect ran on this core */
	KT_EXPECT(f & ARCH_FEAT_NX);
	KT_EXPECT(f & ARCH_FEAT_WP);
	KT_EXPECT(efer & X86_EFER_NXE);
	KT_EXPECT((cr0 >> CR0_WP_BIT) & 1);
	KT_EXPECT_EQ((cr4 >> CR4_SMEP_BIT) & 1, cpuid_bit(CPUID_SMEP));
	KT_EXPECT_EQ((cr4 >> CR4_SMAP_BIT) & 1, cpuid_bit(CPUID_SMAP));
	KT_EXPECT_EQ((cr4 >> CR4_UMIP_BIT) & 1, cpuid_bit(CPUID_UMIP));
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_SMEP), (cr4 >> CR4_SMEP_BIT) & 1);
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_SMAP), (cr4 >> CR4_SMAP_BIT) & 1);
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_UMIP), (cr4 >> CR4_UMIP_BIT) & 1);
	KT_EXPECT_EQ(!!(f & ARCH_FEAT_PCID), (cr4 >> CR4_PCIDE_BIT) & 1);
}

/* The harness runs QEMU with -cpu max, which offers all three. */
KTEST(cpufeat, smep_smap_umip_under_qemu_max)
{
	unsigned f = arch_cpu_features();
	if (!cpuid_bit(CPUID_SMEP) && !cpuid_bit(CPUID_SMAP))
		KT_SKIP("the CPU offers neither SMEP nor SMAP");
	KT_EXPECT(f & ARCH_FEAT_SMEP);
	KT_EXPECT(f & ARCH_FEAT_SMAP);
	KT_EXPECT(f & ARCH_FEAT_UMIP);
}

/* SMAP's AC flag: set only between begin and end. */
KTEST(cpufeat, user_access_brackets)
{
	uint64_t flags;
	if (!(arch_cpu_features() & ARCH_FEAT_SMAP))
		KT_SKIP("no SMAP");
	arch_user_access_begin();
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	KT_EXPECT((flags >> 18) & 1); /* RFLAGS.AC */
	arch_user_access_end();
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	KT_EXPECT(!((flags >> 18) & 1));
}
