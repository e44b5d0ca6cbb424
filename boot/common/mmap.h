/* Memory-map arithmetic for the Limine memory map response and the HHDM:
 * pure functions over arrays of struct limine_memmap_entry.
 * The guarantees come from PROTOCOL.md "Memory Map Feature": entries sorted
 * by base; usable and bootloader-reclaimable entries 4 KiB aligned and not
 * overlapping anything; the first page never usable.
 */
#ifndef BOOT_COMMON_MMAP_H
#define BOOT_COMMON_MMAP_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

#define MMAP_PAGE 4096ull
#define MMAP_4G   0x100000000ull

/* Room normalisation needs: output entries and scratch words for n inputs. */
#define MMAP_NORM_CAP(n)      (2 * (n) + 1)
#define MMAP_SCRATCH_WORDS(n) (2 * (n))

/* Turns a raw map (any order, overlaps allowed, unknown types read as
 * reserved) into a clean one: where entries overlap the most restrictive
 * type wins (framebuffer > bad > reserved > ACPI NVS > ACPI reclaimable >
 * kernel/modules > bootloader-reclaimable > usable); neighbours of one type
 * are merged; usable and bootloader-reclaimable entries shrink to whole
 * pages; [0, 4 KiB) is never usable.  out needs MMAP_NORM_CAP(n) entries and
 * scratch MMAP_SCRATCH_WORDS(n) words; ERR_NOSPC if cap is smaller. */
enum err mmap_normalize(const struct limine_memmap_entry *in, size_t n,
                        struct limine_memmap_entry *out, size_t cap, size_t *out_n,
                        uint64_t *scratch);

/* The physical ranges the HHDM covers (base revisions 1 and 2): all of
 * [0, 4 GiB) plus every entry that is not reserved or bad memory, rounded
 * out to whole pages, sorted and merged into disjoint ranges (type 0) in
 * out[0..cap).  For base revision 0 pass all_types to include every entry.
 * ERR_NOSPC if out has fewer than n + 1 entries. */
enum err mmap_hhdm_ranges(const struct limine_memmap_entry *in, size_t n, int all_types,
                          struct limine_memmap_entry *out, size_t cap, size_t *out_n);

/* Sorts entries by base (stable for equal bases). */
void mmap_sort(struct limine_memmap_entry *e, size_t n);

#endif
