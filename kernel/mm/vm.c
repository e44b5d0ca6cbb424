/* Address spaces and TLB upkeep; see vm.h.  All state here is kernel data,
 * so each core has its own. */
#include "vm.h"

#include <arch/paging.h>
#include <string/mem.h>

#include "frame.h"
#include "hhdm.h"
#include "kheap.h"
#include "mm.h"
#include "panic.h"

/* The window: PML4 slot 448 (bits 47..39 = 0x1c0), clear of the HHDM at
 * the half's start and of the kernel image in the last slot. */
#define WINDOW_BASE 0xffffe00000000000ull

static struct vm_space kernel_space;
static struct vm_space *current;
static unsigned core_index;
static uint32_t next_seq;
/* Which space's translations each TLB tag may hold on this core (its id);
 * 0: none, the tag is flushed when next loaded. */
static uint64_t tag_owner[VM_TAGS];
static struct vm_space *spaces; /* made here, and mirrors */

static void *table_ptr(void *ctx, uint64_t pa)
{
	return hhdm_ptr(pa);
}

static enum err table_alloc(void *ctx, uint64_t *pa)
{
	enum err e = frame_alloc(pa);
	if (!e)
		memset(hhdm_ptr(*pa), 0, FRAME_SIZE);
	return e;
}

static void table_free(void *ctx, uint64_t pa)
{
	frame_free(pa);
}

void vm_pt(const struct vm_space *s, struct arch_pt *pt)
{
	*pt = (struct arch_pt){.table = table_ptr,
	                       .alloc = (s->flags & VM_SPACE_OWN_TABLES) ? table_alloc : NULL,
	                       .free = table_free,
	                       .root = s->root,
	                       .levels = s->levels,
	                       .nx = arch_cpu_features() & ARCH_FEAT_NX};
}

/* A fresh id (never 0, which tag_owner uses for "none"), and the tag
 * derived from it, the same on every core.  The kernel space keeps tag 0. */
static uint64_t new_id(void)
{
	return (uint64_t)core_index << 32 | ++next_seq;
}

static uint16_t tag_of(uint64_t id)
{
	return arch_mmu_tags() > 1 ? (uint16_t)(1 + (uint32_t)id % (VM_TAGS - 1)) : 0;
}

enum err vm_init(unsigned core)
{
	struct arch_pt pt;

	core_index = core;
	next_seq = 0;
	memset(tag_owner, 0, sizeof tag_owner);
	kernel_space = (struct vm_space){.root = arch_mmu_root(),
	                                 .id = new_id(),
	                                 .active = 1ull << core,
	                                 .levels = (uint8_t)arch_mmu_levels(),
	                                 .flags = VM_SPACE_OWN_TABLES};
	tag_owner[0] = kernel_space.id;
	current = &kernel_space;
	spaces = NULL;
	/* The window's top-level entry exists before any space copies the
	 * kernel half, so later window tables are seen by every space. */
	vm_pt(&kernel_space, &pt);
	enum err e = arch_pt_map(&pt, WINDOW_BASE, 0, MM_PAGE_BITS, 0);
	if (!e)
		e = arch_pt_unmap(&pt, WINDOW_BASE, MM_PAGE_BITS, NULL);
	return e;
}

unsigned vm_core(void)
{
	return core_index;
}

struct vm_space *vm_kernel(void)
{
	return &kernel_space;
}

struct vm_space *vm_current(void)
{
	return current;
}

uintptr_t vm_window(void)
{
	return WINDOW_BASE;
}

void vm_space_adopt(struct vm_space *s, uint64_t root)
{
	uint64_t id = new_id();
	*s = (struct vm_space){
	        .root = root, .id = id, .tag = tag_of(id), .levels = kernel_space.levels};
	struct arch_pt pt;
	vm_pt(s, &pt);
	arch_pt_copy_kernel_half(&pt, kernel_space.root);
}

enum err vm_space_create(struct vm_space **out)
{
	uint64_t root;
	struct vm_space *s = kheap_alloc(sizeof *s);

	if (!s)
		return ERR_NOMEM;
	if (table_alloc(NULL, &root)) {
		kheap_free(s);
		return ERR_NOMEM;
	}
	vm_space_adopt(s, root);
	s->flags = VM_SPACE_OWN_TABLES;
	s->next = spaces;
	spaces = s;
	*out = s;
	return ERR_OK;
}

enum err vm_mirror_create(uint64_t id, struct vm_space **out)
{
	enum err e = vm_space_create(out);
	if (e)
		return e;
	(*out)->id = id;
	(*out)->tag = tag_of(id);
	(*out)->flags = VM_SPACE_MIRROR;
	return ERR_OK;
}

struct vm_space *vm_space_find(uint64_t id, bool mirror)
{
	for (struct vm_space *s = spaces; s; s = s->next)
		if (s->id == id && !!(s->flags & VM_SPACE_MIRROR) == mirror)
			return s;
	return NULL;
}

unsigned vm_space_top_entries(const struct vm_space *s, unsigned *index, uint64_t *entry,
                              unsigned max)
{
	struct arch_pt pt;
	unsigned n = 0;

	vm_pt(s, &pt);
	for (unsigned i = 0; i < ARCH_PT_ENTRIES / 2; i++) {
		uint64_t e = arch_pt_top_entry(&pt, i);
		if (!e)
			continue;
		if (n < max) {
			index[n] = i;
			entry[n] = e;
		}
		n++;
	}
	return n;
}

void vm_space_retire(struct vm_space *s)
{
	if (tag_owner[s->tag] == s->id)
		tag_owner[s->tag] = 0;
}

enum err vm_space_destroy(struct vm_space *s)
{
	struct arch_pt pt;

	if (s->active || s == &kernel_space)
		return ERR_BUSY;
	vm_space_retire(s);
	for (struct vm_space **p = &spaces; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	vm_pt(s, &pt);
	if (s->flags & VM_SPACE_OWN_TABLES)
		arch_pt_free_tables(&pt);
	frame_free(s->root);
	kheap_free(s);
	return ERR_OK;
}

void vm_activate(struct vm_space *s)
{
	if (s == current)
		return;
	bool keep = false;
	if (arch_mmu_pcid()) {
		keep = tag_owner[s->tag] == s->id;
		tag_owner[s->tag] = s->id;
	}
	arch_mmu_switch(s->root, s->tag, keep);
	current->active &= ~(1ull << core_index);
	s->active |= 1ull << core_index;
	current = s;
}

/* Flushes n pages from va in the loaded space, or all of it beyond the
 * threshold. */
static void flush_current(uintptr_t va, size_t pages)
{
	if (pages > VM_FLUSH_PAGES_MAX) {
		arch_tlb_flush_local();
		return;
	}
	for (size_t i = 0; i < pages; i++)
		arch_tlb_flush_page(va + i * MM_PAGE_SIZE);
}

void vm_invalidate_local(uint64_t id, bool kernel_half, uintptr_t va, size_t len)
{
	size_t pages = (len + (va & (MM_PAGE_SIZE - 1)) + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE;
	va &= ~(uintptr_t)(MM_PAGE_SIZE - 1);

	if (kernel_half) {
		/* Kernel translations are cached under every tag: flush the
		 * loaded one, make the others flush when next loaded. */
		flush_current(va, pages);
		for (unsigned t = 0; t < VM_TAGS; t++)
			if (t != current->tag)
				tag_owner[t] = 0;
		return;
	}
	if (current->id == id) {
		flush_current(va, pages);
		return;
	}
	uint16_t tag = tag_of(id);
	if (!arch_mmu_pcid() || tag_owner[tag] != id)
		return; /* nothing of it can be cached here */
	bool done = pages > VM_FLUSH_PAGES_MAX ? arch_tlb_flush_tag(tag, UINTPTR_MAX) : true;
	for (size_t i = 0; done && pages <= VM_FLUSH_PAGES_MAX && i < pages; i++)
		done = arch_tlb_flush_tag(tag, va + i * MM_PAGE_SIZE);
	if (!done)
		tag_owner[tag] = 0;
}

void vm_invalidate(struct vm_space *s, uintptr_t va, size_t len)
{
	bool kernel_half = !arch_pt_user_address(va, s->levels);

	vm_invalidate_local(s->id, kernel_half, va, len);
	uint64_t others = s->active & ~(1ull << core_index);
	if (!kernel_half && others)
		mm_shootdown(others, s->id, va, len);
}

/* The index of va's top-level entry. */
static unsigned top_index(const struct vm_space *s, uintptr_t va)
{
	return (unsigned)(va >> (12 + 9 * (s->levels - 1))) % ARCH_PT_ENTRIES;
}

/* After a map that may have linked a new top-level table: other cores that
 * run s through mirrors take the new entry. */
static void sync_top(struct vm_space *s, const struct arch_pt *pt, uintptr_t va, uint64_t before)
{
	unsigned i = top_index(s, va);
	uint64_t now = arch_pt_top_entry(pt, i);
	if (now != before && (s->active & ~(1ull << core_index)) &&
	    arch_pt_user_address(va, s->levels))
		mm_space_sync(s, i, now);
}

enum err vm_map(struct vm_space *s, uintptr_t va, uint64_t pa, unsigned page_bits, unsigned prot)
{
	struct arch_pt pt;
	vm_pt(s, &pt);
	uint64_t before = arch_pt_top_entry(&pt, top_index(s, va));
	enum err e = arch_pt_map(&pt, va, pa, page_bits, prot);
	sync_top(s, &pt, va, before);
	return e;
}

enum err vm_unmap(struct vm_space *s, uintptr_t va, unsigned page_bits)
{
	struct arch_pt pt;
	vm_pt(s, &pt);
	enum err e = arch_pt_unmap(&pt, va, page_bits, NULL);
	if (!e)
		vm_invalidate(s, va, 1ull << page_bits);
	return e;
}

enum err vm_protect(struct vm_space *s, uintptr_t va, unsigned page_bits, unsigned prot)
{
	struct arch_pt pt;
	vm_pt(s, &pt);
	enum err e = arch_pt_protect(&pt, va, page_bits, prot);
	if (!e)
		vm_invalidate(s, va, 1ull << page_bits);
	return e;
}

enum err vm_lookup(struct vm_space *s, uintptr_t va, uint64_t *pa, unsigned *prot,
                   unsigned *page_bits)
{
	struct arch_pt pt;
	vm_pt(s, &pt);
	return arch_pt_lookup(&pt, va, pa, prot, page_bits);
}

enum err vm_map_range(struct vm_space *s, uintptr_t va, uint64_t pa, size_t len, unsigned prot)
{
	struct arch_pt pt;
	vm_pt(s, &pt);
	for (size_t off = 0; off < len; off += MM_PAGE_SIZE) {
		uint64_t before = arch_pt_top_entry(&pt, top_index(s, va + off));
		enum err e = arch_pt_map(&pt, va + off, pa + off, MM_PAGE_BITS, prot);
		sync_top(s, &pt, va + off, before);
		if (!e)
			continue;
		for (size_t undo = 0; undo < off; undo += MM_PAGE_SIZE)
			arch_pt_unmap(&pt, va + undo, MM_PAGE_BITS, NULL);
		if (off)
			vm_invalidate(s, va, off);
		return e;
	}
	return ERR_OK;
}

/* unmap (protect == false) or protect every 4 KiB page of a range. */
static enum err range_op(struct vm_space *s, uintptr_t va, size_t len, bool protect, unsigned prot)
{
	struct arch_pt pt;
	bool any = false;

	enum err e = ERR_OK;
	vm_pt(s, &pt);
	for (size_t off = 0; off < len && (!e || e == ERR_NOENT); off += MM_PAGE_SIZE) {
		e = protect ? arch_pt_protect(&pt, va + off, MM_PAGE_BITS, prot)
		            : arch_pt_unmap(&pt, va + off, MM_PAGE_BITS, NULL);
		any |= e == ERR_OK;
	}
	if (any)
		vm_invalidate(s, va, len);
	if (e && e != ERR_NOENT)
		return e;
	return any ? ERR_OK : ERR_NOENT;
}

enum err vm_unmap_range(struct vm_space *s, uintptr_t va, size_t len)
{
	return range_op(s, va, len, false, 0);
}

enum err vm_protect_range(struct vm_space *s, uintptr_t va, size_t len, unsigned prot)
{
	return range_op(s, va, len, true, prot);
}
