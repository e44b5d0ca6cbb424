/* bench-shell's host part: the time lib/shell takes to check (parse,
 * type-check and plan, nothing runs) a script of 1,000 lines over tshell's
 * fixture commands, against the same 1,000 lines checked one at a time
 * (the baseline: a ratio near 1 says checking grows linearly with the
 * script).  Medians of ROUNDS rounds, host nanoseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../tools/tshell/fixtures.h"

#define LINES  1000
#define ROUNDS 7
#define MEM    (64u << 20)

static const char *const shapes[] = {"ps | where core == %u | sort mem | length\n",
                                     "(mem).free > %uM\n",
                                     "cores | where free > %uM and programs > 0 | length\n",
                                     "if (uptime) > %ums { ps | first 2 } else { cores }\n"};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Checks len bytes of src in a fresh shell; ns, or -1 on an error. */
static double check(void *mem, const char *src, size_t len)
{
	struct shell *sh = shell_new(mem, MEM, &tshell_fixtures);
	struct shell_plan *plan;
	struct shell_error err;
	double t0 = now();
	enum err e = shell_compile(sh, src, len, &plan, &err);
	double t1 = now();
	if (e) {
		fprintf(stderr, "bench-shell: %u:%u: %s\n", err.line, err.col, err.msg);
		return -1;
	}
	return t1 - t0;
}

int main(void)
{
	static char text[LINES * 80];
	static size_t start[LINES + 1];
	double whole[ROUNDS], lines[ROUNDS];
	void *mem = malloc(MEM);
	size_t len = 0;

	for (unsigned i = 0; i < LINES; i++) {
		start[i] = len;
		len += (size_t)snprintf(text + len, sizeof text - len, shapes[i % 4], i % 64);
	}
	start[LINES] = len;
	for (int r = 0; r < ROUNDS; r++) {
		whole[r] = check(mem, text, len);
		lines[r] = 0;
		for (unsigned i = 0; i < LINES && whole[r] >= 0; i++) {
			double t = check(mem, text + start[i], start[i + 1] - start[i]);
			lines[r] = t < 0 || lines[r] < 0 ? -1 : lines[r] + t;
		}
		if (whole[r] < 0 || lines[r] < 0)
			return 1;
	}
	qsort(whole, ROUNDS, sizeof whole[0], cmp);
	qsort(lines, ROUNDS, sizeof lines[0], cmp);
	printf("bench-shell: check of a %u-line script (host)  %9.0f us (%.2f)  %u lines one by "
	       "one "
	       "%9.0f us (1.00)\n",
	       LINES, whole[ROUNDS / 2] / 1e3, whole[ROUNDS / 2] / lines[ROUNDS / 2], LINES,
	       lines[ROUNDS / 2] / 1e3);
	free(mem);
	return 0;
}
