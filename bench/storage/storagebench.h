/* The storage bench's sizes and offsets, one place for both systems:
 * Tessera's (user/fs/bench.c, make bench-storage) and Linux's
 * (bench/linux/disk.c, make bench-linux).  Both draw the random offsets
 * from the same sequence: the raw disk's first, then the file's. */
#ifndef BENCH_STORAGE_STORAGEBENCH_H
#define BENCH_STORAGE_STORAGEBENCH_H

#include <stdint.h>

#define STORAGE_SEQ_BYTES   (16u << 20) /* raw: read from sector 0 in the driver's largest requests \
	                                 */
#define STORAGE_FILE_BYTES  (STORAGE_SEQ_BYTES / 4) /* file: whole passes until this many bytes */
#define STORAGE_FILE_REQ    65536u /* file: bytes per sequential request (user/fs/check.c) */
#define STORAGE_RANDOM_OPS  1000u  /* random reads, on the disk and in the file */
#define STORAGE_RANDOM_SIZE 4096u  /* bytes each, at a multiple of this */
#define STORAGE_RANDOM_SEED 0x9e3779b97f4a7c15ull
#define STORAGE_FILE_DIR    "boot/modules" /* on the ESP: the largest file in it */

/* The next offset source of *state (xorshift64: shifts 13, 7, 17). */
static inline uint64_t storage_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

#endif
