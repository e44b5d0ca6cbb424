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

/* Finds the first partition of the given type on dev, validating the
 * primary header and array CRCs (falling back to the backup header).
 * scratch must hold at least one sector plus 16 KiB.  disk may be NULL. */
enum err gpt_find(const struct blockdev *dev, const struct gpt_guid *type, void *scratch,
		  struct gpt_partition *part, struct gpt_disk *disk);

/* CRC-32 (IEEE 802.3, reflected, as GPT and zlib use it). */
uint32_t gpt_crc32(const void *data, size_t len);
uint32_t gpt_crc32_update(uint32_t crc, const void *data, size_t len);

#endif
