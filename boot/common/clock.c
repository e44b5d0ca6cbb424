/* Calendar arithmetic; see clock.h. */
#include "clock.h"

static int leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t boot_unix_time(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                       unsigned second)
{
	static const unsigned before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t days = 0;

	if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour > 23 || minute > 59 || second > 60)
		return -1;
	for (unsigned y = 1970; y < year; y++)
		days += leap(y) ? 366 : 365;
	days += before[month - 1] + (month > 2 && leap(year)) + (day - 1);
	return ((days * 24 + hour) * 60 + minute) * 60 + second;
}
