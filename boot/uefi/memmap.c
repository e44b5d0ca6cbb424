/* The memory map from UEFI, and ExitBootServices (UEFI 2.10 7.2
 * GetMemoryMap, 7.4 ExitBootServices). */
#include <boot.h>
#include <fw.h>
#include <string/mem.h>

#include "uefi.h"

/* The raw map into buf[0..*size); *size is updated. */
static efi_status raw_map(void *buf, uint64_t *size, uint64_t *key, uint64_t *desc_size,
                          uint32_t *desc_version)
{
	return efi_bs->get_memory_map(size, buf, key, desc_size, desc_version);
}

enum err fw_memmap(struct boot_mmap *map)
{
	uint64_t size = 0, key, dsize;
	uint32_t dver;
	void *buf = NULL;

	efi_status s = raw_map(NULL, &size, &key, &dsize, &dver);
	if (s != EFI_BUFFER_TOO_SMALL)
		return efi_err(s);
	size += 8 * dsize;
	s = efi_bs->allocate_pool(EFI_LOADER_DATA, size, &buf);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	s = raw_map(buf, &size, &key, &dsize, &dver);
	if (s == EFI_SUCCESS)
		map->count = efi_mmap_convert(buf, size, dsize, map->entries, map->cap);
	efi_bs->free_pool(buf);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	return map->count > map->cap ? ERR_NOSPC : ERR_OK;
}

enum err fw_exit(struct boot_mmap *map, struct boot_exit_info *info)
{
	uint64_t size = 0, key, dsize;
	uint32_t dver;

	efi_status s = raw_map(NULL, &size, &key, &dsize, &dver);
	if (s != EFI_BUFFER_TOO_SMALL)
		return efi_err(s);
	/* Room for the descriptors this allocation and a few retries add. */
	uint64_t cap = (size + 32 * dsize + EFI_PAGE_SIZE - 1) & ~(EFI_PAGE_SIZE - 1);
	efi_phys_addr buf;
	s = efi_bs->allocate_pages(EFI_ALLOCATE_ANY_PAGES, TESSERA_MEM_RECLAIMABLE,
	                           cap / EFI_PAGE_SIZE, &buf);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	for (int tries = 0;; tries++) {
		size = cap;
		s = raw_map((void *)(uintptr_t)buf, &size, &key, &dsize, &dver);
		if (s != EFI_SUCCESS)
			return efi_err(s);
		if (size / dsize > map->cap)
			return ERR_NOSPC;
		efi_exited = 1; /* no console output from here on, even on failure */
		s = efi_bs->exit_boot_services(efi_image, key);
		if (s == EFI_SUCCESS)
			break;
		/* A stale key (the map changed under us): fetch it again.
		 * Only GetMemoryMap may be called in between (7.4). */
		if (s != EFI_INVALID_PARAMETER || tries == 8)
			return efi_err(s);
	}
	__asm__ volatile("cli");
	map->count = efi_mmap_convert((void *)(uintptr_t)buf, size, dsize, map->entries, map->cap);
	info->efi_mmap = buf;
	info->efi_mmap_size = size;
	info->efi_desc_size = dsize;
	info->efi_desc_version = dver;
	return ERR_OK;
}
