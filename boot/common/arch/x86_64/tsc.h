/* Time for the start-up protocol's delays and timeouts: the time-stamp
 * counter, calibrated once against channel 2 of the 8254 PIT (Intel 82C54
 * datasheet: 1.193182 MHz input clock; mode 0 "interrupt on terminal
 * count" raises OUT at the end of the count; on the PC, port 0x61 bit 0 is
 * channel 2's GATE, bit 1 the speaker enable, bit 5 reads its OUT).
 * The arithmetic is pure and tested on the host.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_TSC_H
#define BOOT_COMMON_ARCH_X86_64_TSC_H

#include <stdint.h>

#define PIT_HZ 1193182u

/* The rate assumed if the PIT does not answer: high, so that delays and
 * timeouts err on the long side. */
#define TSC_FALLBACK_HZ 8000000000ull

/* TSC ticks per second, from ticks counted over pit_count PIT periods. */
static inline uint64_t tsc_hz_from_pit(uint64_t ticks, uint32_t pit_count)
{
	return pit_count ? ticks * PIT_HZ / pit_count : 0;
}

/* TSC ticks in us microseconds at hz (no overflow below ~18 s at 1 THz). */
static inline uint64_t tsc_ticks_for_us(uint64_t hz, uint64_t us)
{
	return hz / 1000000u * us + hz % 1000000u * us / 1000000u;
}

/* Measures the TSC rate (about 10 ms); returns it in Hz, or 0 if the PIT
 * did not answer (then use TSC_FALLBACK_HZ).  After fw_exit: it
 * reprograms PIT channel 2. */
uint64_t tsc_calibrate(void);

/* Busy-waits us microseconds at the calibrated rate. */
void tsc_delay_us(uint64_t hz, uint64_t us);

#endif
