/* A block device as the FAT and partition readers see it: a read callback
 * over fixed-size sectors.  Loaders wrap INT 13h or EFI_BLOCK_IO in one;
 * host tools and tests wrap a file or a memory buffer.
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
};

#endif
