/* x86-64 paging-structure entries as shift-and-mask accessors (Intel SDM
 * Vol. 3A §4.5, Tables 4-14 to 4-20 for 4-level paging; 5-level paging adds
 * a PML5 with the PML4's entry format, §4.5.1).  Private to the arch folder.
 */
#ifndef X86_PAGING_PTE_H
#define X86_PAGING_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/prot.h"

/* Bit positions. */
#define PTE_P_BIT         0  /* present */
#define PTE_RW_BIT        1  /* writable */
#define PTE_US_BIT        2  /* user */
#define PTE_PWT_BIT       3  /* page-level write-through (PAT index bit 0) */
#define PTE_PCD_BIT       4  /* page-level cache disable (PAT index bit 1) */
#define PTE_A_BIT         5  /* accessed */
#define PTE_D_BIT         6  /* dirty (leaves) */
#define PTE_PS_BIT        7  /* PDPTE/PDE: maps a 1 GiB / 2 MiB page */
#define PTE_PAT_4K_BIT    7  /* PTE: PAT index bit 2 */
#define PTE_G_BIT         8  /* global (leaves, with CR4.PGE) */
#define PTE_PAT_LARGE_BIT 12 /* PDPTE/PDE with PS: PAT index bit 2 */
#define PTE_ADDR_SHIFT    12
#define PTE_ADDR_BITS     40 /* bits 51:12; MAXPHYADDR is at most 52 */
#define PTE_XD_BIT        63 /* execute-disable, with EFER.NXE */

_Static_assert(PTE_PS_BIT == 7 && PTE_G_BIT == 8, "SDM 3A Tables 4-17/4-18: PS bit 7, G bit 8");
_Static_assert(PTE_PAT_LARGE_BIT == 12, "SDM 3A Tables 4-16/4-18: PAT of a large page is bit 12");
_Static_assert(PTE_ADDR_SHIFT + PTE_ADDR_BITS == 52, "SDM 3A §4.1.4: MAXPHYADDR is at most 52");
_Static_assert(PTE_XD_BIT == 63, "SDM 3A Table 4-20: XD is bit 63");

#define PTE_INDEX_BITS 9
#define PTE_ENTRIES    (1u << PTE_INDEX_BITS)
_Static_assert(PTE_ENTRIES * sizeof(uint64_t) == 4096, "SDM 3A §4.5: 512 entries in 4 KiB");

static inline uint64_t pte_bit(unsigned bit)
{
	return 1ull << bit;
}

static inline bool pte_has(uint64_t e, unsigned bit)
{
	return (e >> bit) & 1;
}

static inline bool pte_present(uint64_t e)
{
	return pte_has(e, PTE_P_BIT);
}

/* log2 of the bytes one entry at level (1 = PT) covers. */
static inline unsigned pte_level_bits(unsigned level)
{
	return 12 + PTE_INDEX_BITS * (level - 1);
}

/* Index of va's entry in its level-`level` table. */
static inline unsigned pte_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> pte_level_bits(level)) & (PTE_ENTRIES - 1);
}

/* Whether an entry at level is a leaf (a page), not a table pointer. */
static inline bool pte_is_leaf(uint64_t e, unsigned level)
{
	return level == 1 || ((level == 2 || level == 3) && pte_has(e, PTE_PS_BIT));
}

/* The address field (bits 51:12). */
static inline uint64_t pte_addr_field(uint64_t e)
{
	return e & (((1ull << PTE_ADDR_BITS) - 1) << PTE_ADDR_SHIFT);
}

/* The physical address an entry points to: a table, or a page of its
 * level's size (the low address bits of a large page hold PAT). */
static inline uint64_t pte_addr(uint64_t e, unsigned level)
{
	uint64_t a = pte_addr_field(e);
	if (level > 1 && pte_is_leaf(e, level))
		a &= ~((1ull << pte_level_bits(level)) - 1);
	return a;
}

/* A non-leaf entry pointing at a table.  It allows everything (writes and
 * user access for the lower half); the leaf alone decides, since rights
 * combine across levels (SDM 3A §4.6). */
static inline uint64_t pte_make_table(uint64_t table_pa, bool user)
{
	return pte_addr_field(table_pa) | pte_bit(PTE_P_BIT) | pte_bit(PTE_RW_BIT) |
	       (user ? pte_bit(PTE_US_BIT) : 0);
}

/* A leaf mapping pa at level with MM_PROT_* prot.  Memory types through the
 * PAT as the Limine protocol programs it (PAT3 UC, PAT5 WC; SDM 3A
 * §12.12.3): the index is PAT:PCD:PWT. */
static inline uint64_t pte_make_leaf(uint64_t pa, unsigned level, unsigned prot, bool nx)
{
	unsigned pat_bit = level == 1 ? PTE_PAT_4K_BIT : PTE_PAT_LARGE_BIT;
	uint64_t e = pte_addr_field(pa) | pte_bit(PTE_P_BIT);

	if (level > 1)
		e |= pte_bit(PTE_PS_BIT);
	if (prot & MM_PROT_WRITE)
		e |= pte_bit(PTE_RW_BIT);
	if (prot & MM_PROT_USER)
		e |= pte_bit(PTE_US_BIT);
	if (prot & MM_PROT_GLOBAL)
		e |= pte_bit(PTE_G_BIT);
	if (!(prot & MM_PROT_EXEC) && nx)
		e |= pte_bit(PTE_XD_BIT);
	if (prot & MM_PROT_UC)
		e |= pte_bit(PTE_PCD_BIT) | pte_bit(PTE_PWT_BIT); /* PAT3 */
	else if (prot & MM_PROT_WC)
		e |= pte_bit(pat_bit) | pte_bit(PTE_PWT_BIT); /* PAT5 */
	return e;
}

/* The MM_PROT_* flags a leaf at level grants on its own. */
static inline unsigned pte_leaf_prot(uint64_t e, unsigned level)
{
	unsigned pat_bit = level == 1 ? PTE_PAT_4K_BIT : PTE_PAT_LARGE_BIT;
	unsigned prot = 0;

	if (pte_has(e, PTE_RW_BIT))
		prot |= MM_PROT_WRITE;
	if (pte_has(e, PTE_US_BIT))
		prot |= MM_PROT_USER;
	if (pte_has(e, PTE_G_BIT))
		prot |= MM_PROT_GLOBAL;
	if (!pte_has(e, PTE_XD_BIT))
		prot |= MM_PROT_EXEC;
	if (pte_has(e, PTE_PCD_BIT) && pte_has(e, PTE_PWT_BIT) && !pte_has(e, pat_bit))
		prot |= MM_PROT_UC;
	else if (pte_has(e, pat_bit) && pte_has(e, PTE_PWT_BIT) && !pte_has(e, PTE_PCD_BIT))
		prot |= MM_PROT_WC;
	return prot;
}

#endif
