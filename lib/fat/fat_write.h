/* FAT32 writer: formats a volume in a caller-provided memory image and
 * fills it with directories and files.  Pure functions, no allocation, no
 * OS calls; the image writer (tools/mkimage) and the tests use it.
 *
 *   fat_write_format -> fat_write_mkdir / fat_write_file ... -> fat_write_finish
 *
 * Clusters are handed out in increasing order and never freed, so every
 * file's data is one contiguous run: fat_write_file returns a pointer to
 * it and the caller copies the content in.  After an error the volume is
 * unusable and should be discarded.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03.
 */
#ifndef LIB_FAT_FAT_WRITE_H
#define LIB_FAT_FAT_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* FAT-encoded dates and times (spec: "Date and Time Formats"). */
#define FAT_DATE(y, m, d) ((uint16_t)((((y)-1980) << 9) | ((m) << 5) | (d)))
#define FAT_TIME(h, m, s) ((uint16_t)(((h) << 11) | ((m) << 5) | ((s) / 2)))

#define FAT_WRITE_RESERVED 32 /* reserved sectors before alignment padding */
#define FAT_WRITE_FSINFO   1  /* FSInfo sector */
#define FAT_WRITE_BACKUP   6  /* backup boot sector; its FSInfo copy follows */

struct fat_geometry {
	uint32_t bytes_per_sector;
	uint32_t sectors_per_cluster;
	uint32_t total_sectors;
	uint32_t reserved_sectors; /* padded so the data area is aligned */
	uint32_t fat_sectors;      /* per FAT; there are two */
	uint32_t cluster_count;
};

struct fat_write_params {
	uint32_t bytes_per_sector;    /* 512, 1024, 2048 or 4096 */
	uint32_t sectors_per_cluster; /* 0: chosen from the volume size */
	uint32_t hidden_sectors;      /* the partition's first LBA (BPB_HiddSec) */
	uint32_t volume_id;
	const char *label;     /* up to 11 upper-case ASCII characters; NULL: none */
	uint16_t date, time;   /* FAT_DATE / FAT_TIME stamped on every entry */
	uint32_t root_entries; /* directory entries to reserve in the root */
	int zeroed;            /* img is known to be all zero: skip zeroing it */
};

struct fat_writer {
	uint8_t *img; /* the volume's first byte */
	uint64_t bytes;
	struct fat_geometry geo;
	uint32_t cluster_bytes;
	uint64_t fat_offset;  /* byte offset of the first FAT */
	uint64_t data_offset; /* byte offset of cluster 2 */
	uint32_t next_free;   /* lowest cluster never handed out */
	uint32_t root_cluster;
	uint16_t date, time;
	int zeroed;
};

/* Picks a FAT32 geometry for a volume of `sectors` sectors: the cluster
 * size from the volume size (or spc when nonzero), halved until there are
 * comfortably more than 65525 clusters.  ERR_RANGE when no size works. */
enum err fat_write_geometry(uint64_t sectors, uint32_t bps, uint32_t spc, struct fat_geometry *geo);

/* Formats bytes of img as an empty FAT32 volume: boot sector, FSInfo,
 * backup boot sector, two FATs and a root directory holding the label.
 * Only the metadata and the clusters handed out later are written (and
 * zeroed first, unless p->zeroed says the memory already is). */
enum err fat_write_format(struct fat_writer *w, void *img, uint64_t bytes,
                          const struct fat_write_params *p);

/* Checks that name can be a FAT long name (one path component).  On
 * ERR_NAME, *why (if not NULL) says what is wrong with it. */
enum err fat_write_check_name(const char *name, const char **why);

/* Directory entries (32 bytes each) that name takes in its directory, long
 * entries included; 0 when the name is not representable. */
uint32_t fat_write_name_slots(const char *name);

/* Creates directory name in the directory at cluster parent (the root is
 * w->root_cluster), with room for `entries` entries in contiguous clusters
 * ("." and ".." included); *cluster receives its first cluster.
 * ERR_EXIST when parent already holds the name (compared ignoring case),
 * ERR_NOSPC when the volume is full, ERR_FULL when the directory is. */
enum err fat_write_mkdir(struct fat_writer *w, uint32_t parent, const char *name, uint32_t entries,
                         uint32_t *cluster);

/* Creates file name of size bytes in directory parent; *data receives
 * where its size bytes of content go (contiguous; NULL for an empty file).
 * Errors as fat_write_mkdir, and ERR_RANGE past 4 GiB - 1. */
enum err fat_write_file(struct fat_writer *w, uint32_t parent, const char *name, uint64_t size,
                        void **data);

/* Bytes still free for file data. */
uint64_t fat_write_free_bytes(const struct fat_writer *w);

/* Bytes from the start of the volume to the end of the last cluster
 * handed out: everything past them is still untouched. */
uint64_t fat_write_used_bytes(const struct fat_writer *w);

/* Completes the volume: second FAT, FSInfo (free count and next-free
 * hint) and the backup boot sector with its FSInfo copy. */
enum err fat_write_finish(struct fat_writer *w);

#endif
