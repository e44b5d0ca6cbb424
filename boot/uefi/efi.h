/* Our own UEFI definitions: the tables, protocols and types the loader uses,
 * written from the UEFI Specification 2.10 (section numbers cite it).
 * Only what the loader calls is typed; other table slots are padding
 * pointers so the offsets stay right (checked at the bottom).
 * Calls use the Microsoft x64 convention (2.3.4.1), hence EFIAPI.
 */
#ifndef BOOT_UEFI_EFI_H
#define BOOT_UEFI_EFI_H

#include <stddef.h>
#include <stdint.h>

#define EFIAPI __attribute__((ms_abi))

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t char16;
typedef uint64_t efi_phys_addr;

/* Status codes (Appendix D): errors have the top bit set. */
#define EFI_ERROR_BIT         (1ull << 63)
#define EFI_SUCCESS           0ull
#define EFI_LOAD_ERROR        (EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED       (EFI_ERROR_BIT | 3)
#define EFI_BAD_BUFFER_SIZE   (EFI_ERROR_BIT | 4)
#define EFI_BUFFER_TOO_SMALL  (EFI_ERROR_BIT | 5)
#define EFI_NOT_READY         (EFI_ERROR_BIT | 6)
#define EFI_DEVICE_ERROR      (EFI_ERROR_BIT | 7)
#define EFI_OUT_OF_RESOURCES  (EFI_ERROR_BIT | 9)
#define EFI_NOT_FOUND         (EFI_ERROR_BIT | 14)

/* 2.3.1 "Data Types": EFI_GUID, 128 bits, 64-bit aligned in memory. */
struct efi_guid {
	uint32_t a;
	uint16_t b;
	uint16_t c;
	uint8_t d[8];
};

/* 4.2 EFI_TABLE_HEADER */
struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

/* 8.3 EFI_TIME */
struct efi_time {
	uint16_t year;
	uint8_t month;
	uint8_t day;
	uint8_t hour;
	uint8_t minute;
	uint8_t second;
	uint8_t pad1;
	uint32_t nanosecond;
	int16_t time_zone;
	uint8_t daylight;
	uint8_t pad2;
};

/* 7.2 EFI_MEMORY_TYPE */
enum efi_memory_type {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

/* 7.2 AllocatePages: types 0x80000000..0xFFFFFFFF are for OS loaders.  We
 * tag our allocations with two of them so the final map says who owns what. */
#define EFI_OS_MEMORY_MIN       0x80000000u
#define TESSERA_MEM_RECLAIMABLE 0x80000001u
#define TESSERA_MEM_KERNEL      0x80000002u

/* 7.2 EFI_ALLOCATE_TYPE */
enum efi_allocate_type {
	EFI_ALLOCATE_ANY_PAGES = 0,
	EFI_ALLOCATE_MAX_ADDRESS = 1,
	EFI_ALLOCATE_ADDRESS = 2,
};

/* 7.2 GetMemoryMap: EFI_MEMORY_DESCRIPTOR (version 1).  Firmware may use a
 * larger stride (DescriptorSize); never index it as a C array. */
struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	efi_phys_addr physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};

#define EFI_PAGE_SIZE 4096ull

/* 7.3 LocateHandle search types. */
enum efi_locate_search_type {
	EFI_ALL_HANDLES = 0,
	EFI_BY_REGISTER_NOTIFY = 1,
	EFI_BY_PROTOCOL = 2,
};

struct efi_device_path;

/* 4.4 EFI_BOOT_SERVICES */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl;
	void *restore_tpl;
	efi_status(EFIAPI *allocate_pages)(enum efi_allocate_type type, uint32_t memory_type,
	                                   uint64_t pages, efi_phys_addr *memory);
	efi_status(EFIAPI *free_pages)(efi_phys_addr memory, uint64_t pages);
	efi_status(EFIAPI *get_memory_map)(uint64_t *map_size, void *map, uint64_t *map_key,
	                                   uint64_t *descriptor_size, uint32_t *descriptor_version);
	efi_status(EFIAPI *allocate_pool)(uint32_t pool_type, uint64_t size, void **buffer);
	efi_status(EFIAPI *free_pool)(void *buffer);
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status(EFIAPI *handle_protocol)(efi_handle handle, const struct efi_guid *protocol,
	                                    void **interface);
	void *reserved;
	void *register_protocol_notify;
	efi_status(EFIAPI *locate_handle)(enum efi_locate_search_type type,
	                                  const struct efi_guid *protocol, void *search_key,
	                                  uint64_t *buffer_size, efi_handle *buffer);
	efi_status(EFIAPI *locate_device_path)(const struct efi_guid *protocol,
	                                       struct efi_device_path **path, efi_handle *device);
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	void *exit;
	void *unload_image;
	efi_status(EFIAPI *exit_boot_services)(efi_handle image, uint64_t map_key);
	void *get_next_monotonic_count;
	efi_status(EFIAPI *stall)(uint64_t microseconds);
	efi_status(EFIAPI *set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t data_size,
	                                       char16 *data);
	void *connect_controller;
	void *disconnect_controller;
	void *open_protocol;
	void *close_protocol;
	void *open_protocol_information;
	void *protocols_per_handle;
	void *locate_handle_buffer;
	efi_status(EFIAPI *locate_protocol)(const struct efi_guid *protocol, void *registration,
	                                    void **interface);
	void *install_multiple_protocol_interfaces;
	void *uninstall_multiple_protocol_interfaces;
	void *calculate_crc32;
	void *copy_mem;
	void *set_mem;
	void *create_event_ex;
};

/* 4.5 EFI_RUNTIME_SERVICES */
struct efi_runtime_services {
	struct efi_table_header hdr;
	efi_status(EFIAPI *get_time)(struct efi_time *time, void *capabilities);
	void *set_time;
	void *get_wakeup_time;
	void *set_wakeup_time;
	void *set_virtual_address_map;
	void *convert_pointer;
	void *get_variable;
	void *get_next_variable_name;
	void *set_variable;
	void *get_next_high_monotonic_count;
	void *reset_system;
	void *update_capsule;
	void *query_capsule_capabilities;
	void *query_variable_info;
};

/* 12.4 EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL */
struct efi_simple_text_output {
	void *reset;
	efi_status(EFIAPI *output_string)(struct efi_simple_text_output *self,
	                                  const char16 *string);
	void *test_string;
	void *query_mode;
	void *set_mode;
	void *set_attribute;
	void *clear_screen;
	void *set_cursor_position;
	void *enable_cursor;
	void *mode;
};

/* 4.6 EFI_CONFIGURATION_TABLE */
struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

/* 4.3 EFI_SYSTEM_TABLE */
struct efi_system_table {
	struct efi_table_header hdr;
	char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	struct efi_simple_text_output *std_err;
	struct efi_runtime_services *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

/* 9.1 EFI_LOADED_IMAGE_PROTOCOL */
struct efi_loaded_image {
	uint32_t revision;
	efi_handle parent_handle;
	struct efi_system_table *system_table;
	efi_handle device_handle;
	struct efi_device_path *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type;
	uint32_t image_data_type;
	void *unload;
};

/* 10.2 EFI_DEVICE_PATH_PROTOCOL: a packed node header; Length is bytes of
 * the whole node, little-endian, unaligned. */
struct efi_device_path {
	uint8_t type;
	uint8_t sub_type;
	uint8_t length[2];
};

#define EFI_DP_TYPE_MEDIA     0x04
#define EFI_DP_TYPE_END       0x7f
#define EFI_DP_SUB_HARD_DRIVE 0x01
#define EFI_DP_SUB_END_ENTIRE 0xff

/* 10.3.5.1 Hard Drive media device path (42 bytes, packed). */
struct efi_dp_hard_drive {
	struct efi_device_path header;
	uint32_t partition_number;
	uint64_t partition_start;
	uint64_t partition_size;
	uint8_t signature[16];
	uint8_t mbr_type;
	uint8_t signature_type;
} __attribute__((packed));

#define EFI_HD_MBR_TYPE_GPT   0x02
#define EFI_HD_SIGNATURE_MBR  0x01
#define EFI_HD_SIGNATURE_GUID 0x02

/* 13.9 EFI_BLOCK_IO_MEDIA and EFI_BLOCK_IO_PROTOCOL */
struct efi_block_io_media {
	uint32_t media_id;
	uint8_t removable_media;
	uint8_t media_present;
	uint8_t logical_partition;
	uint8_t read_only;
	uint8_t write_caching;
	uint32_t block_size;
	uint32_t io_align;
	uint64_t last_block;
	uint64_t lowest_aligned_lba;                  /* revision 2 */
	uint32_t logical_blocks_per_physical_block;   /* revision 2 */
	uint32_t optimal_transfer_length_granularity; /* revision 3 */
};

struct efi_block_io {
	uint64_t revision;
	struct efi_block_io_media *media;
	void *reset;
	efi_status(EFIAPI *read_blocks)(struct efi_block_io *self, uint32_t media_id, uint64_t lba,
	                                uint64_t buffer_size, void *buffer);
	void *write_blocks;
	void *flush_blocks;
};

/* 12.9 EFI_GRAPHICS_OUTPUT_PROTOCOL */
enum efi_gop_pixel_format {
	EFI_PIXEL_RGBX_8BPC = 0, /* byte 0 red, 1 green, 2 blue */
	EFI_PIXEL_BGRX_8BPC = 1, /* byte 0 blue, 1 green, 2 red */
	EFI_PIXEL_BIT_MASK = 2,
	EFI_PIXEL_BLT_ONLY = 3,
};

struct efi_pixel_bitmask {
	uint32_t red;
	uint32_t green;
	uint32_t blue;
	uint32_t reserved;
};

struct efi_gop_mode_info {
	uint32_t version;
	uint32_t horizontal_resolution;
	uint32_t vertical_resolution;
	uint32_t pixel_format; /* enum efi_gop_pixel_format */
	struct efi_pixel_bitmask pixel_information;
	uint32_t pixels_per_scan_line;
};

struct efi_gop_mode {
	uint32_t max_mode;
	uint32_t mode;
	struct efi_gop_mode_info *info;
	uint64_t size_of_info;
	efi_phys_addr frame_buffer_base;
	uint64_t frame_buffer_size;
};

struct efi_gop {
	efi_status(EFIAPI *query_mode)(struct efi_gop *self, uint32_t mode, uint64_t *size,
	                               struct efi_gop_mode_info **info);
	efi_status(EFIAPI *set_mode)(struct efi_gop *self, uint32_t mode);
	void *blt;
	struct efi_gop_mode *mode;
};

/* 12.9.2 EFI_EDID_ACTIVE_PROTOCOL (same layout as EDID_DISCOVERED). */
struct efi_edid {
	uint32_t size_of_edid;
	uint8_t *edid;
};

/* Protocol and table GUIDs (the sections defining each). */
#define EFI_LOADED_IMAGE_GUID                                          \
	{                                                              \
		0x5b1b31a1, 0x9562, 0x11d2,                            \
		{                                                      \
			0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b \
		}                                                      \
	} /* 9.1 */
#define EFI_DEVICE_PATH_GUID                                           \
	{                                                              \
		0x09576e91, 0x6d3f, 0x11d2,                            \
		{                                                      \
			0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b \
		}                                                      \
	} /* 10.2 */
#define EFI_BLOCK_IO_GUID                                              \
	{                                                              \
		0x964e5b21, 0x6459, 0x11d2,                            \
		{                                                      \
			0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b \
		}                                                      \
	} /* 13.9 */
#define EFI_GOP_GUID                                                   \
	{                                                              \
		0x9042a9de, 0x23dc, 0x4a38,                            \
		{                                                      \
			0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a \
		}                                                      \
	} /* 12.9 */
#define EFI_EDID_ACTIVE_GUID                                           \
	{                                                              \
		0xbd8c1056, 0x9f36, 0x44ec,                            \
		{                                                      \
			0x92, 0xa8, 0xa6, 0x33, 0x7f, 0x81, 0x79, 0x86 \
		}                                                      \
	} /* 12.9 */
#define EFI_ACPI_20_TABLE_GUID                                         \
	{                                                              \
		0x8868e871, 0xe4f1, 0x11d3,                            \
		{                                                      \
			0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 \
		}                                                      \
	} /* 4.6 */
#define EFI_ACPI_10_TABLE_GUID                                         \
	{                                                              \
		0xeb9d2d30, 0x2d88, 0x11d3,                            \
		{                                                      \
			0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d \
		}                                                      \
	} /* 4.6 */
#define EFI_SMBIOS_TABLE_GUID                                          \
	{                                                              \
		0xeb9d2d31, 0x2d88, 0x11d3,                            \
		{                                                      \
			0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d \
		}                                                      \
	} /* 4.6 */
#define EFI_SMBIOS3_TABLE_GUID                                         \
	{                                                              \
		0xf2fd1544, 0x9794, 0x4a2c,                            \
		{                                                      \
			0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 \
		}                                                      \
	} /* 4.6 */

/* Layout checks against the UEFI 2.10 structure definitions (x64). */
_Static_assert(sizeof(struct efi_guid) == 16, "2.3.1 EFI_GUID");
_Static_assert(sizeof(struct efi_table_header) == 24, "4.2 EFI_TABLE_HEADER");
_Static_assert(sizeof(struct efi_time) == 16, "8.3 EFI_TIME");
_Static_assert(offsetof(struct efi_time, time_zone) == 12, "8.3 EFI_TIME.TimeZone");
_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "7.2 EFI_MEMORY_DESCRIPTOR");
_Static_assert(offsetof(struct efi_memory_descriptor, physical_start) == 8, "7.2 PhysicalStart");
_Static_assert(offsetof(struct efi_memory_descriptor, number_of_pages) == 24, "7.2 NumberOfPages");
_Static_assert(offsetof(struct efi_boot_services, allocate_pages) == 40, "4.4 AllocatePages");
_Static_assert(offsetof(struct efi_boot_services, get_memory_map) == 56, "4.4 GetMemoryMap");
_Static_assert(offsetof(struct efi_boot_services, handle_protocol) == 152, "4.4 HandleProtocol");
_Static_assert(offsetof(struct efi_boot_services, locate_device_path) == 184,
               "4.4 LocateDevicePath");
_Static_assert(offsetof(struct efi_boot_services, exit_boot_services) == 232,
               "4.4 ExitBootServices");
_Static_assert(offsetof(struct efi_boot_services, set_watchdog_timer) == 256,
               "4.4 SetWatchdogTimer");
_Static_assert(offsetof(struct efi_boot_services, locate_protocol) == 320, "4.4 LocateProtocol");
_Static_assert(sizeof(struct efi_boot_services) == 376, "4.4 EFI_BOOT_SERVICES");
_Static_assert(offsetof(struct efi_runtime_services, get_time) == 24, "4.5 GetTime");
_Static_assert(sizeof(struct efi_runtime_services) == 136, "4.5 EFI_RUNTIME_SERVICES");
_Static_assert(offsetof(struct efi_simple_text_output, output_string) == 8, "12.4 OutputString");
_Static_assert(sizeof(struct efi_configuration_table) == 24, "4.6 EFI_CONFIGURATION_TABLE");
_Static_assert(offsetof(struct efi_system_table, con_out) == 64, "4.3 ConOut");
_Static_assert(offsetof(struct efi_system_table, runtime_services) == 88, "4.3 RuntimeServices");
_Static_assert(offsetof(struct efi_system_table, boot_services) == 96, "4.3 BootServices");
_Static_assert(offsetof(struct efi_system_table, configuration_table) == 112,
               "4.3 ConfigurationTable");
_Static_assert(offsetof(struct efi_loaded_image, device_handle) == 24, "9.1 DeviceHandle");
_Static_assert(offsetof(struct efi_loaded_image, image_base) == 64, "9.1 ImageBase");
_Static_assert(sizeof(struct efi_loaded_image) == 96, "9.1 EFI_LOADED_IMAGE_PROTOCOL");
_Static_assert(sizeof(struct efi_device_path) == 4, "10.2 EFI_DEVICE_PATH_PROTOCOL");
_Static_assert(sizeof(struct efi_dp_hard_drive) == 42, "10.3.5.1 Hard Drive device path");
_Static_assert(offsetof(struct efi_dp_hard_drive, signature) == 24, "10.3.5.1 Signature");
_Static_assert(offsetof(struct efi_block_io_media, block_size) == 12, "13.9 BlockSize");
_Static_assert(offsetof(struct efi_block_io_media, last_block) == 24, "13.9 LastBlock");
_Static_assert(offsetof(struct efi_block_io, read_blocks) == 24, "13.9 ReadBlocks");
_Static_assert(sizeof(struct efi_gop_mode_info) == 36, "12.9 EFI_GRAPHICS_OUTPUT_MODE_INFORMATION");
_Static_assert(offsetof(struct efi_gop_mode, frame_buffer_base) == 24, "12.9 FrameBufferBase");
_Static_assert(sizeof(struct efi_gop_mode) == 40, "12.9 EFI_GRAPHICS_OUTPUT_PROTOCOL_MODE");
_Static_assert(offsetof(struct efi_gop, mode) == 24, "12.9 Mode");
_Static_assert(sizeof(struct efi_edid) == 16, "12.9 EFI_EDID_ACTIVE_PROTOCOL");

#endif
