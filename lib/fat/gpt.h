/* GUID partition tables and the protective MBR (UEFI spec 2.10, ch. 5).
 * The reading half is freestanding and used by the loaders; the writing
 * half fills in-memory sectors for the image writer.
 */
#ifndef LIB_FAT_GPT_H
#define LIB_FAT_GPT_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#include "blockdev.h"

/* A GUID in its on-disk (mixed-endian) byte order. */
struct gpt_guid {
	uint8_t b[16];
};

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B, the EFI system partition type. */
extern const struct gpt_guid gpt_type_esp;

struct gpt_partition {
	uint32_t index; /* 1-based position in the partition array */
	struct gpt_guid type;
	struct gpt_guid guid;
	uint64_t first_lba;
	uint64_t last_lba; /* inclusive */
};

struct gpt_disk {
	struct gpt_guid guid;
	uint32_t mbr_disk_id; /* the MBR's 32-bit disk signature at offset 440 */
};

/* The disk layout the image writer produces and the BIOS MBR relies on
 * (512-byte sectors).  The LBAs between the primary partition array and
 * the first partition are kept out of the usable range (FirstUsableLBA is
 * GPT_FIRST_PARTITION_LBA) and hold the BIOS loader stage. */
#define GPT_ENTRY_COUNT         128
#define GPT_ENTRY_SIZE          128
#define GPT_ARRAY_BYTES         (GPT_ENTRY_COUNT * GPT_ENTRY_SIZE) /* 16 KiB */
#define GPT_STAGE_LBA           34   /* right after the primary array */
#define GPT_FIRST_PARTITION_LBA 2048 /* 1 MiB aligned */
#define GPT_STAGE_MAX_SECTORS   (GPT_FIRST_PARTITION_LBA - GPT_STAGE_LBA)

/* The MBR boot code area is bytes 0..439; the writer patches the stage
 * location into it, so MBR code must end before GPT_MBR_CODE_MAX. */
#define GPT_MBR_BOOT_AREA       440
#define GPT_MBR_CODE_MAX        0x1ac
#define GPT_MBR_STAGE_LBA_OFF   0x1ac /* u64 LE: first sector of the stage */
#define GPT_MBR_STAGE_COUNT_OFF 0x1b4 /* u32 LE: sectors in the stage */

/* Finds the first partition of the given type on dev, validating the
 * primary header and array CRCs (falling back to the backup header).
 * scratch must hold at least one sector plus 16 KiB.  disk may be NULL. */
enum err gpt_find(const struct blockdev *dev, const struct gpt_guid *type, void *scratch,
                  struct gpt_partition *part, struct gpt_disk *disk);

/* Every used entry of the partition array (a non-zero type GUID), in
 * array order, the first max of them into parts; *count how many there
 * are (it may exceed max).  The same checks and fallback as gpt_find. */
enum err gpt_list(const struct blockdev *dev, void *scratch, struct gpt_partition *parts,
                  uint32_t max, uint32_t *count, struct gpt_disk *disk);

/* What gpt_write lays out. */
struct gpt_layout {
	uint32_t sector_size;      /* 512 or 4096 */
	uint64_t disk_sectors;     /* the whole disk */
	uint64_t first_usable_lba; /* 0: the first sector after the primary array */
	struct gpt_guid disk_guid;
};

/* The usable LBA range of a layout (inclusive); ERR_RANGE when the disk is
 * too small to hold both tables and one usable sector. */
enum err gpt_usable_range(const struct gpt_layout *layout, uint64_t *first, uint64_t *last);

/* Writes the protective MBR's partition table and signature (leaving the
 * boot code area, bytes 0..439, as it is), the primary header and array
 * at LBA 1 and the backup array and header at the end of the disk image
 * disk (disk_sectors * sector_size bytes).  names[i] (ASCII, may be NULL)
 * names parts[i]; the parts' index fields are ignored.  ERR_RANGE for a
 * partition outside the usable range, ERR_OVERLAP for overlapping ones. */
enum err gpt_write(void *disk, const struct gpt_layout *layout, const struct gpt_partition *parts,
                   const char *const *names, uint32_t count);

/* Copies MBR boot code (at most GPT_MBR_BOOT_AREA bytes, of which those
 * from GPT_MBR_CODE_MAX on must be zero placeholders) into the first 440
 * bytes of the MBR sector mbr and patches the stage location into it. */
enum err gpt_write_mbr_boot(void *mbr, const void *code, size_t len, uint64_t stage_lba,
                            uint32_t stage_sectors);

/* CRC-32 (IEEE 802.3, reflected, as GPT and zlib use it). */
uint32_t gpt_crc32(const void *data, size_t len);
/* Continues a CRC: gpt_crc32_update(gpt_crc32(a), b) is the CRC of a then b,
 * and gpt_crc32_update(0, ...) starts one (zlib's convention). */
uint32_t gpt_crc32_update(uint32_t crc, const void *data, size_t len);

#endif
