/* x86-64 paging-structure entries from and to the kernel's MM_PROT_*
 * rights; the entry format itself (bits, indexes, addresses) is
 * lib/x86/pte.h's, shared with the loader.  Private to the arch folder.
 */
#ifndef X86_PAGING_PTE_H
#define X86_PAGING_PTE_H

#include <stdbool.h>
#include <stdint.h>
#include <x86/pte.h>

#include "mm/prot.h"

/* A non-leaf entry pointing at a table.  It allows everything (writes and
 * user access for the lower half); the leaf alone decides, since rights
 * combine across levels (SDM 3A §4.6). */
static inline uint64_t pte_make_table(uint64_t table_pa, bool user)
{
	return pte_addr_field(table_pa) | PTE_P | PTE_RW | (user ? PTE_US : 0);
}

/* A leaf mapping pa at level with MM_PROT_* prot.  Memory types through the
 * PAT as the Limine protocol programs it (PAT3 UC, PAT5 WC; SDM 3A
 * §12.12.3): the index is PAT:PCD:PWT. */
static inline uint64_t pte_make_leaf(uint64_t pa, unsigned level, unsigned prot, bool nx)
{
	uint64_t pat = level == 1 ? PTE_PAT_4K : PTE_PAT_LARGE;
	uint64_t e = pte_addr_field(pa) | PTE_P;

	if (level > 1)
		e |= PTE_PS;
	if (prot & MM_PROT_WRITE)
		e |= PTE_RW;
	if (prot & MM_PROT_USER)
		e |= PTE_US;
	if (prot & MM_PROT_GLOBAL)
		e |= PTE_G;
	if (!(prot & MM_PROT_EXEC) && nx)
		e |= PTE_NX;
	if (prot & MM_PROT_UC)
		e |= PTE_PCD | PTE_PWT; /* PAT3 */
	else if (prot & MM_PROT_WC)
		e |= pat | PTE_PWT; /* PAT5 */
	return e;
}

/* The MM_PROT_* flags a leaf at level grants on its own. */
static inline unsigned pte_leaf_prot(uint64_t e, unsigned level)
{
	uint64_t pat = level == 1 ? PTE_PAT_4K : PTE_PAT_LARGE;
	uint64_t cache = e & (pat | PTE_PCD | PTE_PWT);
	unsigned prot = 0;

	if (e & PTE_RW)
		prot |= MM_PROT_WRITE;
	if (e & PTE_US)
		prot |= MM_PROT_USER;
	if (e & PTE_G)
		prot |= MM_PROT_GLOBAL;
	if (!(e & PTE_NX))
		prot |= MM_PROT_EXEC;
	if (cache == (PTE_PCD | PTE_PWT))
		prot |= MM_PROT_UC;
	else if (cache == (pat | PTE_PWT))
		prot |= MM_PROT_WC;
	return prot;
}

#endif
