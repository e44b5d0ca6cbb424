/* The FAT32 reader (lib/fat/fat.c) against volumes made by dosfstools'
 * mkfs.fat and filled by mtools: 512- and 4096-byte sectors, nested
 * directories, long and NT-lower-case names, a file spanning thousands of
 * clusters, a fragmented file, an empty file, and damaged boot sectors. */
#include <fat/fat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../htest.h"
#include "fat_test.h"

#define MTOOLS   "MTOOLS_SKIP_CHECK=1 "
#define BIG_SIZE (3 * 1024 * 1024 + 123)
#define MANY     100

static int made; /* the fixture images exist */

/* Makes the host files and the two images once. */
static void make_fixture(void)
{
	char p[512];
	if (made)
		return;
	uint8_t *buf = malloc(BIG_SIZE);
	ft_random(buf, BIG_SIZE, 1);
	HT_ASSERT(ft_write_file(ft_path(p, "big.bin"), buf, BIG_SIZE) == 0);
	ft_random(buf, 100000, 2);
	HT_ASSERT(ft_write_file(ft_path(p, "efi.bin"), buf, 100000) == 0);
	ft_random(buf, 30000, 3);
	HT_ASSERT(ft_write_file(ft_path(p, "frag.bin"), buf, 30000) == 0);
	free(buf);
	HT_ASSERT(ft_sh("printf 'Hello, FAT32!\\n' > hello.txt && : > empty.bin && "
	                "head -c 10240 /dev/zero > pad && mkdir many && "
	                "for i in $(seq -w 1 %d); do echo $i > \"many/file number $i with a long "
	                "name.dat\"; done",
	                MANY) == 0);
	for (int s = 512; s <= 4096; s *= 8) {
		int kib = s == 512 ? 40960 : 300000;
		HT_ASSERT(ft_sh("mkfs.fat -F 32 -s 1 -S %d -n TESTVOL -i 12345678 -C r%d.img %d "
		                ">/dev/null",
		                s, s, kib) == 0);
		HT_ASSERT(ft_sh(MTOOLS
		                "I=r%d.img; mmd -i $I ::/EFI ::/EFI/BOOT ::/boot ::/dir "
		                "'::/dir/sub dir' ::/many && "
		                "mcopy -i $I efi.bin ::/EFI/BOOT/BOOTX64.EFI && "
		                "mcopy -i $I big.bin ::/boot/tessera.elf && "
		                "mcopy -i $I hello.txt empty.bin :: && "
		                "mcopy -i $I hello.txt '::/dir/sub dir/A Long File Name With "
		                "Spaces.txt' && "
		                "mcopy -i $I many/* ::/many/ && "
		                "mcopy -i $I pad ::/pad1 && mcopy -i $I pad ::/pad2 && mdel -i $I "
		                "::/pad1 && "
		                "printf '\\377\\377\\377\\377' | dd of=$I bs=1 seek=$((%d + 492)) "
		                "conv=notrunc status=none && mcopy -i $I frag.bin ::/frag.bin",
		                s, s) == 0);
	}
	made = 1;
}

/* Mounts fixture image r<fat_sector>.img over a device of dev_sector bytes. */
static void mount(struct ft_dev *d, struct fat_volume *vol, int fat_sector, uint32_t dev_sector)
{
	char p[512], name[32];
	make_fixture();
	snprintf(name, sizeof name, "r%d.img", fat_sector);
	HT_ASSERT(ft_dev_file(d, ft_path(p, name), dev_sector) == 0);
	HT_ASSERT(fat_mount(vol, &d->dev, 0) == ERR_OK);
}

/* Reads ESP path whole through the reader and compares it with host file. */
static void expect_same(struct fat_volume *vol, const char *path, const char *host)
{
	char p[512];
	size_t len, done;
	uint8_t *want = ft_read_file(ft_path(p, host), &len);
	HT_ASSERT(want);
	struct fat_file f;
	HT_EXPECT_EQ(fat_open(vol, path, &f), ERR_OK);
	HT_EXPECT_EQ(f.size, len);
	uint8_t *got = malloc(len + 100);
	HT_EXPECT_EQ(fat_read(&f, 0, got, len + 100, &done), ERR_OK);
	HT_EXPECT_EQ(done, len);
	HT_EXPECT(done == len && memcmp(got, want, len) == 0);
	free(got);
	free(want);
}

HTEST(mount_reads_bpb)
{
	struct ft_dev d;
	static struct fat_volume vol;
	mount(&d, &vol, 512, 512);
	HT_EXPECT_EQ(vol.bytes_per_sector, 512);
	HT_EXPECT_EQ(vol.sectors_per_cluster, 1);
	HT_EXPECT_EQ(vol.cluster_bytes, 512);
	HT_EXPECT_EQ(vol.fat_count, 2);
	HT_EXPECT(vol.cluster_count >= 65525);
	HT_EXPECT_EQ(vol.root_cluster, 2);
	HT_EXPECT_EQ(vol.volume_id, 0x12345678);
	HT_EXPECT_STREQ(vol.label, "TESTVOL");
	ft_dev_close(&d);
}

HTEST(open_ignores_case_and_accepts_short_names)
{
	struct ft_dev d;
	static struct fat_volume vol;
	struct fat_file f;
	mount(&d, &vol, 512, 512);
	HT_EXPECT_EQ(fat_open(&vol, "/EFI/BOOT/BOOTX64.EFI", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 100000);
	HT_EXPECT_EQ(fat_open(&vol, "/efi/Boot/bootx64.efi", &f), ERR_OK);
	HT_EXPECT_EQ(fat_open(&vol, "//EFI/./BOOT//BOOTX64.EFI", &f), ERR_OK);
	HT_EXPECT_EQ(fat_open(&vol, "/dir/sub dir/a long file name with spaces.TXT", &f), ERR_OK);
	HT_EXPECT_EQ(fat_open(&vol, "/DIR/SUBDIR~1/ALONGF~1.TXT", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 14);
	HT_EXPECT_EQ(fat_open(&vol, "/", &f), ERR_OK);
	HT_EXPECT(f.attr & FAT_ATTR_DIRECTORY);
	HT_EXPECT_EQ(fat_open(&vol, "/boot", &f), ERR_OK);
	HT_EXPECT(f.attr & FAT_ATTR_DIRECTORY);
	HT_EXPECT_EQ(fat_open(&vol, "/boot/missing.elf", &f), ERR_NOENT);
	HT_EXPECT_EQ(fat_open(&vol, "/nodir/x", &f), ERR_NOENT);
	HT_EXPECT_EQ(fat_open(&vol, "/hello.txt/x", &f), ERR_NOTDIR);
	ft_dev_close(&d);
}

HTEST(big_file_is_read_in_large_requests)
{
	struct ft_dev d;
	static struct fat_volume vol;
	mount(&d, &vol, 512, 512);
	d.reads = 0;
	d.max_count = 0;
	expect_same(&vol, "/boot/tessera.elf", "big.bin");
	/* 6145 clusters: one data read per contiguous run, plus FAT sectors */
	HT_EXPECT(d.max_count >= 6000);
	HT_EXPECT(d.reads < 80);
	expect_same(&vol, "/EFI/BOOT/BOOTX64.EFI", "efi.bin");
	expect_same(&vol, "/hello.txt", "hello.txt");
	expect_same(&vol, "/frag.bin", "frag.bin");
	ft_dev_close(&d);
}

HTEST(reads_at_any_offset_and_length)
{
	struct ft_dev d;
	static struct fat_volume vol;
	char p[512];
	size_t len, done;
	mount(&d, &vol, 512, 512);
	uint8_t *want = ft_read_file(ft_path(p, "big.bin"), &len);
	uint8_t *got = malloc(70000);
	struct fat_file f;
	HT_ASSERT(want && got && fat_open(&vol, "/boot/tessera.elf", &f) == ERR_OK);
	uint64_t off = 0; /* sequential, odd-sized pieces */
	while (off < len) {
		HT_ASSERT(fat_read(&f, off, got, 1000, &done) == ERR_OK && done > 0);
		HT_EXPECT(memcmp(got, want + off, done) == 0);
		off += done;
	}
	uint32_t x = 7; /* random offsets and lengths, backwards seeks included */
	for (int i = 0; i < 300; i++) {
		x = x * 1103515245 + 12345;
		uint64_t o = (x >> 3) % (len + 10);
		size_t n = (x >> 7) % 70000;
		HT_ASSERT(fat_read(&f, o, got, n, &done) == ERR_OK);
		size_t expect = o >= len ? 0 : (len - o < n ? len - o : n);
		HT_EXPECT_EQ(done, expect);
		HT_EXPECT(memcmp(got, want + (o < len ? o : 0), done) == 0);
	}
	HT_EXPECT_EQ(fat_open(&vol, "/empty.bin", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 0);
	HT_EXPECT_EQ(fat_read(&f, 0, got, 100, &done), ERR_OK);
	HT_EXPECT_EQ(done, 0);
	free(got);
	free(want);
	ft_dev_close(&d);
}

/* Collects the names of a directory into one newline-separated string. */
static char *list_dir(struct fat_volume *vol, const char *path, int *count)
{
	static struct fat_dir dir;
	static struct fat_dirent ent;
	size_t cap = 65536, len = 0;
	char *out = calloc(1, cap);
	*count = 0;
	if (fat_dir_open(vol, path, &dir) != ERR_OK)
		return out;
	enum err e;
	while ((e = fat_dir_next(&dir, &ent)) == ERR_OK) {
		len += (size_t)snprintf(out + len, cap - len, "%s|%s\n", ent.name, ent.short_name);
		(*count)++;
	}
	HT_EXPECT_EQ(e, ERR_NOENT);
	HT_EXPECT_EQ(fat_dir_next(&dir, &ent), ERR_NOENT); /* stays at the end */
	return out;
}

HTEST(lists_directories_with_long_names)
{
	struct ft_dev d;
	static struct fat_volume vol;
	int n;
	mount(&d, &vol, 512, 512);
	char *root = list_dir(&vol, "/", &n);
	HT_EXPECT(strstr(root, "EFI|EFI\n") && strstr(root, "hello.txt|HELLO.TXT\n"));
	HT_EXPECT(strstr(root, "empty.bin|EMPTY.BIN\n") && !strstr(root, "TESTVOL"));
	HT_EXPECT(!strstr(root, "pad1") && strstr(root, "pad2|PAD2\n"));
	HT_EXPECT_EQ(n, 8); /* EFI boot dir many hello empty pad2 frag */
	free(root);
	char *many = list_dir(&vol, "/many", &n);
	HT_EXPECT_EQ(n, MANY);
	for (int i = 1; i <= MANY; i++) {
		char want[80];
		snprintf(want, sizeof want, "file number %03d with a long name.dat|", i);
		HT_EXPECT(strstr(many, want) != NULL);
	}
	free(many);
	struct fat_dir dir;
	HT_EXPECT_EQ(fat_dir_open(&vol, "/hello.txt", &dir), ERR_NOTDIR);
	HT_EXPECT_EQ(fat_dir_open(&vol, "/nothing", &dir), ERR_NOENT);
	ft_dev_close(&d);
}

HTEST(bad_lfn_checksum_falls_back_to_short_name)
{
	char p[512];
	size_t len;
	make_fixture();
	uint8_t *img = ft_read_file(ft_path(p, "r512.img"), &len);
	HT_ASSERT(img);
	/* "A Long File Name With Spaces.txt": find its first long entry by the
	 * UCS-2 of "A Lo" and change the checksum byte (offset 13). */
	static const uint8_t pat[] = {'A', 0, ' ', 0, 'L', 0, 'o', 0};
	uint8_t *hit = memmem(img, len, pat, sizeof pat);
	HT_ASSERT(hit);
	size_t ent = (size_t)(hit - img) / 32 * 32;
	img[ent + 13] ^= 0x5a;
	struct ft_dev d;
	static struct fat_volume vol;
	ft_dev_mem(&d, img, len, 512);
	HT_ASSERT(fat_mount(&vol, &d.dev, 0) == ERR_OK);
	int n;
	char *names = list_dir(&vol, "/dir/sub dir", &n);
	HT_EXPECT_EQ(n, 1);
	HT_EXPECT_STREQ(names, "ALONGF~1.TXT|ALONGF~1.TXT\n");
	free(names);
	free(img);
}

HTEST(sectors_of_4096_bytes)
{
	for (uint32_t dev_sector = 512; dev_sector <= 4096; dev_sector *= 8) {
		struct ft_dev d;
		static struct fat_volume vol;
		int n;
		mount(&d, &vol, 4096, dev_sector);
		HT_EXPECT_EQ(vol.bytes_per_sector, 4096);
		HT_EXPECT_EQ(vol.dev_ratio, 4096 / dev_sector);
		expect_same(&vol, "/boot/tessera.elf", "big.bin");
		expect_same(&vol, "/EFI/BOOT/BOOTX64.EFI", "efi.bin");
		expect_same(&vol, "/frag.bin", "frag.bin");
		expect_same(&vol, "/dir/sub dir/A Long File Name With Spaces.txt", "hello.txt");
		free(list_dir(&vol, "/many", &n));
		HT_EXPECT_EQ(n, MANY);
		ft_dev_close(&d);
	}
}

/* Mounts a copy of the first MiB of r512.img with one boot sector field
 * changed; returns what fat_mount says. */
static enum err mount_patched(size_t off, uint32_t value, int size, uint32_t dev_sector)
{
	char p[512];
	size_t len;
	uint8_t *img = ft_read_file(ft_path(p, "r512.img"), &len);
	if (!img)
		return ERR_IO;
	memcpy(img + off, &value, (size_t)size);
	struct ft_dev d;
	static struct fat_volume vol;
	ft_dev_mem(&d, img, len, dev_sector);
	enum err e = fat_mount(&vol, &d.dev, 0);
	free(img);
	return e;
}

HTEST(mount_rejects_bad_boot_sectors)
{
	make_fixture();
	HT_EXPECT_EQ(mount_patched(0, 0xeb, 1, 512), ERR_OK);      /* unchanged: mounts */
	HT_EXPECT_EQ(mount_patched(510, 0, 1, 512), ERR_CORRUPT);  /* signature */
	HT_EXPECT_EQ(mount_patched(0, 0x00, 1, 512), ERR_CORRUPT); /* jump */
	HT_EXPECT_EQ(mount_patched(11, 600, 2, 512), ERR_CORRUPT); /* bytes/sector */
	HT_EXPECT_EQ(mount_patched(11, 256, 2, 512), ERR_CORRUPT);
	HT_EXPECT_EQ(mount_patched(11, 8192, 2, 512), ERR_CORRUPT);
	HT_EXPECT_EQ(mount_patched(13, 3, 1, 512), ERR_CORRUPT); /* sectors/cluster */
	HT_EXPECT_EQ(mount_patched(13, 0, 1, 512), ERR_CORRUPT);
	HT_EXPECT_EQ(mount_patched(14, 0, 2, 512), ERR_CORRUPT); /* reserved sectors */
	HT_EXPECT_EQ(mount_patched(16, 0, 1, 512), ERR_CORRUPT); /* FAT count */
	HT_EXPECT_EQ(mount_patched(16, 3, 1, 512), ERR_CORRUPT);
	HT_EXPECT_EQ(mount_patched(17, 512, 2, 512), ERR_UNSUPPORTED); /* FAT12/16 root */
	HT_EXPECT_EQ(mount_patched(21, 0x12, 1, 512), ERR_CORRUPT);    /* media */
	HT_EXPECT_EQ(mount_patched(22, 100, 2, 512), ERR_UNSUPPORTED); /* FAT16 size */
	HT_EXPECT_EQ(mount_patched(36, 0, 4, 512), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(mount_patched(36, 10, 4, 512), ERR_CORRUPT);        /* FAT too small */
	HT_EXPECT_EQ(mount_patched(32, 40000, 4, 512), ERR_UNSUPPORTED); /* < 65525 clusters */
	HT_EXPECT_EQ(mount_patched(32, 200000, 4, 512), ERR_CORRUPT);    /* beyond the device */
	HT_EXPECT_EQ(mount_patched(40, 0x85, 2, 512), ERR_CORRUPT);      /* active FAT 5 of 2 */
	HT_EXPECT_EQ(mount_patched(42, 1, 2, 512), ERR_UNSUPPORTED);     /* FS version */
	HT_EXPECT_EQ(mount_patched(44, 1, 4, 512), ERR_CORRUPT);         /* root cluster */
	HT_EXPECT_EQ(mount_patched(44, 0x0ffffff0, 4, 512), ERR_CORRUPT);
	HT_EXPECT_EQ(mount_patched(0, 0xeb, 1, 4096), ERR_UNSUPPORTED); /* device sector > FAT's */
}

HTEST(mount_rejects_fat16)
{
	char p[512];
	struct ft_dev d;
	static struct fat_volume vol;
	HT_ASSERT(ft_sh("mkfs.fat -F 16 -C f16.img 20000 >/dev/null") == 0);
	HT_ASSERT(ft_dev_file(&d, ft_path(p, "f16.img"), 512) == 0);
	HT_EXPECT_EQ(fat_mount(&vol, &d.dev, 0), ERR_UNSUPPORTED);
	ft_dev_close(&d);
}

HTEST(broken_chains_are_corrupt_and_loops_end)
{
	char p[512];
	size_t len, done;
	make_fixture();
	uint8_t *img = ft_read_file(ft_path(p, "r512.img"), &len);
	HT_ASSERT(img);
	struct ft_dev d;
	static struct fat_volume vol;
	struct fat_file f;
	ft_dev_mem(&d, img, len, 512);
	HT_ASSERT(fat_mount(&vol, &d.dev, 0) == ERR_OK);
	HT_ASSERT(fat_open(&vol, "/boot/tessera.elf", &f) == ERR_OK);
	uint8_t *fat = img + (size_t)vol.fat_start * 512;
	uint32_t c = f.first_cluster + 10, loop = f.first_cluster + 5, free_entry = 0;
	uint8_t *buf = malloc(BIG_SIZE);
	memcpy(fat + c * 4, &loop, 4); /* a loop: reads stay bounded by the size */
	enum err e = fat_read(&f, 0, buf, BIG_SIZE, &done);
	HT_EXPECT(e == ERR_OK || e == ERR_CORRUPT);
	HT_EXPECT(done <= BIG_SIZE);
	memcpy(fat + c * 4, &free_entry, 4); /* a free cluster inside the chain */
	f.pos_cluster = 0;
	HT_EXPECT_EQ(fat_read(&f, 0, buf, BIG_SIZE, &done), ERR_CORRUPT);
	uint32_t eoc = 0x0fffffff; /* chain shorter than the size */
	memcpy(fat + c * 4, &eoc, 4);
	f.pos_cluster = 0;
	HT_EXPECT_EQ(fat_read(&f, 0, buf, BIG_SIZE, &done), ERR_CORRUPT);
	free(buf);
	free(img);
}

HTEST_MAIN("fat_read")
