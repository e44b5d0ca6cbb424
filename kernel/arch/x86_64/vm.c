/* Building page tables for a core (4-level paging, Intel SDM Vol. 3A §4.5):
 * tables are frames from the caller's allocator, filled through the HHDM,
 * so the boot core can build every other core's tables before it runs.
 *
 * Entry formats: lib/x86/pte.h.  Intermediate entries allow everything;
 * the leaf decides.  Caching: PCD|PWT with the power-on PAT selects UC
 * (§11.12.3, Table 11-12).
 */
#include <arch/arch.h>
#include <string/mem.h>
#include <x86/pte.h>
#include <x86/x86.h>

#include "hhdm.h"

#define PAGE_4K (1ull << 12)
#define PAGE_2M (1ull << 21)

/* A fresh, zeroed table frame. */
static enum err new_table(struct arch_space *s, uint64_t *phys)
{
	enum err e = s->alloc(s->ctx, phys);
	if (e != ERR_OK)
		return e;
	if (*phys & (PAGE_4K - 1))
		return ERR_ALIGN;
	memset(hhdm_ptr(*phys), 0, PAGE_4K);
	s->tables++;
	return ERR_OK;
}

enum err arch_space_init(struct arch_space *s, arch_frame_fn alloc, void *ctx)
{
	if (x86_read_cr4() & X86_CR4_LA57)
		return ERR_UNSUPPORTED; /* 5-level paging: not what we asked for */
	s->alloc = alloc;
	s->ctx = ctx;
	s->tables = 0;
	return new_table(s, &s->root);
}

/* The table an entry refers to, created if the entry is empty.  ERR_BUSY
 * when the entry maps a large page instead. */
static enum err descend(struct arch_space *s, uint64_t *entry, uint64_t **table)
{
	if (!(*entry & PTE_P)) {
		uint64_t phys;
		enum err e = new_table(s, &phys);
		if (e != ERR_OK)
			return e;
		*entry = phys | PTE_P | PTE_RW;
	} else if (*entry & PTE_PS) {
		return ERR_BUSY;
	}
	*table = hhdm_ptr(pte_addr_field(*entry));
	return ERR_OK;
}

/* Whether the present leaf entry at level already maps phys (the first
 * mapping wins). */
static enum err keep_existing(uint64_t entry, unsigned level, uint64_t phys)
{
	uint64_t size = 1ull << pte_level_bits(level);
	return (phys & ~(size - 1)) == pte_addr(entry, level) ? ERR_OK : ERR_OVERLAP;
}

/* Maps one page of size PAGE_2M or PAGE_4K.  ERR_BUSY: a 2 MiB page was
 * asked for where 4 KiB pages already exist (the caller splits). */
static enum err map_page(struct arch_space *s, uint64_t va, uint64_t phys, uint64_t size,
                         uint64_t leaf)
{
	uint64_t *table = hhdm_ptr(s->root);
	for (int level = 4; level > 2; level--) {
		enum err e = descend(s, &table[pte_index(va, level)], &table);
		if (e != ERR_OK)
			return e == ERR_BUSY ? ERR_OVERLAP : e; /* no 1 GiB pages here */
	}
	uint64_t *pde = &table[pte_index(va, 2)];
	if (size == PAGE_2M) {
		if (!(*pde & PTE_P)) {
			*pde = phys | leaf | PTE_PS;
			return ERR_OK;
		}
		if (*pde & PTE_PS)
			return keep_existing(*pde, 2, phys);
		return ERR_BUSY;
	}
	if ((*pde & PTE_P) && (*pde & PTE_PS))
		return keep_existing(*pde, 2, phys);
	enum err e = descend(s, pde, &table);
	if (e != ERR_OK)
		return e;
	uint64_t *pte = &table[pte_index(va, 1)];
	if (*pte & PTE_P)
		return keep_existing(*pte, 1, phys);
	*pte = phys | leaf;
	return ERR_OK;
}

/* The leaf bits for ARCH_MAP_* flags.  XD only when EFER.NXE is on (the
 * Limine protocol turns it on; without it the bit is reserved). */
static uint64_t leaf_bits(unsigned flags)
{
	uint64_t leaf = PTE_P;

	if (flags & ARCH_MAP_WRITE)
		leaf |= PTE_RW;
	if (!(flags & ARCH_MAP_EXEC) && (x86_rdmsr(X86_MSR_EFER) & X86_EFER_NXE))
		leaf |= PTE_NX;
	if (flags & ARCH_MAP_DEVICE)
		leaf |= PTE_PCD | PTE_PWT;
	return leaf;
}

/* Maps [va, va + size) with 4 KiB pages. */
static enum err map_small(struct arch_space *s, uint64_t va, uint64_t phys, uint64_t size,
                          uint64_t leaf)
{
	for (uint64_t k = 0; k < size; k += PAGE_4K) {
		enum err e = map_page(s, va + k, phys + k, PAGE_4K, leaf);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err arch_space_map(struct arch_space *s, uint64_t va, uint64_t phys, uint64_t size,
                        unsigned flags)
{
	uint64_t leaf = leaf_bits(flags);

	if ((va | phys | size) & (PAGE_4K - 1))
		return ERR_ALIGN;
	if (va + size < va || phys + size < phys)
		return ERR_RANGE;
	for (uint64_t done = 0; done < size;) {
		uint64_t v = va + done, p = phys + done;
		bool large = !((v | p) & (PAGE_2M - 1)) && size - done >= PAGE_2M;
		uint64_t step = large ? PAGE_2M : PAGE_4K;
		enum err e = large ? map_page(s, v, p, PAGE_2M, leaf) : ERR_BUSY;
		if (e == ERR_BUSY)
			e = map_small(s, v, p, step, leaf);
		if (e != ERR_OK)
			return e;
		done += step;
	}
	return ERR_OK;
}
