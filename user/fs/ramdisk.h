/* A RAM block device for the file service until a disk driver serves it:
 * the volume arrives as a boot module in the sparse form the build makes
 * (tests/fuzz/common/sparse.h: a header, then runs of non-zero sectors),
 * reads of sectors no run holds are zeros, and writes go to sectors kept
 * on the heap (at most RAMDISK_WRITTEN of them).  Freestanding but for the
 * allocator it is given.
 */
#ifndef USER_FS_RAMDISK_H
#define USER_FS_RAMDISK_H

#include <fat/blockdev.h>
#include <stddef.h>
#include <stdint.h>

#define RAMDISK_RUNS    512
#define RAMDISK_WRITTEN 4096
#define RAMDISK_SECTOR  512

struct ramdisk_run {
	uint64_t lba, sectors;
	const uint8_t *data;
	size_t bytes;
};

struct ramdisk {
	struct blockdev dev;
	void *(*alloc)(size_t);
	size_t runs;
	struct ramdisk_run run[RAMDISK_RUNS];
	uint64_t lba[RAMDISK_WRITTEN * 2]; /* open addressing: half used at most */
	uint8_t *sec[RAMDISK_WRITTEN * 2];
	unsigned written;
};

/* Sets rd up over image[0..size) (which must outlive it).  CORRUPT: not
 * the sparse form, or 4096-byte sectors (not yet). */
enum err ramdisk_open(struct ramdisk *rd, const uint8_t *image, size_t size,
                      void *(*alloc)(size_t));

#endif
