/* The CMOS real-time clock (MC146818 registers through ports 70h/71h). */
#ifndef BOOT_BIOS_RTC_H
#define BOOT_BIOS_RTC_H

#include <stdint.h>

struct rtc_time {
	unsigned year, month, day, hour, minute, second;
};

/* UNIX seconds of a UTC calendar time (years 1970-2099); -1 if invalid. */
int64_t rtc_unix_seconds(const struct rtc_time *t);

/* Reads the RTC (as UTC, as Limine does) and returns UNIX seconds, or 0 if
 * the values read make no sense. */
int64_t rtc_read_unix(void);

#endif
