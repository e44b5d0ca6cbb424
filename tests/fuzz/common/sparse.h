/* A disk for the FAT and GPT fuzz targets, stored sparsely so that a FAT32
 * volume (at least 65525 clusters, some 33 MiB) fits in a few kilobytes of
 * fuzz input.  Format (little-endian; tests/fuzz/common/mksparse.c writes it):
 *
 *   header   u8 flags, u8 zero[3], u32 sector_count (0: unknown)
 *   extents  u32 lba, u32 sectors, then sectors * sector size bytes (the
 *            last extent may be cut short; the rest of it reads as zeros)
 *
 * flags bit 0: 4096-byte sectors (else 512); bit 1: sectors that no extent
 * covers fail to read (ERR_IO) instead of reading as zeros.  The first
 * extent that covers a sector gives its bytes.
 *
 * A read past sector_count (when it is known) aborts: the FAT and GPT
 * readers promise to check every position against the size they are told.
 */
#ifndef TESTS_FUZZ_COMMON_SPARSE_H
#define TESTS_FUZZ_COMMON_SPARSE_H

#include <fat/blockdev.h>
#include <stddef.h>
#include <stdint.h>

#define SPARSE_HEADER      8
#define SPARSE_EXTENT      8
#define SPARSE_MAX_EXTENTS 256
#define SPARSE_FLAG_4K     0x01
#define SPARSE_FLAG_STRICT 0x02

struct sparse_extent {
	uint64_t lba;
	uint64_t sectors;
	const uint8_t *data; /* its bytes in the input */
	size_t bytes;        /* of data (may be less than sectors * sector size) */
};

struct sparse_disk {
	struct blockdev dev;
	int strict; /* SPARSE_FLAG_STRICT */
	size_t count;
	struct sparse_extent ext[SPARSE_MAX_EXTENTS];
	uint64_t reads; /* sectors read so far */
};

/* Sets d up over data[0..size) (which must outlive it); -1 if the input is
 * too short for the header. */
int sparse_open(struct sparse_disk *d, const uint8_t *data, size_t size);

#endif
