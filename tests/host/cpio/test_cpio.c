/* tools/cpio's newc writer against an archive written out by hand from
 * the format's description (the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst): 110-byte
 * ASCII headers, names and data padded to 4 bytes, the TRAILER!!! entry. */
#include "../htest.h"

#include "../../../tools/cpio/cpio.h"

/* dev/ (040755), dev/console (020600, 5:1), init (0100755, "hi\n"), trailer.
 * Fields: magic ino mode uid gid nlink mtime filesize devmajor devminor
 * rdevmajor rdevminor namesize check. */
static const char expected[] =
        "070701"
        "00000001000041ED000000000000000000000002000000000000000000000000"
        "00000000000000000000000000000004"
        "00000000"
        "dev\0\0\0" /* 110 + 4 = 114: two bytes to 116 */
        "070701"
        "000000020000218000000000000000000000000100000000000000000000000000000000"
        "00000005000000010000000C00000000"
        "dev/console\0\0\0" /* 116 + 122 = 238: two to 240 */
        "070701"
        "00000003000081ED00000000000000000000000100000000000000030000000000000000"
        "00000000000000000000000500000000"
        "init\0\0" /* 240 + 115 = 355: one to 356 */
        "hi\n\0"   /* 359: one to 360 */
        "070701"
        "000000000000000000000000000000000000000100000000000000000000000000000000"
        "00000000000000000000000B00000000"
        "TRAILER!!!\0\0\0\0"; /* 360 + 121 = 481: three to 484 */

HTEST(writes_the_handmade_archive)
{
	struct cpio c;
	cpio_init(&c);
	HT_ASSERT(cpio_add_dir(&c, "dev", 0755) == 0);
	HT_ASSERT(cpio_add_chardev(&c, "dev/console", 0600, 5, 1) == 0);
	HT_ASSERT(cpio_add_file(&c, "init", 0755, "hi\n", 3) == 0);
	HT_ASSERT(cpio_finish(&c) == 0);
	HT_EXPECT_EQ(sizeof expected - 1, 484);
	HT_EXPECT_EQ(c.len, sizeof expected - 1);
	HT_EXPECT(c.len == sizeof expected - 1 && memcmp(c.buf, expected, c.len) == 0);
	for (size_t i = 0; i < c.len && i < sizeof expected - 1; i++)
		if (c.buf[i] != (unsigned char)expected[i]) {
			printf("    # first difference at byte %zu\n", i);
			HT_EXPECT(0);
			break;
		}
	cpio_free(&c);
}

HTEST(every_entry_starts_on_four_bytes)
{
	static const char *const names[] = {"a", "ab", "abc", "abcd", "abcde"};
	struct cpio c;
	cpio_init(&c);
	for (size_t i = 0; i < 5; i++) {
		size_t before = c.len;
		HT_ASSERT(cpio_add_file(&c, names[i], 0644, "xxxxx", i + 1) == 0);
		HT_EXPECT_EQ(before % 4, 0);
		HT_EXPECT(memcmp(c.buf + before, "070701", 6) == 0);
	}
	HT_ASSERT(cpio_finish(&c) == 0);
	HT_EXPECT_EQ(c.len % 4, 0);
	cpio_free(&c);
}

/* Adds path as a file and expects a refusal whose reason names want. */
static void refused(struct cpio *c, const char *path, const char *want)
{
	size_t len = c->len;
	c->err[0] = 0;
	HT_EXPECT(cpio_add_file(c, path, 0644, "x", 1) == -1);
	HT_EXPECT(strstr(c->err, want) != NULL);
	HT_EXPECT_EQ(c->len, len); /* nothing written */
}

HTEST(refuses_bad_paths)
{
	struct cpio c;
	cpio_init(&c);
	HT_ASSERT(cpio_add_dir(&c, "etc", 0755) == 0);
	HT_ASSERT(cpio_add_file(&c, "etc/motd", 0644, "m", 1) == 0);
	refused(&c, "", "1 to");
	refused(&c, "/init", "must be relative");
	refused(&c, "etc/../init", "\"..\" component");
	refused(&c, "./init", "\".\"");
	refused(&c, "etc//x", "empty");
	refused(&c, "etc/", "ends with '/'");
	refused(&c, "etc/motd", "already in the archive");
	refused(&c, "bin/sh", "its directory \"bin\" was not added");
	refused(&c, "etc/motd/x", "its directory \"etc/motd\" was not added");
	cpio_free(&c);
}

HTEST(refuses_bad_permissions_and_entries_after_the_end)
{
	struct cpio c;
	cpio_init(&c);
	HT_EXPECT(cpio_add_dir(&c, "d", 010000) == -1);
	HT_EXPECT(strstr(c.err, "more than 07777") != NULL);
	HT_ASSERT(cpio_finish(&c) == 0);
	HT_EXPECT(cpio_add_dir(&c, "d", 0755) == -1);
	HT_EXPECT(strstr(c.err, "finished") != NULL);
	HT_EXPECT(cpio_finish(&c) == -1);
	cpio_free(&c);
}

HTEST_MAIN("cpio")
