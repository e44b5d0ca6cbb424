/* Reading the current page tables (4- or 5-level paging, Intel SDM Vol. 3A
 * §4.5) through the HHDM: whether an address is mapped, and where to. */
#include <arch/arch.h>
#include <x86/pte.h>
#include <x86/x86.h>

#include "hhdm.h"

#define PAGE_SIZE 4096ull

/* The physical address behind va in the tables rooted at CR3, or false. */
static bool translate(uint64_t va, uint64_t *phys)
{
	unsigned levels = (x86_read_cr4() & X86_CR4_LA57) ? 5 : 4;
	unsigned top_bit = pte_level_bits(levels) + PTE_INDEX_BITS - 1; /* 47 or 56 */
	int64_t sign = (int64_t)(va << (63 - top_bit)) >> (63 - top_bit);
	uint64_t table = pte_addr_field(x86_read_cr3());

	if ((uint64_t)sign != va)
		return false; /* not canonical */
	for (unsigned level = levels; level >= 1; level--) {
		uint64_t e = ((const volatile uint64_t *)hhdm_ptr(table))[pte_index(va, level)];
		if (!pte_present(e))
			return false;
		if (pte_is_leaf(e, level)) {
			uint64_t page = 1ull << pte_level_bits(level);
			*phys = pte_addr(e, level) | (va & (page - 1));
			return true;
		}
		table = pte_addr(e, level);
	}
	return false;
}

bool arch_virt_to_phys(uintptr_t va, uint64_t *phys)
{
	return hhdm_ready() && translate(va, phys);
}

bool arch_mapped(uintptr_t va, size_t len)
{
	uint64_t phys;

	if (!hhdm_ready())
		return false;
	if (len == 0)
		return true;
	uint64_t last = (uint64_t)va + len - 1;
	if (last < va)
		return false;
	uint64_t last_page = last & ~(PAGE_SIZE - 1);
	for (uint64_t page = va & ~(PAGE_SIZE - 1);; page += PAGE_SIZE) {
		if (!translate(page, &phys))
			return false;
		if (page == last_page)
			return true;
	}
}
