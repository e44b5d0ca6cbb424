/* Time for the start-up protocol's delays and timeouts: the time-stamp
 * counter, at the rate lib/x86/pit.h measures.  The arithmetic is pure and
 * tested on the host.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_TSC_H
#define BOOT_COMMON_ARCH_X86_64_TSC_H

#include <stdint.h>

/* The rate assumed if the PIT does not answer: high, so that delays and
 * timeouts err on the long side. */
#define TSC_FALLBACK_HZ 8000000000ull

/* TSC ticks in us microseconds at hz (no overflow below ~18 s at 1 THz). */
static inline uint64_t tsc_ticks_for_us(uint64_t hz, uint64_t us)
{
	return hz / 1000000u * us + hz % 1000000u * us / 1000000u;
}

/* Busy-waits us microseconds at the rate hz. */
void tsc_delay_us(uint64_t hz, uint64_t us);

#endif
