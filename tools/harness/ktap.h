/* An incremental KTAP (version 1) parser for the output of one test run:
 * fed one line at a time, it records each top-level result and the
 * diagnostics printed before it, and notices garbled output.
 *
 * Understood lines (anything before "KTAP version 1" is ignored, as is
 * any other line, which only becomes context for the next failure):
 *   KTAP version 1                    start of the report
 *   1..N                              the plan
 *   ok N name / ok N - name           a passed case
 *   not ok N name # reason            a failed case
 *   ok N name # SKIP why              a skipped case (also TODO)
 *   # text, or any indented line      diagnostics, kept for the next case
 *   Bail out! why                     the run gave up
 */
#ifndef TOOLS_HARNESS_KTAP_H
#define TOOLS_HARNESS_KTAP_H

#include <stddef.h>

enum ktap_status {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
};

struct ktap_case {
	int number;
	char *name;
	enum ktap_status status;
	char *reason; /* text after '#' (directive or reason), or NULL */
	char *diag;   /* lines printed since the previous case, or NULL */
};

#define KTAP_DIAG_MAX 4096

struct ktap {
	int started; /* saw "KTAP version 1" */
	int plan;    /* N from 1..N, or -1 */
	struct ktap_case *cases;
	int ncases, cap;
	char pending[KTAP_DIAG_MAX]; /* diagnostics for the next case */
	size_t pending_len;
	char error[256]; /* first structural problem, or "" */
};

void ktap_init(struct ktap *k);
void ktap_free(struct ktap *k);

/* Feeds one line of output (no newline; escape sequences removed). */
void ktap_line(struct ktap *k, const char *line);

/* Called when the output has ended: checks that there was a report, with a
 * plan matching the results.  Returns 0, or -1 with k->error set. */
int ktap_finish(struct ktap *k);

/* Counts the cases with the given status. */
int ktap_count(const struct ktap *k, enum ktap_status s);

#endif
