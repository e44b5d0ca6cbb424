/* x86-64 4-level page tables, built by the loader for the kernel.
 * Pure: table pages come from a caller-supplied allocator and are reached
 * through a caller-supplied physical-to-pointer translation, so host tests
 * can build tables in a buffer and walk them.
 * Entry formats: lib/x86/pte.h; memory types through the PAT: SDM vol. 3A
 * 12.12.3.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_PAGING_H
#define BOOT_COMMON_ARCH_X86_64_PAGING_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <x86/pte.h>

#define PT_PAGE   0x1000ull
#define PT_2M     0x200000ull
#define PT_1G     0x40000000ull
#define PT_LEVELS 4

/* Mapping attributes. */
#define PT_W  (1u << 0) /* writable */
#define PT_X  (1u << 1) /* executable */
#define PT_WC (1u << 2) /* write-combining: PAT entry 5 */

/* The PAT layout the protocol requires (PROTOCOL.md "Caching", x86-64):
 * PAT0 WB, PAT1 WT, PAT2 UC-, PAT3 UC, PAT4 WP, PAT5 WC, PAT6 UC-, PAT7 UC.
 * Memory type encodings: SDM 3A table 12-10 (UC 0, WC 1, WT 4, WP 5, WB 6,
 * UC- 7).  Every CPU gets it: the BSP in arch_enter, each AP in its
 * trampoline. */
#define PAT_VALUE 0x0007010500070406ull

/* Where table pages come from. */
struct pt_ops {
	/* A zeroed, 4 KiB aligned page; its physical address in *phys. */
	enum err (*alloc)(void *ctx, uint64_t *phys);
	/* The loader's pointer to physical address phys. */
	void *(*ptr)(void *ctx, uint64_t phys);
	void *ctx;
};

struct pt {
	struct pt_ops ops;
	uint64_t root;   /* physical address of the PML4 */
	int nx;          /* EFER.NXE will be set: non-executable maps get NX */
	int huge_1g;     /* 1 GiB pages may be used */
	int pat;         /* the PAT is programmed with PAT5 = WC */
	uint64_t tables; /* table pages allocated so far */
};

/* Allocates an empty PML4. */
enum err pt_init(struct pt *pt, const struct pt_ops *ops, int nx, int huge_1g, int pat);

/* Maps [va, va + size) to [pa, pa + size) with attributes PT_*; all three
 * page aligned and va canonical.  Uses 1 GiB / 2 MiB pages where alignment
 * allows; replaces (splitting large pages as needed) whatever was mapped
 * there before, so a later map of a sub-range wins. */
enum err pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned attrs);

/* Translates va: its physical address, attributes (PT_W, PT_X, PT_WC as
 * the hardware would apply them) and the size of the page that maps it.
 * ERR_NOENT if unmapped. */
enum err pt_walk(const struct pt *pt, uint64_t va, uint64_t *pa, unsigned *attrs,
                 uint64_t *page_size);

#endif
