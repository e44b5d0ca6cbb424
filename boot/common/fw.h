/* The firmware interface: the few services boot/common needs from a firmware
 * front end (boot/uefi, boot/bios).  The front end initialises itself, then
 * calls boot_main() (boot.h), which drives everything through these hooks:
 *
 *   console      fw_console_write     text for the screen, until fw_exit
 *   storage      fw_boot_volume       the block device of the boot FAT volume
 *   memory       fw_alloc_pages       pages tagged with a boot_mem kind, below
 *                                     a bound (1 MiB for the AP trampoline)
 *                fw_memmap            the current map, in Limine types
 *   tables       fw_platform          RSDP, SMBIOS, EFI system table, time
 *   video        fw_video             set a mode, describe the framebuffer
 *   exit         fw_exit              leave the firmware; the final map
 *
 * Everything else (configuration, FAT, ELF, paging, the Limine responses,
 * the CPU state at entry) is common code.  Addresses are physical; the
 * loader runs with physical memory identity-mapped (UEFI, or the BIOS
 * stage's own long-mode tables), so a physical address below the loader's
 * mapped limit may be used as a pointer.
 */
#ifndef BOOT_COMMON_FW_H
#define BOOT_COMMON_FW_H

#include <fat/blockdev.h>
#include <fat/gpt.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

/* What an allocation holds, which decides its Limine memory-map type. */
enum boot_mem {
	BOOT_MEM_RECLAIMABLE, /* loader data the kernel may reclaim: responses,
	                         page tables, stacks, GDT (BOOTLOADER_RECLAIMABLE) */
	BOOT_MEM_KERNEL,      /* kernel image, kernel file, modules
	                         (KERNEL_AND_MODULES) */
};

/* The volume the loader was started from: a FAT32 file system at part_lba on
 * dev, and what the Limine file structure reports about it. */
struct boot_volume {
	const struct blockdev *dev;
	uint64_t part_lba;
	uint32_t partition_index;  /* 1-based; 0 unknown or unpartitioned */
	uint32_t mbr_disk_id;      /* 0 if none */
	struct gpt_guid disk_guid; /* all zero if unknown */
	struct gpt_guid part_guid; /* all zero if unknown */
};

/* Firmware tables and facts; physical addresses, 0 when absent. */
struct boot_platform {
	uint32_t firmware_type; /* LIMINE_FIRMWARE_TYPE_* */
	uint64_t rsdp;
	uint64_t smbios32; /* SMBIOS 2.x entry point */
	uint64_t smbios64; /* SMBIOS 3.x entry point */
	uint64_t efi_system_table;
	int64_t boot_time;  /* UNIX seconds from the RTC; 0 if unknown */
	uint64_t map_limit; /* physical memory the loader may use as pointers ends
	                       here (the BIOS stage's identity map); 0: no end */
};

/* The framebuffer chosen by fw_video. */
struct boot_fb {
	uint64_t phys; /* pixel (0,0); 0 when there is no linear framebuffer */
	uint64_t size; /* bytes from phys covered by the mode (pitch * height) */
	struct limine_video_mode mode;
	struct limine_video_mode *modes; /* every usable mode, from boot_alloc */
	size_t mode_count;
	uint64_t edid_phys; /* 0 if none */
	uint64_t edid_size;
};

/* A memory map in Limine types, in caller-provided storage. */
struct boot_mmap {
	struct limine_memmap_entry *entries;
	size_t count;
	size_t cap;
};

/* What fw_exit reports besides the map (UEFI only; zero on BIOS). */
struct boot_exit_info {
	uint64_t efi_mmap; /* physical address of the final raw EFI map, in
	                      BOOT_MEM_RECLAIMABLE memory */
	uint64_t efi_mmap_size;
	uint64_t efi_desc_size;
	uint64_t efi_desc_version;
};

/* Writes n bytes of text to the firmware console (not to COM1, which the
 * common log drives itself).  A no-op after fw_exit. */
void fw_console_write(const char *s, size_t n);

/* Describes the boot volume.  dev stays valid until fw_exit. */
enum err fw_boot_volume(struct boot_volume *vol);

/* No upper bound for fw_alloc_pages. */
#define FW_ANYWHERE UINT64_MAX

/* Allocates pages * 4 KiB of physical memory aligned to align (a power of
 * two, at least 4096), tagged kind, so the final memory map reports it with
 * the kind's Limine type.  The whole block lies below `below` (a page-aligned
 * physical address, or FW_ANYWHERE); front ends honour any bound from 1 MiB
 * (real-mode code, reached by a start-up IPI) up, including memory under
 * 1 MiB that they otherwise leave alone.  The memory is not zeroed. */
enum err fw_alloc_pages(uint64_t pages, enum boot_mem kind, uint64_t align, uint64_t below,
                        uint64_t *phys);

/* The current memory map converted to Limine types (unsorted, possibly with
 * adjacent entries of one type); ERR_NOSPC if map->cap is too small, with
 * map->count set to the number needed. */
enum err fw_memmap(struct boot_mmap *map);

/* Fills *p.  Never fails; unknown fields stay 0. */
void fw_platform(struct boot_platform *p);

/* Sets the best linear-framebuffer mode no larger than width x height (0 x 0:
 * keep the current mode), preferring bpp bits per pixel, and describes it in
 * *fb with the list of available modes.  ERR_NOENT if there is no
 * framebuffer. */
enum err fw_video(uint32_t width, uint32_t height, uint32_t bpp, struct boot_fb *fb);

/* Leaves the firmware for good (UEFI ExitBootServices), storing the final
 * memory map in map (converted to Limine types).  Fails with ERR_NOSPC
 * before leaving if map->cap is too small.  After success no fw_* hook may
 * be called, interrupts are disabled, and only COM1 output remains. */
enum err fw_exit(struct boot_mmap *map, struct boot_exit_info *info);

#endif
