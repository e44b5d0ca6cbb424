/* The CMOS clock: registers 0-9 (time and date), 0Ah bit 7 (update in
 * progress), 0Bh bit 2 (binary, else BCD) and bit 1 (24-hour, else 12-hour
 * with bit 7 of the hour for PM), 32h (century, where present). */
#include "rtc.h"

#include <x86/cmos.h>

static int is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t rtc_unix_seconds(const struct rtc_time *t)
{
	static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (t->year < 1970 || t->year > 2099 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->hour > 23 || t->minute > 59 || t->second > 59)
		return -1;
	unsigned dim = mdays[t->month - 1] + (t->month == 2 && is_leap(t->year));
	if (t->day > dim)
		return -1;
	int64_t days = 0;
	for (unsigned y = 1970; y < t->year; y++)
		days += 365 + is_leap(y);
	for (unsigned m = 1; m < t->month; m++)
		days += mdays[m - 1] + (m == 2 && is_leap(t->year));
	days += t->day - 1;
	return ((days * 24 + t->hour) * 60 + t->minute) * 60 + t->second;
}

static unsigned from_bcd(uint8_t v, int binary)
{
	return binary ? v : (unsigned)(v >> 4) * 10 + (v & 0x0f);
}

static void rtc_sample(uint8_t r[10])
{
	for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		;
	for (uint8_t i = 0; i < 10; i++)
		r[i] = cmos_read(i);
}

int64_t rtc_read_unix(void)
{
	uint8_t a[10], b[10];
	int same = 0;
	/* read until two samples agree, so no update lands mid-read */
	for (int tries = 0; tries < 5 && !same; tries++) {
		rtc_sample(a);
		rtc_sample(b);
		same = 1;
		for (int i = 0; i < 10; i++)
			same &= a[i] == b[i];
	}
	uint8_t status_b = cmos_read(0x0b);
	int binary = status_b & 0x04, h24 = status_b & 0x02;
	unsigned hour = from_bcd(b[4] & 0x7f, binary);
	if (!h24 && (b[4] & 0x80))
		hour = (hour % 12) + 12;
	else if (!h24 && hour == 12)
		hour = 0;
	unsigned century = from_bcd(cmos_read(0x32), binary);
	if (century < 19 || century > 20)
		century = 20;
	struct rtc_time t = {
	        .year = century * 100 + from_bcd(b[9], binary),
	        .month = from_bcd(b[8], binary),
	        .day = from_bcd(b[7], binary),
	        .hour = hour,
	        .minute = from_bcd(b[2], binary),
	        .second = from_bcd(b[0], binary),
	};
	int64_t s = rtc_unix_seconds(&t);
	return s < 0 ? 0 : s;
}
