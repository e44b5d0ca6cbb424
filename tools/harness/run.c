/* harness run: boot an image in QEMU with the serial console on this
 * terminal, optionally stopped with gdb attached.  The image is opened
 * with snapshot=on unless --writable: the guest's writes are discarded, the
 * image stays as make built it, and `make test` may boot it meanwhile. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "harness.h"
#include "qemu.h"

#define GDB_PORT 1234

struct run_opts {
	struct qemu_opts q;
	const char *display;
	const char *gdb_cmd;
	const char *vars_src;
};

static const char run_usage[] =
        "usage: harness run --image IMG [--firmware uefi|bios] [--machine q35|pc]\n"
        "                   [--accel tcg|kvm] [--cores N] [--memory MiB]\n"
        "                   [--display auto|none|gtk|sdl] [--gdb [--gdb-cmd CMD]]\n"
        "                   [--qemu PATH] [--cpu MODEL] [--ovmf-code PATH] [--ovmf-vars PATH]\n"
        "                   [--writable]   (keep the guest's disk writes; default: discard them)\n"
        "                   [--disk virtio] (the image on virtio-blk, not IDE/AHCI)\n";

/* Parses the options into o; 0, or -1 after printing the usage. */
static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
	        {"image", 1, NULL, 'i'},     {"firmware", 1, NULL, 'f'},
	        {"machine", 1, NULL, 'm'},   {"accel", 1, NULL, 'a'},
	        {"cores", 1, NULL, 'n'},     {"memory", 1, NULL, 'M'},
	        {"display", 1, NULL, 'd'},   {"gdb", 0, NULL, 'g'},
	        {"gdb-cmd", 1, NULL, 'G'},   {"qemu", 1, NULL, 'q'},
	        {"cpu", 1, NULL, 'c'},       {"ovmf-code", 1, NULL, 'C'},
	        {"ovmf-vars", 1, NULL, 'V'}, {"writable", 0, NULL, 'w'},
	        {"disk", 1, NULL, 'D'},      {NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->q.image = optarg; break;
		case 'f': o->q.firmware = optarg; break;
		case 'm': o->q.machine = optarg; break;
		case 'a': o->q.accel = optarg; break;
		case 'n': o->q.cores = atoi(optarg); break;
		case 'M': o->q.memory = atoi(optarg); break;
		case 'd': o->display = optarg; break;
		case 'g': o->q.gdb = 1; break;
		case 'G': o->gdb_cmd = optarg; break;
		case 'q': o->q.qemu = optarg; break;
		case 'c': o->q.cpu = optarg; break;
		case 'C': o->q.ovmf_code = optarg; break;
		case 'V': o->vars_src = optarg; break;
		case 'w': o->q.snapshot = 0; break;
		case 'D':
			if (strcmp(optarg, "virtio") != 0) {
				fputs("harness run: --disk takes only virtio\n", stderr);
				return -1;
			}
			o->q.virtio_disk = 1;
			break;
		default: fputs(run_usage, stderr); return -1;
		}
	}
	if (optind != argc || !o->q.image) {
		fputs(run_usage, stderr);
		return -1;
	}
	return 0;
}

/* Forks QEMU; own process group when detached (so the terminal's Ctrl-C
 * reaches gdb, not QEMU), stdin from /dev/null when quiet_stdin.  The
 * child gets SIGTERM when the harness dies. */
static pid_t spawn(char **argv, int detached, int quiet_stdin)
{
	pid_t parent = getpid(), pid = fork();
	if (pid != 0)
		return pid;
	if (detached)
		setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	int null = quiet_stdin ? open("/dev/null", O_RDONLY) : -1;
	if (null >= 0)
		dup2(null, 0);
	execvp(argv[0], argv);
	fprintf(stderr, "harness: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static volatile pid_t forward_to;

/* SIGTERM or SIGHUP for the harness: pass it on to QEMU, whose exit then
 * ends the harness normally (and its variable store is removed). */
static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* Sends later SIGTERM and SIGHUP on to pid. */
static void forward_signals(pid_t pid)
{
	struct sigaction sa = {.sa_handler = forward_signal};
	forward_to = pid;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Waits for pid; returns its exit status as a shell would report it. */
static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Maps QEMU's exit status: isa-debug-exit 0x10 is success. */
static int qemu_result(int status)
{
	if (status == 33) {
		fprintf(stderr, "harness: the kernel exited QEMU reporting success (0x10)\n");
		return 0;
	}
	if (status == 35) {
		fprintf(stderr, "harness: the kernel exited QEMU reporting failure (0x11)\n");
		return 1;
	}
	return status;
}

/* Waits until QEMU's gdb stub accepts connections (up to 10 s). */
static void wait_for_stub(pid_t qemu)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(GDB_PORT)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 200 && waitpid(qemu, NULL, WNOHANG) == 0; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
		if (s >= 0)
			close(s);
		if (ok)
			return;
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
}

/* QEMU stopped with its gdb stub; gdb in the foreground when there is a
 * terminal, else the command to run is printed and QEMU waited for. */
static int run_with_gdb(char **qemu_argv, const char *gdb_cmd)
{
	char line[8192];
	int tty = isatty(0);
	qemu_format(qemu_argv, line, sizeof line);
	fprintf(stderr, "harness: %s\n", line);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid_t qemu = spawn(qemu_argv, 1, tty);
	if (qemu < 0)
		return 1;
	forward_signals(qemu);
	if (!tty) {
		fprintf(stderr,
		        "harness: no terminal for gdb; QEMU waits on localhost:%d.\n"
		        "harness: attach with: %s\n",
		        GDB_PORT, gdb_cmd);
		return qemu_result(wait_status(qemu));
	}
	wait_for_stub(qemu);
	fprintf(stderr, "harness: %s\n", gdb_cmd);
	char *gdb_argv[] = {"/bin/sh", "-c", (char *)gdb_cmd, NULL};
	pid_t gdb = spawn(gdb_argv, 0, 0);
	int rc = gdb < 0 ? 1 : wait_status(gdb);
	kill(-qemu, SIGTERM);
	for (int i = 0; i < 40 && waitpid(qemu, NULL, WNOHANG) == 0; i++)
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	kill(-qemu, SIGKILL);
	waitpid(qemu, NULL, WNOHANG);
	return rc;
}

/* Prints the command, runs QEMU in the foreground, returns its status. */
static int run_plain(struct qemu_cmd *cmd, enum qemu_serial serial)
{
	char line[8192];
	qemu_format(cmd->argv, line, sizeof line);
	fprintf(stderr, "harness: %s\n", line);
	if (serial == QEMU_SERIAL_MONITOR)
		fprintf(stderr, "harness: serial console on this terminal; Ctrl-A X quits QEMU\n");
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid_t qemu = spawn(cmd->argv, 0, 0);
	if (qemu < 0)
		return 1;
	forward_signals(qemu);
	return qemu_result(wait_status(qemu));
}

int harness_run(int argc, char **argv)
{
	struct run_opts o = {
	        .q = {.snapshot = 1,
	              .firmware = "uefi",
	              .machine = "q35",
	              .accel = "tcg",
	              .cores = 1,
	              .memory = 256},
	        .display = "auto",
	        .gdb_cmd = "gdb -q -ex 'target remote localhost:1234'",
	};
	char vars[1024], err[256];
	struct qemu_cmd cmd;
	if (parse_run_opts(argc, argv, &o) != 0)
		return 2;
	o.q.display = qemu_resolve_display(o.display, getenv("DISPLAY"), getenv("WAYLAND_DISPLAY"));
	o.q.serial = o.q.gdb ? QEMU_SERIAL_STDIO : QEMU_SERIAL_MONITOR;
	/* a fresh private variable store per run: boot order never drifts,
	 * and runs of the same image side by side do not share it */
	snprintf(vars, sizeof vars, "%s.vars.%ld.fd", o.q.image, (long)getpid());
	if (o.q.firmware && strcmp(o.q.firmware, "uefi") == 0) {
		const char *src = o.vars_src ? o.vars_src : OVMF_VARS_DEFAULT;
		if (files_copy(src, vars) != 0) {
			fprintf(stderr, "harness: cannot copy %s to %s: %s\n", src, vars,
			        strerror(errno));
			return 1;
		}
		o.q.ovmf_vars = vars;
	}
	int rc = 2;
	if (qemu_build(&o.q, &cmd, err, sizeof err) != 0)
		fprintf(stderr, "harness run: %s\n", err);
	else
		rc = o.q.gdb ? run_with_gdb(cmd.argv, o.gdb_cmd) : run_plain(&cmd, o.q.serial);
	if (o.q.ovmf_vars)
		unlink(vars);
	return rc;
}
