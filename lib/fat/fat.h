/* FAT32 reading, shared by the loaders (over INT 13h or EFI_BLOCK_IO) and
 * by the host tools and tests.  Freestanding: no allocation, no OS calls;
 * the volume structure carries its own one-sector cache.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03.
 */
#ifndef LIB_FAT_FAT_H
#define LIB_FAT_FAT_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#include "blockdev.h"

#define FAT_MAX_SECTOR 4096
#define FAT_NAME_MAX   255 /* UTF-8 bytes of a long name, without the NUL */

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN    0x02
#define FAT_ATTR_SYSTEM    0x04
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE   0x20
#define FAT_ATTR_LFN       0x0f

struct fat_volume {
	const struct blockdev *dev;
	uint64_t part_lba; /* first sector of the volume on dev */
	uint32_t bytes_per_sector;
	uint32_t sectors_per_cluster;
	uint32_t cluster_bytes;
	uint32_t reserved_sectors;
	uint32_t fat_count;
	uint32_t fat_sectors; /* sectors per FAT */
	uint64_t data_lba;    /* first sector of cluster 2, relative to part_lba */
	uint32_t cluster_count;
	uint32_t root_cluster;
	uint32_t volume_id;
	char label[12];
	uint32_t total_sectors;
	uint32_t fat_start; /* first sector of the FAT in use (ExtFlags), relative to part_lba */
	uint32_t dev_ratio; /* device sectors per volume sector */
	/* one-sector cache for FAT and directory reads */
	uint64_t cache_lba;
	int cache_valid;
	uint8_t cache[FAT_MAX_SECTOR] __attribute__((aligned(16)));
};

struct fat_file {
	struct fat_volume *vol;
	uint32_t first_cluster; /* 0 for an empty file */
	uint32_t size;          /* bytes; 0 for directories */
	uint8_t attr;
	/* position cache so sequential reads do not rewalk the chain */
	uint32_t pos_cluster;
	uint32_t pos_index; /* cluster index within the file of pos_cluster */
};

struct fat_dirent {
	char name[FAT_NAME_MAX + 1]; /* long name if present, else 8.3 as "NAME.EXT" */
	char short_name[13];
	uint8_t attr;
	uint32_t first_cluster;
	uint32_t size;
};

struct fat_dir {
	struct fat_file file;
	uint32_t offset; /* byte offset of the next entry */
};

/* Reads and checks the boot sector (BPB) of the FAT32 volume at part_lba. */
enum err fat_mount(struct fat_volume *vol, const struct blockdev *dev, uint64_t part_lba);

/* Opens a '/'-separated absolute path; names compare case-insensitively
 * against both long and 8.3 names.  ERR_NOENT names no component; the
 * caller reports the path. */
enum err fat_open(struct fat_volume *vol, const char *path, struct fat_file *out);

/* Reads up to len bytes at offset; *done receives the count (short at EOF). */
enum err fat_read(struct fat_file *f, uint64_t offset, void *buf, size_t len, size_t *done);

/* Directory iteration: fat_dir_next returns ERR_NOENT after the last entry
 * and skips deleted entries, volume labels and "." / "..". */
enum err fat_dir_open(struct fat_volume *vol, const char *path, struct fat_dir *dir);
enum err fat_dir_next(struct fat_dir *dir, struct fat_dirent *ent);

#endif
