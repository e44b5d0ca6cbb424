/* Reading the current page tables (4- or 5-level paging, Intel SDM Vol. 3A
 * §4.5) through the HHDM: whether an address is mapped, and where to. */
#include <arch/arch.h>
#include <x86/x86.h>

#include "hhdm.h"

#define PTE_P     (1ull << 0)
#define PTE_PS    (1ull << 7) /* 1 GiB / 2 MiB page in a PDPTE / PDE */
#define PTE_ADDR  0x000ffffffffff000ull
#define PAGE_SIZE 4096ull

/* The physical address behind va in the tables rooted at CR3, or false. */
static bool translate(uint64_t va, uint64_t *phys)
{
	int levels = (x86_read_cr4() & X86_CR4_LA57) ? 5 : 4;
	int top_bit = 12 + 9 * levels - 1; /* 47 or 56 */
	int64_t sign = (int64_t)(va << (63 - top_bit)) >> (63 - top_bit);
	uint64_t table = x86_read_cr3() & PTE_ADDR;

	if ((uint64_t)sign != va)
		return false; /* not canonical */
	for (int level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);
		unsigned idx = (va >> shift) & 511;
		uint64_t e = ((const volatile uint64_t *)hhdm_ptr(table))[idx];
		if (!(e & PTE_P))
			return false;
		if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
			uint64_t page = 1ull << shift;
			*phys = (e & PTE_ADDR & ~(page - 1)) | (va & (page - 1));
			return true;
		}
		table = e & PTE_ADDR;
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
