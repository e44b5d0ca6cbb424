/* Helpers for the FAT/GPT host tests: a private temporary directory that
 * is removed at exit, shell commands (mkfs.fat, mtools, fsck.fat, sfdisk),
 * whole-file I/O, deterministic random data, and block devices over files
 * or memory that record how they were read. */
#ifndef TESTS_HOST_FAT_FAT_TEST_H
#define TESTS_HOST_FAT_FAT_TEST_H

#include <fat/blockdev.h>
#include <stddef.h>
#include <stdint.h>

struct ft_dev {
	struct blockdev dev;
	int fd;       /* file-backed, or -1 */
	uint8_t *mem; /* memory-backed, or NULL */
	uint64_t bytes;
	unsigned reads;     /* read calls */
	uint32_t max_count; /* most sectors in one call */
	uint64_t sectors;   /* sectors read in all */
};

/* The test's temporary directory (created on first use). */
const char *ft_tmpdir(void);

/* Writes tmpdir/name into out[512] and returns out. */
char *ft_path(char out[512], const char *name);

/* Runs a shell command (its stdout goes to stderr, so the KTAP report
 * stays clean); returns its exit status, or -1. */
int ft_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command and returns its stdout and stderr (malloc'd, NUL
 * terminated; caller frees); *status receives the exit status. */
char *ft_sh_out(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Creates tmpdir/rel and its parents (like mkdir -p, without a shell). */
int ft_mkdir_p(const char *rel);

/* Reads a whole file (malloc'd; NULL on error). */
uint8_t *ft_read_file(const char *path, size_t *len);
int ft_write_file(const char *path, const void *data, size_t len);

/* Fills buf with bytes from a xorshift generator seeded by seed. */
void ft_random(void *buf, size_t n, uint32_t seed);

/* A block device over a file (sector_size bytes per sector). */
int ft_dev_file(struct ft_dev *d, const char *path, uint32_t sector_size);
/* A block device over memory. */
void ft_dev_mem(struct ft_dev *d, uint8_t *mem, uint64_t bytes, uint32_t sector_size);
void ft_dev_close(struct ft_dev *d);

/* The mkimage binary: $MKIMAGE, else ../bin/mkimage beside this test. */
const char *ft_mkimage(void);

#endif
