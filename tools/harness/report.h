/* Turning the outcome of one run (a host test binary or a boot-matrix
 * entry in QEMU) into test-case results, and printing them: one line per
 * case (`ok name`, `not ok [entry] name`, `skip ...`), failures followed by
 * their diagnostics.  Pure functions: the runner fills struct run_outcome. */
#ifndef TOOLS_HARNESS_REPORT_H
#define TOOLS_HARNESS_REPORT_H

#include <stdio.h>

#include "ktap.h"
#include "ktests.h"
#include "matrix.h"
#include "screen.h"

enum run_end {
	RUN_EXITED,      /* exited by itself; code is its exit status */
	RUN_SIGNALED,    /* killed by signal code, not by us */
	RUN_TIMEOUT,     /* we killed it at the deadline */
	RUN_STOPPED,     /* we stopped it after what we waited for */
	RUN_NOT_STARTED, /* could not be started; why says so */
};

#define TAIL_LINES 20

struct run_outcome {
	enum run_end end;
	int code;
	int timeout;                  /* seconds */
	double seconds;               /* how long it ran */
	char why[256];                /* RUN_NOT_STARTED */
	const char *log;              /* where the whole output is */
	struct ktap ktap;             /* the KTAP report in the output */
	int boot_seen, online, total; /* "boot complete: online/total" */
	int error_seen;               /* EXPECT_ERROR: the text appeared */
	uint64_t lines_seen;          /* EXPECT_LINES, EXPECT_SCREEN: bit i, part i appeared */
	/* EXPECT_SCREEN: the checks, whether the screendump was taken (or why
	 * not), where, and bit i: check i passed, with what it measured */
	const struct screen_spec *screen;
	int screen_taken;
	char screen_error[256];
	char screen_ppm[512];
	uint32_t screen_pass;
	char screen_why[SCREEN_MAX_CHECKS][128];
	int script_at;                  /* EXPECT_SCRIPT: the next step to do */
	unsigned long long script_seen; /* ... bit i: step i (expect, line) was met */
	char loader[64];                /* "NAME VERSION" from "tessera: loader:", or "" */
	char tail[TAIL_LINES][256];     /* the last lines of output, oldest first */
	int ntail;
};

struct result {
	enum ktap_status status;
	char name[160];
	char *detail; /* lines shown under a failure or after a skip, or NULL */
};

struct results {
	struct result *r;
	int n, cap;
	int passed, failed, skipped;
};

/* Appends one line of output to the tail, dropping the oldest. */
void outcome_tail(struct run_outcome *o, const char *line);

/* The results of a host test binary (name: its file name). */
void report_host(const char *name, const struct run_outcome *o, struct results *rs);

/* The results of a boot-matrix entry.  For a ktap entry, decl are the cases
 * its test kernel declares (NULL: no accounting, account.h); a skipped case
 * that the entry's skip= list does not name fails ("unexpected skip"). */
void report_entry(const struct matrix_entry *e, const struct run_outcome *o,
                  const struct ktests *decl, struct results *rs);

/* A comparison result: failed when bad > 0 (fail lists why); the allowed
 * differences are shown under the result either way. */
void report_compare(const char *name, int bad, const char *fail, const char *allowed,
                    struct results *rs);

/* A skipped entry, with the reason. */
void report_skip(const char *name, const char *why, struct results *rs);

/* A failure of something that is not a run, e.g. an unreadable case list. */
void report_fail(const char *name, const char *why, struct results *rs);

/* Prints results [from, rs->n), one line each, failures with details. */
void report_print(const struct results *rs, int from, FILE *out);

void results_free(struct results *rs);

#endif
