/* The MMU part of the architecture contract: page-table walks on any
 * address space's tables, TLB invalidation, address-space switches, the
 * CPU's protection features and a fault probe for tests.  Generic code
 * reaches it through <arch/arch.h>.  This is the x86_64 version: 4-level
 * paging, or 5-level when CR4.LA57 is set (Intel SDM Vol. 3A §4.5).
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define ARCH_PT_MAX_LEVELS 5
#define ARCH_PT_ENTRIES    512

/* ---- page-table walks ----
 *
 * The tables of one address space, reached through the caller's
 * physical-to-virtual translation; tables come from alloc, or, when alloc is
 * NULL, only from arch_pt_link (capability-backed page tables).  Levels are
 * numbered from the leaf: 1 is a page table (PT), 2 a PD, 3 a PDPT, 4 the
 * PML4, 5 the PML5.  prot is a set of MM_PROT_* flags (mm/prot.h), page_bits
 * 12, 21 or 30.  Pure: no instructions, so host tests walk tables in a buffer.
 */
struct arch_pt {
	void *ctx;
	void *(*table)(void *ctx, uint64_t pa);     /* the table page at pa */
	enum err (*alloc)(void *ctx, uint64_t *pa); /* a zeroed table page, or NULL */
	void (*free)(void *ctx, uint64_t pa);       /* for arch_pt_free_tables */
	uint64_t root;                              /* physical address of the top table */
	unsigned levels;                            /* 4 or 5 */
	bool nx;                                    /* the no-execute bit may be used */
};

/* What a walk of a whole address space calls: each table page, top down
 * (level as above), and each present leaf (va canonical, page_bits, prot). */
struct arch_pt_visit {
	void *ctx;
	void (*table)(void *ctx, uint64_t pa, unsigned level);
	void (*leaf)(void *ctx, uint64_t va, uint64_t pa, unsigned page_bits, unsigned prot);
};

/* Visits every table and every mapping of pt's space, both halves. */
void arch_pt_walk(const struct arch_pt *pt, const struct arch_pt_visit *v);

/* Maps the page [va, va + 2^page_bits) to pa.  INVAL bad page_bits or prot;
 * ALIGN va or pa; RANGE va not canonical; NOENT a table on the way missing
 * (alloc NULL); NOMEM; EXIST something already mapped there (a page, a
 * larger page above, or a table where a large page would go). */
enum err arch_pt_map(const struct arch_pt *pt, uint64_t va, uint64_t pa, unsigned page_bits,
                     unsigned prot);

/* arch_pt_map's checks and walk without the mapping: what it would return
 * (NOENT only where tables cannot be allocated).  Changes nothing. */
enum err arch_pt_check_map(const struct arch_pt *pt, uint64_t va, uint64_t pa, unsigned page_bits,
                           unsigned prot);

/* Removes the page of that size mapped at va, storing its frame in *pa
 * (may be NULL).  NOENT when no such page is mapped there. */
enum err arch_pt_unmap(const struct arch_pt *pt, uint64_t va, unsigned page_bits, uint64_t *pa);

/* Changes the protection of the page of that size mapped at va. */
enum err arch_pt_protect(const struct arch_pt *pt, uint64_t va, unsigned page_bits, unsigned prot);

/* The translation of va: physical address, protection and page size.
 * NOENT if unmapped. */
enum err arch_pt_lookup(const struct arch_pt *pt, uint64_t va, uint64_t *pa, unsigned *prot,
                        unsigned *page_bits);

/* Puts the table page table_pa in as the level-`level` table covering va
 * (level 1..levels-1).  RANGE va; INVAL level; NOENT a table above missing;
 * EXIST the slot is in use. */
enum err arch_pt_link(const struct arch_pt *pt, uint64_t va, unsigned level, uint64_t table_pa);

/* arch_pt_link's checks without the link.  Changes nothing. */
enum err arch_pt_check_link(const struct arch_pt *pt, uint64_t va, unsigned level,
                            uint64_t table_pa);

/* Takes the level-`level` table covering va out, if it is table_pa (NOENT
 * otherwise: unlinked already, or another table is there now). */
enum err arch_pt_unlink(const struct arch_pt *pt, uint64_t va, unsigned level, uint64_t table_pa);

/* Frees (pt->free) every table below the root that maps the lower half;
 * leaves and the root itself stay the caller's. */
void arch_pt_free_tables(const struct arch_pt *pt);

/* Copies the top-level entries of the upper (kernel) half from the table at
 * src_root, so the new address space maps the kernel. */
void arch_pt_copy_kernel_half(const struct arch_pt *pt, uint64_t src_root);

/* Makes the tables above level `level` for va exist (from pt->alloc), so a
 * later level-`level` entry there needs no allocation.  OK also when a large
 * page above already maps va; NOENT without alloc; NOMEM; RANGE. */
enum err arch_pt_reserve(const struct arch_pt *pt, uint64_t va, unsigned level);

/* Top-level entry `index` as the hardware reads it, and its replacement:
 * how a mirror of another core's space takes that space's lower half. */
uint64_t arch_pt_top_entry(const struct arch_pt *pt, unsigned index);
void arch_pt_set_top_entry(const struct arch_pt *pt, unsigned index, uint64_t entry);

/* Whether va is in the lower (user) half for this many levels. */
bool arch_pt_user_address(uint64_t va, unsigned levels);

/* ---- this CPU's MMU ---- */

/* Paging levels in use (4, or 5 with LA57). */
unsigned arch_mmu_levels(void);

/* Physical address of the current top-level table. */
uint64_t arch_mmu_root(void);

/* Whether process-context identifiers are enabled on this CPU. */
bool arch_mmu_pcid(void);

/* Number of address-space tags (PCIDs) this CPU offers, tag 0 included;
 * 1 when it has none. */
unsigned arch_mmu_tags(void);

/* Loads root as the current address space, with TLB tag `tag` (0 when
 * tags are off).  keep: the TLB still holds only valid entries for that
 * tag, so they need not be flushed. */
void arch_mmu_switch(uint64_t root, unsigned tag, bool keep);

/* Invalidates the TLB entry of page va in the current address space. */
void arch_tlb_flush_page(uintptr_t va);

/* Invalidates every non-global TLB entry of the current address space. */
void arch_tlb_flush_local(void);

/* Invalidates entries of another tag: page va, or all of them (va ==
 * UINTPTR_MAX).  False when the CPU cannot (no INVPCID); the caller must
 * then not reuse the tag without a flush. */
bool arch_tlb_flush_tag(unsigned tag, uintptr_t va);

/* ---- protection features ---- */

#define ARCH_FEAT_NX      (1u << 0) /* no-execute pages (EFER.NXE) */
#define ARCH_FEAT_WP      (1u << 1) /* supervisor writes honour read-only (CR0.WP) */
#define ARCH_FEAT_SMEP    (1u << 2) /* no supervisor execution of user pages */
#define ARCH_FEAT_SMAP    (1u << 3) /* no supervisor access to user pages */
#define ARCH_FEAT_UMIP    (1u << 4) /* no SGDT/SIDT/SLDT/SMSW/STR in user mode */
#define ARCH_FEAT_PCID    (1u << 5) /* tagged TLB */
#define ARCH_FEAT_INVPCID (1u << 6) /* per-tag invalidation */
#define ARCH_FEAT_PGE     (1u << 7) /* global pages */
#define ARCH_FEAT_HUGE    (1u << 8) /* 1 GiB pages */

/* Turns on, on this CPU, every protection feature it has (NX and WP always;
 * SMEP, SMAP, UMIP, PCID, global pages when CPUID reports them).  Call once
 * per core, early.  Returns the ARCH_FEAT_* set now enabled; panics if NX
 * is missing (every x86_64 CPU has it). */
unsigned arch_cpu_protect(void);

/* The ARCH_FEAT_* set arch_cpu_protect enabled on this CPU (0 before). */
unsigned arch_cpu_features(void);

/* Brackets a deliberate kernel access to user pages (SMAP's STAC/CLAC);
 * no-ops without SMAP. */
void arch_user_access_begin(void);
void arch_user_access_end(void);

/* ---- fault probe (tests, and later copy-from-user) ---- */

enum arch_access { ARCH_ACCESS_READ, ARCH_ACCESS_WRITE, ARCH_ACCESS_EXEC };

/* A fault the probe caught. */
struct arch_fault {
	uint64_t addr; /* faulting address */
	uint32_t code; /* the CPU's error code */
	bool present;  /* the page was present: a protection fault */
	bool write;    /* the access was a write */
	bool user;     /* from user mode */
	bool fetch;    /* an instruction fetch */
};

/* Tries one access of kind at va from the kernel: a read of 8 bytes, a
 * write of value, or a call to va (which must hold a return instruction,
 * see ARCH_RETURN_INSN).  Returns true if it faulted, with the fault in *f;
 * false if it succeeded (*read gets what a read saw).  user: inside
 * arch_user_access_begin/end. */
bool arch_probe(uintptr_t va, enum arch_access kind, uint64_t value, bool user, uint64_t *read,
                struct arch_fault *f);

/* One instruction that returns to the caller (x86: ret), for exec probes. */
#define ARCH_RETURN_INSN      0xc3
#define ARCH_RETURN_INSN_SIZE 1

#endif
