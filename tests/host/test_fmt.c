/* lib/fmt against the host C library's snprintf, which defines the
 * expected output for every conversion fmt supports. */
#include <fmt/fmt.h>
#include <stdint.h>
#include <string/mem.h>

#include "htest.h"

#define SAME(...)                                                         \
	do {                                                              \
		char ours[256], libc[256];                                \
		size_t n1 = fmt_snprintf(ours, sizeof ours, __VA_ARGS__); \
		int n2 = snprintf(libc, sizeof libc, __VA_ARGS__);        \
		HT_EXPECT_STREQ(ours, libc);                              \
		HT_EXPECT_EQ(n1, n2);                                     \
	} while (0)

HTEST(integers)
{
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%ld %lu %lld %llu", -1L, 123456789012UL, (long long)INT64_MIN,
	     (unsigned long long)UINT64_MAX);
	SAME("%x %X %#x %#X %o %#o", 0xdeadbeefu, 0xabcu, 255u, 255u, 8u, 8u);
	SAME("%hhu %hd %zu %zx", (unsigned char)200, (short)-7000, (size_t)123, (size_t)0xfff);
	SAME("%#x %#o", 0u, 0u);
}

HTEST(width_and_flags)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%016llx] [%-8x|] [%*d] [%-*d]", 0x1234ull, 0xabu, 6, -3, 6, -3);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, 7, 7, 0);
	SAME("[%05d] [%+05d] [%05x]", -42, 42, 0x1fu);
}

HTEST(strings_and_chars)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "xyz");
	SAME("[%c%c%c] [%3c] [%-3c]", 'a', 'b', 'c', 'x', 'y');
	SAME("100%% %s", "done");
}

HTEST(pointers)
{
	SAME("%p", (void *)0x1000);
	SAME("%p", (void *)0xffffffff80000000ull);
}

HTEST(truncation)
{
	char buf[8];
	size_t n = fmt_snprintf(buf, sizeof buf, "%s", "0123456789");
	HT_EXPECT_EQ(n, 10);
	HT_EXPECT_STREQ(buf, "0123456");
	n = fmt_snprintf(buf, 1, "abc");
	HT_EXPECT_EQ(n, 3);
	HT_EXPECT_EQ(buf[0], 0);
}

struct collect {
	char buf[64];
	size_t n;
	int calls;
};

static void sink(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;
	memcpy(c->buf + c->n, s, n);
	c->n += n;
	c->calls++;
}

HTEST(sink_receives_everything)
{
	struct collect c = {0};
	size_t n = fmt_format(sink, &c, "a%db%sc", 12, "xy");
	HT_EXPECT_EQ(n, 7);
	HT_EXPECT_EQ(c.n, 7);
	HT_EXPECT(memcmp(c.buf, "a12bxyc", 7) == 0);
}

/* A precision bounds what is read: the bytes need no NUL after them (one
 * past them was read; found by fuzzing typedc's messages). */
HTEST(precision_reads_no_further)
{
	char *one = malloc(1);
	char buf[8];
	HT_ASSERT(one != NULL);
	one[0] = ']';
	fmt_snprintf(buf, sizeof buf, "<%.*s>", 1, one);
	HT_EXPECT_STREQ(buf, "<]>");
	free(one);
}

HTEST(case_insensitive_compare)
{
	HT_EXPECT(mem_strcasecmp("EFI", "efi") == 0);
	HT_EXPECT(mem_strcasecmp("abc", "abd") < 0);
	HT_EXPECT(mem_strncasecmp("BOOTX64.EFI", "bootx64.efx", 10) == 0);
	char d[4];
	HT_EXPECT_EQ(mem_strlcpy(d, "hello", sizeof d), 5);
	HT_EXPECT_STREQ(d, "hel");
}

HTEST_MAIN("fmt")
