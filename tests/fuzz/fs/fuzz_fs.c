/* Fuzz target: lib/fat's file system that changes volumes (fs_*.c) on a
 * damaged volume.  Input: u16 length L, L bytes of operations, then a
 * sparse disk (tests/fuzz/common/sparse.h) holding a volume at LBA 0.
 * Writes go to an overlay over the sparse disk (reads see them), which
 * fails writes once full, so the error paths run too.  Every operation
 * must return an enum err, never crash; and what the file system promises
 * is checked: bytes written read back, a name created is found, a name
 * removed is gone, a message is set on every error.
 */
#include <fat/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sparse.h"

#define OVERLAY_SLOTS 8192 /* hash slots; at most half are used */
#define MAX_CLUSTERS  (1u << 20)
#define MAX_OPS       48
#define BUF           9000

static const char *const names[] = {
        "a",
        "B.TXT",
        "long name number one.txt",
        "Ünï ✓",
        "x.y.z",
        "LONGNA~1.TXT",
        "dir",
        "a name that is long enough to need two long entries and more",
        "sub",
        ".",
        "..",
        "bad:name",
};
#define NNAMES (sizeof names / sizeof names[0])

struct overlay {
	struct blockdev dev;
	struct sparse_disk *base;
	uint64_t lba[OVERLAY_SLOTS];
	uint8_t *data[OVERLAY_SLOTS];
	unsigned used;
};

static uint8_t **slot(struct overlay *o, uint64_t lba, int add)
{
	unsigned h = (unsigned)(lba * 2654435761u) % OVERLAY_SLOTS;
	for (unsigned i = 0; i < OVERLAY_SLOTS; i++, h = (h + 1) % OVERLAY_SLOTS) {
		if (o->data[h] && o->lba[h] == lba)
			return &o->data[h];
		if (!o->data[h]) {
			if (!add || o->used >= OVERLAY_SLOTS / 2)
				return NULL;
			o->lba[h] = lba;
			o->used++;
			return &o->data[h];
		}
	}
	return NULL;
}

static enum err ov_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct overlay *o = ctx;
	uint32_t ss = o->dev.sector_size;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t **s = slot(o, lba + i, 0);
		uint8_t *out = (uint8_t *)buf + (size_t)i * ss;
		enum err e = ERR_OK;
		if (s)
			memcpy(out, *s, ss);
		else
			e = o->base->dev.read(o->base, lba + i, 1, out);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err ov_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct overlay *o = ctx;
	uint32_t ss = o->dev.sector_size;
	uint64_t total = o->dev.sector_count;
	if (total && (lba >= total || count > total - lba)) {
		fprintf(stderr, "fuzz_fs: write of %u sectors at %llu past the end\n", count,
		        (unsigned long long)lba);
		abort();
	}
	for (uint32_t i = 0; i < count; i++) {
		uint8_t **s = slot(o, lba + i, 1);
		if (!s)
			return ERR_IO; /* the overlay is full: a device error */
		if (!*s && !(*s = malloc(ss)))
			abort();
		memcpy(*s, (const uint8_t *)buf + (size_t)i * ss, ss);
	}
	return ERR_OK;
}

struct ops {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct ops *o)
{
	if (!o->n)
		return 0;
	o->n--;
	return *o->p++;
}

static void fail(const char *what, struct fs_vol *v)
{
	fprintf(stderr, "fuzz_fs: %s (%s)\n", what, fs_msg(v));
	abort();
}

/* Checks that an error left a message. */
static enum err check(struct fs_vol *v, enum err e)
{
	if (e != ERR_OK && !fs_msg(v)[0])
		fail("an error without a message", v);
	return e;
}

/* Writes a pattern at off and reads it back. */
static void write_read(struct fs_vol *v, struct fs_node *f, uint64_t off, size_t len, uint8_t *buf)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + off);
	if (check(v, fs_write(v, f, off, buf, len)) != ERR_OK)
		return;
	if (len && f->size < off + len)
		fail("size did not grow over the write", v);
	size_t done;
	memset(buf, 0, len);
	if (check(v, fs_read(v, f, off, buf, len, &done)) != ERR_OK)
		return;
	if (done != len)
		fail("short read inside the file", v);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(i * 13 + off))
			fail("bytes written do not read back", v);
}

/* One operation on directory d (a handle from the root or a subdirectory). */
static void one_op(struct fs_vol *v, struct ops *o, struct fs_node *d, uint8_t *buf)
{
	const char *a = names[take(o) % NNAMES], *b = names[take(o) % NNAMES];
	struct fs_node n, m;
	unsigned op = take(o);
	uint64_t off = (uint64_t)take(o) * 97;
	size_t len = (size_t)take(o) * 31 % BUF;
	switch (op % 9) {
	case 0:
		if (check(v, fs_create(v, d, a, &n)) == ERR_OK && fs_walk(v, d, a, &m) != ERR_OK)
			fail("a file created is not found", v);
		break;
	case 1:
		if (check(v, fs_mkdir(v, d, a, &n)) == ERR_OK && fs_walk(v, d, a, &m) != ERR_OK)
			fail("a directory made is not found", v);
		break;
	case 2:
		if (check(v, fs_walk(v, d, a, &n)) == ERR_OK && !(n.attr & FAT_ATTR_DIRECTORY))
			write_read(v, &n, off, len, buf);
		break;
	case 3:
		if (check(v, fs_walk(v, d, a, &n)) == ERR_OK && !(n.attr & FAT_ATTR_DIRECTORY) &&
		    check(v, fs_truncate(v, &n, off)) == ERR_OK && n.size != off)
			fail("truncate did not set the size", v);
		break;
	case 4:
		if (check(v, fs_unlink(v, d, a)) == ERR_OK && fs_walk(v, d, a, &n) == ERR_OK)
			fail("a file unlinked is still found", v);
		break;
	case 5: check(v, fs_rmdir(v, d, a)); break;
	case 6:
		if (check(v, fs_rename(v, d, a, d, b)) == ERR_OK && fs_walk(v, d, b, &n) != ERR_OK)
			fail("a file renamed is not found under its new name", v);
		break;
	case 7: {
		struct fat_dirent ent;
		uint32_t cursor = 0;
		enum err e;
		for (int i = 0; i < 64 && (e = fs_list(v, d, &cursor, &ent, &n)) == ERR_OK; i++)
			if (strnlen(ent.name, sizeof ent.name) == sizeof ent.name)
				fail("unterminated name", v);
		if (e != ERR_NOENT) /* NOENT: the end, no message */
			check(v, e);
		break;
	}
	default:
		if (check(v, fs_walk(v, d, a, &n)) == ERR_OK && (n.attr & FAT_ATTR_DIRECTORY))
			*d = n; /* work inside it from now on */
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t l = (size_t)data[0] | (size_t)data[1] << 8;
	if (l > size - 2)
		l = size - 2;
	struct ops o = {data + 2, l};
	struct sparse_disk *disk = malloc(sizeof *disk);
	struct overlay *ov = calloc(1, sizeof *ov);
	struct fs_vol *v = calloc(1, sizeof *v);
	uint8_t *buf = malloc(BUF);
	if (!disk || !ov || !v || !buf)
		abort();
	if (sparse_open(disk, data + 2 + l, size - 2 - l) == 0) {
		ov->base = disk;
		ov->dev = (struct blockdev){.ctx = ov,
		                            .sector_size = disk->dev.sector_size,
		                            .sector_count = disk->dev.sector_count,
		                            .read = ov_read,
		                            .write = ov_write};
		if (fat_mount(&v->fat, &ov->dev, 0) == ERR_OK &&
		    v->fat.cluster_count <= MAX_CLUSTERS && fs_mount(v, &ov->dev, 0) == ERR_OK) {
			struct fs_node d;
			fs_root(v, &d);
			for (int i = 0; i < MAX_OPS && o.n; i++)
				one_op(v, &o, &d, buf);
		}
	}
	for (unsigned i = 0; i < OVERLAY_SLOTS; i++)
		free(ov->data[i]);
	free(buf);
	free(v);
	free(ov);
	free(disk);
	return 0;
}
