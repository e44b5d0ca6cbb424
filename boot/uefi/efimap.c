/* EFI memory maps in Limine terms (UEFI 2.10 7.2 "EFI_MEMORY_TYPE"): a pure
 * conversion, shared by fw_memmap and fw_exit and tested on the host. */
#include <string/mem.h>

#include "uefi.h"

uint64_t efi_limine_type(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case TESSERA_MEM_RECLAIMABLE: return LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE;
	case TESSERA_MEM_KERNEL: return LIMINE_MEMMAP_KERNEL_AND_MODULES;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY: return LIMINE_MEMMAP_USABLE;
	case EFI_UNUSABLE_MEMORY: return LIMINE_MEMMAP_BAD_MEMORY;
	case EFI_ACPI_RECLAIM_MEMORY: return LIMINE_MEMMAP_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS: return LIMINE_MEMMAP_ACPI_NVS;
	default: return LIMINE_MEMMAP_RESERVED; /* runtime services, MMIO, ... */
	}
}

size_t efi_mmap_convert(const void *map, uint64_t size, uint64_t desc_size,
                        struct limine_memmap_entry *out, size_t cap)
{
	size_t n = 0;

	if (desc_size < sizeof(struct efi_memory_descriptor))
		return 0;
	for (uint64_t off = 0; off + desc_size <= size; off += desc_size) {
		struct efi_memory_descriptor d;
		memcpy(&d, (const uint8_t *)map + off, sizeof(d));
		if (d.number_of_pages == 0)
			continue;
		if (n < cap) {
			out[n].base = d.physical_start;
			out[n].length = d.number_of_pages * EFI_PAGE_SIZE;
			out[n].type = efi_limine_type(d.type);
		}
		n++;
	}
	return n;
}
