/* boot/common/clock.c: calendar dates to UNIX time, against the C
 * library's timegm. */
#include <clock.h>
#include <time.h>

#include "../htest.h"

static int64_t libc(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	struct tm tm = {.tm_year = (int)y - 1900,
	                .tm_mon = (int)mo - 1,
	                .tm_mday = (int)d,
	                .tm_hour = (int)h,
	                .tm_min = (int)mi,
	                .tm_sec = (int)s};
	return (int64_t)timegm(&tm);
}

HTEST(known_dates)
{
	HT_EXPECT_EQ(boot_unix_time(1970, 1, 1, 0, 0, 0), 0);
	HT_EXPECT_EQ(boot_unix_time(2000, 3, 1, 0, 0, 0), 951868800);
	HT_EXPECT_EQ(boot_unix_time(2038, 1, 19, 3, 14, 8), 2147483648ll);
}

HTEST(matches_timegm_across_leap_years)
{
	static const unsigned years[] = {1970, 1972, 1999, 2000, 2024, 2100, 2400, 2026};
	for (unsigned i = 0; i < sizeof years / sizeof years[0]; i++)
		for (unsigned m = 1; m <= 12; m++)
			for (unsigned d = 1; d <= 28; d += 9)
				HT_EXPECT_EQ(boot_unix_time(years[i], m, d, 13, 59, 7),
				             libc(years[i], m, d, 13, 59, 7));
	HT_EXPECT_EQ(boot_unix_time(2024, 2, 29, 23, 59, 59), libc(2024, 2, 29, 23, 59, 59));
}

HTEST(rejects_out_of_range)
{
	HT_EXPECT_EQ(boot_unix_time(1969, 12, 31, 0, 0, 0), -1);
	HT_EXPECT_EQ(boot_unix_time(2020, 0, 1, 0, 0, 0), -1);
	HT_EXPECT_EQ(boot_unix_time(2020, 13, 1, 0, 0, 0), -1);
	HT_EXPECT_EQ(boot_unix_time(2020, 1, 0, 0, 0, 0), -1);
	HT_EXPECT_EQ(boot_unix_time(2020, 1, 1, 24, 0, 0), -1);
}

HTEST_MAIN("boot_clock")
