/* The FAT32 writer (lib/fat/fat_write*.c) in memory: geometry, names and
 * aliases, errors, and a volume with many files, long and Unicode names,
 * deep and large directories that fsck.fat, mtools and our own reader all
 * accept, with 512- and 4096-byte sectors. */
#include <fat/fat.h>
#include <fat/fat_disk.h>
#include <fat/fat_write.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../htest.h"
#include "fat_test.h"

#define MIB           (1024ull * 1024)
#define BIG_DIR_FILES 300

HTEST(geometry_stays_in_fat32_range)
{
	static const uint32_t mib[] = {34, 40, 64, 100, 260, 261, 300, 1024, 9000, 40000};
	for (size_t i = 0; i < sizeof mib / sizeof mib[0]; i++) {
		for (uint32_t bps = 512; bps <= 4096; bps *= 8) {
			struct fat_geometry g;
			uint64_t sectors = mib[i] * MIB / bps;
			enum err e = fat_write_geometry(sectors, bps, 0, &g);
			if (bps == 4096 && mib[i] < 260) {
				HT_EXPECT_EQ(e,
				             ERR_RANGE); /* 65525 clusters of 4 KiB need 256 MiB */
				continue;
			}
			HT_ASSERT(e == ERR_OK);
			HT_EXPECT(g.cluster_count >= 65525 + 16 && g.cluster_count <= 0x0ffffff5);
			HT_EXPECT((uint64_t)g.fat_sectors * bps / 4 >= g.cluster_count + 2ull);
			uint64_t data = g.reserved_sectors + 2ull * g.fat_sectors;
			HT_EXPECT(data % g.sectors_per_cluster == 0 && (data * bps) % 4096 == 0);
			uint64_t end = data + (uint64_t)g.cluster_count * g.sectors_per_cluster;
			HT_EXPECT(end <= sectors && sectors - end < g.sectors_per_cluster);
			HT_EXPECT(g.sectors_per_cluster * bps <= 32768);
		}
	}
	struct fat_geometry g;
	HT_EXPECT_EQ(fat_write_geometry(16 * MIB / 512, 512, 0, &g), ERR_RANGE);
	HT_EXPECT_EQ(fat_write_geometry(64 * MIB / 512, 512, 2, &g), ERR_RANGE);
	HT_EXPECT_EQ(fat_write_geometry(64 * MIB / 512, 500, 0, &g), ERR_INVAL);
	HT_EXPECT_EQ(fat_write_geometry(64 * MIB / 512, 512, 3, &g), ERR_INVAL);
}

HTEST(names_are_checked)
{
	const char *why = NULL;
	static const char *bad[] = {"",     ".",      "..",        "a/b",  "a\\b",     "a:b",
	                            "a*",   "a?",     "a\"b",      "a<b",  "a>b",      "a|b",
	                            "dot.", "space ", "tab\tname", "\x7f", "\xff\xfe", "\xc0\xaf"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		HT_EXPECT_EQ(fat_write_check_name(bad[i], &why), ERR_NAME);
		HT_EXPECT(why != NULL);
		HT_EXPECT_EQ(fat_write_name_slots(bad[i]), 0);
	}
	char name[300];
	memset(name, 'a', 255);
	name[255] = 0;
	HT_EXPECT_EQ(fat_write_check_name(name, &why), ERR_OK);
	HT_EXPECT_EQ(fat_write_name_slots(name), 1 + 20);
	name[255] = 'a';
	name[256] = 0;
	HT_EXPECT_EQ(fat_write_check_name(name, &why), ERR_NAME);
	HT_EXPECT_STREQ(why, "longer than 255 characters");
	static const char *good[] = {"a",     "README.TXT", "x.y.z",
	                             " lead", "+,;=[]",     "Ünï ✓",
	                             "😀",     ".hidden",    "a b c d e f g h i j k"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		HT_EXPECT_EQ(fat_write_check_name(good[i], &why), ERR_OK);
	HT_EXPECT_EQ(fat_write_name_slots("README.TXT"), 1);
	HT_EXPECT_EQ(fat_write_name_slots("readme.txt"), 2);
	HT_EXPECT_EQ(fat_write_name_slots("a name of exactly 26 chars"), 3);
}

/* A formatted volume in memory (zeroed by calloc). */
static uint8_t *format(struct fat_writer *w, uint64_t bytes, uint32_t bps)
{
	uint8_t *img = calloc(1, bytes);
	struct fat_write_params p = {.bytes_per_sector = bps,
	                             .hidden_sectors = 2048,
	                             .volume_id = 0xabcd1234,
	                             .label = "TESSERA",
	                             .date = FAT_DATE(2024, 1, 1),
	                             .root_entries = 16};
	if (img && fat_write_format(w, img, bytes, &p) != ERR_OK) {
		free(img);
		img = NULL;
	}
	return img;
}

/* Adds a file with deterministic content to the writer and to the host
 * mirror tree (mirror/PATH); dir is its directory's cluster. */
static void add_file(struct fat_writer *w, uint32_t dir, const char *mirror_dir, const char *name,
                     size_t size, uint32_t seed)
{
	char p[512], rel[1024];
	void *data;
	HT_ASSERT(fat_write_file(w, dir, name, size, &data) == ERR_OK);
	HT_ASSERT(size == 0 || data != NULL);
	uint8_t *buf = malloc(size + 1);
	ft_random(buf, size, seed);
	if (size)
		memcpy(data, buf, size);
	snprintf(rel, sizeof rel, "mirror%s/%s", mirror_dir, name);
	HT_ASSERT(ft_write_file(ft_path(p, rel), buf, size) == 0);
	free(buf);
}

/* Creates a directory in the writer and in the mirror. */
static uint32_t add_dir(struct fat_writer *w, uint32_t parent, const char *mirror_path,
                        const char *name, uint32_t entries)
{
	char p[512], rel[1024];
	uint32_t c = 0;
	HT_EXPECT_EQ(fat_write_mkdir(w, parent, name, entries, &c), ERR_OK);
	snprintf(rel, sizeof rel, "mirror%s/%s", mirror_path, name);
	HT_EXPECT_EQ(mkdir(ft_path(p, rel), 0755), 0);
	return c;
}

/* Fills a volume with the sample tree (mirrored under tmpdir/mirror). */
static void fill_sample(struct fat_writer *w)
{
	char p[512], name[64];
	HT_ASSERT(ft_sh("rm -rf mirror && mkdir mirror") == 0);
	uint32_t root = w->root_cluster;
	uint32_t efi = add_dir(w, root, "", "EFI", 3);
	uint32_t efiboot = add_dir(w, efi, "/EFI", "BOOT", 3);
	add_file(w, efiboot, "/EFI/BOOT", "BOOTX64.EFI", 200000, 1);
	uint32_t boot = add_dir(w, root, "", "boot", 0);
	add_file(w, boot, "/boot", "tessera.elf", 1 << 20, 2);
	add_file(w, boot, "/boot", "limine.conf", 300, 3);
	add_file(w, boot, "/boot", "exact.bin", w->cluster_bytes * 4, 4);
	uint32_t big = add_dir(w, root, "", "big dir", BIG_DIR_FILES * 3 + 2);
	for (int i = 0; i < BIG_DIR_FILES; i++) {
		snprintf(name, sizeof name, "Long file name number %d.txt", i);
		add_file(w, big, "/big dir", name, (size_t)(i * 37 % 2000), 100 + (uint32_t)i);
	}
	uint32_t grow = add_dir(w, root, "", "grows", 2); /* no room reserved: grows a chain */
	for (int i = 0; i < 60; i++) {
		snprintf(name, sizeof name, "grown entry %02d.dat", i);
		add_file(w, grow, "/grows", name, 700, 500 + (uint32_t)i);
	}
	uint32_t alias = add_dir(w, root, "", "alias", 10);
	static const char *aliases[] = {
	        "foo bar.txt",   "foo+bar.txt", "foobar.txt", "FOOBAR~1.TXT",
	        "foo bar 2.txt", ".hidden",     "x.y.z",      "Ünïcödé ✓ 日本.txt",
	        "😀 smile.txt",   "lower",       "UPPER"};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		add_file(w, alias, "/alias", aliases[i], 10 + i, 900 + (uint32_t)i);
	uint32_t deep = root;
	char path[512] = "";
	for (int level = 0; level < 10; level++) {
		snprintf(name, sizeof name, "level %d", level);
		deep = add_dir(w, deep, path, name, 0);
		snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
	}
	add_file(w, deep, path, "bottom.txt", 5, 7);
	add_dir(w, root, "", "empty dir", 0);
	add_file(w, root, "", "empty file", 0, 0);
	HT_EXPECT_EQ(fat_write_finish(w), ERR_OK);
	(void)p;
}

/* Saves an image to tmpdir/name, leaving zero 64 KiB chunks as holes. */
static void save(const char *name, const uint8_t *img, uint64_t bytes)
{
	char p[512];
	static const uint8_t zero[65536];
	FILE *f = fopen(ft_path(p, name), "wb");
	HT_ASSERT(f);
	for (uint64_t off = 0; off < bytes; off += sizeof zero) {
		size_t n = bytes - off < sizeof zero ? (size_t)(bytes - off) : sizeof zero;
		if (!memcmp(img + off, zero, n))
			continue;
		fseek(f, (long)off, SEEK_SET);
		HT_ASSERT(fwrite(img + off, 1, n, f) == n);
	}
	HT_ASSERT(ftruncate(fileno(f), (off_t)bytes) == 0);
	fclose(f);
}

/* fsck.fat -n must find nothing to fix. */
static void expect_fsck_clean(const char *img)
{
	int st;
	char *out = ft_sh_out(&st, "fsck.fat -n -v %s", img);
	HT_EXPECT_EQ(st, 0);
	int bad = strstr(out, "wrong") || strstr(out, "differ") || strstr(out, "nvalid") ||
	          strstr(out, "Dirty") || strstr(out, "Leave") || strstr(out, "checksum");
	HT_EXPECT(!bad);
	if (st != 0 || bad)
		fprintf(stderr, "%s\n", out);
	free(out);
}

/* mtools must read back exactly the mirror tree (but for names outside
 * the BMP, which mtools cannot show). */
static void expect_mtools_same(const char *img)
{
	HT_EXPECT_EQ(ft_sh("rm -rf out && mkdir out && LANG=C.UTF-8 MTOOLS_SKIP_CHECK=1 "
	                   "mcopy -s -n -i %s '::/*' out/ && diff -r -x '*smile*' mirror out",
	                   img),
	             0);
}

/* Every file of the mirror, read through our reader, has the same bytes. */
static void expect_reader_same(struct fat_volume *vol)
{
	int st;
	char *list = ft_sh_out(&st, "cd mirror && find . -type f | sed 's/^\\.//'");
	HT_ASSERT(st == 0);
	int files = 0;
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		char p[512], rel[1024];
		size_t len, done;
		snprintf(rel, sizeof rel, "mirror%s", line);
		uint8_t *want = ft_read_file(ft_path(p, rel), &len);
		struct fat_file f;
		HT_EXPECT_EQ(fat_open(vol, line, &f), ERR_OK);
		uint8_t *got = malloc(len + 1);
		HT_EXPECT_EQ(fat_read(&f, 0, got, len + 1, &done), ERR_OK);
		HT_EXPECT(done == len && want && !memcmp(got, want, len));
		if (!(done == len && want && !memcmp(got, want, len)))
			fprintf(stderr, "differs: %s (%zu of %zu bytes)\n", line, done, len);
		free(got);
		free(want);
		files++;
	}
	HT_EXPECT_EQ(files, 4 + BIG_DIR_FILES + 60 + 11 + 1 + 1);
	free(list);
}

/* FSInfo, backup boot sector and second FAT agree with the first FAT. */
static void expect_metadata(const uint8_t *img, const struct fat_writer *w)
{
	uint32_t bps = w->geo.bytes_per_sector, free_count = 0, first_free = 0;
	for (uint32_t c = 2; c < w->geo.cluster_count + 2; c++) {
		uint32_t v;
		memcpy(&v, img + w->fat_offset + c * 4ull, 4);
		if ((v & 0x0fffffff) == 0 && !free_count++)
			first_free = c;
	}
	for (int copy = 0; copy < 2; copy++) {
		struct fat_fsinfo fi;
		memcpy(&fi, img + (copy ? 7 : 1) * bps, sizeof fi);
		HT_EXPECT_EQ(fi.lead_sig, 0x41615252);
		HT_EXPECT_EQ(fi.struct_sig, 0x61417272);
		HT_EXPECT_EQ(fi.trail_sig, 0xaa550000);
		HT_EXPECT_EQ(fi.free_count, free_count);
		HT_EXPECT_EQ(fi.next_free, first_free);
	}
	HT_EXPECT(!memcmp(img, img + 6 * bps, bps));
	uint64_t fat_bytes = (uint64_t)w->geo.fat_sectors * bps;
	HT_EXPECT(!memcmp(img + w->fat_offset, img + w->fat_offset + fat_bytes, fat_bytes));
	HT_EXPECT_EQ(img[510], 0x55);
	HT_EXPECT_EQ(img[511], 0xaa);
}

/* Lists a directory's short names and checks that they are unique. */
static int short_names_unique(struct fat_volume *vol, const char *path, int *count)
{
	static struct fat_dir dir;
	static struct fat_dirent ent;
	static char seen[2000][13];
	int n = 0, unique = 1;
	if (fat_dir_open(vol, path, &dir) != ERR_OK)
		return 0;
	while (fat_dir_next(&dir, &ent) == ERR_OK && n < 2000) {
		for (int i = 0; i < n; i++)
			unique &= strcmp(seen[i], ent.short_name) != 0;
		strcpy(seen[n++], ent.short_name);
	}
	*count = n;
	return unique;
}

/* Builds, saves and checks the sample volume for a sector size. */
static void sample_volume(uint32_t bps, uint64_t bytes, const char *name)
{
	struct fat_writer w;
	uint8_t *img = format(&w, bytes, bps);
	HT_ASSERT(img);
	fill_sample(&w);
	expect_metadata(img, &w);
	save(name, img, bytes);
	expect_fsck_clean(name);
	expect_mtools_same(name);
	for (uint32_t dev_sector = 512; dev_sector <= bps; dev_sector *= 8) {
		struct ft_dev d;
		static struct fat_volume vol;
		ft_dev_mem(&d, img, bytes, dev_sector);
		HT_ASSERT(fat_mount(&vol, &d.dev, 0) == ERR_OK);
		HT_EXPECT_STREQ(vol.label, "TESSERA");
		HT_EXPECT_EQ(vol.volume_id, 0xabcd1234);
		expect_reader_same(&vol);
		int n;
		HT_EXPECT(short_names_unique(&vol, "/big dir", &n));
		HT_EXPECT_EQ(n, BIG_DIR_FILES);
		HT_EXPECT(short_names_unique(&vol, "/alias", &n));
		HT_EXPECT_EQ(n, 11);
		struct fat_file f; /* the big directory spans several clusters */
		size_t done;
		static uint8_t buf[1 << 16];
		HT_ASSERT(fat_open(&vol, "/big dir", &f) == ERR_OK);
		HT_EXPECT(fat_read(&f, 0, buf, sizeof buf, &done) == ERR_OK);
		HT_EXPECT(done > w.cluster_bytes);
	}
	free(img);
}

HTEST(sample_volume_512)
{
	sample_volume(512, 64 * MIB, "v512.img");
}

HTEST(sample_volume_4096)
{
	sample_volume(4096, 270 * MIB, "v4096.img");
}

HTEST(aliases_follow_the_basis_rules)
{
	struct fat_writer w;
	uint8_t *img = format(&w, 40 * MIB, 512);
	HT_ASSERT(img);
	static const char *names[][2] = {
	        {"foo bar.txt", "FOOBAR~2.TXT"},
	        {"foo+bar.txt", "FOO_BA~1.TXT"},
	        {"foobar.txt", "FOOBAR.TXT"},
	        {"FOOBAR~1.TXT", "FOOBAR~1.TXT"},
	        {"x.y.z", "X~1.Z"},
	        {".hidden", "HIDDEN~1"},
	        {"UPPER", "UPPER"},
	        {"a very long name.html", "AVERYL~1.HTM"},
	        {"Ünï.txt", "_N_~1.TXT"},
	};
	size_t n = sizeof names / sizeof names[0];
	void *data;
	for (size_t i = 0; i < n; i++)
		HT_ASSERT(fat_write_file(&w, w.root_cluster, names[i][0], 1 + i, &data) == ERR_OK);
	char buf[64];
	for (int i = 1; i <= 12; i++) { /* tails past 9 shorten the basis */
		snprintf(buf, sizeof buf, "a very long name.html %d", i);
		HT_ASSERT(fat_write_file(&w, w.root_cluster, buf, 1, &data) == ERR_OK);
	}
	fat_write_finish(&w);
	struct ft_dev d;
	static struct fat_volume vol;
	static struct fat_dir dir;
	static struct fat_dirent ent;
	ft_dev_mem(&d, img, 40 * MIB, 512);
	HT_ASSERT(fat_mount(&vol, &d.dev, 0) == ERR_OK);
	HT_ASSERT(fat_dir_open(&vol, "/", &dir) == ERR_OK);
	for (size_t i = 0; i < n; i++) {
		HT_ASSERT(fat_dir_next(&dir, &ent) == ERR_OK);
		HT_EXPECT_STREQ(ent.name, names[i][0]);
		HT_EXPECT_STREQ(ent.short_name, names[i][1]);
	}
	struct fat_file f; /* a name spelled like an alias finds its own file */
	HT_EXPECT_EQ(fat_open(&vol, "/FOOBAR~1.TXT", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 4);
	HT_EXPECT_EQ(fat_open(&vol, "/foobar~2.txt", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 1);
	for (int i = 1; i <= 12; i++) {
		HT_ASSERT(fat_dir_next(&dir, &ent) == ERR_OK);
		snprintf(buf, sizeof buf, i + 1 < 10 ? "AVERYL~%d.HTM" : "AVERY~%d.HTM", i + 1);
		HT_EXPECT_STREQ(ent.short_name, buf);
	}
	free(img);
}

HTEST(writer_errors)
{
	struct fat_writer w;
	uint8_t *img = format(&w, 40 * MIB, 512);
	HT_ASSERT(img);
	void *data;
	uint32_t c;
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "Kernel.ELF", 10, &data), ERR_OK);
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "kernel.elf", 10, &data), ERR_EXIST);
	HT_EXPECT_EQ(fat_write_mkdir(&w, w.root_cluster, "KERNEL.ELF", 2, &c), ERR_EXIST);
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "bad:name", 10, &data), ERR_NAME);
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "huge", 1ull << 32, &data), ERR_RANGE);
	HT_EXPECT_EQ(fat_write_mkdir(&w, w.root_cluster, "too many", 70000, &c), ERR_FULL);
	HT_EXPECT_EQ(fat_write_file(&w, 999999, "x", 1, &data), ERR_INVAL);
	uint64_t free_bytes = fat_write_free_bytes(&w);
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "too big", free_bytes + 1, &data),
	             ERR_NOSPC);
	HT_EXPECT_EQ(fat_write_file(&w, w.root_cluster, "just fits", free_bytes - 512, &data),
	             ERR_OK);
	free(img);
	struct fat_write_params p = {.bytes_per_sector = 512, .label = "lower"};
	img = calloc(1, 40 * MIB);
	HT_EXPECT_EQ(fat_write_format(&w, img, 40 * MIB, &p), ERR_NAME);
	p.label = "TESSERA";
	HT_EXPECT_EQ(fat_write_format(&w, img, 16 * MIB, &p), ERR_RANGE);
	p.bytes_per_sector = 0;
	HT_EXPECT_EQ(fat_write_format(&w, img, 40 * MIB, &p), ERR_INVAL);
	free(img);
}

HTEST_MAIN("fat_write")
