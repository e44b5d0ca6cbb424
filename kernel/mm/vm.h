/* Address spaces of this core: map, unmap and change the protection of
 * 4 KiB, 2 MiB and 1 GiB pages, switch between spaces, and keep every TLB
 * that may cache a changed translation correct.
 *
 * A space is a top-level table plus bookkeeping.  Its upper (kernel) half
 * is this core's kernel mapping, copied in when the space is made; the
 * lower half is its own.  Tables come either from this core's frame pool
 * (vm_space_create, for the kernel's own spaces) or from page-table
 * capabilities (vm_space_adopt; mm/vspace.h links them in).
 *
 * TLB rules (Intel SDM Vol. 3A §4.10.4): a new translation needs no flush
 * (not-present entries are never cached); a removed or reduced one is
 * flushed before the call returns, everywhere it may be cached: on this core
 * one page at a time up to VM_FLUSH_PAGES_MAX pages, the whole tag beyond
 * that; with PCIDs also under the tag of a space that is not loaded; and on
 * every other core where the space is active, by a TLB_SHOOTDOWN message
 * whose SHOOTDOWN_ACK is awaited (mm/shootdown.h).
 */
#ifndef KERNEL_MM_VM_H
#define KERNEL_MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#include "prot.h"

struct arch_pt;

/* Beyond this many pages a range is flushed as a whole: one CR3 write costs
 * about as much as a few dozen INVLPGs and refills lazily (Linux settles on
 * 33 for the same trade-off). */
#define VM_FLUSH_PAGES_MAX 32

/* TLB tags (PCIDs) in use; tag 0 is the kernel's own space. */
#define VM_TAGS 256

#define VM_SPACE_OWN_TABLES 0x1 /* tables from this core's pool; freed with the space */
#define VM_SPACE_MIRROR     0x2 /* another core's space: only the top table is ours */

struct vm_space {
	uint64_t root;         /* physical address of the top-level table */
	uint64_t id;           /* unique across cores: creating core << 32 | sequence */
	uint64_t active;       /* cores on which it is loaded, bit per core (owner's view) */
	uint16_t tag;          /* TLB tag when loaded (0 without PCIDs) */
	uint8_t levels;        /* 4 or 5 */
	uint8_t flags;         /* VM_SPACE_* */
	struct vm_space *next; /* this core's list of spaces it made or mirrors */
};

/* Takes the current page tables as this core's kernel space and makes the
 * window's top-level table.  Per core, once it runs on its own tables, with
 * its frame pool.  NOMEM, or EXIST when the window's place is in use. */
enum err vm_init(unsigned core);

/* This core's index, as given to vm_init. */
unsigned vm_core(void);

/* This core's kernel space, and the space loaded now. */
struct vm_space *vm_kernel(void);
struct vm_space *vm_current(void);

/* A window of the kernel half reserved for vm_map by kernel code (tests,
 * benchmarks, later kernel mappings): [base, base + VM_WINDOW_SIZE). */
#define VM_WINDOW_SIZE (1ull << 30)
uintptr_t vm_window(void);

/* A new space with tables from this core's pool: the kernel half shared,
 * the lower half empty.  NOMEM. */
enum err vm_space_create(struct vm_space **out);

/* Sets up s over the top-level table at root (a page-table capability's
 * memory), copying the kernel half into it; tables only through links. */
void vm_space_adopt(struct vm_space *s, uint64_t root);

/* Frees a space made by vm_space_create, with its lower-half tables, or a
 * mirror (its top table only).  BUSY while it is loaded on any core. */
enum err vm_space_destroy(struct vm_space *s);

/* A space made here (vm_space_create) or a mirror kept here, by id; NULL
 * if there is none. */
struct vm_space *vm_space_find(uint64_t id, bool mirror);

/* A mirror of another core's space id: a top table from this core's pool
 * with this core's kernel half; its lower half is set entry by entry from
 * the owner's (arch_pt_set_top_entry; VM_SPACE LOAD messages).  NOMEM. */
enum err vm_mirror_create(uint64_t id, struct vm_space **out);

/* The lower-half top-level entries of s that are in use: fills at most max
 * (index, entry) pairs and returns how many there are. */
unsigned vm_space_top_entries(const struct vm_space *s, unsigned *index, uint64_t *entry,
                              unsigned max);

/* Called by vm_space_destroy and by the owner of an adopted space before
 * its table goes away: forgets the space's TLB tag on this core. */
void vm_space_retire(struct vm_space *s);

/* Loads s on this core. */
void vm_activate(struct vm_space *s);

/* One page of 2^page_bits bytes; errors as arch_pt_map (arch/paging.h). */
enum err vm_map(struct vm_space *s, uintptr_t va, uint64_t pa, unsigned page_bits, unsigned prot);
enum err vm_unmap(struct vm_space *s, uintptr_t va, unsigned page_bits);
enum err vm_protect(struct vm_space *s, uintptr_t va, unsigned page_bits, unsigned prot);
enum err vm_lookup(struct vm_space *s, uintptr_t va, uint64_t *pa, unsigned *prot,
                   unsigned *page_bits);

/* Ranges of 4 KiB pages, flushed once for the whole range.  map: undone
 * on failure.  unmap / protect: pages not mapped are skipped; NOENT if
 * none was. */
enum err vm_map_range(struct vm_space *s, uintptr_t va, uint64_t pa, size_t len, unsigned prot);
enum err vm_unmap_range(struct vm_space *s, uintptr_t va, size_t len);
enum err vm_protect_range(struct vm_space *s, uintptr_t va, size_t len, unsigned prot);

/* Makes every TLB that may hold a translation of [va, va + len) in s drop
 * it: this core's, and those of the other cores s is active on (waiting
 * for their acks).  After any change that removes or reduces access. */
void vm_invalidate(struct vm_space *s, uintptr_t va, size_t len);

/* This core's part of an invalidation of space id (a shootdown request
 * from another core, or vm_invalidate's local step). */
void vm_invalidate_local(uint64_t id, bool kernel_half, uintptr_t va, size_t len);

/* The walker's view of s's tables (arch/paging.h). */
void vm_pt(const struct vm_space *s, struct arch_pt *pt);

#endif
