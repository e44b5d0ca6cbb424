/* A block device as the FAT and partition code sees it: read and write
 * callbacks over fixed-size sectors.  Loaders wrap INT 13h or EFI_BLOCK_IO
 * in one (read only); host tools and tests wrap a file or a memory buffer;
 * the file service wraps its block driver or a RAM disk.
 */
#ifndef LIB_FAT_BLOCKDEV_H
#define LIB_FAT_BLOCKDEV_H

#include <stdint.h>
#include <tessera/err.h>

struct blockdev {
	void *ctx;
	uint32_t sector_size;  /* bytes: 512 or 4096 */
	uint64_t sector_count; /* 0 when unknown */
	/* Reads count sectors starting at lba into buf. */
	enum err (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	/* Writes count sectors from buf starting at lba; NULL on a read-only
	 * device.  The file system (fs.h) assumes only that a sector is
	 * written whole or not at all; it writes metadata a sector a call. */
	enum err (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
};

#endif
