/* Calendar time to UNIX time, for the boot time response. */
#ifndef BOOT_COMMON_CLOCK_H
#define BOOT_COMMON_CLOCK_H

#include <stdint.h>

/* Seconds since 1970-01-01 00:00:00 UTC of a proleptic Gregorian date and
 * time (year >= 1970, month 1..12, day 1..31); -1 if out of range. */
int64_t boot_unix_time(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                       unsigned second);

#endif
