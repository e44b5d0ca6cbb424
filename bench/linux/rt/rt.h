/* The three runtime calls user/bench/bench.c makes, for the Linux probe
 * (bench/linux/probe.c defines them): built for Linux, bench.c finds this
 * header instead of Tessera's runtime (user/lib/rt/include/rt/rt.h), whose
 * declarations these repeat. */
#ifndef BENCH_LINUX_RT_RT_H
#define BENCH_LINUX_RT_RT_H

#include <stdint.h>

/* The cycle counter (RDTSC, as Tessera's runtime reads it). */
uint64_t rt_cycles(void);
/* Its rate, measured against CLOCK_MONOTONIC when the probe starts. */
uint64_t rt_cycles_hz(void);
/* sched_yield(). */
void rt_yield(void);

#endif
