/* tools/mkimage end to end: the image it writes passes sfdisk --verify and
 * fsck.fat, mtools and our reader read every file back, two runs are byte
 * identical, the MBR code and stage land where the BIOS loader looks, and
 * every bad input is refused with a message and leaves no file behind. */
#include <fat/fat.h>
#include <fat/gpt.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../htest.h"
#include "fat_test.h"

#define MIB (1024 * 1024)

static char *args;   /* the --file arguments for the source tree */
static size_t nargs; /* files in it */

/* Appends formatted text to the growing args string. */
static void add_arg(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	size_t old = args ? strlen(args) : 0;
	args = realloc(args, old + strlen(s) + 1);
	strcpy(args + old, s);
	free(s);
}

/* Writes src/PATH with size deterministic bytes and adds its --file. */
static void src_file(const char *path, size_t size, uint32_t seed)
{
	char p[512], rel[512];
	snprintf(rel, sizeof rel, "src%s", path);
	char *slash = strrchr(rel, '/');
	*slash = 0;
	HT_ASSERT(ft_mkdir_p(rel) == 0);
	*slash = '/';
	uint8_t *buf = malloc(size + 1);
	ft_random(buf, size, seed);
	HT_ASSERT(ft_write_file(ft_path(p, rel), buf, size) == 0);
	free(buf);
	add_arg(" --file '%s=src%s'", path, path);
	nargs++;
}

/* The source tree: loader-like files, nested directories with long and
 * Unicode names, a directory of 150 long-named files, an empty file. */
static void make_sources(void)
{
	char path[256];
	if (args)
		return;
	add_arg("");
	src_file("/EFI/BOOT/BOOTX64.EFI", 150000, 1);
	src_file("/boot/tessera.elf", 2 * MIB + 17, 2);
	src_file("/boot/limine.conf", 400, 3);
	src_file("/boot/modules/motd.txt", 60, 4);
	for (int i = 0; i < 150; i++) {
		snprintf(path, sizeof path, "/big dir/entry number %03d with a long name.txt", i);
		src_file(path, (size_t)(i * 97 % 5000), 10 + (uint32_t)i);
	}
	for (int d = 0; d < 8; d++)
		for (int f = 0; f < 6; f++) {
			snprintf(path, sizeof path, "/data/Sub Dir %d/level two/File-%d.%s", d, f,
			         f % 2 ? "bin" : "Data");
			src_file(path, (size_t)(d * 3000 + f * 777), 200 + (uint32_t)(d * 10 + f));
		}
	src_file("/unicode/Ünïcödé ✓ 日本語.txt", 33, 5);
	src_file("/empty", 0, 0);
}

/* Runs mkimage with the source tree and extra arguments; returns its status. */
static int mkimage(const char *out, const char *extra)
{
	make_sources();
	return ft_sh("%s --out %s --seed test-seed%s %s", ft_mkimage(), out, args, extra);
}

/* Runs mkimage with only the given arguments; returns its stderr. */
static char *mkimage_fails(const char *fmt, ...)
{
	va_list ap;
	char *a = NULL;
	va_start(ap, fmt);
	if (vasprintf(&a, fmt, ap) < 0)
		abort();
	va_end(ap);
	int st;
	char *out = ft_sh_out(&st, "%s --out bad.img %s", ft_mkimage(), a);
	HT_EXPECT_EQ(st, 1);
	free(a);
	/* nothing left behind: neither the image nor its temporary file */
	char p[512];
	glob_t g;
	HT_EXPECT_EQ(glob(ft_path(p, "bad.img*"), 0, NULL, &g), GLOB_NOMATCH);
	globfree(&g);
	return out;
}

HTEST(image_passes_sfdisk_fsck_and_mtools)
{
	int st;
	HT_ASSERT(mkimage("a.img", "") == 0);
	char *out = ft_sh_out(&st, "sfdisk --verify a.img && sfdisk -d a.img");
	HT_EXPECT_EQ(st, 0);
	HT_EXPECT(strstr(out, "No errors detected") && strstr(out, "first-lba: 2048"));
	HT_EXPECT(strstr(out, "start=        2048") && strstr(out, "sector-size: 512"));
	HT_EXPECT(strstr(out, "type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B") != NULL);
	free(out);
	out = ft_sh_out(&st, "dd if=a.img of=a.esp bs=1M skip=1 status=none && "
	                     "fsck.fat -n -v a.esp");
	HT_EXPECT_EQ(st, 0);
	HT_EXPECT(strstr(out, "TESSERA") && !strstr(out, "wrong") && !strstr(out, "differ"));
	if (st)
		fprintf(stderr, "%s", out);
	free(out);
	HT_EXPECT_EQ(ft_sh("rm -rf out && mkdir out && LANG=C.UTF-8 MTOOLS_SKIP_CHECK=1 "
	                   "mcopy -s -n -i a.img@@1M '::/*' out/ && diff -r src out"),
	             0);
	out = ft_sh_out(&st, "MTOOLS_SKIP_CHECK=1 minfo -i a.img@@1M :: | grep -i 'fat bits\\|"
	                     "disk type\\|Volume label'");
	free(out);
}

HTEST(image_reads_back_through_gpt_and_fat_readers)
{
	char p[512];
	struct ft_dev d;
	static uint8_t scratch[512 + 16384];
	struct gpt_partition part;
	struct gpt_disk disk;
	static struct fat_volume vol;
	struct fat_file f;
	size_t len, done;
	HT_ASSERT(mkimage("r.img", "--size 80") == 0);
	HT_ASSERT(ft_dev_file(&d, ft_path(p, "r.img"), 512) == 0);
	HT_EXPECT_EQ(d.bytes, 80 * MIB);
	HT_ASSERT(gpt_find(&d.dev, &gpt_type_esp, scratch, &part, &disk) == ERR_OK);
	HT_EXPECT_EQ(part.first_lba, GPT_FIRST_PARTITION_LBA);
	HT_EXPECT_EQ(part.last_lba, 80 * 2048 - 34);
	HT_ASSERT(fat_mount(&vol, &d.dev, part.first_lba) == ERR_OK);
	HT_EXPECT_STREQ(vol.label, "TESSERA");
	HT_EXPECT(vol.cluster_count >= 65525);
	uint8_t *want = ft_read_file(ft_path(p, "src/boot/tessera.elf"), &len);
	uint8_t *got = malloc(len);
	HT_ASSERT(fat_open(&vol, "/boot/tessera.elf", &f) == ERR_OK);
	d.reads = 0;
	HT_EXPECT(fat_read(&f, 0, got, len, &done) == ERR_OK && done == len);
	HT_EXPECT(!memcmp(got, want, len));
	HT_EXPECT(d.reads < 40); /* contiguous: one data read plus FAT sectors */
	HT_EXPECT_EQ(fat_open(&vol, "/UNICODE/ünïcödé ✓ 日本語.txt", &f),
	             ERR_NOENT); /* ASCII folding only */
	HT_EXPECT_EQ(fat_open(&vol, "/UNICODE/Ünïcödé ✓ 日本語.TXT", &f), ERR_OK);
	HT_EXPECT_EQ(f.size, 33);
	free(got);
	free(want);
	ft_dev_close(&d);
}

HTEST(same_inputs_give_identical_images)
{
	HT_ASSERT(mkimage("one.img", "") == 0);
	HT_ASSERT(mkimage("two.img", "") == 0);
	HT_EXPECT_EQ(ft_sh("cmp one.img two.img"), 0);
	HT_ASSERT(ft_sh("%s --out three.img --seed other-seed%s", ft_mkimage(), args) == 0);
	HT_EXPECT(ft_sh("cmp -s one.img three.img") != 0); /* other GUIDs and volume id */
	int st;
	char *a = ft_sh_out(&st, "sfdisk -d one.img | grep -o 'uuid=[^,]*\\|label-id: .*'");
	char *b = ft_sh_out(&st, "sfdisk -d three.img | grep -o 'uuid=[^,]*\\|label-id: .*'");
	HT_EXPECT(strcmp(a, b) != 0 && strlen(a) > 20);
	free(a);
	free(b);
	HT_EXPECT_EQ(ft_sh("rm -f one.img two.img three.img"), 0);
}

HTEST(mbr_code_and_stage_are_placed_and_patched)
{
	char p[512];
	size_t len;
	uint8_t code[GPT_MBR_BOOT_AREA], stage[5000];
	memset(code, 0xab, GPT_MBR_CODE_MAX);
	memset(code + GPT_MBR_CODE_MAX, 0, sizeof code - GPT_MBR_CODE_MAX);
	ft_random(stage, sizeof stage, 42);
	HT_ASSERT(ft_write_file(ft_path(p, "mbr.bin"), code, sizeof code) == 0);
	HT_ASSERT(ft_write_file(ft_path(p, "mbr300.bin"), code, 300) == 0);
	HT_ASSERT(ft_write_file(ft_path(p, "stage.bin"), stage, sizeof stage) == 0);
	for (int variant = 0; variant < 2; variant++) {
		HT_ASSERT(mkimage("m.img", variant ? "--mbr mbr300.bin --stage stage.bin"
		                                   : "--mbr mbr.bin --stage stage.bin") == 0);
		uint8_t *img = ft_read_file(ft_path(p, "m.img"), &len);
		HT_ASSERT(img);
		size_t code_len = variant ? 300 : GPT_MBR_CODE_MAX;
		HT_EXPECT(!memcmp(img, code, code_len));
		uint64_t lba;
		uint32_t count;
		memcpy(&lba, img + GPT_MBR_STAGE_LBA_OFF, 8);
		memcpy(&count, img + GPT_MBR_STAGE_COUNT_OFF, 4);
		HT_EXPECT_EQ(lba, GPT_STAGE_LBA);
		HT_EXPECT_EQ(count, (sizeof stage + 511) / 512);
		HT_EXPECT(!memcmp(img + GPT_STAGE_LBA * 512, stage, sizeof stage));
		HT_EXPECT(img[510] == 0x55 && img[511] == 0xaa && img[446 + 4] == 0xee);
		free(img);
		HT_EXPECT_EQ(ft_sh("sfdisk --verify m.img"), 0);
	}
	/* the largest stage that fits before the ESP */
	HT_ASSERT(ft_sh("head -c %d /dev/zero > maxstage.bin", GPT_STAGE_MAX_SECTORS * 512) == 0);
	HT_EXPECT_EQ(mkimage("m.img", "--stage maxstage.bin"), 0);
	HT_EXPECT_EQ(ft_sh("rm -f m.img"), 0);
}

/* Checks that msg has every expected fragment. */
static void expect_msg(char *msg, const char *a, const char *b)
{
	HT_EXPECT(strstr(msg, "mkimage: ") != NULL);
	HT_EXPECT(strstr(msg, a) != NULL);
	HT_EXPECT(!b || strstr(msg, b) != NULL);
	if (!strstr(msg, a) || (b && !strstr(msg, b)))
		fprintf(stderr, "unexpected message: %s", msg);
	free(msg);
}

HTEST(bad_inputs_are_refused_and_leave_nothing)
{
	char deep[2048] = "", longname[300];
	make_sources();
	HT_ASSERT(ft_sh("head -c 3000 /dev/zero > small && head -c 441 /dev/zero > mbr441.bin && "
	                "head -c 429 /dev/zero | tr '\\0' x > mbrcode.bin && "
	                "head -c %d /dev/zero > bigstage.bin && head -c 50M /dev/zero > fifty.bin",
	                GPT_STAGE_MAX_SECTORS * 512 + 1) == 0);
	expect_msg(mkimage_fails("--seed s --file /a=missing.bin"), "missing.bin", "No such file");
	expect_msg(
	        mkimage_fails("--seed s --size 40 --file /small=small --file /fifty.bin=fifty.bin"),
	        "/fifty.bin", "does not fit");
	expect_msg(mkimage_fails("--seed s --file '/bad:name=small'"), "/bad:name",
	           "not representable");
	expect_msg(mkimage_fails("--seed s --file '/a/tab\tx=small'"), "not representable", NULL);
	memset(longname, 'n', 256);
	longname[256] = 0;
	expect_msg(mkimage_fails("--seed s --file /%s=small", longname), "255 characters", NULL);
	for (int i = 0; i < 33; i++)
		strcat(deep, "/d");
	expect_msg(mkimage_fails("--seed s --file %s=small", deep), "too deep", NULL);
	expect_msg(mkimage_fails("--seed s --file /x=small --file /x=small"), "/x: duplicate",
	           NULL);
	expect_msg(mkimage_fails("--seed s --file /Dir/X.TXT=small --file /dir/x.txt=small"),
	           "/dir/x.txt: duplicate", "/Dir/X.TXT");
	expect_msg(mkimage_fails("--seed s --file /a=small --file /a/b=small"), "/a is a file",
	           NULL);
	expect_msg(mkimage_fails("--seed s --file /a/b=small --file /a=small"), "/a: duplicate",
	           NULL);
	expect_msg(mkimage_fails("--seed s --file a=small"), "must start with '/'", NULL);
	expect_msg(mkimage_fails("--seed s --file /a//b=small"), "empty path component", NULL);
	expect_msg(mkimage_fails("--seed s --file /a=small --mbr mbr441.bin"), "mbr441.bin", "440");
	expect_msg(mkimage_fails("--seed s --file /a=small --mbr mbrcode.bin"), "mbrcode.bin",
	           "0x1ac");
	expect_msg(mkimage_fails("--seed s --file /a=small --stage bigstage.bin"), "bigstage.bin",
	           "at most 1031168");
	expect_msg(mkimage_fails("--seed s --file /a=small --size 16"), "too small", "at least 34");
	expect_msg(mkimage_fails("--file /a=small"), "--seed is required", NULL);
	expect_msg(mkimage_fails("--seed s --size 12x"), "--size 12x", NULL);
	expect_msg(mkimage_fails("--seed s --bogus 1"), "unknown option --bogus", NULL);
	expect_msg(mkimage_fails("--seed s --file /a=."), "not a regular file", NULL);
}

HTEST(failure_keeps_the_previous_image)
{
	char p[512];
	size_t len;
	HT_ASSERT(ft_sh("printf old > keep.img") == 0);
	HT_EXPECT_EQ(
	        ft_sh("%s --out keep.img --seed s --file /a=missing 2>/dev/null", ft_mkimage()), 1);
	uint8_t *s = ft_read_file(ft_path(p, "keep.img"), &len);
	HT_EXPECT(s && len == 3 && !memcmp(s, "old", 3));
	free(s);
	HT_EXPECT_EQ(ft_sh("ls keep.img.tmp.* 2>/dev/null"), 2);
	HT_EXPECT_EQ(ft_sh("%s --help | grep -q -- --stage", ft_mkimage()), 0);
}

/* Releases the argument string at exit so the leak checker stays quiet. */
__attribute__((destructor)) static void free_args(void)
{
	free(args);
}

HTEST_MAIN("mkimage")
