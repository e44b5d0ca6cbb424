/* On-disk FAT32 structures, shared by the reader (fat.c) and the writer
 * (fat_write.c).  All fields are little-endian; the structures are packed
 * and copied in and out of sector buffers with memcpy.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03.
 */
#ifndef LIB_FAT_FAT_DISK_H
#define LIB_FAT_FAT_DISK_H

#include <stddef.h>
#include <stdint.h>

/* Boot sector with the FAT32 extended BPB (spec: "Boot Sector and BPB",
 * "FAT32 Structure Starting at Offset 36"). */
struct fat_boot_sector {
	uint8_t jmp_boot[3];
	char oem_name[8];
	uint16_t bytes_per_sector;
	uint8_t sectors_per_cluster;
	uint16_t reserved_sectors;
	uint8_t num_fats;
	uint16_t root_entries;
	uint16_t total_sectors16;
	uint8_t media;
	uint16_t fat_size16;
	uint16_t sectors_per_track;
	uint16_t num_heads;
	uint32_t hidden_sectors;
	uint32_t total_sectors32;
	uint32_t fat_size32;
	uint16_t ext_flags;
	uint16_t fs_version;
	uint32_t root_cluster;
	uint16_t fsinfo_sector;
	uint16_t backup_boot_sector;
	uint8_t reserved[12];
	uint8_t drive_number;
	uint8_t reserved1;
	uint8_t boot_signature;
	uint32_t volume_id;
	char volume_label[11];
	char fs_type[8];
	uint8_t boot_code[420];
	uint8_t signature[2]; /* 0x55 0xAA */
} __attribute__((packed));

_Static_assert(sizeof(struct fat_boot_sector) == 512, "boot sector is 512 bytes");
_Static_assert(offsetof(struct fat_boot_sector, bytes_per_sector) == 11, "BPB_BytsPerSec");
_Static_assert(offsetof(struct fat_boot_sector, sectors_per_cluster) == 13, "BPB_SecPerClus");
_Static_assert(offsetof(struct fat_boot_sector, reserved_sectors) == 14, "BPB_RsvdSecCnt");
_Static_assert(offsetof(struct fat_boot_sector, num_fats) == 16, "BPB_NumFATs");
_Static_assert(offsetof(struct fat_boot_sector, root_entries) == 17, "BPB_RootEntCnt");
_Static_assert(offsetof(struct fat_boot_sector, total_sectors16) == 19, "BPB_TotSec16");
_Static_assert(offsetof(struct fat_boot_sector, media) == 21, "BPB_Media");
_Static_assert(offsetof(struct fat_boot_sector, fat_size16) == 22, "BPB_FATSz16");
_Static_assert(offsetof(struct fat_boot_sector, hidden_sectors) == 28, "BPB_HiddSec");
_Static_assert(offsetof(struct fat_boot_sector, total_sectors32) == 32, "BPB_TotSec32");
_Static_assert(offsetof(struct fat_boot_sector, fat_size32) == 36, "BPB_FATSz32");
_Static_assert(offsetof(struct fat_boot_sector, ext_flags) == 40, "BPB_ExtFlags");
_Static_assert(offsetof(struct fat_boot_sector, root_cluster) == 44, "BPB_RootClus");
_Static_assert(offsetof(struct fat_boot_sector, fsinfo_sector) == 48, "BPB_FSInfo");
_Static_assert(offsetof(struct fat_boot_sector, backup_boot_sector) == 50, "BPB_BkBootSec");
_Static_assert(offsetof(struct fat_boot_sector, drive_number) == 64, "BS_DrvNum");
_Static_assert(offsetof(struct fat_boot_sector, boot_signature) == 66, "BS_BootSig");
_Static_assert(offsetof(struct fat_boot_sector, volume_id) == 67, "BS_VolID");
_Static_assert(offsetof(struct fat_boot_sector, volume_label) == 71, "BS_VolLab");
_Static_assert(offsetof(struct fat_boot_sector, fs_type) == 82, "BS_FilSysType");
_Static_assert(offsetof(struct fat_boot_sector, signature) == 510, "signature word");

#define FAT_BOOT_SIG_EXT 0x29 /* BS_BootSig: the three fields after it exist */

/* FSInfo sector (spec: "FAT32 FSInfo Sector Structure"). */
struct fat_fsinfo {
	uint32_t lead_sig;
	uint8_t reserved1[480];
	uint32_t struct_sig;
	uint32_t free_count;
	uint32_t next_free;
	uint8_t reserved2[12];
	uint32_t trail_sig;
} __attribute__((packed));

_Static_assert(sizeof(struct fat_fsinfo) == 512, "FSInfo is 512 bytes");
_Static_assert(offsetof(struct fat_fsinfo, struct_sig) == 484, "FSI_StrucSig");
_Static_assert(offsetof(struct fat_fsinfo, free_count) == 488, "FSI_Free_Count");
_Static_assert(offsetof(struct fat_fsinfo, next_free) == 492, "FSI_Nxt_Free");
_Static_assert(offsetof(struct fat_fsinfo, trail_sig) == 508, "FSI_TrailSig");

#define FAT_FSINFO_LEAD_SIG   0x41615252u
#define FAT_FSINFO_STRUCT_SIG 0x61417272u
#define FAT_FSINFO_TRAIL_SIG  0xaa550000u
#define FAT_FSINFO_UNKNOWN    0xffffffffu

/* Short (8.3) directory entry (spec: "FAT Directory Structure"). */
struct fat_sfn_entry {
	uint8_t name[11]; /* 8 base + 3 extension, space padded */
	uint8_t attr;
	uint8_t nt_case; /* NT: 0x08 base lowercase, 0x10 extension lowercase */
	uint8_t create_tenths;
	uint16_t create_time;
	uint16_t create_date;
	uint16_t access_date;
	uint16_t cluster_hi;
	uint16_t write_time;
	uint16_t write_date;
	uint16_t cluster_lo;
	uint32_t size;
} __attribute__((packed));

_Static_assert(sizeof(struct fat_sfn_entry) == 32, "directory entry is 32 bytes");
_Static_assert(offsetof(struct fat_sfn_entry, attr) == 11, "DIR_Attr");
_Static_assert(offsetof(struct fat_sfn_entry, nt_case) == 12, "DIR_NTRes");
_Static_assert(offsetof(struct fat_sfn_entry, cluster_hi) == 20, "DIR_FstClusHI");
_Static_assert(offsetof(struct fat_sfn_entry, write_time) == 22, "DIR_WrtTime");
_Static_assert(offsetof(struct fat_sfn_entry, cluster_lo) == 26, "DIR_FstClusLO");
_Static_assert(offsetof(struct fat_sfn_entry, size) == 28, "DIR_FileSize");

#define FAT_NT_LOWER_BASE 0x08
#define FAT_NT_LOWER_EXT  0x10

/* Long-name directory entry (spec: "FAT Long Directory Entries"): 13
 * UCS-2 code units in three pieces, stored before the short entry in
 * reverse order; the first one stored has FAT_LFN_LAST set in ord. */
struct fat_lfn_entry {
	uint8_t ord;
	uint16_t name1[5];
	uint8_t attr; /* FAT_ATTR_LFN */
	uint8_t type; /* 0 */
	uint8_t checksum;
	uint16_t name2[6];
	uint16_t cluster_lo; /* 0 */
	uint16_t name3[2];
} __attribute__((packed));

_Static_assert(sizeof(struct fat_lfn_entry) == 32, "long entry is 32 bytes");
_Static_assert(offsetof(struct fat_lfn_entry, name1) == 1, "LDIR_Name1");
_Static_assert(offsetof(struct fat_lfn_entry, attr) == 11, "LDIR_Attr");
_Static_assert(offsetof(struct fat_lfn_entry, checksum) == 13, "LDIR_Chksum");
_Static_assert(offsetof(struct fat_lfn_entry, name2) == 14, "LDIR_Name2");
_Static_assert(offsetof(struct fat_lfn_entry, cluster_lo) == 26, "LDIR_FstClusLO");
_Static_assert(offsetof(struct fat_lfn_entry, name3) == 28, "LDIR_Name3");

#define FAT_LFN_LAST        0x40 /* LAST_LONG_ENTRY */
#define FAT_LFN_ORD_MASK    0x1f
#define FAT_LFN_CHARS       13 /* UCS-2 units per long entry */
#define FAT_LFN_MAX_UNITS   255
#define FAT_LFN_MAX_ENTRIES 20
#define FAT_ATTR_LONG_MASK  0x3f

#define FAT_DIRENT_FREE   0xe5           /* name[0] of a deleted entry */
#define FAT_DIRENT_END    0x00           /* name[0]: this and all later entries are free */
#define FAT_DIRENT_KANJI  0x05           /* name[0] standing for a real 0xE5 */
#define FAT_DIR_MAX_BYTES (65536u * 32u) /* a directory holds at most 65536 entries */

/* FAT32 entries are 28 bits (spec: "FAT Data Structure"). */
#define FAT32_MASK         0x0fffffffu
#define FAT32_BAD          0x0ffffff7u
#define FAT32_EOC_MIN      0x0ffffff8u
#define FAT32_EOC          0x0fffffffu
#define FAT32_MIN_CLUSTERS 65525u      /* fewer clusters make the volume FAT16 */
#define FAT32_MAX_CLUSTERS 0x0ffffff5u /* clusters 2..0x0ffffff6 */

#endif
