/* Summary statistics of benchmark rounds (tools/bench): median and spread. */
#ifndef TOOLS_BENCH_STATS_H
#define TOOLS_BENCH_STATS_H

#include <stddef.h>

struct bench_stat {
	size_t n;
	double median; /* the middle value; for an even n the mean of the two middle ones */
	double min, max;
	double q1, q3; /* the medians of the lower and upper halves (n >= 2; else the median) */
};

/* The statistics of v[0..n) (sorted in place); n == 0 gives all zeros. */
void bench_stat_of(double *v, size_t n, struct bench_stat *s);

#endif
