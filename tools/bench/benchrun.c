/* benchrun: runs a command (QEMU) and writes every line it prints, each
 * stamped with the host's monotonic time since the command was started, so
 * the boot stages can be read off the serial console (tools/bench/benchlog.h
 * parses the result).  A second pipe, whose descriptor replaces @DEBUGFD@
 * in the arguments, takes a debug console (SeaBIOS's port 0x402); its lines
 * are tagged "debugcon: ".  The command is stopped once a line contains one
 * of the --until texts, or after --timeout seconds. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_UNTIL 8
#define LINE_MAX  4096

static const char usage[] =
        "usage: benchrun --out LOG [--timeout S] [--until TEXT]... -- COMMAND [ARG]...\n"
        "Writes each line COMMAND prints (stdout and stderr) to LOG as\n"
        "  MILLISECONDS<TAB>LINE\n"
        "(host monotonic time since COMMAND started).  An argument containing @DEBUGFD@\n"
        "gets the number of a second pipe's write end instead; its lines are tagged\n"
        "\"debugcon: \".  Stops COMMAND when a line contains a TEXT (exit 0), when it ends\n"
        "(its status), or after S seconds (default 300; exit 124).\n";

struct stream {
	int fd;
	const char *tag;
	char buf[LINE_MAX];
	size_t len;
};

struct run {
	FILE *log;
	const char *until[MAX_UNTIL];
	int nuntil;
	int found;
	double t0;
};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One line: stamped into the log, checked against the --until texts. */
static void line(struct run *r, const struct stream *s, double t)
{
	char text[LINE_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->buf[i] != '\r')
			text[n++] = s->buf[i];
	text[n] = 0;
	fprintf(r->log, "%.1f\t%s%s\n", t - r->t0, s->tag, text);
	for (int i = 0; i < r->nuntil; i++)
		if (strstr(text, r->until[i]))
			r->found = 1;
}

/* Reads what is there; whole lines go to the log.  0 at the end. */
static int drain(struct run *r, struct stream *s)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof chunk);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0) {
		if (s->len)
			line(r, s, now_ms());
		s->len = 0;
		return 0;
	}
	double t = now_ms();
	for (ssize_t i = 0; i < n; i++) {
		if (chunk[i] == '\n' || s->len == LINE_MAX) {
			line(r, s, t);
			s->len = 0;
			if (chunk[i] == '\n')
				continue;
		}
		s->buf[s->len++] = chunk[i];
	}
	return 1;
}

/* The command with @DEBUGFD@ replaced; argv is changed in place. */
static void substitute(char **argv, int fd)
{
	static char bufs[16][512];
	int used = 0;
	for (int i = 0; argv[i] && used < 16; i++) {
		char *at = strstr(argv[i], "@DEBUGFD@");
		if (!at)
			continue;
		snprintf(bufs[used], sizeof bufs[used], "%.*s%d%s", (int)(at - argv[i]), argv[i],
		         fd, at + strlen("@DEBUGFD@"));
		argv[i] = bufs[used++];
	}
}

static pid_t start(char **argv, int out[2], int dbg[2])
{
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(out[0]);
		close(out[1]);
		close(dbg[0]);
		setpgid(0, 0);
		execvp(argv[0], argv);
		fprintf(stderr, "benchrun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(dbg[1]);
	return pid;
}

/* Ends the command's process group: TERM, then KILL after 2 s. */
static int stop(pid_t pid)
{
	int st = 0;
	kill(-pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &st, 0);
	return st;
}

static int watch(struct run *r, pid_t pid, struct stream *s, double deadline)
{
	int open = 2;
	while (open && !r->found) {
		struct pollfd p[2] = {{s[0].fd, POLLIN, 0}, {s[1].fd, POLLIN, 0}};
		double left = deadline - now_ms();
		if (left <= 0)
			break;
		if (poll(p, 2, left > 1000 ? 1000 : (int)left + 1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if (s[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP)) &&
			    !drain(r, &s[i])) {
				close(s[i].fd);
				s[i].fd = -1;
				open--;
			}
	}
	if (r->found) {
		stop(pid);
		return 0;
	}
	if (open) {
		stop(pid);
		fprintf(stderr, "benchrun: timed out\n");
		return 124;
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	struct run r = {0};
	const char *out = NULL;
	double timeout = 300;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--out") == 0)
			out = argv[i + 1];
		else if (strcmp(argv[i], "--timeout") == 0)
			timeout = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--until") == 0 && r.nuntil < MAX_UNTIL)
			r.until[r.nuntil++] = argv[i + 1];
		else
			break;
	}
	if (!out || i + 1 >= argc || strcmp(argv[i], "--") != 0 || timeout <= 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (!(r.log = fopen(out, "w"))) {
		fprintf(stderr, "benchrun: %s: %s\n", out, strerror(errno));
		return 1;
	}
	int pout[2], pdbg[2];
	if (pipe(pout) || pipe(pdbg)) {
		fprintf(stderr, "benchrun: pipe: %s\n", strerror(errno));
		return 1;
	}
	char **cmd = argv + i + 1;
	substitute(cmd, pdbg[1]);
	r.t0 = now_ms();
	pid_t pid = start(cmd, pout, pdbg);
	struct stream s[2] = {{.fd = pout[0], .tag = ""}, {.fd = pdbg[0], .tag = "debugcon: "}};
	int rc = pid < 0 ? 1 : watch(&r, pid, s, r.t0 + timeout * 1e3);
	fclose(r.log);
	return rc;
}
