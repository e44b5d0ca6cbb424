/* Running test processes (host test binaries, QEMU) in parallel: each job
 * runs in its own process group with its output (stdout and stderr) on a
 * pipe, saved to a log, split into lines and watched: KTAP results, the
 * boot-complete line, an expected error text.  A job ends when the process
 * exits, when its deadline passes, or when what it waited for appeared. */
#ifndef TOOLS_HARNESS_JOB_H
#define TOOLS_HARNESS_JOB_H

#include <stddef.h>
#include <sys/types.h>

#include "matrix.h"
#include "monitor.h"
#include "report.h"

/* After an expected error text appears, how long QEMU must stay up (not
 * reboot or crash) before the entry passes. */
#define JOB_ERROR_GRACE    2.0
/* How long a screendump may take. */
#define JOB_SCREEN_TIMEOUT 20.0

struct job {
	/* set up by the caller */
	char **argv;                      /* NULL-terminated */
	const char *skip;                 /* not NULL: do not run, and why */
	int timeout;                      /* seconds */
	int cost;                         /* CPUs it keeps busy */
	char log_path[512];               /* the whole output goes here */
	const struct matrix_entry *entry; /* NULL for a host test binary */
	void *mem;                        /* the caller's allocation for argv */
	char monitor[256];                /* EXPECT_SCREEN: QEMU's monitor socket */
	struct monitor mon;               /* input injection (monitor.h), if the entry has any */
	/* filled in by jobs_run */
	struct run_outcome out;
	int done;
	/* private to the runner */
	pid_t pid;
	int fd;
	int log_fd;
	int in_fd; /* EXPECT_SCRIPT: the guest's serial input (QEMU's stdin), or -1 */
	double start, deadline, stop_at;
	enum run_end kill_end; /* why we killed it: RUN_TIMEOUT, RUN_STOPPED */
	int killed, reaped, status;
	char line[4096];
	size_t len;
};

/* Called for each job in index order, as soon as it and all before it
 * are done. */
typedef void (*job_done_fn)(struct job *j, int index, void *ctx);

/* Runs jobs (those with skip set or no argv count as done at once; out.end
 * should then say RUN_NOT_STARTED and why), at most max_cost
 * CPUs' worth at a time (one job always runs), starting them in order.
 * Returns 0, or -1 when interrupted by SIGINT/SIGTERM (every job started
 * is then killed). */
int jobs_run(struct job *jobs, int n, int max_cost, job_done_fn done, void *ctx);

/* Watches one line of a job's output (exposed for tests). */
void job_watch_line(struct job *j, char *line, double now);

#endif
