/* The Limine boot protocol: the one interface between a loader and the kernel.
 *
 * Our own definitions of the structures and magic numbers that Limine's
 * PROTOCOL.md (limine-bootloader/limine, v8.x, "Feature List") specifies.
 * Shared by the kernel (which places requests) and by our loader (which
 * answers them).  Pointers in responses are 64-bit HHDM virtual addresses,
 * so they are declared as uint64_t here: the loader (a 64-bit UEFI app or a
 * BIOS stage) and the kernel agree on layout, not on C pointer types.
 * Offsets are checked at the bottom of the file.
 */
#ifndef TESSERA_LIMINE_H
#define TESSERA_LIMINE_H

#include <stddef.h>
#include <stdint.h>

/* PROTOCOL.md "Base protocol revisions". */
#define LIMINE_BASE_REVISION_MAGIC0 0xf9562b2d5c95a6c8ull
#define LIMINE_BASE_REVISION_MAGIC1 0x6a7b384944536bdcull

/* PROTOCOL.md "Requests Delimiters". */
#define LIMINE_REQUESTS_START0 0xf6b8f4b39de7d1aeull
#define LIMINE_REQUESTS_START1 0xfab91a6940fcb9cfull
#define LIMINE_REQUESTS_START2 0x785c6ed015d3e316ull
#define LIMINE_REQUESTS_START3 0x181e920a7852b9d9ull
#define LIMINE_REQUESTS_END0   0xadc0e0531bb10d03ull
#define LIMINE_REQUESTS_END1   0x9572709f31764c62ull

/* PROTOCOL.md "Feature List": the first two words of every request id. */
#define LIMINE_MAGIC0 0xc7b1dd30df4c8b88ull
#define LIMINE_MAGIC1 0x0a82e883a194f07bull

#define LIMINE_ID(a, b)                                \
	{                                              \
		LIMINE_MAGIC0, LIMINE_MAGIC1, (a), (b) \
	}

#define LIMINE_ID_BOOTLOADER_INFO  LIMINE_ID(0xf55038d8e2a1202full, 0x279426fcf5f59740ull)
#define LIMINE_ID_FIRMWARE_TYPE    LIMINE_ID(0x8c2f75d90bef28a8ull, 0x7045a4688eac00c3ull)
#define LIMINE_ID_STACK_SIZE       LIMINE_ID(0x224ef0460a8e8926ull, 0xe1cb0fc25f46ea3dull)
#define LIMINE_ID_HHDM             LIMINE_ID(0x48dcf1cb8ad2b852ull, 0x63984e959a98244bull)
#define LIMINE_ID_FRAMEBUFFER      LIMINE_ID(0x9d5827dcd881dd75ull, 0xa3148604f6fab11bull)
#define LIMINE_ID_PAGING_MODE      LIMINE_ID(0x95c1a0edab0944cbull, 0xa4e5cb3842f7488aull)
#define LIMINE_ID_SMP              LIMINE_ID(0x95a67b819a1b857eull, 0xa0b61b723b6a73e0ull)
#define LIMINE_ID_MEMMAP           LIMINE_ID(0x67cf3d9d378a806full, 0xe304acdfc50c3c62ull)
#define LIMINE_ID_ENTRY_POINT      LIMINE_ID(0x13d86c035a1cd3e1ull, 0x2b0caa89d8f3026aull)
#define LIMINE_ID_KERNEL_FILE      LIMINE_ID(0xad97e90e83f1ed67ull, 0x31eb5d1c5ff23b69ull)
#define LIMINE_ID_MODULE           LIMINE_ID(0x3e7e279702be32afull, 0xca1c4f3bd1280ceeull)
#define LIMINE_ID_RSDP             LIMINE_ID(0xc5e77b6b397e7b43ull, 0x27637845accdcf3cull)
#define LIMINE_ID_SMBIOS           LIMINE_ID(0x9e9046f11e095391ull, 0xaa4a520fefbde5eeull)
#define LIMINE_ID_EFI_SYSTEM_TABLE LIMINE_ID(0x5ceba5163eaaf6d6ull, 0x0a6981610cf65fccull)
#define LIMINE_ID_EFI_MEMMAP       LIMINE_ID(0x7df62a431d6872d5ull, 0xa4fcdfb3e57306c8ull)
#define LIMINE_ID_BOOT_TIME        LIMINE_ID(0x502746e184c088aaull, 0xfbc5ec83e6327893ull)
#define LIMINE_ID_KERNEL_ADDRESS   LIMINE_ID(0x71ba76863cc55f63ull, 0xb2644a48c516a487ull)
#define LIMINE_ID_DTB              LIMINE_ID(0xb40ddb48fb54bac7ull, 0x545081493f81ffb7ull)

/* Every request starts with these three members (PROTOCOL.md "Features"). */
struct limine_request_header {
	uint64_t id[4];
	uint64_t revision;
	uint64_t response; /* HHDM pointer written by the loader, 0 if unanswered */
};

/* Firmware type values. */
#define LIMINE_FIRMWARE_TYPE_X86BIOS 0
#define LIMINE_FIRMWARE_TYPE_UEFI32  1
#define LIMINE_FIRMWARE_TYPE_UEFI64  2

/* Memory map entry types. */
#define LIMINE_MEMMAP_USABLE                 0
#define LIMINE_MEMMAP_RESERVED               1
#define LIMINE_MEMMAP_ACPI_RECLAIMABLE       2
#define LIMINE_MEMMAP_ACPI_NVS               3
#define LIMINE_MEMMAP_BAD_MEMORY             4
#define LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE 5
#define LIMINE_MEMMAP_KERNEL_AND_MODULES     6
#define LIMINE_MEMMAP_FRAMEBUFFER            7

#define LIMINE_FRAMEBUFFER_RGB 1

#define LIMINE_PAGING_MODE_X86_64_4LVL 0
#define LIMINE_PAGING_MODE_X86_64_5LVL 1

#define LIMINE_SMP_X2APIC (1u << 0) /* request flag and response flag */

#define LIMINE_MEDIA_TYPE_GENERIC 0
#define LIMINE_MEDIA_TYPE_OPTICAL 1
#define LIMINE_MEDIA_TYPE_TFTP    2

#define LIMINE_INTERNAL_MODULE_REQUIRED (1u << 0)

/* ---- requests ---- */

struct limine_bootloader_info_request {
	uint64_t id[4], revision, response;
};
struct limine_firmware_type_request {
	uint64_t id[4], revision, response;
};
struct limine_stack_size_request {
	uint64_t id[4], revision, response, stack_size;
};
struct limine_hhdm_request {
	uint64_t id[4], revision, response;
};
struct limine_framebuffer_request {
	uint64_t id[4], revision, response;
};
struct limine_paging_mode_request {
	uint64_t id[4], revision, response;
	uint64_t mode;
	uint64_t max_mode; /* request revision 1 */
	uint64_t min_mode; /* request revision 1 */
};
struct limine_smp_request {
	uint64_t id[4], revision, response, flags;
};
struct limine_memmap_request {
	uint64_t id[4], revision, response;
};
struct limine_entry_point_request {
	uint64_t id[4], revision, response, entry;
};
struct limine_kernel_file_request {
	uint64_t id[4], revision, response;
};
struct limine_internal_module {
	uint64_t path, cmdline, flags;
};
struct limine_module_request {
	uint64_t id[4], revision, response;
	uint64_t internal_module_count; /* request revision 1 */
	uint64_t internal_modules;      /* -> uint64_t[count] -> limine_internal_module */
};
struct limine_rsdp_request {
	uint64_t id[4], revision, response;
};
struct limine_smbios_request {
	uint64_t id[4], revision, response;
};
struct limine_efi_system_table_request {
	uint64_t id[4], revision, response;
};
struct limine_efi_memmap_request {
	uint64_t id[4], revision, response;
};
struct limine_boot_time_request {
	uint64_t id[4], revision, response;
};
struct limine_kernel_address_request {
	uint64_t id[4], revision, response;
};
struct limine_dtb_request {
	uint64_t id[4], revision, response;
};

/* ---- responses ---- */

struct limine_bootloader_info_response {
	uint64_t revision;
	uint64_t name;    /* -> NUL-terminated ASCII */
	uint64_t version; /* -> NUL-terminated ASCII */
};

struct limine_firmware_type_response {
	uint64_t revision;
	uint64_t firmware_type;
};

struct limine_stack_size_response {
	uint64_t revision;
};

struct limine_hhdm_response {
	uint64_t revision;
	uint64_t offset;
};

struct limine_video_mode {
	uint64_t pitch, width, height;
	uint16_t bpp;
	uint8_t memory_model;
	uint8_t red_mask_size, red_mask_shift;
	uint8_t green_mask_size, green_mask_shift;
	uint8_t blue_mask_size, blue_mask_shift;
};

struct limine_framebuffer {
	uint64_t address; /* HHDM virtual address of pixel (0,0) */
	uint64_t width, height, pitch;
	uint16_t bpp;
	uint8_t memory_model;
	uint8_t red_mask_size, red_mask_shift;
	uint8_t green_mask_size, green_mask_shift;
	uint8_t blue_mask_size, blue_mask_shift;
	uint8_t unused[7];
	uint64_t edid_size;
	uint64_t edid;
	/* response revision 1 */
	uint64_t mode_count;
	uint64_t modes; /* -> uint64_t[mode_count] -> limine_video_mode */
};

struct limine_framebuffer_response {
	uint64_t revision;
	uint64_t framebuffer_count;
	uint64_t framebuffers; /* -> uint64_t[count] -> limine_framebuffer */
};

struct limine_paging_mode_response {
	uint64_t revision;
	uint64_t mode;
};

/* x86_64 layout (PROTOCOL.md "SMP (multiprocessor) Feature", x86-64). */
struct limine_smp_info {
	uint32_t processor_id; /* ACPI processor UID from the MADT */
	uint32_t lapic_id;
	uint64_t reserved;
	uint64_t goto_address; /* atomic write releases the parked CPU */
	uint64_t extra_argument;
};

struct limine_smp_response {
	uint64_t revision;
	uint32_t flags; /* LIMINE_SMP_X2APIC */
	uint32_t bsp_lapic_id;
	uint64_t cpu_count;
	uint64_t cpus; /* -> uint64_t[cpu_count] -> limine_smp_info */
};

struct limine_memmap_entry {
	uint64_t base;
	uint64_t length;
	uint64_t type;
};

struct limine_memmap_response {
	uint64_t revision;
	uint64_t entry_count;
	uint64_t entries; /* -> uint64_t[count] -> limine_memmap_entry */
};

struct limine_entry_point_response {
	uint64_t revision;
};

struct limine_uuid {
	uint32_t a;
	uint16_t b;
	uint16_t c;
	uint8_t d[8];
};

struct limine_file {
	uint64_t revision;
	uint64_t address; /* 4 KiB aligned */
	uint64_t size;
	uint64_t path;    /* -> "/path/in/volume" */
	uint64_t cmdline; /* -> NUL-terminated string, "" if none */
	uint32_t media_type;
	uint32_t unused;
	uint32_t tftp_ip;
	uint32_t tftp_port;
	uint32_t partition_index; /* 1-based, 0 = unpartitioned */
	uint32_t mbr_disk_id;
	struct limine_uuid gpt_disk_uuid;
	struct limine_uuid gpt_part_uuid;
	struct limine_uuid part_uuid;
};

struct limine_kernel_file_response {
	uint64_t revision;
	uint64_t kernel_file; /* -> limine_file */
};

struct limine_module_response {
	uint64_t revision;
	uint64_t module_count;
	uint64_t modules; /* -> uint64_t[count] -> limine_file */
};

struct limine_rsdp_response {
	uint64_t revision;
	uint64_t address;
};

struct limine_smbios_response {
	uint64_t revision;
	uint64_t entry_32;
	uint64_t entry_64;
};

struct limine_efi_system_table_response {
	uint64_t revision;
	uint64_t address;
};

struct limine_efi_memmap_response {
	uint64_t revision;
	uint64_t memmap;
	uint64_t memmap_size;
	uint64_t desc_size;
	uint64_t desc_version;
};

struct limine_boot_time_response {
	uint64_t revision;
	int64_t boot_time; /* UNIX seconds from the RTC */
};

struct limine_kernel_address_response {
	uint64_t revision;
	uint64_t physical_base;
	uint64_t virtual_base;
};

struct limine_dtb_response {
	uint64_t revision;
	uint64_t dtb_ptr;
};

/* Layout checks against PROTOCOL.md. */
_Static_assert(sizeof(struct limine_request_header) == 48, "request header");
_Static_assert(offsetof(struct limine_stack_size_request, stack_size) == 48, "stack size");
_Static_assert(offsetof(struct limine_paging_mode_request, min_mode) == 64, "paging mode");
_Static_assert(offsetof(struct limine_smp_request, flags) == 48, "smp flags");
_Static_assert(offsetof(struct limine_module_request, internal_modules) == 56, "modules");
_Static_assert(offsetof(struct limine_framebuffer, bpp) == 32, "fb bpp");
_Static_assert(offsetof(struct limine_framebuffer, edid_size) == 48, "fb edid");
_Static_assert(sizeof(struct limine_framebuffer) == 80, "fb size");
_Static_assert(sizeof(struct limine_video_mode) == 40, "video mode size");
_Static_assert(sizeof(struct limine_smp_info) == 32, "smp info");
_Static_assert(offsetof(struct limine_smp_info, goto_address) == 16, "goto_address");
_Static_assert(offsetof(struct limine_smp_response, cpu_count) == 16, "smp response");
_Static_assert(sizeof(struct limine_memmap_entry) == 24, "memmap entry");
_Static_assert(sizeof(struct limine_uuid) == 16, "uuid");
_Static_assert(offsetof(struct limine_file, media_type) == 40, "file media");
_Static_assert(offsetof(struct limine_file, gpt_disk_uuid) == 64, "file uuids");
_Static_assert(sizeof(struct limine_file) == 112, "file size");

#endif
