/* lib/fmt as the kernel builds it (freestanding, no SSE): every conversion
 * the log relies on, against expected text. */
#include <fmt/fmt.h>
#include <stdint.h>

#include "ktest.h"

/* Formats into a buffer and compares with want, also checking the length. */
#define FMT_IS(want, ...)                                              \
	do {                                                           \
		char buf[128];                                         \
		size_t n = fmt_snprintf(buf, sizeof buf, __VA_ARGS__); \
		KT_EXPECT_STREQ(buf, want);                            \
		KT_EXPECT_EQ(n, sizeof(want) - 1);                     \
	} while (0)

KTEST(fmt, integers)
{
	FMT_IS("-42 7 4000000000", "%d %i %u", -42, 7, 4000000000u);
	FMT_IS("-9223372036854775808 18446744073709551615", "%lld %llu", (long long)INT64_MIN,
	       (unsigned long long)UINT64_MAX);
	FMT_IS("deadbeef ABC 0xff 0XFF 10 010", "%x %X %#x %#X %o %#o", 0xdeadbeefu, 0xabcu, 255u,
	       255u, 8u, 8u);
	FMT_IS("200 -7000 123 fff", "%hhu %hd %zu %zx", (unsigned char)200, (short)-7000,
	       (size_t)123, (size_t)0xfff);
}

KTEST(fmt, width_precision_flags)
{
	FMT_IS("[   42] [42   ] [00042] [+42] [ 42]", "[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42,
	       42, 42);
	FMT_IS("[0000000000001234] [    -3]", "[%016llx] [%*d]", 0x1234ull, 6, -3);
	FMT_IS("[007] [  abc] [ab]", "[%.3d] [%5s] [%.2s]", 7, "abc", "abc");
}

KTEST(fmt, strings_chars_pointers)
{
	FMT_IS("a-b-(null)-%", "%c-%s-%s-%%", 'a', "b", (const char *)NULL);
	FMT_IS("0xffffffff80001000", "%p", (void *)0xffffffff80001000ull);
	FMT_IS("[abc]", "[%.*s]", 3, "abcdef");
}

KTEST(fmt, snprintf_truncates)
{
	char buf[8];
	size_t n = fmt_snprintf(buf, sizeof buf, "%s", "0123456789");
	KT_EXPECT_EQ(n, 10);
	KT_EXPECT_STREQ(buf, "0123456");
	n = fmt_snprintf(buf, 0, "%d", 12345);
	KT_EXPECT_EQ(n, 5);
}

struct sink_state {
	char out[64];
	size_t len, calls;
};

static void collect(void *ctx, const char *s, size_t n)
{
	struct sink_state *st = ctx;
	for (size_t i = 0; i < n && st->len < sizeof st->out - 1; i++)
		st->out[st->len++] = s[i];
	st->out[st->len] = 0;
	st->calls++;
}

KTEST(fmt, format_to_sink)
{
	struct sink_state st = {{0}, 0, 0};
	size_t n = fmt_format(collect, &st, "cpu%u: %s=%#x", 3u, "cr0", 0x80010033u);
	KT_EXPECT_STREQ(st.out, "cpu3: cr0=0x80010033");
	KT_EXPECT_EQ(n, st.len);
	KT_EXPECT(st.calls > 0);
}
