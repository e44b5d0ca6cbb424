/* Page-table walks for any address space (see <arch/paging.h>): map, unmap,
 * protect, look up, link and unlink tables.  Pure C over the caller's
 * table translation, so tests/host/mm runs it on tables in a buffer.
 * Entry formats: paging_pte.h.
 */
#include <arch/paging.h>

#include "paging_pte.h"

static uint64_t *table_of(const struct arch_pt *pt, uint64_t pa)
{
	return pt->table(pt->ctx, pa);
}

bool arch_pt_user_address(uint64_t va, unsigned levels)
{
	return va < 1ull << (pte_level_bits(levels) + PTE_INDEX_BITS - 1);
}

/* Canonical: the bits above the top level's are copies of its top bit. */
static bool canonical(uint64_t va, unsigned levels)
{
	unsigned top = pte_level_bits(levels) + PTE_INDEX_BITS - 1;
	int64_t sign = (int64_t)(va << (63 - top)) >> (63 - top);
	return (uint64_t)sign == va;
}

/* The leaf level of a page of 2^page_bits bytes, or 0 if no level has it. */
static unsigned leaf_level(unsigned page_bits)
{
	switch (page_bits) {
	case MM_PAGE_BITS: return 1;
	case MM_LARGE_PAGE_BITS: return 2;
	case MM_HUGE_PAGE_BITS: return 3;
	default: return 0;
	}
}

/* The entry for va at level `level`, walking down from the root.  create:
 * missing tables come from pt->alloc (if any).  NOENT a table missing,
 * EXIST a leaf above `level` maps va, NOMEM. */
static enum err slot(const struct arch_pt *pt, uint64_t va, unsigned level, bool create,
                     uint64_t **out)
{
	uint64_t *t = table_of(pt, pt->root);
	bool user = arch_pt_user_address(va, pt->levels);

	for (unsigned l = pt->levels; l > level; l--) {
		uint64_t *e = &t[pte_index(va, l)];
		if (pte_present(*e) && pte_is_leaf(*e, l))
			return ERR_EXIST;
		if (!pte_present(*e)) {
			uint64_t pa;
			if (!create || !pt->alloc)
				return ERR_NOENT;
			enum err err = pt->alloc(pt->ctx, &pa);
			if (err)
				return err;
			*e = pte_make_table(pa, user);
		}
		t = table_of(pt, pte_addr(*e, l));
	}
	*out = &t[pte_index(va, level)];
	return ERR_OK;
}

/* Checks a page's size, alignment and address; its leaf level in *level. */
static enum err check_page(const struct arch_pt *pt, uint64_t va, unsigned page_bits,
                           unsigned *level)
{
	*level = leaf_level(page_bits);
	if (!*level)
		return ERR_INVAL;
	if (va & ((1ull << page_bits) - 1))
		return ERR_ALIGN;
	return canonical(va, pt->levels) ? ERR_OK : ERR_RANGE;
}

/* The leaf slot a page would take, after every check; with create, missing
 * tables are allocated on the way. */
static enum err map_slot(const struct arch_pt *pt, uint64_t va, uint64_t pa, unsigned page_bits,
                         unsigned prot, bool create, uint64_t **e)
{
	unsigned level;
	enum err err = check_page(pt, va, page_bits, &level);

	if (err)
		return err;
	if (prot & ~MM_PROT_ALL || (prot & MM_PROT_UC && prot & MM_PROT_WC))
		return ERR_INVAL;
	if (pa & ((1ull << page_bits) - 1))
		return ERR_ALIGN;
	if (pa >> (PTE_ADDR_SHIFT + PTE_ADDR_BITS))
		return ERR_RANGE;
	err = slot(pt, va, level, create, e);
	if (err)
		return err;
	return pte_present(**e) ? ERR_EXIST : ERR_OK;
}

enum err arch_pt_map(const struct arch_pt *pt, uint64_t va, uint64_t pa, unsigned page_bits,
                     unsigned prot)
{
	uint64_t *e;
	enum err err = map_slot(pt, va, pa, page_bits, prot, true, &e);

	if (!err)
		*e = pte_make_leaf(pa, leaf_level(page_bits), prot, pt->nx);
	return err;
}

enum err arch_pt_check_map(const struct arch_pt *pt, uint64_t va, uint64_t pa, unsigned page_bits,
                           unsigned prot)
{
	uint64_t *e;
	enum err err = map_slot(pt, va, pa, page_bits, prot, false, &e);

	return err == ERR_NOENT && pt->alloc ? ERR_OK : err;
}

/* The leaf entry of a page of that size at va, or NOENT. */
static enum err find_leaf(const struct arch_pt *pt, uint64_t va, unsigned page_bits, uint64_t **out)
{
	unsigned level;
	enum err err = check_page(pt, va, page_bits, &level);

	if (err)
		return err;
	err = slot(pt, va, level, false, out);
	if (err == ERR_EXIST)
		return ERR_NOENT; /* a larger page maps va, not one of this size */
	if (err)
		return err;
	if (!pte_present(**out) || !pte_is_leaf(**out, level))
		return ERR_NOENT;
	return ERR_OK;
}

enum err arch_pt_unmap(const struct arch_pt *pt, uint64_t va, unsigned page_bits, uint64_t *pa)
{
	uint64_t *e;
	enum err err = find_leaf(pt, va, page_bits, &e);

	if (err)
		return err;
	if (pa)
		*pa = pte_addr(*e, leaf_level(page_bits));
	*e = 0;
	return ERR_OK;
}

enum err arch_pt_protect(const struct arch_pt *pt, uint64_t va, unsigned page_bits, unsigned prot)
{
	uint64_t *e;
	unsigned level = leaf_level(page_bits);

	if (prot & ~MM_PROT_ALL || (prot & MM_PROT_UC && prot & MM_PROT_WC))
		return ERR_INVAL;
	enum err err = find_leaf(pt, va, page_bits, &e);
	if (err)
		return err;
	*e = pte_make_leaf(pte_addr(*e, level), level, prot, pt->nx);
	return ERR_OK;
}

enum err arch_pt_lookup(const struct arch_pt *pt, uint64_t va, uint64_t *pa, unsigned *prot,
                        unsigned *page_bits)
{
	if (!canonical(va, pt->levels))
		return ERR_RANGE;
	const uint64_t *t = table_of(pt, pt->root);
	for (unsigned l = pt->levels; l >= 1; l--) {
		uint64_t e = t[pte_index(va, l)];
		if (!pte_present(e))
			return ERR_NOENT;
		if (pte_is_leaf(e, l)) {
			unsigned bits = pte_level_bits(l);
			*pa = pte_addr(e, l) | (va & ((1ull << bits) - 1));
			*prot = pte_leaf_prot(e, l);
			*page_bits = bits;
			return ERR_OK;
		}
		t = table_of(pt, pte_addr(e, l));
	}
	return ERR_NOENT; /* not reached: level 1 entries are leaves */
}

/* Visits the table at pa (level `level`, covering from va) and below. */
static void walk(const struct arch_pt *pt, const struct arch_pt_visit *v, uint64_t pa,
                 unsigned level, uint64_t va)
{
	const uint64_t *t = table_of(pt, pa);

	if (v->table)
		v->table(v->ctx, pa, level);
	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		uint64_t e = t[i];
		uint64_t at = va | (uint64_t)i << pte_level_bits(level);
		if (!pte_present(e))
			continue;
		if (level == pt->levels) { /* the top level: sign-extend to canonical */
			unsigned top = pte_level_bits(level) + PTE_INDEX_BITS - 1;
			at = (uint64_t)((int64_t)(at << (63 - top)) >> (63 - top));
		}
		if (pte_is_leaf(e, level)) {
			if (v->leaf)
				v->leaf(v->ctx, at, pte_addr(e, level), pte_level_bits(level),
				        pte_leaf_prot(e, level));
		} else {
			walk(pt, v, pte_addr(e, level), level - 1, at);
		}
	}
}

void arch_pt_walk(const struct arch_pt *pt, const struct arch_pt_visit *v)
{
	walk(pt, v, pt->root, pt->levels, 0);
}

/* The entry in which a level-`level` table covering va goes. */
static enum err table_slot(const struct arch_pt *pt, uint64_t va, unsigned level, uint64_t **e)
{
	if (level < 1 || level >= pt->levels)
		return ERR_INVAL;
	if (!canonical(va, pt->levels))
		return ERR_RANGE;
	enum err err = slot(pt, va, level + 1, false, e);
	return err == ERR_EXIST ? ERR_NOENT : err;
}

enum err arch_pt_check_link(const struct arch_pt *pt, uint64_t va, unsigned level,
                            uint64_t table_pa)
{
	uint64_t *e;
	enum err err = table_slot(pt, va, level, &e);

	if (err)
		return err;
	if (table_pa & 0xfff)
		return ERR_ALIGN;
	return pte_present(*e) ? ERR_EXIST : ERR_OK;
}

enum err arch_pt_link(const struct arch_pt *pt, uint64_t va, unsigned level, uint64_t table_pa)
{
	uint64_t *e;
	enum err err = arch_pt_check_link(pt, va, level, table_pa);

	if (!err) {
		table_slot(pt, va, level, &e);
		*e = pte_make_table(table_pa, arch_pt_user_address(va, pt->levels));
	}
	return err;
}

enum err arch_pt_unlink(const struct arch_pt *pt, uint64_t va, unsigned level, uint64_t table_pa)
{
	uint64_t *e;
	enum err err = table_slot(pt, va, level, &e);

	if (err)
		return err;
	if (!pte_present(*e) || pte_is_leaf(*e, level + 1) || pte_addr(*e, level + 1) != table_pa)
		return ERR_NOENT;
	*e = 0;
	return ERR_OK;
}

/* Frees the tables below the level-`level` table at pa, then pa itself. */
static void free_tree(const struct arch_pt *pt, uint64_t pa, unsigned level)
{
	if (level > 1) {
		const uint64_t *t = table_of(pt, pa);
		for (unsigned i = 0; i < PTE_ENTRIES; i++)
			if (pte_present(t[i]) && !pte_is_leaf(t[i], level))
				free_tree(pt, pte_addr(t[i], level), level - 1);
	}
	pt->free(pt->ctx, pa);
}

void arch_pt_free_tables(const struct arch_pt *pt)
{
	uint64_t *root = table_of(pt, pt->root);

	for (unsigned i = 0; i < PTE_ENTRIES / 2; i++) {
		if (pte_present(root[i]))
			free_tree(pt, pte_addr(root[i], pt->levels), pt->levels - 1);
		root[i] = 0;
	}
}

void arch_pt_copy_kernel_half(const struct arch_pt *pt, uint64_t src_root)
{
	uint64_t *dst = table_of(pt, pt->root);
	const uint64_t *src = table_of(pt, src_root);

	for (unsigned i = PTE_ENTRIES / 2; i < PTE_ENTRIES; i++)
		dst[i] = src[i];
}

uint64_t arch_pt_top_entry(const struct arch_pt *pt, unsigned index)
{
	return table_of(pt, pt->root)[index % PTE_ENTRIES];
}

void arch_pt_set_top_entry(const struct arch_pt *pt, unsigned index, uint64_t entry)
{
	table_of(pt, pt->root)[index % PTE_ENTRIES] = entry;
}

enum err arch_pt_reserve(const struct arch_pt *pt, uint64_t va, unsigned level)
{
	uint64_t *e;

	if (level < 1 || level > pt->levels)
		return ERR_INVAL;
	if (!canonical(va, pt->levels))
		return ERR_RANGE;
	enum err err = slot(pt, va, level, true, &e);
	return err == ERR_EXIST ? ERR_OK : err;
}
