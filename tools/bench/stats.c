/* Median and spread; see stats.h. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of sorted v[0..n), n > 0. */
static double median_of(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_stat_of(double *v, size_t n, struct bench_stat *s)
{
	memset(s, 0, sizeof *s);
	if (n == 0)
		return;
	qsort(v, n, sizeof *v, by_value);
	s->n = n;
	s->median = median_of(v, n);
	s->min = v[0];
	s->max = v[n - 1];
	/* Tukey's hinges: each half includes the middle value when n is odd */
	size_t half = (n + 1) / 2;
	s->q1 = n < 2 ? s->median : median_of(v, half);
	s->q3 = n < 2 ? s->median : median_of(v + n - half, half);
}
