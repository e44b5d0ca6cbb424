/* The physical memory map of the BIOS loader: E820 ranges translated to
 * Limine types, kept sorted, non-overlapping, merged and page-aligned, and
 * the page allocator that carves the loader's memory out of it.
 * Pure logic, no firmware calls: the host tests use it as it is.
 */
#ifndef BOOT_BIOS_MEMMAP_H
#define BOOT_BIOS_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

#define MEMMAP_MAX  256
#define MEMMAP_PAGE 4096ull
/* A range to leave out of the reported map (the first page, as Limine
 * does).  It outranks every other type. */
#define MEMMAP_HOLE 0xffu

struct memmap {
	size_t count;
	struct limine_memmap_entry e[MEMMAP_MAX];
	struct limine_memmap_entry scratch[MEMMAP_MAX];
};

void memmap_init(struct memmap *m);

/* Gives [base, base + len) the Limine type `type` wherever it outranks the
 * type already there (usable < bootloader-reclaimable = kernel-and-modules
 * < ACPI reclaimable < ACPI NVS < reserved < bad memory < framebuffer <
 * hole; an equal rank is overwritten).  Usable ranges shrink to whole
 * pages, all others grow to whole pages.  ERR_FULL: too many ranges. */
enum err memmap_mark(struct memmap *m, uint64_t base, uint64_t len, uint64_t type);

/* Translates one E820 range (ACPI 6.5 table 15.4 types, extended attributes
 * bit 0 "enabled", bit 1 "non-volatile") and marks it. */
enum err memmap_add_e820(struct memmap *m, uint64_t base, uint64_t len, uint32_t e820_type,
                         uint32_t ext_attr);

/* Finds len bytes (rounded up to pages) of usable memory, aligned to align
 * (a power of two, at least a page), inside [min, max), the lowest that
 * fits; marks them `type` and stores their base.  ERR_NOMEM if none fits. */
enum err memmap_alloc(struct memmap *m, uint64_t len, uint64_t align, uint64_t min, uint64_t max,
                      uint64_t type, uint64_t *base);

/* True when every byte of [base, base + len) has the given type. */
int memmap_covers(const struct memmap *m, uint64_t base, uint64_t len, uint64_t type);

/* Copies the map without holes to out (at most cap entries) and returns
 * the number of entries the full map has. */
size_t memmap_export(const struct memmap *m, struct limine_memmap_entry *out, size_t cap);

/* Bytes of usable memory (for messages and tests). */
uint64_t memmap_usable_bytes(const struct memmap *m);

#endif
