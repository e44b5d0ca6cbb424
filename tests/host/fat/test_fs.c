/* The FAT32 file system (lib/fat/fs_*.c) on volumes made by mkfs.fat:
 * a scripted sequence of operations checked after every step by fsck.fat
 * and at the end by mtools against a hand-written fixture
 * (fs_expected.txt); the same script cut after every single sector write,
 * each cut image checked by fsck.fat -n, which may report lost clusters
 * and nothing worse; both FATs and FSInfo in step; errors. */
#include <fat/fat_disk.h>
#include <fat/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../htest.h"
#include "fat_test.h"
#include "fs_script.h"

#define MTOOLS   "MTOOLS_SKIP_CHECK=1 "
#define VOL_KIB  40960
#define SECTOR   512
#define FIXTURE  "tests/host/fat/fs_expected.txt"
#define MAX_FILE 8192

/* A memory disk that takes `budget` sector writes and then fails every
 * write, as if the power went: a multi-sector write is cut inside.  It
 * remembers which sectors were written. */
struct cut_dev {
	struct blockdev dev;
	uint8_t *mem;
	uint64_t sectors;
	uint64_t budget, written;
	uint32_t *dirty; /* sectors written, in order, duplicates included */
	size_t ndirty, cap;
};

static enum err cut_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct cut_dev *d = ctx;
	if (lba >= d->sectors || count > d->sectors - lba)
		return ERR_IO;
	memcpy(buf, d->mem + lba * SECTOR, (size_t)count * SECTOR);
	return ERR_OK;
}

static enum err cut_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct cut_dev *d = ctx;
	if (lba >= d->sectors || count > d->sectors - lba)
		return ERR_IO;
	for (uint32_t i = 0; i < count; i++) {
		if (d->written == d->budget)
			return ERR_IO;
		memcpy(d->mem + (lba + i) * SECTOR, (const uint8_t *)buf + (size_t)i * SECTOR,
		       SECTOR);
		d->written++;
		if (d->ndirty == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 1024;
			d->dirty = realloc(d->dirty, d->cap * sizeof *d->dirty);
		}
		d->dirty[d->ndirty++] = (uint32_t)(lba + i);
	}
	return ERR_OK;
}

static void cut_init(struct cut_dev *d, uint8_t *mem, uint64_t bytes)
{
	memset(d, 0, sizeof *d);
	d->mem = mem;
	d->sectors = bytes / SECTOR;
	d->budget = UINT64_MAX;
	d->dev = (struct blockdev){.ctx = d,
	                           .sector_size = SECTOR,
	                           .sector_count = d->sectors,
	                           .read = cut_read,
	                           .write = cut_write};
}

/* A fresh FAT32 volume from mkfs.fat, read into memory; *bytes its size. */
static uint8_t *fresh_volume(const char *name, size_t *bytes)
{
	char p[512];
	if (ft_sh("rm -f %s && mkfs.fat -F 32 -s 1 -S %d -n FSTEST -i 2468ace0 -C %s %d >/dev/null",
	          name, SECTOR, name, VOL_KIB) != 0)
		return NULL;
	return ft_read_file(ft_path(p, name), bytes);
}

/* Runs fsck.fat -n on image name: 0 when it is clean; else its output
 * (caller frees) in *out. */
static int fsck(const char *name, char **out)
{
	int status;
	*out = ft_sh_out(&status, "fsck.fat -n %s 2>&1", name);
	return status;
}

/* Whether a message of fsck's report (a line, not indented) is one a cut
 * may leave: lost clusters reclaimed, a file whose chain runs past its
 * size (the tail is lost clusters), a stale free count, FAT copies that
 * differ (the second lags the first, which fsck uses).  Indented lines
 * belong to the message above them. */
static int benign(const char *line)
{
	static const char *const ok[] = {
	        "fsck.fat ",
	        "Free cluster summary wrong",
	        "Reclaimed ",
	        "Leaving filesystem unchanged",
	        "FATs differ but appear to be intact",
	};
	if (!line[0] || strstr(line, " files, "))
		return 1;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strncmp(line, ok[i], strlen(ok[i])))
			return 1;
	return 0;
}

/* A file's size smaller than its chain: fsck says "File size is N bytes,
 * cluster chain length is > M bytes." on the line after the path. */
static int chain_past_size(const char *line)
{
	return strstr(line, "File size is ") && strstr(line, "cluster chain length is > ");
}

/* The first message of report that is not benign, or NULL. */
static const char *first_bad(char *report)
{
	int prev_ok = 1;
	char *path = NULL;
	for (char *line = strtok(report, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == ' ') {
			if (chain_past_size(line))
				prev_ok = 1, path = NULL;
			else if (!prev_ok && path)
				return path;
			continue;
		}
		if (path && !prev_ok)
			return path;
		prev_ok = benign(line);
		path = prev_ok ? NULL : line;
	}
	return path && !prev_ok ? path : NULL;
}

/* Writes the sectors d wrote to image file name (from d->mem). */
static int sync_dirty(struct cut_dev *d, const char *name, const uint8_t *from)
{
	char p[512];
	FILE *f = fopen(ft_path(p, name), "r+b");
	if (!f)
		return -1;
	for (size_t i = 0; i < d->ndirty; i++) {
		uint64_t s = d->dirty[i];
		if (fseek(f, (long)(s * SECTOR), SEEK_SET) != 0 ||
		    fwrite(from + s * SECTOR, SECTOR, 1, f) != 1) {
			fclose(f);
			return -1;
		}
	}
	return fclose(f);
}

/* Builds the expected bytes of a fixture file from its pieces. */
static size_t expected_bytes(char **pieces, int n, uint8_t *out)
{
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		const char *p = pieces[i];
		unsigned a, b;
		if (!strncmp(p, "text:", 5)) {
			for (p += 5; *p; p++) {
				if (p[0] == '\\' && p[1] == 'n') {
					out[len++] = '\n';
					p++;
				} else {
					out[len++] = (uint8_t)*p;
				}
			}
		} else if (sscanf(p, "zero:%u", &a) == 1) {
			memset(out + len, 0, a);
			len += a;
		} else if (sscanf(p, "pat:%u:%u", &a, &b) == 2) {
			for (unsigned k = a; k < b; k++)
				out[len++] = fs_pattern(k);
		} else {
			HT_EXPECT(!"unknown fixture piece");
		}
	}
	return len;
}

/* Checks image name against the fixture with mtools: every path listed,
 * nothing else, aliases, bytes. */
static void check_fixture(const char *name)
{
	char *listing, line[1024];
	int status, paths = 0;
	FILE *fx = fopen(FIXTURE, "r");
	HT_ASSERT(fx != NULL);
	listing = ft_sh_out(&status, MTOOLS "mdir -i %s -/ -b ::/", name);
	HT_ASSERT(listing && status == 0);
	uint8_t *want = malloc(MAX_FILE);
	while (fgets(line, sizeof line, fx)) {
		char *f[16];
		int n = 0;
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || !line[0])
			continue;
		for (char *t = strtok(line, "\t"); t && n < 16; t = strtok(NULL, "\t"))
			f[n++] = t;
		HT_ASSERT(n >= 3);
		char listed[600];
		snprintf(listed, sizeof listed, "::%s%s\n", f[1], f[0][0] == 'd' ? "/" : "");
		if (!strstr(listing, listed))
			fprintf(stderr, "# not listed by mdir: %s", listed);
		HT_EXPECT(strstr(listing, listed) != NULL);
		paths++;
		char *sn = ft_sh_out(&status, MTOOLS "mshortname -i %s '::%s'", name, f[1]);
		HT_EXPECT(sn && status == 0 && !strncmp(sn, f[2], strlen(f[2])) &&
		          sn[strlen(f[2])] == '\n');
		if (sn && strncmp(sn, f[2], strlen(f[2])))
			fprintf(stderr, "# %s: alias %s, want %s\n", f[1], sn, f[2]);
		free(sn);
		if (f[0][0] != 'f')
			continue;
		size_t len = expected_bytes(f + 3, n - 3, want), got_len;
		char p[512];
		HT_ASSERT(ft_sh(MTOOLS "mtype -i %s '::%s' > out.bin", name, f[1]) == 0);
		uint8_t *got = ft_read_file(ft_path(p, "out.bin"), &got_len);
		HT_EXPECT(got && got_len == len && !memcmp(got, want, len));
		if (got_len != len)
			fprintf(stderr, "# %s: %zu bytes, want %zu\n", f[1], got_len, len);
		free(got);
	}
	int listed_n = 0;
	for (char *p = listing; (p = strchr(p, '\n')); p++)
		listed_n++;
	HT_EXPECT_EQ(listed_n, paths);
	fclose(fx);
	free(want);
	free(listing);
}

/* Puts the sectors d wrote back to the pristine image, in memory and in
 * file name, and forgets them. */
static int restore(struct cut_dev *d, const char *name, const uint8_t *pristine)
{
	for (size_t i = 0; i < d->ndirty; i++)
		memcpy(d->mem + (uint64_t)d->dirty[i] * SECTOR,
		       pristine + (uint64_t)d->dirty[i] * SECTOR, SECTOR);
	int r = sync_dirty(d, name, pristine);
	d->ndirty = 0;
	d->written = 0;
	return r;
}

HTEST(script_leaves_what_the_fixture_says_and_fsck_is_clean_after_every_step)
{
	size_t bytes;
	char p[512];
	uint8_t *mem = fresh_volume("script.img", &bytes);
	HT_ASSERT(mem != NULL);
	uint8_t *pristine = ft_read_file(ft_path(p, "script.img"), &bytes);
	struct cut_dev d;
	static struct fs_vol v;
	int steps = fs_script_steps(), step;
	cut_init(&d, mem, bytes);
	/* the first k steps on a fresh volume, for every k: fsck finds nothing */
	for (int k = 1; k <= steps; k++) {
		HT_ASSERT(fs_mount(&v, &d.dev, 0) == ERR_OK);
		enum err e = fs_script_run(&v, k, &step);
		if (e != ERR_OK)
			fprintf(stderr, "# step %d: %s: %s\n", step, err_str(e), fs_msg(&v));
		HT_ASSERT(e == ERR_OK && step == k);
		HT_ASSERT(sync_dirty(&d, "script.img", mem) == 0);
		char *report;
		int status = fsck("script.img", &report);
		if (status != 0)
			fprintf(stderr, "# after step %d, fsck.fat: %s\n", k - 1, report);
		HT_EXPECT_EQ(status, 0);
		free(report);
		if (k < steps)
			HT_ASSERT(restore(&d, "script.img", pristine) == 0);
	}
	check_fixture("script.img");
	free(pristine);
	free(d.dirty);
	free(mem);
}

HTEST(a_cut_after_any_write_leaves_at_most_lost_clusters)
{
	size_t bytes;
	char p[512];
	uint8_t *mem = fresh_volume("cut.img", &bytes);
	HT_ASSERT(mem != NULL);
	uint8_t *pristine = ft_read_file(ft_path(p, "cut.img"), &bytes);
	struct cut_dev d;
	static struct fs_vol v;
	int step;
	cut_init(&d, mem, bytes);
	HT_ASSERT(fs_mount(&v, &d.dev, 0) == ERR_OK);
	HT_ASSERT(fs_script_run(&v, fs_script_steps(), &step) == ERR_OK);
	uint64_t total = d.written;
	HT_ASSERT(restore(&d, "cut.img", pristine) == 0);
	fprintf(stderr, "# the script writes %llu sectors; cutting after each\n",
	        (unsigned long long)total);
	unsigned bad = 0, unclean = 0, past_size = 0;
	for (uint64_t n = 0; n < total && bad < 5; n++) {
		d.budget = n;
		HT_ASSERT(fs_mount(&v, &d.dev, 0) == ERR_OK);
		enum err e = fs_script_run(&v, fs_script_steps(), &step);
		HT_EXPECT(e == ERR_IO);
		HT_ASSERT(sync_dirty(&d, "cut.img", mem) == 0);
		char *report;
		if (fsck("cut.img", &report) != 0) {
			unclean++;
			past_size += strstr(report, "cluster chain length is > ") != NULL;
			char *copy = strdup(report);
			const char *why = first_bad(copy);
			if (why) {
				bad++;
				fprintf(stderr, "# cut after write %llu (step %d): %s\n%s\n",
				        (unsigned long long)n, step, why, report);
			}
			free(copy);
		}
		free(report);
		/* the cut volume mounts again and the script's files read */
		d.budget = UINT64_MAX;
		HT_EXPECT(fs_mount(&v, &d.dev, 0) == ERR_OK);
		HT_ASSERT(restore(&d, "cut.img", pristine) == 0);
	}
	fprintf(stderr,
	        "# %llu cuts: %u reported lost clusters or a stale count (%u a chain past its "
	        "file's size), %u worse\n",
	        (unsigned long long)total, unclean, past_size, bad);
	HT_EXPECT_EQ(bad, 0);
	free(pristine);
	free(d.dirty);
	free(mem);
}

/* A volume in memory, mounted, for the cases below. */
struct mem_vol {
	struct cut_dev d;
	struct fs_vol v;
	struct fs_node root;
	size_t bytes;
};

static struct mem_vol *mem_vol(const char *name)
{
	struct mem_vol *m = calloc(1, sizeof *m);
	uint8_t *mem = fresh_volume(name, &m->bytes);
	if (!mem)
		return NULL;
	cut_init(&m->d, mem, m->bytes);
	if (fs_mount(&m->v, &m->d.dev, 0) != ERR_OK)
		return NULL;
	fs_root(&m->v, &m->root);
	return m;
}

static void mem_vol_free(struct mem_vol *m)
{
	free(m->d.dirty);
	free(m->d.mem);
	free(m);
}

HTEST(errors_say_what_is_wrong)
{
	struct mem_vol *m = mem_vol("err.img");
	HT_ASSERT(m != NULL);
	struct fs_vol *v = &m->v;
	struct fs_node dir, sub, f, g;
	char name[300];
	HT_ASSERT(fs_mkdir(v, &m->root, "dir", &dir) == ERR_OK);
	HT_ASSERT(fs_mkdir(v, &dir, "sub", &sub) == ERR_OK);
	HT_ASSERT(fs_create(v, &dir, "file.txt", &f) == ERR_OK);
	HT_EXPECT_EQ(fs_create(v, &dir, "FILE.TXT", NULL), ERR_EXIST);
	HT_EXPECT_STREQ(fs_msg(v), "create 'FILE.TXT': already exists (cluster 3)");
	HT_EXPECT_EQ(fs_mkdir(v, &dir, "Sub", NULL), ERR_EXIST);
	HT_EXPECT_EQ(fs_create(v, &dir, "a:b", NULL), ERR_NAME);
	HT_EXPECT(strstr(fs_msg(v), "a:b") != NULL);
	HT_EXPECT_EQ(fs_create(v, &f, "x", NULL), ERR_NOTDIR);
	HT_EXPECT_EQ(fs_walk(v, &m->root, "dir/nope", &g), ERR_NOENT);
	HT_EXPECT_STREQ(fs_msg(v), "open 'nope': no such file or directory (cluster 3)");
	HT_EXPECT_EQ(fs_walk(v, &m->root, "dir/file.txt/x", &g), ERR_NOTDIR);
	HT_EXPECT_EQ(fs_walk(v, &sub, "../file.txt", &g), ERR_PERM);
	HT_EXPECT_EQ(fs_walk(v, &m->root, "dir/./sub", &g), ERR_OK);
	HT_EXPECT_EQ(g.cluster, sub.cluster);
	HT_EXPECT_EQ(fs_write(v, &sub, 0, "x", 1), ERR_ISDIR);
	HT_EXPECT_EQ(fs_write(v, &f, 0xffffffffull, "x", 1), ERR_RANGE);
	HT_EXPECT_EQ(fs_unlink(v, &dir, "sub"), ERR_ISDIR);
	HT_EXPECT_EQ(fs_rmdir(v, &dir, "file.txt"), ERR_NOTDIR);
	HT_EXPECT_EQ(fs_rmdir(v, &m->root, "dir"), ERR_BUSY);
	HT_EXPECT_STREQ(fs_msg(v), "rmdir 'dir': the directory is not empty (cluster 3)");
	HT_EXPECT_EQ(fs_rename(v, &m->root, "dir", &sub, "inside"), ERR_INVAL);
	HT_EXPECT_EQ(fs_rename(v, &dir, "file.txt", &dir, "sub"), ERR_EXIST);
	HT_EXPECT_EQ(fs_rename(v, &dir, "none", &dir, "x"), ERR_NOENT);
	/* a name takes one sector of entries at most: 15 long entries */
	memset(name, 'n', 195);
	name[195] = 0;
	HT_EXPECT_EQ(fs_create(v, &dir, name, NULL), ERR_OK);
	name[195] = 'n';
	name[196] = 0;
	HT_EXPECT_EQ(fs_create(v, &dir, name, NULL), ERR_NAME);
	HT_EXPECT(strstr(fs_msg(v), "nnn...': needs more entries than one sector holds") != NULL);
	/* an alias is a name too */
	HT_ASSERT(fs_create(v, &dir, "Long name one.txt", NULL) == ERR_OK);
	HT_EXPECT_EQ(fs_create(v, &dir, "longna~1.txt", NULL), ERR_EXIST);
	HT_EXPECT_EQ(fs_walk(v, &dir, "LONGNA~1.TXT", &g), ERR_OK);
	/* a handle on an entry that moved is stale */
	HT_ASSERT(fs_rename(v, &dir, "file.txt", &sub, "moved.txt") == ERR_OK);
	HT_EXPECT_EQ(fs_write(v, &f, 0, "x", 1), ERR_NOENT);
	HT_EXPECT_STREQ(fs_msg(v), "update: the entry moved or was removed (cluster 3)");
	/* full: a write larger than the free space changes nothing */
	HT_ASSERT(fs_walk(v, &sub, "moved.txt", &f) == ERR_OK);
	uint32_t free_before = v->free_count;
	static uint8_t big[64 * 1024 * 1024];
	HT_EXPECT_EQ(fs_write(v, &f, 0, big, sizeof big), ERR_NOSPC);
	HT_EXPECT_EQ(v->free_count, free_before);
	HT_EXPECT_EQ(f.size, 0);
	/* read-only */
	struct fs_vol *ro = calloc(1, sizeof *ro);
	struct blockdev dev = m->d.dev;
	dev.write = NULL;
	HT_ASSERT(fs_mount(ro, &dev, 0) == ERR_OK);
	HT_EXPECT_EQ(fs_create(ro, &m->root, "x", NULL), ERR_PERM);
	HT_EXPECT_STREQ(fs_msg(ro), "create 'x': the device is read-only");
	free(ro);
	mem_vol_free(m);
}

/* Reads the 32-bit little-endian word at byte off of m's disk. */
static uint32_t word_at(const struct mem_vol *m, uint64_t off)
{
	uint32_t x;
	memcpy(&x, m->d.mem + off, 4);
	return x;
}

HTEST(both_fats_and_fsinfo_stay_in_step)
{
	struct mem_vol *m = mem_vol("step.img");
	HT_ASSERT(m != NULL);
	int step;
	HT_ASSERT(fs_script_run(&m->v, fs_script_steps(), &step) == ERR_OK);
	struct fat_boot_sector bs;
	memcpy(&bs, m->d.mem, sizeof bs);
	uint64_t fat = (uint64_t)bs.reserved_sectors * SECTOR,
	         size = (uint64_t)bs.fat_size32 * SECTOR;
	HT_EXPECT(memcmp(m->d.mem + fat, m->d.mem + fat + size, size) == 0);
	/* count free entries ourselves */
	uint32_t clusters = m->v.fat.cluster_count, free_n = 0;
	for (uint32_t c = 2; c < clusters + 2; c++)
		free_n += (word_at(m, fat + c * 4ull) & 0x0fffffff) == 0;
	uint64_t fsi = (uint64_t)bs.fsinfo_sector * SECTOR;
	HT_EXPECT_EQ(word_at(m, fsi + 488), free_n);
	uint32_t hint = word_at(m, fsi + 492);
	HT_EXPECT(hint >= 2 && hint < clusters + 2);
	/* a wrong count on disk is corrected at the next change */
	uint32_t wrong = 12345;
	memcpy(m->d.mem + fsi + 488, &wrong, 4);
	HT_ASSERT(fs_mount(&m->v, &m->d.dev, 0) == ERR_OK);
	HT_ASSERT(fs_mkdir(&m->v, &m->root, "again", NULL) == ERR_OK);
	HT_EXPECT_EQ(word_at(m, fsi + 488), free_n - 1);
	mem_vol_free(m);
}

HTEST_MAIN("fs")
