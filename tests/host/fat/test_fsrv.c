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
#include "../../../user/fs/fsrv.h"
#include "../../../user/fs/ramdisk.h"
#include "../htest.h"
#include "fat_test.h"

struct inbox {
	struct cksum sum;
	struct fs_reply last;
	unsigned data, replies;
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
		/* one FS_READ returns at most 64 KiB (fsrv.c, READ_MAX): README.TXT is more */
		for (q.off = 0; q.off < size; q.off += q.len) {
			q.len = (uint32_t)(size - q.off < 65536 ? size - q.off : 65536);
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
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "../README.TXT")->err, ERR_PERM);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "README.TXT")->err, ERR_NOENT);
	struct fs_reply *r = path(&sv->s, 1, FS_WALK, docs, FS_R_ALL, "tile.md");
	HT_EXPECT(r->err == ERR_OK && r->rights == (FS_R_WALK | FS_R_READ | FS_R_CREATE));
	HT_EXPECT_EQ(path(&sv->s, 1, FS_REMOVE, docs, FS_KIND_FILE, "tile.md")->err, ERR_PERM);
	HT_EXPECT_EQ(path(&sv->s, 1, FS_WALK, all, FS_R_READ, "motd.txt")->err, ERR_INVAL);
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

HTEST_MAIN("fsrv")
