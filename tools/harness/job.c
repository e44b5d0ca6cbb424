/* The parallel process runner; see job.h. */
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "script.h"
#include "serial.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every after line of a screen entry seen: the screendump, its checks. */
static void take_screen(struct job *j)
{
	struct run_outcome *o = &j->out;
	struct screen_image img;
	o->screen_taken = 1;
	if (screen_dump(j->monitor, o->screen_ppm, JOB_SCREEN_TIMEOUT, o->screen_error,
	                sizeof o->screen_error) != 0 ||
	    screen_read_ppm(o->screen_ppm, &img, o->screen_error, sizeof o->screen_error) != 0) {
		o->screen_taken = 0;
		return;
	}
	for (int i = 0; i < o->screen->n; i++)
		if (screen_check(&img, &o->screen->c[i], o->screen_why[i], sizeof o->screen_why[i]))
			o->screen_pass |= 1u << i;
	screen_free(&img);
}

static void watch_screen(struct job *j, const char *line, double t)
{
	const struct screen_spec *s = j->out.screen;
	uint64_t all = (1ull << s->nafter) - 1;
	/* in order: the first not seen yet, on a line of its own */
	for (int i = 0; i < s->nafter; i++)
		if (!(j->out.lines_seen >> i & 1)) {
			if (strstr(line, s->after[i]))
				j->out.lines_seen |= 1ull << i;
			break;
		}
	if (j->out.lines_seen == all && !j->out.error_seen) {
		j->out.error_seen = 1;
		take_screen(j);
		j->stop_at = t;
	}
}

/* Sends the script's send steps that are due (the step before them met). */
static void script_send(struct job *j)
{
	const struct script *s = j->entry->script;

	while (j->out.script_at < s->n && s->steps[j->out.script_at].op == SCRIPT_SEND) {
		const struct script_step *st = &s->steps[j->out.script_at++];
		if (j->in_fd >= 0 && write(j->in_fd, st->text, st->len) != (ssize_t)st->len) {
			close(j->in_fd);
			j->in_fd = -1;
		}
	}
}

/* A line (or, partial, the unfinished last one) against the next step. */
static void script_line(struct job *j, const char *line, int partial, double t)
{
	const struct script *s = j->entry->script;

	script_send(j);
	if (j->out.script_at >= s->n)
		return;
	const struct script_step *st = &s->steps[j->out.script_at];
	if ((partial && st->op != SCRIPT_WAIT) || !script_match(st, line))
		return;
	if (st->op != SCRIPT_WAIT)
		j->out.script_seen |= 1ull << j->out.script_at;
	j->out.script_at++;
	script_send(j);
	if (j->out.script_at == s->n && !j->stop_at)
		j->stop_at = t + JOB_ERROR_GRACE; /* every step: stop after the grace */
}

void job_watch_line(struct job *j, char *line, double t)
{
	const struct matrix_entry *e = j->entry;
	int x, y;
	serial_clean(line);
	if (!*line)
		return;
	outcome_tail(&j->out, line);
	ktap_line(&j->out.ktap, line);
	if (!j->out.loader[0])
		serial_loader_line(line, j->out.loader, sizeof j->out.loader);
	if (!j->out.boot_seen && serial_boot_complete(line, &x, &y)) {
		j->out.boot_seen = 1;
		j->out.online = x;
		j->out.total = y;
		if (e && e->expect == EXPECT_BOOT)
			j->stop_at = t;
	}
	if (e && e->expect == EXPECT_ERROR && !j->out.error_seen && strstr(line, e->text)) {
		j->out.error_seen = 1;
		j->stop_at = t + JOB_ERROR_GRACE;
	}
	if (e && e->expect == EXPECT_SCREEN && j->out.screen)
		watch_screen(j, line, t);
	if (e && e->expect == EXPECT_SCRIPT && e->script)
		script_line(j, line, 0, t);
	if (e && e->expect == EXPECT_LINES) {
		char part[sizeof e->text];
		uint64_t all = 0;
		for (int i = 0; matrix_line_part(e->text, i, part, sizeof part); i++) {
			all |= 1ull << i;
			if (part[0] != MATRIX_COMMAND && !(j->out.lines_seen >> i & 1) &&
			    strstr(line, part))
				j->out.lines_seen |= 1ull << i;
		}
		monitor_step(&j->mon, e, &j->out.lines_seen, t);
		if (j->out.lines_seen == all && !j->out.error_seen) {
			j->out.error_seen = 1; /* every part: stop after the grace */
			j->stop_at = t + JOB_ERROR_GRACE;
		}
	}
}

/* Child side of start_job: never returns.  The child dies with the
 * harness, even when the harness is killed outright. */
static void exec_child(struct job *j, int out_fd, int in_fd, pid_t parent)
{
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(127);
	int in = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(127);
	execvp(j->argv[0], j->argv);
	dprintf(2, "harness: cannot run %s: %s\n", j->argv[0], strerror(errno));
	_exit(127);
}

/* Starts j's process with its output on a pipe; on failure j is done. */
static void start_job(struct job *j)
{
	int p[2];
	j->start = now();
	j->deadline = j->start + j->timeout;
	j->out.timeout = j->timeout;
	ktap_init(&j->out.ktap);
	j->log_fd = open(j->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	j->out.log = j->log_fd >= 0 ? j->log_path : NULL;
	pid_t self = getpid();
	int in[2] = {-1, -1};
	p[0] = p[1] = -1;
	if (j->entry && j->entry->expect == EXPECT_SCRIPT && pipe2(in, O_CLOEXEC) != 0)
		in[0] = in[1] = -1;
	if (pipe2(p, O_CLOEXEC) != 0 || (j->pid = fork()) < 0) {
		j->out.end = RUN_NOT_STARTED;
		j->pid = 0;
		close(p[0]);
		close(p[1]);
		close(in[0]);
		close(in[1]);
		snprintf(j->out.why, sizeof j->out.why, "%s", strerror(errno));
		j->done = 1;
		return;
	}
	if (j->pid == 0)
		exec_child(j, p[1], in[0], self);
	setpgid(j->pid, j->pid);
	close(p[1]);
	close(in[0]);
	j->fd = p[0];
	j->in_fd = in[1];
}

/* Reads what j's process wrote: log it, watch it line by line. */
static void read_output(struct job *j, double t)
{
	char buf[4096];
	ssize_t n = read(j->fd, buf, sizeof buf);
	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(j->fd);
		j->fd = -1;
		if (j->len) {
			j->line[j->len] = '\0';
			j->len = 0;
			job_watch_line(j, j->line, t);
		}
		return;
	}
	if (j->log_fd >= 0 && write(j->log_fd, buf, (size_t)n) != n) {
		close(j->log_fd);
		j->log_fd = -1;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && j->len < sizeof j->line - 1) {
			j->line[j->len++] = buf[i];
			continue;
		}
		j->line[j->len] = '\0';
		j->len = 0;
		job_watch_line(j, j->line, t);
		if (buf[i] != '\n')
			j->line[j->len++] = buf[i];
	}
	/* a prompt waits without a newline */
	if (j->entry && j->entry->expect == EXPECT_SCRIPT && j->entry->script && j->len) {
		char partial[sizeof j->line];
		memcpy(partial, j->line, j->len);
		partial[j->len] = '\0';
		serial_clean(partial);
		script_line(j, partial, 1, t);
	}
	/* a loader may print its error and halt without a newline */
	if (j->entry && j->entry->expect == EXPECT_ERROR && !j->out.error_seen && j->len) {
		char partial[sizeof j->line];
		memcpy(partial, j->line, j->len);
		partial[j->len] = '\0';
		serial_clean(partial);
		if (strstr(partial, j->entry->text)) {
			j->out.error_seen = 1;
			j->stop_at = t + JOB_ERROR_GRACE;
		}
	}
}

/* Kills j's whole process group, remembering why. */
static void kill_job(struct job *j, enum run_end why)
{
	if (!j->killed && !j->reaped)
		j->kill_end = why;
	j->killed = 1;
	kill(-j->pid, SIGKILL);
}

/* Applies deadlines and reaps j; returns 1 when j has just finished. */
static int check_job(struct job *j, double t)
{
	if (!j->reaped && !j->killed && t >= j->deadline)
		kill_job(j, RUN_TIMEOUT);
	if (!j->reaped && !j->killed && j->stop_at > 0 && t >= j->stop_at)
		kill_job(j, RUN_STOPPED);
	if (!j->reaped && !j->killed && j->entry)
		monitor_step(&j->mon, j->entry, &j->out.lines_seen, t); /* the gap passed */
	if (!j->reaped && waitpid(j->pid, &j->status, WNOHANG) == j->pid) {
		j->reaped = 1;
		kill(-j->pid, SIGKILL); /* whatever it left behind holds the pipe */
	}
	if (!j->reaped || j->fd >= 0)
		return 0;
	if (j->kill_end)
		j->out.end = j->kill_end;
	else if (WIFEXITED(j->status))
		j->out.end = RUN_EXITED, j->out.code = WEXITSTATUS(j->status);
	else
		j->out.end = RUN_SIGNALED, j->out.code = WTERMSIG(j->status);
	j->out.seconds = t - j->start;
	if (j->mon.error[0] && !j->out.why[0]) /* the commands' report names it */
		snprintf(j->out.why, sizeof j->out.why, "%s", j->mon.error);
	if (j->log_fd >= 0)
		close(j->log_fd);
	j->log_fd = -1;
	if (j->in_fd >= 0)
		close(j->in_fd);
	j->in_fd = -1;
	j->done = 1;
	return 1;
}

/* Waits up to 100 ms for output from the running jobs and reads it. */
static void poll_outputs(struct job *jobs, int n)
{
	struct pollfd fds[256];
	int idx[256], k = 0;
	for (int i = 0; i < n && k < 256; i++)
		if (jobs[i].pid > 0 && !jobs[i].done && jobs[i].fd >= 0) {
			fds[k].fd = jobs[i].fd;
			fds[k].events = POLLIN;
			idx[k++] = i;
		}
	if (poll(fds, (nfds_t)k, 100) <= 0)
		return;
	double t = now();
	for (int i = 0; i < k; i++)
		if (fds[i].revents)
			read_output(&jobs[idx[i]], t);
}

/* Kills and reaps every running job (after an interrupt). */
static void kill_all(struct job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		if (j->pid > 0 && !j->done && !j->reaped) {
			kill(-j->pid, SIGKILL);
			waitpid(j->pid, NULL, 0);
		}
		if (j->pid > 0 && j->fd >= 0)
			close(j->fd);
		if (j->pid > 0 && j->log_fd >= 0)
			close(j->log_fd);
		if (j->pid > 0 && j->in_fd >= 0)
			close(j->in_fd);
	}
}

static int cost_of(const struct job *j, int max_cost)
{
	return j->cost < 1 ? 1 : j->cost > max_cost ? max_cost : j->cost;
}

int jobs_run(struct job *jobs, int n, int max_cost, job_done_fn done, void *ctx)
{
	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	int next_start = 0, next_report = 0, busy = 0;
	for (int i = 0; i < n; i++)
		jobs[i].fd = jobs[i].log_fd = jobs[i].in_fd = -1;
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	while (next_report < n && !interrupted) {
		while (next_start < n) {
			struct job *j = &jobs[next_start];
			int runs = !j->skip && j->argv;
			if (runs && busy && busy + cost_of(j, max_cost) > max_cost)
				break;
			if (!runs)
				j->done = 1;
			else
				start_job(j), busy += j->done ? 0 : cost_of(j, max_cost);
			next_start++;
		}
		while (next_report < n && jobs[next_report].done) {
			done(&jobs[next_report], next_report, ctx);
			next_report++;
		}
		if (next_report == n)
			break;
		poll_outputs(jobs, next_start);
		double t = now();
		for (int i = 0; i < next_start; i++)
			if (jobs[i].pid > 0 && !jobs[i].done && check_job(&jobs[i], t))
				busy -= cost_of(&jobs[i], max_cost);
	}
	if (interrupted)
		kill_all(jobs, n);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return interrupted ? -1 : 0;
}
