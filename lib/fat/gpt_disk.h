/* On-disk structures of the legacy/protective MBR and of GPT, shared by
 * the reader (gpt.c) and the writer (gpt_write.c).  Little-endian, packed.
 * Specification: UEFI 2.10, chapter 5 "GUID Partition Table (GPT) Disk Layout".
 */
#ifndef LIB_FAT_GPT_DISK_H
#define LIB_FAT_GPT_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "gpt.h"

/* One MBR partition record (UEFI 5.2.1, table 5-2). */
struct mbr_partition_record {
	uint8_t boot_indicator;
	uint8_t start_chs[3];
	uint8_t os_type;
	uint8_t end_chs[3];
	uint32_t start_lba;
	uint32_t size_lba;
} __attribute__((packed));

_Static_assert(sizeof(struct mbr_partition_record) == 16, "MBR partition record");
_Static_assert(offsetof(struct mbr_partition_record, os_type) == 4, "OSType");
_Static_assert(offsetof(struct mbr_partition_record, start_lba) == 8, "StartingLBA");
_Static_assert(offsetof(struct mbr_partition_record, size_lba) == 12, "SizeInLBA");

/* The MBR sector (UEFI 5.2.1 table 5-1; protective form 5.2.3 table 5-4). */
struct mbr_sector {
	uint8_t boot_code[440];
	uint32_t disk_signature;
	uint16_t unknown;
	struct mbr_partition_record part[4];
	uint16_t signature; /* 0xAA55 */
} __attribute__((packed));

_Static_assert(sizeof(struct mbr_sector) == 512, "MBR is 512 bytes");
_Static_assert(offsetof(struct mbr_sector, disk_signature) == 440, "UniqueMBRDiskSignature");
_Static_assert(offsetof(struct mbr_sector, part) == 446, "PartitionRecord");
_Static_assert(offsetof(struct mbr_sector, signature) == 510, "Signature");
_Static_assert(GPT_MBR_STAGE_COUNT_OFF + 4 <= offsetof(struct mbr_sector, disk_signature),
               "stage pointer lies inside the boot code area");

#define MBR_SIGNATURE     0xaa55
#define MBR_TYPE_GPT_PMBR 0xee

/* GPT header (UEFI 5.3.2, table 5-5); the rest of its sector is zero. */
struct gpt_header {
	char signature[8]; /* "EFI PART" */
	uint32_t revision;
	uint32_t header_size;
	uint32_t header_crc32;
	uint32_t reserved;
	uint64_t my_lba;
	uint64_t alternate_lba;
	uint64_t first_usable_lba;
	uint64_t last_usable_lba;
	struct gpt_guid disk_guid;
	uint64_t entries_lba;
	uint32_t entry_count;
	uint32_t entry_size;
	uint32_t entries_crc32;
} __attribute__((packed));

_Static_assert(sizeof(struct gpt_header) == 92, "GPT header is 92 bytes");
_Static_assert(offsetof(struct gpt_header, header_crc32) == 16, "HeaderCRC32");
_Static_assert(offsetof(struct gpt_header, my_lba) == 24, "MyLBA");
_Static_assert(offsetof(struct gpt_header, first_usable_lba) == 40, "FirstUsableLBA");
_Static_assert(offsetof(struct gpt_header, disk_guid) == 56, "DiskGUID");
_Static_assert(offsetof(struct gpt_header, entries_lba) == 72, "PartitionEntryLBA");
_Static_assert(offsetof(struct gpt_header, entry_count) == 80, "NumberOfPartitionEntries");
_Static_assert(offsetof(struct gpt_header, entries_crc32) == 88, "PartitionEntryArrayCRC32");

#define GPT_SIGNATURE "EFI PART"
#define GPT_REVISION  0x00010000u

/* GPT partition entry (UEFI 5.3.3, table 5-6). */
struct gpt_entry {
	struct gpt_guid type;
	struct gpt_guid guid;
	uint64_t first_lba;
	uint64_t last_lba;
	uint64_t attributes;
	uint16_t name[36]; /* UTF-16LE */
} __attribute__((packed));

_Static_assert(sizeof(struct gpt_entry) == 128, "GPT entry is 128 bytes");
_Static_assert(offsetof(struct gpt_entry, first_lba) == 32, "StartingLBA");
_Static_assert(offsetof(struct gpt_entry, attributes) == 48, "Attributes");
_Static_assert(offsetof(struct gpt_entry, name) == 56, "PartitionName");

#endif
