/* Time on this core, from the cycle counter at the frequency the boot core
 * measured once (arch_clock_calibrate) and handed to every core. */
#ifndef KERNEL_KTIME_H
#define KERNEL_KTIME_H

#include <stdbool.h>
#include <stdint.h>

/* Records the cycle counter's frequency. */
void ktime_init(uint64_t cycles_hz);

/* Cycles per second; 0 before ktime_init. */
uint64_t ktime_cycles_hz(void);

/* The cycle count ms milliseconds from now. */
uint64_t ktime_deadline(uint64_t ms);

/* Whether the cycle counter has reached deadline. */
bool ktime_passed(uint64_t deadline);

/* Microseconds in a number of cycles (0 before ktime_init). */
uint64_t ktime_cycles_to_us(uint64_t cycles);

/* Spins for us microseconds. */
void ktime_delay_us(uint64_t us);

#endif
