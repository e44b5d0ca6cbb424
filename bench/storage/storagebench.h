/* The storage bench's sizes and offsets, one place for both systems:
 * Tessera's (user/fs/bench.c, make bench-storage) and Linux's
 * (bench/linux/disk.c, make bench-linux).  Both draw the random offsets
 * from the same sequence: the raw disk's first, then the file's. */
#ifndef BENCH_STORAGE_STORAGEBENCH_H
#define BENCH_STORAGE_STORAGEBENCH_H

#include <stdint.h>

/* Raw: bytes read from sector 0 in the driver's largest requests. */
#define STORAGE_SEQ_BYTES   (16u << 20)
/* File: whole passes over it until this many bytes, in requests of
 * STORAGE_FILE_REQ bytes (Tessera: user/fs/check.c's read_all). */
#define STORAGE_FILE_BYTES  (STORAGE_SEQ_BYTES / 4)
#define STORAGE_FILE_REQ    65536u
/* Random reads of STORAGE_RANDOM_SIZE bytes at multiples of it, on the
 * disk and then in the file, from the offsets of this seed. */
#define STORAGE_RANDOM_OPS  1000u
#define STORAGE_RANDOM_SIZE 4096u
#define STORAGE_RANDOM_SEED 0x9e3779b97f4a7c15ull
/* The file: the largest in this folder of the ESP. */
#define STORAGE_FILE_DIR    "boot/modules"

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
