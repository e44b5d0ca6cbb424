/* The time-stamp counter's rate, measured against channel 2 of the PC's
 * 8254 PIT: the one reference clock the loader and the kernel both have
 * before any other timer is known.  Intel 82C54 datasheet: a 1.193182 MHz
 * input clock; mode 0 ("interrupt on terminal count") raises OUT when the
 * count reaches zero.  On the PC, port 0x61 bit 0 is channel 2's GATE,
 * bit 1 the speaker enable, bit 5 reads its OUT.  The PIT is one device
 * for the whole machine: one CPU measures, once.  The arithmetic is pure
 * and tested on the host.
 */
#ifndef LIB_X86_PIT_H
#define LIB_X86_PIT_H

#include <stddef.h>
#include <stdint.h>

#define PIT_HZ 1193182u

/* I/O ports the PIT occupies (counters 0-2, then the command port). */
#define PIT_PORT  0x40
#define PIT_PORTS 4

/* One measurement window is 1/PIT_WINDOWS_PER_SECOND s; the result is the
 * median of PIT_RUNS windows, as one can come out short or long if
 * something (a hypervisor, an emulator's host) stops this CPU between the
 * counter and the clock. */
#define PIT_WINDOWS_PER_SECOND 100
#define PIT_RUNS               5

/* TSC ticks per second, from ticks counted over pit_count PIT periods. */
static inline uint64_t pit_tsc_hz(uint64_t ticks, uint32_t pit_count)
{
	return pit_count ? ticks * PIT_HZ / pit_count : 0;
}

/* Sorts v[0..n) in place and returns its middle element (0 if n is 0). */
uint64_t pit_median(uint64_t *v, size_t n);

/* The TSC rate in Hz (about 50 ms of measuring), or 0 if the PIT did not
 * answer or the rate is below 1 MHz.  Reprograms channel 2; port 0x61 is
 * restored. */
uint64_t pit_measure_tsc_hz(void);

#endif
