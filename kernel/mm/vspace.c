/* Page-table capabilities; see vspace.h. */
#include "vspace.h"

#include <arch/paging.h>
#include <string/mem.h>

#include "mm.h"
#include "panic.h"
#include "vm.h"

/* kdata of a mapped frame or linked table: the page number of its address
 * above the registry token (a slot index and that slot's generation, so a
 * token outlives neither its space nor a reuse of the slot). */
#define TOKEN_BITS 20
#define INDEX_BITS 12
#define GEN_MASK   0xffu
_Static_assert(VSPACE_MAX <= 1u << INDEX_BITS, "slot indices fit the token");
_Static_assert(TOKEN_BITS + 56 - 12 <= 64, "a lower-half page number fits above the token");

struct slot {
	struct vm_space space;
	bool live;
	bool ever; /* used once: a probe goes on past it */
	uint8_t gen;
};

/* The registry, open addressing by the top table's address. */
static struct slot slots[VSPACE_MAX];
static unsigned live_count;
static uint64_t large_maps; /* 2 MiB frames mapped, ever (vspace_large_maps) */

static unsigned hash(uint64_t root)
{
	return (unsigned)((root >> 12) * 0x9e3779b1u) % VSPACE_MAX;
}

static struct slot *find(uint64_t root)
{
	for (unsigned n = 0, i = hash(root); n < VSPACE_MAX; n++, i = (i + 1) % VSPACE_MAX) {
		if (!slots[i].ever)
			return NULL;
		if (slots[i].live && slots[i].space.root == root)
			return &slots[i];
	}
	return NULL;
}

/* The slot for root, registering the space (the kernel half copied in);
 * NULL when the registry is full. */
static struct slot *enter(uint64_t root)
{
	struct slot *s = find(root);
	if (s || live_count == VSPACE_MAX)
		return s;
	unsigned i = hash(root);
	while (slots[i].live)
		i = (i + 1) % VSPACE_MAX;
	s = &slots[i];
	s->live = s->ever = true;
	s->gen = (uint8_t)(s->gen % GEN_MASK + 1); /* 1..255, never 0 */
	vm_space_adopt(&s->space, root);
	live_count++;
	return s;
}

static uint64_t token_of(const struct slot *s)
{
	return (uint64_t)s->gen << INDEX_BITS | (uint64_t)(s - slots);
}

/* The live space a kdata token names, or NULL. */
static struct slot *from_kdata(uint64_t kdata)
{
	struct slot *s = &slots[kdata & ((1u << INDEX_BITS) - 1)];
	uint8_t gen = (uint8_t)(kdata >> INDEX_BITS & GEN_MASK);
	return s->live && s->gen == gen ? s : NULL;
}

static uint64_t kdata_va(uint64_t kdata)
{
	return kdata >> TOKEN_BITS << 12;
}

unsigned vspace_root_type(void)
{
	return arch_mmu_levels() == 5 ? CAP_PML5 : CAP_PML4;
}

unsigned vspace_count(void)
{
	return live_count;
}

uint64_t vspace_large_maps(void)
{
	return large_maps;
}

/* Table level of a linkable table cap type, 0 if it is not one. */
static unsigned table_level(unsigned type)
{
	switch (type) {
	case CAP_PT: return 1;
	case CAP_PD: return 2;
	case CAP_PDPT: return 3;
	case CAP_PML4: return arch_mmu_levels() == 5 ? 4 : 0;
	default: return 0;
	}
}

/* The walker over a top table's memory, tables only through links. */
static void root_pt(uint64_t root, struct arch_pt *pt)
{
	struct vm_space tmp = {.root = root, .levels = (uint8_t)arch_mmu_levels()};
	vm_pt(&tmp, pt);
}

static enum err decode_root(const struct cte *root)
{
	if (!cap_slot_live(root) || root->cap.type != vspace_root_type())
		return ERR_TYPE;
	return root->cap.rights & CAP_RIGHT_WRITE ? ERR_OK : ERR_PERM;
}

/* Whether the registry can take root (it has it, or has room). */
static enum err decode_room(uint64_t root)
{
	return find(root) || live_count < VSPACE_MAX ? ERR_OK : ERR_FULL;
}

/* MM_PROT_* for cap rights and attr; INVAL, PERM as vspace.h says. */
static enum err decode_prot(const struct cap *frame, uint32_t rights, unsigned attr, unsigned *prot)
{
	const uint32_t rwx = CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_EXEC;
	if (!(rights & CAP_RIGHT_READ) || (rights & ~rwx) || attr > VSPACE_ATTR_WC)
		return ERR_INVAL;
	if (frame->size_bits == MM_HUGE_PAGE_BITS && !(arch_cpu_features() & ARCH_FEAT_HUGE))
		return ERR_INVAL;
	if (rights & ~frame->rights)
		return ERR_PERM;
	*prot = MM_PROT_USER;
	if (rights & CAP_RIGHT_WRITE)
		*prot |= MM_PROT_WRITE;
	if (rights & CAP_RIGHT_EXEC)
		*prot |= MM_PROT_EXEC;
	if (attr == VSPACE_ATTR_WC)
		*prot |= MM_PROT_WC;
	else if (attr == VSPACE_ATTR_UC || frame->type == CAP_DEVICE_FRAME)
		*prot |= MM_PROT_UC;
	return ERR_OK;
}

enum err vspace_map_frame(struct cte *root, struct cte *frame, uint64_t va, uint32_t rights,
                          unsigned attr)
{
	struct arch_pt pt;
	unsigned prot;

	if (!cap_slot_live(frame) ||
	    (frame->cap.type != CAP_FRAME && frame->cap.type != CAP_DEVICE_FRAME))
		return ERR_TYPE;
	enum err e = decode_root(root);
	if (e)
		return e;
	if (frame->cap.kdata)
		return ERR_BUSY;
	e = decode_prot(&frame->cap, rights, attr, &prot);
	if (e)
		return e;
	if (va & ((1ull << frame->cap.size_bits) - 1))
		return ERR_ALIGN;
	if (!arch_pt_user_address(va + (1ull << frame->cap.size_bits) - 1, arch_mmu_levels()))
		return ERR_RANGE;
	e = decode_room(root->cap.base);
	root_pt(root->cap.base, &pt);
	if (!e)
		e = arch_pt_check_map(&pt, va, frame->cap.base, frame->cap.size_bits, prot);
	if (e)
		return e;
	/* invoke */
	struct slot *s = enter(root->cap.base);
	arch_pt_map(&pt, va, frame->cap.base, frame->cap.size_bits, prot);
	frame->cap.kdata = va >> 12 << TOKEN_BITS | token_of(s);
	large_maps += frame->cap.size_bits == MM_LARGE_PAGE_BITS;
	return ERR_OK;
}

/* A table of `level` linked or unlinked at va: if it sits in the top table,
 * the mirrors of the space on other cores take the new entry. */
static void sync_top(struct slot *s, uint64_t va, unsigned level)
{
	unsigned levels = s->space.levels;
	struct arch_pt pt;

	if (level != levels - 1u || !(s->space.active & ~(1ull << vm_core())))
		return;
	unsigned i = (unsigned)(va >> (12 + 9 * (levels - 1))) % ARCH_PT_ENTRIES;
	vm_pt(&s->space, &pt);
	mm_space_sync(&s->space, i, arch_pt_top_entry(&pt, i));
}

enum err vspace_map_table(struct cte *root, struct cte *table, uint64_t va)
{
	struct arch_pt pt;
	unsigned level = cap_slot_live(table) ? table_level(table->cap.type) : 0;

	if (!level)
		return ERR_TYPE;
	enum err e = decode_root(root);
	if (e)
		return e;
	if (table->cap.kdata)
		return ERR_BUSY;
	if (!cap_is_original(table))
		return ERR_PERM;
	uint64_t covers = 1ull << (12 + 9 * level);
	if (va & (covers - 1))
		return ERR_ALIGN;
	if (!arch_pt_user_address(va + covers - 1, arch_mmu_levels()))
		return ERR_RANGE;
	e = decode_room(root->cap.base);
	root_pt(root->cap.base, &pt);
	if (!e)
		e = arch_pt_check_link(&pt, va, level, table->cap.base);
	if (e)
		return e;
	struct slot *s = enter(root->cap.base);
	arch_pt_link(&pt, va, level, table->cap.base);
	table->cap.kdata = va >> 12 << TOKEN_BITS | token_of(s);
	sync_top(s, va, level);
	return ERR_OK;
}

/* Takes cap's mapping out of its space if the entry still refers to the
 * cap's memory, and flushes it everywhere. */
static void undo(const struct cap *cap)
{
	struct slot *s = from_kdata(cap->kdata);
	uint64_t va = kdata_va(cap->kdata), pa;
	unsigned level = table_level(cap->type), prot, bits;
	struct arch_pt pt;

	if (level) {
		if (s) {
			vm_pt(&s->space, &pt);
			if (arch_pt_unlink(&pt, va, level, cap->base) == ERR_OK) {
				sync_top(s, va, level);
				vm_invalidate(&s->space, va, 1ull << (12 + 9 * level));
			}
		}
		/* Linked once (through its original), so unreachable now; its
		 * entries must not come back with it if it is linked again, when
		 * the caps they were made for no longer know where they are. */
		root_pt(cap->base, &pt);
		memset(pt.table(pt.ctx, cap->base), 0, 1u << CAP_PAGE_TABLE_BITS);
		return;
	}
	if (!s)
		return;
	vm_pt(&s->space, &pt);
	if (arch_pt_lookup(&pt, va, &pa, &prot, &bits) == ERR_OK && pa == cap->base &&
	    bits == cap->size_bits) {
		arch_pt_unmap(&pt, va, bits, NULL);
		vm_invalidate(&s->space, va, 1ull << bits);
	}
}

static bool mappable(unsigned type)
{
	return type == CAP_FRAME || type == CAP_DEVICE_FRAME || table_level(type);
}

enum err vspace_unmap(struct cte *cap)
{
	if (!cap_slot_live(cap) || !mappable(cap->cap.type))
		return ERR_TYPE;
	if (!cap->cap.kdata)
		return ERR_NOENT;
	undo(&cap->cap);
	cap->cap.kdata = 0;
	return ERR_OK;
}

enum err vspace_protect(struct cte *frame, uint32_t rights)
{
	unsigned prot, old, bits;
	uint64_t pa;
	struct arch_pt pt;

	if (!cap_slot_live(frame) ||
	    (frame->cap.type != CAP_FRAME && frame->cap.type != CAP_DEVICE_FRAME))
		return ERR_TYPE;
	struct slot *s = frame->cap.kdata ? from_kdata(frame->cap.kdata) : NULL;
	uint64_t va = kdata_va(frame->cap.kdata);
	if (s)
		vm_pt(&s->space, &pt);
	if (!s || arch_pt_lookup(&pt, va, &pa, &old, &bits) || pa != frame->cap.base)
		return ERR_NOENT;
	unsigned attr = old & MM_PROT_WC ? VSPACE_ATTR_WC : old & MM_PROT_UC ? VSPACE_ATTR_UC : 0;
	enum err e = decode_prot(&frame->cap, rights, attr, &prot);
	if (e)
		return e;
	arch_pt_protect(&pt, va, bits, prot);
	vm_invalidate(&s->space, va, 1ull << bits);
	return ERR_OK;
}

enum err vspace_space(struct cte *root, struct vm_space **out)
{
	if (!cap_slot_live(root) || root->cap.type != vspace_root_type())
		return ERR_TYPE;
	struct slot *s = enter(root->cap.base);
	if (!s)
		return ERR_FULL;
	*out = &s->space;
	return ERR_OK;
}

void vspace_removed(const struct cap *cap)
{
	if (cap->kdata && mappable(cap->type))
		undo(cap);
}

void vspace_destroyed(const struct cap *cap)
{
	if (cap->type != vspace_root_type())
		return;
	struct slot *s = find(cap->base);
	if (!s)
		return;
	if (vm_current() == &s->space)
		vm_activate(vm_kernel());
	for (unsigned c = 0; c < 64; c++) {
		if (!(s->space.active >> c & 1) || c == vm_core())
			continue;
		enum err e = mm_space_unshare(&s->space, c);
		if (e)
			panic("vspace: core %u still runs space %#llx, whose top table is gone: %s",
			      c, (unsigned long long)s->space.id, err_str(e));
	}
	vm_space_retire(&s->space);
	s->live = false;
	live_count--;
}
