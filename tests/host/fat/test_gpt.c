/* CRC-32, the GPT reader (lib/fat/gpt.c) against tables made by sfdisk and
 * by our writer, including damaged primaries, and the GPT writer
 * (lib/fat/gpt_write.c) checked by sfdisk --verify. */
#include <fat/gpt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../htest.h"
#include "fat_test.h"

/* Bit-at-a-time CRC-32 straight from the polynomial, as a reference. */
static uint32_t crc_ref(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ ((c & 1) ? 0xedb88320 : 0);
	}
	return ~c;
}

HTEST(crc32_known_values)
{
	HT_EXPECT_EQ(gpt_crc32("", 0), 0);
	HT_EXPECT_EQ(gpt_crc32("123456789", 9), 0xcbf43926);
	HT_EXPECT_EQ(gpt_crc32("a", 1), 0xe8b7be43);
	const char *fox = "The quick brown fox jumps over the lazy dog";
	HT_EXPECT_EQ(gpt_crc32(fox, strlen(fox)), 0x414fa339);
	HT_EXPECT_EQ(gpt_crc32_update(gpt_crc32("1234", 4), "56789", 5), 0xcbf43926);
	HT_EXPECT_EQ(gpt_crc32_update(0, "123456789", 9), 0xcbf43926);
	static uint8_t buf[100000];
	ft_random(buf, sizeof buf, 9);
	HT_EXPECT_EQ(gpt_crc32(buf, sizeof buf), crc_ref(buf, sizeof buf));
}

/* The ESP type and a Linux filesystem type, in on-disk byte order. */
static const struct gpt_guid linux_type = {{0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e,
                                            0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4}};
/* 01234567-89AB-CDEF-0123-456789ABCDEF on disk */
static const struct gpt_guid label_id = {{0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd, 0x01,
                                          0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};

/* Makes a 20 MiB disk with sfdisk: a Linux partition, then the ESP. */
static uint8_t *sfdisk_disk(size_t *len)
{
	char p[512];
	int rc = ft_sh("rm -f s.img && truncate -s 20M s.img && printf 'label: gpt\\n"
	               "label-id: 01234567-89AB-CDEF-0123-456789ABCDEF\\n"
	               "start=2048, size=4096, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n"
	               "start=8192, size=10000, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\\n' | "
	               "sfdisk -q s.img");
	if (rc != 0)
		return NULL;
	return ft_read_file(ft_path(p, "s.img"), len);
}

/* Runs gpt_find for the ESP over memory. */
static enum err find_esp(uint8_t *img, size_t len, uint32_t ss, uint64_t sector_count,
                         struct gpt_partition *part, struct gpt_disk *disk)
{
	static uint8_t scratch[4096 + 16384];
	struct ft_dev d;
	ft_dev_mem(&d, img, len, ss);
	d.dev.sector_count = sector_count;
	return gpt_find(&d.dev, &gpt_type_esp, scratch, part, disk);
}

HTEST(finds_esp_in_sfdisk_table)
{
	size_t len;
	uint8_t *img = sfdisk_disk(&len);
	HT_ASSERT(img);
	struct gpt_partition part;
	struct gpt_disk disk;
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, &disk), ERR_OK);
	HT_EXPECT_EQ(part.index, 2);
	HT_EXPECT_EQ(part.first_lba, 8192);
	HT_EXPECT_EQ(part.last_lba, 8192 + 10000 - 1);
	HT_EXPECT(!memcmp(&part.type, &gpt_type_esp, 16));
	HT_EXPECT(!memcmp(&disk.guid, &label_id, 16));
	static uint8_t scratch[512 + 16384];
	struct ft_dev d;
	ft_dev_mem(&d, img, len, 512);
	HT_EXPECT_EQ(gpt_find(&d.dev, &linux_type, scratch, &part, NULL), ERR_OK);
	HT_EXPECT_EQ(part.index, 1);
	HT_EXPECT_EQ(part.first_lba, 2048);
	struct gpt_guid none = {{1, 2, 3}};
	HT_EXPECT_EQ(gpt_find(&d.dev, &none, scratch, &part, NULL), ERR_NOENT);
	free(img);
}

HTEST(lists_every_partition_of_an_sfdisk_table)
{
	size_t len;
	uint8_t *img = sfdisk_disk(&len);
	HT_ASSERT(img);
	static uint8_t scratch[512 + 16384];
	struct ft_dev d;
	struct gpt_partition parts[4];
	uint32_t n = 99;
	ft_dev_mem(&d, img, len, 512);
	d.dev.sector_count = len / 512;
	HT_EXPECT_EQ(gpt_list(&d.dev, scratch, parts, 4, &n, NULL), ERR_OK);
	HT_ASSERT(n == 2);
	/* sfdisk's script above: the Linux partition, then the ESP */
	HT_EXPECT(parts[0].index == 1 && parts[0].first_lba == 2048 &&
	          parts[0].last_lba == 2048 + 4096 - 1 && !memcmp(&parts[0].type, &linux_type, 16));
	HT_EXPECT(parts[1].index == 2 && parts[1].first_lba == 8192 &&
	          parts[1].last_lba == 8192 + 10000 - 1 &&
	          !memcmp(&parts[1].type, &gpt_type_esp, 16));
	/* room for one: the count still says two */
	HT_EXPECT_EQ(gpt_list(&d.dev, scratch, parts, 1, &n, NULL), ERR_OK);
	HT_EXPECT(n == 2 && parts[0].index == 1);
	img[0x1fe] = 0; /* no protective MBR: refused, nothing counted */
	HT_EXPECT_EQ(gpt_list(&d.dev, scratch, parts, 4, &n, NULL), ERR_CORRUPT);
	HT_EXPECT_EQ(n, 0);
	free(img);
}

HTEST(damaged_primary_falls_back_to_backup)
{
	size_t len;
	uint8_t *img = sfdisk_disk(&len);
	HT_ASSERT(img);
	struct gpt_partition part;
	struct gpt_disk disk;
	img[512 + 60] ^= 1; /* primary header: a disk GUID byte, so its CRC fails */
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, &disk), ERR_OK);
	HT_EXPECT_EQ(part.first_lba, 8192);
	HT_EXPECT(!memcmp(&disk.guid, &label_id, 16));
	/* without a known device size the backup cannot be found */
	HT_EXPECT_EQ(find_esp(img, len, 512, 0, &part, &disk), ERR_CORRUPT);
	img[512 + 60] ^= 1;
	img[2 * 512 + 128 + 40] ^= 1; /* primary array: the header's AlternateLBA leads on */
	HT_EXPECT_EQ(find_esp(img, len, 512, 0, &part, &disk), ERR_OK);
	HT_EXPECT_EQ(part.last_lba, 8192 + 10000 - 1);
	img[len - 512 + 24] ^= 1; /* and the backup header too */
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, &disk), ERR_CORRUPT);
	free(img);
}

/* Sets the primary header's PartitionEntryLBA (UEFI 5.3.2, offset 72) and
 * its CRC. */
static void set_entries_lba(uint8_t *img, uint64_t lba)
{
	uint8_t *h = img + 512;
	uint32_t size, crc;
	memcpy(h + 72, &lba, 8);
	memcpy(&size, h + 12, 4);
	memset(h + 16, 0, 4);
	crc = gpt_crc32(h, size);
	memcpy(h + 16, &crc, 4);
}

/* A header whose array would end past 2^64 sectors is corrupt, so the
 * backup is used; the end once wrapped to a small number that passed the
 * disk-size check, and the array was read from beyond the disk (found while
 * writing the GPT fuzz target).  A disk too small for a header is not read
 * past its end (found by fuzzing). */
HTEST(rejects_an_array_that_wraps_around)
{
	size_t len;
	uint8_t *img = sfdisk_disk(&len);
	HT_ASSERT(img);
	struct gpt_partition part;
	set_entries_lba(img, UINT64_MAX - 1);
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, NULL), ERR_OK);
	HT_EXPECT_EQ(part.first_lba, 8192);
	set_entries_lba(img, 2);
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, NULL), ERR_OK);
	HT_EXPECT_EQ(find_esp(img, 512, 512, 1, &part, NULL), ERR_CORRUPT);
	free(img);
}

HTEST(needs_protective_mbr)
{
	size_t len;
	uint8_t *img = sfdisk_disk(&len);
	HT_ASSERT(img);
	struct gpt_partition part;
	img[446 + 4] = 0x83; /* the 0xEE record becomes a Linux one */
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, NULL), ERR_CORRUPT);
	img[446 + 4] = 0xee;
	img[511] = 0;
	HT_EXPECT_EQ(find_esp(img, len, 512, len / 512, &part, NULL), ERR_CORRUPT);
	free(img);
}

/* Writes a GPT with two partitions onto a zeroed disk of bytes. */
static enum err write_two(uint8_t *img, uint64_t bytes, uint32_t ss, uint64_t first_usable)
{
	struct gpt_layout l = {ss, bytes / ss, first_usable, label_id};
	struct gpt_partition parts[2] = {
	        {1, linux_type, {{9}}, 2048, 4095},
	        {2, gpt_type_esp, {{7, 7, 7}}, 4096, bytes / ss - 40},
	};
	const char *names[2] = {"root", "EFI system"};
	return gpt_write(img, &l, parts, names, 2);
}

HTEST(writer_output_passes_sfdisk_and_reader)
{
	char p[512];
	uint64_t bytes = 16 << 20;
	uint8_t *img = calloc(1, bytes);
	HT_ASSERT(img);
	HT_ASSERT(write_two(img, bytes, 512, 2048) == ERR_OK);
	struct gpt_partition part;
	struct gpt_disk disk;
	HT_EXPECT_EQ(find_esp(img, bytes, 512, bytes / 512, &part, &disk), ERR_OK);
	HT_EXPECT_EQ(part.index, 2);
	HT_EXPECT_EQ(part.first_lba, 4096);
	HT_EXPECT_EQ(disk.mbr_disk_id, 0);
	HT_EXPECT(!memcmp(&disk.guid, &label_id, 16));
	HT_ASSERT(ft_write_file(ft_path(p, "w.img"), img, bytes) == 0);
	int st;
	char *out = ft_sh_out(&st, "sfdisk --verify w.img && sfdisk -d w.img");
	HT_EXPECT_EQ(st, 0);
	HT_EXPECT(strstr(out, "No errors detected") != NULL);
	HT_EXPECT(strstr(out, "label-id: 01234567-89AB-CDEF-0123-456789ABCDEF") != NULL);
	HT_EXPECT(strstr(out, "first-lba: 2048") != NULL);
	HT_EXPECT(strstr(out, "start=        4096") && strstr(out, "name=\"EFI system\""));
	HT_EXPECT(strstr(out, "type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B") != NULL);
	if (st != 0 || !strstr(out, "No errors"))
		fprintf(stderr, "%s", out);
	free(out);
	memset(img + 512, 0, 512); /* wipe the primary header: the backup still works */
	HT_EXPECT_EQ(find_esp(img, bytes, 512, bytes / 512, &part, &disk), ERR_OK);
	HT_EXPECT_EQ(part.first_lba, 4096);
	free(img);
}

HTEST(writer_handles_4096_byte_sectors)
{
	uint64_t bytes = 64 << 20;
	uint8_t *img = calloc(1, bytes);
	HT_ASSERT(img);
	HT_ASSERT(write_two(img, bytes, 4096, 0) == ERR_OK);
	struct gpt_partition part;
	HT_EXPECT_EQ(find_esp(img, bytes, 4096, bytes / 4096, &part, NULL), ERR_OK);
	HT_EXPECT_EQ(part.first_lba, 4096);
	memset(img + 4096, 0xff, 4096); /* primary header */
	HT_EXPECT_EQ(find_esp(img, bytes, 4096, bytes / 4096, &part, NULL), ERR_OK);
	HT_EXPECT_EQ(part.index, 2);
	free(img);
}

HTEST(writer_rejects_bad_partitions)
{
	uint64_t bytes = 4 << 20;
	uint8_t *img = calloc(1, bytes);
	struct gpt_layout l = {512, bytes / 512, 2048, label_id};
	struct gpt_partition p[2] = {{1, linux_type, {{1}}, 2048, 3000},
	                             {2, gpt_type_esp, {{2}}, 3000, 4000}};
	HT_EXPECT_EQ(gpt_write(img, &l, p, NULL, 2), ERR_OVERLAP);
	p[1].first_lba = 3001;
	HT_EXPECT_EQ(gpt_write(img, &l, p, NULL, 2), ERR_OK);
	p[0].first_lba = 100; /* inside the reserved stage gap */
	HT_EXPECT_EQ(gpt_write(img, &l, p, NULL, 2), ERR_RANGE);
	p[0].first_lba = 2048;
	p[1].last_lba = bytes / 512 - 10; /* inside the backup array */
	HT_EXPECT_EQ(gpt_write(img, &l, p, NULL, 2), ERR_RANGE);
	uint64_t first, last;
	HT_EXPECT_EQ(gpt_usable_range(&l, &first, &last), ERR_OK);
	HT_EXPECT_EQ(first, 2048);
	HT_EXPECT_EQ(last, bytes / 512 - 34);
	l.disk_sectors = 2000;
	HT_EXPECT_EQ(gpt_usable_range(&l, &first, &last), ERR_RANGE);
	free(img);
}

HTEST(mbr_boot_code_and_stage_pointer)
{
	uint8_t mbr[512], code[GPT_MBR_BOOT_AREA];
	memset(mbr, 0xcc, sizeof mbr);
	memset(code, 0x90, GPT_MBR_CODE_MAX);
	HT_EXPECT_EQ(gpt_write_mbr_boot(mbr, code, GPT_MBR_CODE_MAX, 34, 77), ERR_OK);
	HT_EXPECT(mbr[0] == 0x90 && mbr[GPT_MBR_CODE_MAX - 1] == 0x90);
	uint64_t lba;
	uint32_t count;
	memcpy(&lba, mbr + 0x1ac, 8);
	memcpy(&count, mbr + 0x1b4, 4);
	HT_EXPECT_EQ(lba, 34);
	HT_EXPECT_EQ(count, 77);
	HT_EXPECT_EQ(mbr[440], 0xcc); /* the disk signature is not the code's */
	memset(code + GPT_MBR_CODE_MAX, 0, sizeof code - GPT_MBR_CODE_MAX); /* placeholders */
	HT_EXPECT_EQ(gpt_write_mbr_boot(mbr, code, sizeof code, 34, 5), ERR_OK);
	memcpy(&count, mbr + 0x1b4, 4);
	HT_EXPECT_EQ(count, 5);
	code[0x1b0] = 1; /* code reaching into the stage pointer */
	HT_EXPECT_EQ(gpt_write_mbr_boot(mbr, code, sizeof code, 34, 5), ERR_OVERLAP);
	HT_EXPECT_EQ(gpt_write_mbr_boot(mbr, code, sizeof code + 1, 34, 5), ERR_RANGE);
}

HTEST_MAIN("gpt")
