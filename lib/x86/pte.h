/* x86-64 paging-structure entries, for the loader's tables and the
 * kernel's: the bits, the index of an address at each level, and what an
 * entry points to.  Intel SDM vol. 3A §4.5, tables 4-14 to 4-20 (4-level
 * paging); 5-level paging adds a PML5 with the PML4E format (§4.5.1).
 * Levels count from 1 (page table) up to 4 (PML4) or 5 (PML5).  Pure and
 * tested on the host.
 */
#ifndef LIB_X86_PTE_H
#define LIB_X86_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"

#define PTE_P         X86_BIT(0)  /* present */
#define PTE_RW        X86_BIT(1)  /* writable */
#define PTE_US        X86_BIT(2)  /* user */
#define PTE_PWT       X86_BIT(3)  /* page-level write-through: PAT index bit 0 */
#define PTE_PCD       X86_BIT(4)  /* page-level cache disable: PAT index bit 1 */
#define PTE_A         X86_BIT(5)  /* accessed */
#define PTE_D         X86_BIT(6)  /* dirty (leaves) */
#define PTE_PS        X86_BIT(7)  /* PDPTE/PDE: maps a 1 GiB / 2 MiB page */
#define PTE_PAT_4K    X86_BIT(7)  /* PTE: PAT index bit 2 */
#define PTE_G         X86_BIT(8)  /* global (leaves, with CR4.PGE) */
#define PTE_PAT_LARGE X86_BIT(12) /* PDPTE/PDE with PS: PAT index bit 2 */
#define PTE_NX        X86_BIT(63) /* execute-disable, with EFER.NXE */

#define PTE_ADDR_SHIFT 12
#define PTE_ADDR_BITS  40 /* bits 51:12; MAXPHYADDR is at most 52 (§4.1.4) */
#define PTE_ADDR_MASK  0x000ffffffffff000ull
#define PTE_INDEX_BITS 9
#define PTE_ENTRIES    (1u << PTE_INDEX_BITS)

_Static_assert(PTE_ENTRIES * sizeof(uint64_t) == 4096, "SDM 3A §4.5: 512 entries in 4 KiB");
_Static_assert(PTE_ADDR_MASK == ((1ull << PTE_ADDR_BITS) - 1) << PTE_ADDR_SHIFT,
               "the address field is bits 51:12");

static inline bool pte_present(uint64_t e)
{
	return e & PTE_P;
}

/* log2 of the bytes one entry at level covers. */
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
	return level == 1 || ((level == 2 || level == 3) && (e & PTE_PS));
}

/* The address field (bits 51:12). */
static inline uint64_t pte_addr_field(uint64_t e)
{
	return e & PTE_ADDR_MASK;
}

/* The physical address an entry at level points to: a table, or a page of
 * its level's size (the low address bits of a large page hold its PAT
 * bit). */
static inline uint64_t pte_addr(uint64_t e, unsigned level)
{
	uint64_t a = pte_addr_field(e);

	if (level > 1 && pte_is_leaf(e, level))
		a &= ~((1ull << pte_level_bits(level)) - 1);
	return a;
}

#endif
