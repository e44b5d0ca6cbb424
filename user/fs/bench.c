/* The storage bench (disk.h, disk_bench): sequential reads and 4 KiB
 * random reads, through the raw driver (block requests straight to it)
 * and through the file service (FS_READ requests to its core, which goes
 * through lib/fat and the same driver).  Timed with the cycle counter. */
#include <rt/heap.h>
#include <string/mem.h>

#include "../../bench/storage/storagebench.h" /* the sizes Linux's run uses too */
#include "check.h"
#include "disk.h"

#define CLIENT     4
#define SEQ_BYTES  STORAGE_SEQ_BYTES
#define RANDOM_OPS STORAGE_RANDOM_OPS

static uint64_t rng = STORAGE_RANDOM_SEED;

static uint64_t next(void)
{
	return storage_next(&rng);
}

/* (amount per second) from cycles */
static uint64_t rate(uint64_t amount, uint64_t cycles)
{
	return cycles ? amount * rt_cycles_hz() / cycles : 0;
}

static void bench_raw(struct blkc *b)
{
	struct blk_reply r;
	uint64_t sectors = b->dev.sector_count, bytes = 0, t;
	uint32_t per = b->max_sectors;
	unsigned ops = 0;

	t = rt_cycles();
	for (uint64_t lba = 0; bytes < SEQ_BYTES && lba + per <= sectors; lba += per) {
		if (blkc_call(b, BLK_READ, lba, per, 0, &r))
			return;
		bytes += (uint64_t)per * b->dev.sector_size;
	}
	t = rt_cycles() - t;
	rt_printf("fs: bench: raw driver: sequential read %llu KiB/s (%llu KiB in %u-sector "
	          "requests)\n",
	          (unsigned long long)(rate(bytes, t) >> 10), (unsigned long long)(bytes >> 10),
	          per);
	t = rt_cycles();
	for (; ops < RANDOM_OPS; ops++)
		if (blkc_call(b, BLK_READ, next() % (sectors / 8) * 8, 8, 0, &r))
			return;
	t = rt_cycles() - t;
	rt_printf("fs: bench: raw driver: 4 KiB random read %llu IOPS\n",
	          (unsigned long long)rate(ops, t));
}

/* The largest file in /boot/modules and its size. */
static uint32_t largest(struct fsrv *s, uint32_t dir, uint32_t *size)
{
	struct fs_req_path q = {.dir = dir};
	char best[FS_REPLY_NAME + 1] = "";

	*size = 0;
	for (;;) {
		struct fs_reply *r = check_ask(s, CLIENT, FS_LIST, &q);
		if (r->err != ERR_OK)
			break;
		if (r->size > *size) {
			*size = r->size;
			memcpy(best, r->name, FS_REPLY_NAME);
		}
		q.arg = r->cursor;
	}
	struct fs_reply *r = check_ask_path(s, CLIENT, FS_WALK, dir, FS_R_READ, best);
	return r->err == ERR_OK ? r->handle : 0;
}

static void bench_fs(struct fsrv *s)
{
	uint32_t root, h, size;
	uint64_t bytes = 0, t;
	unsigned ops = 0;

	if (fsrv_grant(s, CLIENT, "/" STORAGE_FILE_DIR, FS_R_READ | FS_R_WALK, &root) ||
	    !(h = largest(s, root, &size)) || size < 65536)
		return;
	t = rt_cycles();
	while (bytes < STORAGE_FILE_BYTES) {
		uint64_t got = check_read_count(s, CLIENT, h, size);
		if (got != size)
			return;
		bytes += got;
	}
	t = rt_cycles() - t;
	rt_printf("fs: bench: file service: sequential read %llu KiB/s (a %u-byte file, "
	          "64 KiB requests)\n",
	          (unsigned long long)(rate(bytes, t) >> 10), size);
	t = rt_cycles();
	for (; ops < RANDOM_OPS; ops++) {
		struct fs_req_io q = {.h = h,
		                      .len = STORAGE_RANDOM_SIZE,
		                      .off = next() % (size / STORAGE_RANDOM_SIZE) *
		                             STORAGE_RANDOM_SIZE};
		if (check_ask(s, CLIENT, FS_READ, &q)->err != ERR_OK)
			return;
	}
	t = rt_cycles() - t;
	rt_printf("fs: bench: file service: 4 KiB random read %llu IOPS\n",
	          (unsigned long long)rate(ops, t));
}

void disk_bench(struct blkc *b, struct fsrv *s)
{
	bench_raw(b);
	bench_fs(s);
}
