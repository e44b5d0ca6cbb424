/* State and helpers shared by the UEFI front end's files. */
#ifndef BOOT_UEFI_UEFI_H
#define BOOT_UEFI_UEFI_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

#include "efi.h"

extern struct efi_system_table *efi_st;
extern struct efi_boot_services *efi_bs;
extern efi_handle efi_image;
extern int efi_exited; /* ExitBootServices succeeded: no more firmware calls */

/* Whether two GUIDs are equal. */
int efi_guid_eq(const struct efi_guid *a, const struct efi_guid *b);

/* The project error code closest to an EFI status. */
enum err efi_err(efi_status s);

/* The Limine memory-map type of an EFI memory type (ours included). */
uint64_t efi_limine_type(uint32_t efi_type);

/* Converts a raw EFI memory map (size bytes of descriptors desc_size
 * apart) to Limine types in out[0..cap), skipping empty descriptors.
 * Returns the number of entries it needs, which may exceed cap (then only
 * cap are written). */
size_t efi_mmap_convert(const void *map, uint64_t size, uint64_t desc_size,
                        struct limine_memmap_entry *out, size_t cap);

#endif
