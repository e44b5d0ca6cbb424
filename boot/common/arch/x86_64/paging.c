/* x86-64 4-level page-table construction; see paging.h. */
#include "paging.h"

/* Bits a non-leaf entry carries: present and writable, so the leaf alone
 * decides the permissions (SDM 3A 4.6: rights combine across levels). */
#define PTE_TABLE (PTE_P | PTE_RW)

/* Attribute bits a leaf passes on to the smaller leaves it splits into. */
#define PTE_KEEP (PTE_P | PTE_RW | PTE_US | PTE_PWT | PTE_PCD | PTE_A | PTE_D | PTE_G | PTE_NX)

static uint64_t *table_at(const struct pt *pt, uint64_t phys)
{
	return pt->ops.ptr(pt->ops.ctx, phys);
}

/* Size of the page a leaf at level maps. */
static uint64_t level_size(int level)
{
	return 1ull << pte_level_bits(level);
}

static enum err new_table(struct pt *pt, uint64_t *phys)
{
	enum err e = pt->ops.alloc(pt->ops.ctx, phys);
	if (e)
		return e;
	if (*phys & (PT_PAGE - 1))
		return ERR_ALIGN;
	pt->tables++;
	return ERR_OK;
}

enum err pt_init(struct pt *pt, const struct pt_ops *ops, int nx, int huge_1g, int pat)
{
	pt->ops = *ops;
	pt->nx = nx;
	pt->huge_1g = huge_1g;
	pt->pat = pat;
	pt->tables = 0;
	return new_table(pt, &pt->root);
}

/* The leaf entry bits for attrs at level (PAT index 5 = PAT|PWT for WC,
 * with the PAT bit's position depending on the level, SDM 3A 12.12.3). */
static uint64_t leaf_bits(const struct pt *pt, unsigned attrs, int level)
{
	uint64_t e = PTE_P;

	if (attrs & PT_W)
		e |= PTE_RW;
	if (!(attrs & PT_X) && pt->nx)
		e |= PTE_NX;
	if ((attrs & PT_WC) && pt->pat)
		e |= PTE_PWT | (level == 1 ? PTE_PAT_4K : PTE_PAT_LARGE);
	if (level > 1)
		e |= PTE_PS;
	return e;
}

/* Replaces the large leaf *e at level with a table of 512 leaves one level
 * down that map the same memory with the same attributes. */
static enum err split(struct pt *pt, uint64_t *e, int level)
{
	uint64_t phys, frame = pte_addr(*e, level), keep = *e & PTE_KEEP;
	uint64_t child = level_size(level - 1);
	uint64_t bits = keep | (level - 1 > 1 ? PTE_PS : 0);

	if (*e & PTE_PAT_LARGE)
		bits |= level - 1 > 1 ? PTE_PAT_LARGE : PTE_PAT_4K;
	enum err err = new_table(pt, &phys);
	if (err)
		return err;
	uint64_t *t = table_at(pt, phys);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (frame + i * child) | bits;
	*e = phys | PTE_TABLE;
	return ERR_OK;
}

/* The entry for va at level, creating or splitting tables above it. */
static enum err slot(struct pt *pt, uint64_t va, int level, uint64_t **out)
{
	uint64_t *t = table_at(pt, pt->root);

	for (int l = PT_LEVELS; l > level; l--) {
		uint64_t *e = &t[pte_index(va, l)];
		enum err err = ERR_OK;
		uint64_t phys;
		if (!(*e & PTE_P)) {
			err = new_table(pt, &phys);
			if (!err)
				*e = phys | PTE_TABLE;
		} else if (l > 1 && (*e & PTE_PS)) {
			err = split(pt, e, l);
		}
		if (err)
			return err;
		t = table_at(pt, *e & PTE_ADDR_MASK);
	}
	*out = &t[pte_index(va, level)];
	return ERR_OK;
}

/* Whether va is canonical for 48-bit addresses (bits 63..47 equal). */
static int canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

/* The largest page level usable at va/pa for a remaining size. */
static int best_level(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t size)
{
	if (pt->huge_1g && !((va | pa) & (PT_1G - 1)) && size >= PT_1G)
		return 3;
	if (!((va | pa) & (PT_2M - 1)) && size >= PT_2M)
		return 2;
	return 1;
}

enum err pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned attrs)
{
	if ((va | pa | size) & (PT_PAGE - 1))
		return ERR_ALIGN;
	if (size == 0)
		return ERR_OK;
	if (va + size - 1 < va || !canonical(va) || !canonical(va + size - 1) ||
	    (va >> 47) != ((va + size - 1) >> 47))
		return ERR_RANGE;
	while (size) {
		int level = best_level(pt, va, pa, size);
		uint64_t *e, step = level_size(level);
		enum err err = slot(pt, va, level, &e);
		if (err)
			return err;
		*e = pa | leaf_bits(pt, attrs, level);
		va += step;
		pa += step;
		size -= step;
	}
	return ERR_OK;
}

/* Attributes the hardware applies for a leaf reached through a walk in
 * which every level allowed writes (w) and execution (x). */
static unsigned leaf_attrs(const struct pt *pt, uint64_t e, int level, int w, int x)
{
	unsigned attrs = 0;
	uint64_t pat = level == 1 ? PTE_PAT_4K : PTE_PAT_LARGE;
	unsigned index = (e & pat ? 4 : 0) | (e & PTE_PCD ? 2 : 0) | (e & PTE_PWT ? 1 : 0);

	if (w && (e & PTE_RW))
		attrs |= PT_W;
	if (x && !(pt->nx && (e & PTE_NX)))
		attrs |= PT_X;
	if (index == 5)
		attrs |= PT_WC;
	return attrs;
}

enum err pt_walk(const struct pt *pt, uint64_t va, uint64_t *pa, unsigned *attrs,
                 uint64_t *page_size)
{
	const uint64_t *t = table_at(pt, pt->root);
	int w = 1, x = 1;

	if (!canonical(va))
		return ERR_RANGE;
	for (int l = PT_LEVELS; l >= 1; l--) {
		uint64_t e = t[pte_index(va, l)];
		if (!(e & PTE_P))
			return ERR_NOENT;
		if (pte_is_leaf(e, l)) {
			uint64_t size = level_size(l);
			*pa = pte_addr(e, l) + (va & (size - 1));
			*attrs = leaf_attrs(pt, e, l, w, x);
			*page_size = size;
			return ERR_OK;
		}
		w &= !!(e & PTE_RW);
		x &= !(pt->nx && (e & PTE_NX));
		t = table_at(pt, e & PTE_ADDR_MASK);
	}
	return ERR_NOENT;
}
