/* This CPU's MMU: the current tables, address-space switches with PCIDs,
 * and TLB invalidation (Intel SDM Vol. 3A §4.10.4: INVLPG for one page of
 * the current PCID, a CR3 write for all non-global entries of the current
 * PCID, INVPCID for another PCID's entries).
 */
#include <arch/paging.h>

#include "cpufeat.h"
#include "paging_pte.h"

#define PCID_COUNT 4096 /* CR3[11:0] */

unsigned arch_mmu_levels(void)
{
	return x86_read_cr4() & X86_CR4_LA57 ? 5 : 4;
}

uint64_t arch_mmu_root(void)
{
	return pte_addr_field(x86_read_cr3());
}

bool arch_mmu_pcid(void)
{
	return arch_cpu_features() & ARCH_FEAT_PCID;
}

unsigned arch_mmu_tags(void)
{
	return arch_mmu_pcid() ? PCID_COUNT : 1;
}

void arch_mmu_switch(uint64_t root, unsigned tag, bool keep)
{
	uint64_t cr3 = pte_addr_field(root);

	if (arch_mmu_pcid()) {
		cr3 |= tag & CR3_PCID_MASK;
		if (keep)
			cr3 |= 1ull << CR3_NOFLUSH_BIT;
	}
	x86_write_cr3(cr3);
}

void arch_tlb_flush_page(uintptr_t va)
{
	cf_invlpg(va);
}

void arch_tlb_flush_local(void)
{
	/* Bit 63 of CR3 reads as 0, so writing it back flushes (SDM 3A §4.10.4.1). */
	x86_write_cr3(x86_read_cr3());
}

bool arch_tlb_flush_tag(unsigned tag, uintptr_t va)
{
	if (!(arch_cpu_features() & ARCH_FEAT_INVPCID))
		return false;
	if (va == UINTPTR_MAX)
		cf_invpcid(INVPCID_CONTEXT, tag, 0);
	else
		cf_invpcid(INVPCID_ADDRESS, tag, va);
	return true;
}
