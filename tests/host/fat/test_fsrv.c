/* The file service's core on the host (user/fs: fsrv.c, ramdisk.c,
 * cksum.c): cksum agrees with the host's cksum(1); the volume
 * user/fs/mkfsimage.sh makes, on the RAM disk, read through the protocol
 * matches the checksums the host listed; handles are per client and their
 * rights only shrink; ".." is refused; writes through the protocol reach
 * the volume and fsck.fat accepts it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../user/fs/cksum.h"
#include "../../../user/fs/fsdisk.h"
#include "../../../user/fs/fsrv.h"
#include "../../../user/fs/ramdisk.h"
#include "../htest.h"
#include "fat_test.h"

struct inbox {
	struct cksum sum;
	struct fs_reply last;
	unsigned data, replies;
	struct fs_disk disk; /* FS_DISK's answers */
	struct fs_disk_part parts[4];
	unsigned nparts, ndisk;
};

static struct inbox box;

static enum err send(void *ctx, unsigned client, uint16_t type, const void *p, size_t len)
{
	struct inbox *b = ctx;
	(void)client;
	if (type == FS_DATA) {
		const struct fs_data *d = p;
		cksum_add(&b->sum, d->data, d->len);
		b->data++;
	} else if (type == FS_DISK_INFO) {
		HT_EXPECT_EQ(len, sizeof b->disk);
		memcpy(&b->disk, p, sizeof b->disk);
		b->ndisk++;
	} else if (type == FS_DISK_PART) {
		HT_EXPECT_EQ(len, sizeof b->parts[0]);
		if (b->nparts < 4)
			memcpy(&b->parts[b->nparts], p, sizeof b->parts[0]);
		b->nparts++;
	} else {
		HT_EXPECT_EQ(len, sizeof b->last);
		memcpy(&b->last, p, sizeof b->last);
		b->replies++;
	}
	return ERR_OK;
}

static struct fs_reply *ask(struct fsrv *s, unsigned client, uint16_t type, const void *q)
{
	struct urpc_msg m = {.type = type, .len = URPC_PAYLOAD_MAX};
	memcpy(m.payload, q, URPC_PAYLOAD_MAX);
	box.last.err = 0xffff;
	HT_EXPECT_EQ(fsrv_serve(s, client, &m), ERR_OK);
	return &box.last;
}

static struct fs_reply *path(struct fsrv *s, unsigned client, uint16_t type, uint32_t dir,
                             uint32_t arg, const char *p)
{
	struct fs_req_path q = {.dir = dir, .arg = arg};
	strncpy(q.path, p, sizeof q.path);
	return ask(s, client, type, &q);
}

HTEST(cksum_agrees_with_the_hosts)
{
	static uint8_t buf[70000];
	static const size_t sizes[] = {0, 1, 255, 256, 65536, 70000};
	char p[512];
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ft_random(buf, sizes[i], (uint32_t)i + 7);
		HT_ASSERT(ft_write_file(ft_path(p, "ck.bin"), buf, sizes[i]) == 0);
		int status;
		char *out = ft_sh_out(&status, "cksum < ck.bin");
		unsigned long want = strtoul(out, NULL, 10);
		free(out);
		struct cksum c;
		cksum_init(&c);
		cksum_add(&c, buf, sizes[i] / 3);
		cksum_add(&c, buf + sizes[i] / 3, sizes[i] - sizes[i] / 3);
		HT_EXPECT_EQ(cksum_end(&c), want);
	}
}

/* The service over the volume mkfsimage.sh makes. */
struct served {
	struct ramdisk rd;
	struct fs_vol vol;
	struct fsrv s;
	uint8_t *image;
	char *sums;
};

static struct served *serve_volume(void)
{
	char p[512], q[512];
	size_t n;
	struct served *sv = calloc(1, sizeof *sv);
	char tree[512];
	HT_ASSERT(sv && getcwd(tree, sizeof tree)); /* the tests run from the top of the tree */
	HT_ASSERT(ft_sh("cd '%s' && user/fs/mkfsimage.sh %s %s build/host/bin/mksparse", tree,
	                ft_path(p, "fsimage"), ft_path(q, "fssums")) == 0);
	sv->image = ft_read_file(p, &n);
	sv->sums = (char *)ft_read_file(q, &n);
	sv->sums = realloc(sv->sums, n + 1);
	sv->sums[n] = 0;
	HT_ASSERT(ramdisk_open(&sv->rd, sv->image, 0, malloc) == ERR_CORRUPT);
	free(ft_read_file(p, &n));
	HT_ASSERT(ramdisk_open(&sv->rd, sv->image, n, malloc) == ERR_OK);
	HT_ASSERT(fs_mount(&sv->vol, &sv->rd.dev, 0) == ERR_OK);
	fsrv_init(&sv->s, &sv->vol, send, &box);
	return sv;
}

static void served_free(struct served *sv)
{
	for (size_t i = 0; i < sizeof sv->rd.sec / sizeof sv->rd.sec[0]; i++)
		free(sv->rd.sec[i]);
	free(sv->image);
	free(sv->sums);
	free(sv);
}

HTEST(every_file_reads_back_with_the_hosts_checksum)
{
	struct served *sv = serve_volume();
	uint32_t root;
	unsigned files = 0;
	HT_ASSERT(fsrv_grant(&sv->s, 0, "/", FS_R_READ | FS_R_WALK, &root) == ERR_OK);
	for (char *line = strtok(sv->sums, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long crc, size;
		int at;
		HT_ASSERT(sscanf(line, "%lu %lu %n", &crc, &size, &at) == 2);
		struct fs_reply *r = path(&sv->s, 0, FS_WALK, root, FS_R_READ, line + at);
		HT_ASSERT(r->err == ERR_OK);
		HT_EXPECT_EQ(r->size, size);
		HT_EXPECT_EQ(r->rights, FS_R_READ);
		uint32_t h = r->handle;
		cksum_init(&box.sum);
		struct fs_req_io q = {.h = h};
		/* FS_READ_MAX bytes a request (README.md is longer) */
		for (q.off = 0; q.off < size; q.off += FS_READ_MAX) {
			q.len = (uint32_t)(size - q.off < FS_READ_MAX ? size - q.off : FS_READ_MAX);
			HT_EXPECT_EQ(ask(&sv->s, 0, FS_READ, &q)->err, ERR_OK);
		}
		HT_EXPECT_EQ(cksum_end(&box.sum), crc);
		/* the handle reads, and does nothing else */
		q.len = 1;
		HT_EXPECT_EQ(ask(&sv->s, 0, FS_WRITE, &q)->err, ERR_PERM);
		HT_EXPECT_EQ(ask(&sv->s, 1, FS_READ, &q)->err, ERR_INVAL);
		HT_EXPECT_EQ(ask(&sv->s, 0, FS_CLOSE, &q)->err, ERR_OK);
		HT_EXPECT_EQ(ask(&sv->s, 0, FS_READ, &q)->err, ERR_INVAL);
		files++;
	}
	HT_EXPECT_EQ(files, 4);
	served_free(sv);
}

HTEST(a_client_sees_only_what_it_was_given)
{
	struct served *sv = serve_volume();
	uint32_t docs, all;
	HT_ASSERT(fsrv_grant(&sv->s, 1, "/docs", FS_R_WALK | FS_R_READ | FS_R_CREATE, &docs) ==
	          ERR_OK);
	HT_ASSERT(fsrv_grant(&sv->s, 2, "/", FS_R_ALL, &all) == ERR_OK);
	/* handles are numbered per client: client 2's second is not client 1's */
	struct fs_reply *other = path(&sv->s, 2, FS_WALK, all, FS_R_READ, "docs");
	HT_ASSERT(other->err == ERR_OK && other->handle == 2);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, 2, FS_R_READ, "tile.md")->err, ERR_INVAL);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "../README.TXT")->err, ERR_PERM);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "README.TXT")->err, ERR_NOENT);
	struct fs_reply *r = path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "tile.md");
	HT_EXPECT(r->err == ERR_OK && r->rights == (FS_R_WALK | FS_R_READ | FS_R_CREATE));
	HT_EXPECT_EQ(path(&sv->s, 1, FS_REMOVE, docs, FS_KIND_FILE, "tile.md")->err, ERR_PERM);
	/* derive: rights only shrink */
	struct fs_req_io d = {.h = docs, .off = FS_R_ALL};
	r = ask(&sv->s, 1, FS_DERIVE, &d);
	HT_EXPECT(r->err == ERR_OK && r->rights == (FS_R_WALK | FS_R_READ | FS_R_CREATE));
	d.off = FS_R_READ;
	r = ask(&sv->s, 1, FS_DERIVE, &d);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, r->handle, FS_R_READ, "tile.md")->err, ERR_PERM);
	/* a writer: create, write, rename, list, remove; fsck.fat agrees */
	r = path(&sv->s, 2, FS_CREATE, all, FS_KIND_DIR, "new dir");
	HT_ASSERT(r->err == ERR_OK);
	uint32_t nd = r->handle;
	r = path(&sv->s, 2, FS_CREATE, nd, FS_KIND_FILE, "a file with a long name.txt");
	HT_ASSERT(r->err == ERR_OK);
	struct fs_req_io w = {.h = r->handle, .len = 5, .off = 3};
	memcpy(w.data, "hello", 5);
	r = ask(&sv->s, 2, FS_WRITE, &w);
	HT_EXPECT(r->err == ERR_OK && r->size == 8);
	HT_EXPECT_EQ(path(&sv->s, 2, FS_RENAME, nd, 0, "a file with a long name.txt")->err, 0xffff);
	HT_EXPECT_EQ(path(&sv->s, 2, FS_RENAME, all, 0, "moved.txt")->err, ERR_OK);
	r = path(&sv->s, 2, FS_LIST, nd, 0, "");
	HT_EXPECT_EQ(r->err, ERR_NOENT);
	HT_EXPECT_EQ(path(&sv->s, 2, FS_REMOVE, all, FS_KIND_DIR, "new dir")->err, ERR_OK);
	struct fs_req_io t = {.h = 0};
	HT_EXPECT_EQ(ask(&sv->s, 2, FS_READ, &t)->err, ERR_INVAL);
	/* the volume as the RAM disk holds it now */
	static uint8_t img[34000 * 1024];
	char p[512];
	HT_ASSERT(sv->rd.dev.read(&sv->rd, 0, sizeof img / 512, img) == ERR_OK);
	HT_ASSERT(ft_write_file(ft_path(p, "served.img"), img, sizeof img) == 0);
	HT_EXPECT_EQ(ft_sh("fsck.fat -n served.img"), 0);
	HT_ASSERT(ft_sh("MTOOLS_SKIP_CHECK=1 mtype -i served.img ::/moved.txt > moved.txt") == 0);
	size_t n;
	uint8_t *got = ft_read_file(ft_path(p, "moved.txt"), &n);
	HT_EXPECT(got && n == 8 && !memcmp(got, "\0\0\0hello", 8));
	free(got);
	served_free(sv);
}

/* A message of a shared channel (fsrv_take). */
static struct fs_reply *take(struct fsrv *s, uint16_t type, const void *q, size_t len,
                             enum err want)
{
	struct urpc_msg m = {.type = type, .len = (uint16_t)len};
	memcpy(m.payload, q, len);
	box.last.err = 0xffff;
	HT_EXPECT_EQ(fsrv_take(s, &m), want);
	return &box.last;
}

static struct fs_reply *take_path(struct fsrv *s, uint16_t type, uint32_t dir, uint32_t arg,
                                  const char *p)
{
	struct fs_req_path q = {.dir = dir, .arg = arg};
	strncpy(q.path, p, sizeof q.path);
	return take(s, type, &q, sizeof q, ERR_OK);
}

static void as(struct fsrv *s, uint16_t type, uint32_t tag, enum err want)
{
	struct fs_client t = {.tag = tag};
	take(s, type, &t, sizeof t, want);
}

/* init's channel (fsproto.h): FS_CLIENT tags, a root each, another
 * client's handles out of reach by any number, FS_FORGET closes them. */
HTEST(clients_of_a_shared_channel_reach_only_their_own_handles)
{
	struct served *sv = serve_volume();
	struct fs_req_io q = {.len = 64};
	memset(&box, 0, sizeof box);
	as(&sv->s, FS_CLIENT, 3, ERR_OK);
	struct fs_reply *r = take_path(&sv->s, FS_WALK, 1, FS_R_READ, "docs/tile.md");
	HT_ASSERT(r->err == ERR_OK && r->handle == 2); /* 1 is its root */
	r = take_path(&sv->s, FS_WALK, 1, FS_R_ALL, "docs");
	HT_ASSERT(r->err == ERR_OK && r->handle == 3);
	/* client 5: its own root is 1; every other number is refused */
	as(&sv->s, FS_CLIENT, 5, ERR_OK);
	HT_EXPECT_EQ(take_path(&sv->s, FS_LIST, 1, 0, "")->err, ERR_OK);
	for (uint32_t h = 2; h <= FSRV_HANDLES + 1; h++) {
		q.h = h;
		HT_EXPECT_EQ(take(&sv->s, FS_READ, &q, sizeof q, ERR_OK)->err, ERR_INVAL);
		HT_EXPECT_EQ(take(&sv->s, FS_CLOSE, &q, sizeof q, ERR_OK)->err, ERR_INVAL);
		HT_EXPECT_EQ(take_path(&sv->s, FS_LIST, h, 0, "")->err, ERR_INVAL);
	}
	HT_EXPECT_EQ(box.data, 0u); /* not a byte of client 3's file */
	/* client 3's handles survived that */
	as(&sv->s, FS_CLIENT, 3, ERR_OK);
	q.h = 2;
	HT_EXPECT_EQ(take(&sv->s, FS_READ, &q, sizeof q, ERR_OK)->err, ERR_OK);
	HT_EXPECT(box.data > 0);
	/* forgotten: its handles are closed, and it starts again from a root */
	as(&sv->s, FS_FORGET, 3, ERR_OK);
	HT_EXPECT_EQ(take(&sv->s, FS_READ, &q, sizeof q, ERR_OK)->err, ERR_INVAL);
	HT_EXPECT_EQ(take_path(&sv->s, FS_LIST, 1, 0, "")->err, ERR_INVAL);
	as(&sv->s, FS_CLIENT, 3, ERR_OK);
	HT_EXPECT_EQ(take_path(&sv->s, FS_WALK, 1, FS_R_READ, "docs")->handle, 2u);
	/* tags out of range change nothing */
	as(&sv->s, FS_CLIENT, FS_CLIENTS, ERR_INVAL);
	as(&sv->s, FS_FORGET, 1000, ERR_INVAL);
	HT_EXPECT_EQ(sv->s.current, 3u);
	/* the volume is on no disk here */
	uint8_t zero[URPC_PAYLOAD_MAX] = {0};
	HT_EXPECT_EQ(take(&sv->s, FS_DISK, zero, sizeof zero, ERR_OK)->err, ERR_UNSUPPORTED);
	served_free(sv);
}

/* FS_DISK over a disk sfdisk partitioned (a BIOS boot partition, then the
 * ESP): the size and the partitions as sfdisk's script says. */
HTEST(fs_disk_describes_the_disk_and_its_partitions)
{
	static uint8_t scratch[FSDISK_SCRATCH];
	static const uint8_t bios_boot[16] = {0x48, 0x61, 0x68, 0x21, 0x49, 0x64, 0x6f, 0x6e,
	                                      0x74, 0x4e, 0x65, 0x65, 0x64, 0x45, 0x46, 0x49};
	static const uint8_t esp[16] = {0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	                                0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b};
	char p[512];
	size_t n;
	HT_ASSERT(ft_sh("rm -f d.img && truncate -s 8M d.img && printf 'label: gpt\\n"
	                "start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649\\n"
	                "start=4096, size=12000, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\\n' | "
	                "sfdisk -q d.img") == 0);
	uint8_t *img = ft_read_file(ft_path(p, "d.img"), &n);
	HT_ASSERT(img && n == 8u << 20);
	struct ft_dev dev;
	ft_dev_mem(&dev, img, n, 512);
	dev.dev.sector_count = n / 512;
	struct fsrv_disk d;
	HT_ASSERT(fsdisk_describe(&d, &dev.dev, "vblk", "virtio-blk 00:02.0 and a long tail",
	                          scratch) == ERR_OK);
	struct served *sv = serve_volume();
	sv->s.disk = &d;
	memset(&box, 0, sizeof box);
	uint8_t zero[URPC_PAYLOAD_MAX] = {0};
	struct fs_reply *r = take(&sv->s, FS_DISK, zero, sizeof zero, ERR_OK);
	HT_EXPECT(r->err == ERR_OK && r->size == 2);
	HT_EXPECT(box.ndisk == 1 && box.nparts == 2);
	HT_EXPECT_EQ(box.disk.sectors, 16384u);
	HT_EXPECT_EQ(box.disk.sector_size, 512u);
	HT_EXPECT_EQ(box.disk.parts, 2u);
	HT_EXPECT(!strcmp(box.disk.driver, "vblk"));
	HT_EXPECT(!strcmp(box.disk.model, "virtio-blk 00:02.0 and a long t")); /* cut to 32 */
	HT_EXPECT(box.parts[0].index == 1 && box.parts[0].first_lba == 2048 &&
	          box.parts[0].last_lba == 4095 && !memcmp(box.parts[0].type, bios_boot, 16));
	HT_EXPECT(box.parts[1].index == 2 && box.parts[1].first_lba == 4096 &&
	          box.parts[1].last_lba == 4096 + 12000 - 1 && !memcmp(box.parts[1].type, esp, 16));
	/* a disk without a GPT: its size, no partitions, gpt_list's error */
	memset(img, 0, 1024);
	HT_EXPECT_EQ(fsdisk_describe(&d, &dev.dev, "ahci", "x", scratch), ERR_CORRUPT);
	HT_EXPECT(d.info.parts == 0 && d.info.sectors == 16384);
	free(img);
	served_free(sv);
}

HTEST_MAIN("fsrv")
