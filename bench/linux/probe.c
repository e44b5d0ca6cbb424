/* The Linux probe (make bench-linux; bench/linux/README.md): /init of an
 * initramfs booted with Debian's kernel in the same QEMU configuration as
 * Tessera's bench-user image.  It times Linux's counterparts of
 * bench-user's figures with the same code that times Tessera's:
 * user/bench/bench.c's bench_measure (a warm-up round, then BENCH_ROUNDS
 * timed rounds of the same number of operations, user/bench/benchpage.h,
 * recorded into a bench page at BENCHPAGE_VA), built here against glibc,
 * statically, with bench/linux/rt/rt.h for the runtime calls it makes.
 *
 * Serial lines (parsed by tools/bench):
 *   bench-linux: boot uptime_us U cycles C cycles_mhz M
 *   bench-linux: rounds NAME V1 ... V9     (cycles per operation, in order)
 *   bench-linux: done | bench-linux: failed CHECK DETAIL
 * then the machine is powered off.  Arguments (after "--" on the kernel's
 * command line): "boot" prints the boot line only; "nop" exits with
 * BENCH_NOP_CODE at once (what the spawn figures run); "storage DISK
 * SECTORS" times the disk instead of the figures (bench/linux/disk.c). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "disk.h"

#define PAGE      4096
#define CPU_PING  0
#define CPU_PONG  1
#define NO_SYSNUM 0x7e57 /* no such system call: ENOSYS, as BENCH_NO_METHOD is refused */

extern char **environ;

/* ---- bench.c's runtime ---- */

static uint64_t cycles_hz;

uint64_t rt_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t rt_cycles_hz(void)
{
	return cycles_hz;
}

void rt_yield(void)
{
	sched_yield();
}

static uint64_t ns_of(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The cycle counter's rate over 50 ms of CLOCK_MONOTONIC. */
static uint64_t measure_hz(void)
{
	uint64_t t0 = ns_of(CLOCK_MONOTONIC), c0 = rt_cycles(), t1;
	while ((t1 = ns_of(CLOCK_MONOTONIC)) - t0 < 50000000u)
		;
	return (rt_cycles() - c0) * 1000000000u / (t1 - t0);
}

/* ---- helpers ---- */

static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

/* Whether a child ended with exit code code. */
static bool reaped(pid_t pid, int code)
{
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

static bool xfer(int fd, void *buf, bool out)
{
	ssize_t n = out ? write(fd, buf, 8) : read(fd, buf, 8);
	return n == 8;
}

/* ---- system calls ---- */

static pid_t parent;

static bool getppids(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (getppid() != parent)
			return false;
	return true;
}

static bool refused(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (syscall(NO_SYSNUM) != -1 || errno != ENOSYS)
			return false;
	return true;
}

/* ---- pipe round trips: a child answers each 8-byte word with its
 * complement ---- */

static int to_child[2], to_parent[2];

static void answer_pipe(uint64_t total)
{
	uint64_t v;
	for (uint64_t i = 0; i < total; i++) {
		if (!xfer(to_child[0], &v, false))
			_exit(20);
		v = ~v;
		if (!xfer(to_parent[1], &v, true))
			_exit(21);
	}
	_exit(0);
}

static uint64_t words; /* sent so far */

static bool pipe_trips(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++, words++) {
		uint64_t v = words * 0x9e3779b97f4a7c15ull;
		if (!xfer(to_child[1], &v, true) || !xfer(to_parent[0], &v, false) ||
		    v != ~(words * 0x9e3779b97f4a7c15ull))
			return false;
	}
	return true;
}

/* The child on cpu answers every round's words; the figure is timed. */
static int pipe_figure(const struct bench_op *op, int cpu, int check)
{
	if (pipe(to_child) || pipe(to_parent))
		return bench_fail(check, (uint64_t)errno);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pin(cpu);
		answer_pipe((BENCH_ROUNDS + 1) * op->ops);
	}
	words = 0;
	int e = pid < 0 ? bench_fail(check + 1, (uint64_t)errno) : bench_measure(op, check + 2);
	for (int i = 0; i < 2; i++) {
		close(to_child[i]);
		close(to_parent[i]);
	}
	if (pid > 0 && !reaped(pid, 0) && !e)
		e = bench_fail(check + 3, 0);
	return e;
}

/* ---- a cache line bounced between cores, as user/bench/bench_line.c's
 * pings: ping writes 2k + 1 in its line, pong answers 2k + 2 in its own ---- */

static struct bench_shared *shared;
static uint64_t bounces;

static bool pings(uint64_t n)
{
	return bench_pings(&shared->ping, &shared->pong, &bounces, n);
}

static void pongs(void)
{
	pin(CPU_PONG);
	__atomic_store_n(&shared->pong, 1, __ATOMIC_RELEASE); /* ready */
	for (uint64_t k = 0; k < BENCH_LINE_TOTAL; k++) {
		if (!bench_wait_for(&shared->ping, 2 * k + 1))
			_exit(30);
		__atomic_store_n(&shared->pong, 2 * k + 2, __ATOMIC_RELEASE);
	}
	_exit(0);
}

static int line_figure(const struct bench_op *op, int check)
{
	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return bench_fail(check, (uint64_t)errno);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		pongs();
	int e = pid < 0 ? bench_fail(check + 1, (uint64_t)errno) : 0;
	if (!e && !bench_wait_for(&shared->pong, 1))
		e = bench_fail(check + 2, 0);
	if (!e)
		e = bench_measure(op, check + 3);
	if (pid > 0 && !reaped(pid, 0) && !e)
		e = bench_fail(check + 4, 0);
	munmap(shared, PAGE);
	return e;
}

/* ---- page faults: the first touch of fresh anonymous pages ---- */

static uint8_t *fresh;
static size_t fresh_size;

static bool fresh_pages(uint64_t n)
{
	if (fresh)
		munmap(fresh, fresh_size);
	fresh_size = n * PAGE;
	fresh = mmap(NULL, fresh_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED) {
		fresh = NULL;
		return false;
	}
	madvise(fresh, fresh_size, MADV_NOHUGEPAGE); /* one fault per 4 KiB page */
	return true;
}

static long minor_faults(void)
{
	struct rusage u;
	return getrusage(RUSAGE_SELF, &u) ? -1 : u.ru_minflt;
}

static bool touch_pages(uint64_t n)
{
	long before = minor_faults();
	for (uint64_t i = 0; i < n; i++)
		fresh[i * PAGE] = (uint8_t)(i + 1);
	for (uint64_t i = 0; i < n; i++)
		if (fresh[i * PAGE] != (uint8_t)(i + 1))
			return false;
	return before >= 0 && minor_faults() - before >= (long)n; /* each touch a fault */
}

/* ---- spawning this program as "nop": fork + exec + wait, posix_spawn +
 * wait ---- */

static char *nop_argv[] = {"/init", "nop", NULL}; /* [0]: this program, from main */

static bool fork_execs(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execve(nop_argv[0], nop_argv, environ);
			_exit(127);
		}
		if (!reaped(pid, BENCH_NOP_CODE))
			return false;
	}
	return true;
}

static bool posix_spawns(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		pid_t pid;
		if (posix_spawn(&pid, nop_argv[0], NULL, NULL, nop_argv, environ) != 0 ||
		    !reaped(pid, BENCH_NOP_CODE))
			return false;
	}
	return true;
}

/* ---- the run ---- */

/* Linux's figures, each in a slot of the bench page: names are tools/bench's. */
static const struct figure {
	const char *name;
	struct bench_op op;
} figures[] = {
        {"getppid", {BENCH_FIG_NULL, BENCH_CALL_OPS, NULL, getppids}},
        {"enosys", {BENCH_FIG_INVALID, BENCH_CALL_OPS, NULL, refused}},
        {"pipe", {BENCH_FIG_EP, BENCH_EP_OPS, NULL, pipe_trips}},
        {"shmline", {BENCH_FIG_LINE, BENCH_LINE_OPS, NULL, pings}},
        {"xpipe", {BENCH_FIG_URPC_WAIT, BENCH_URPC_WAIT_OPS, NULL, pipe_trips}},
        {"fault", {BENCH_FIG_FAULT, BENCH_FAULT_OPS, fresh_pages, touch_pages}},
        {"forkexec", {BENCH_FIG_SPAWN, BENCH_SPAWN_OPS, NULL, fork_execs}},
        {"posixspawn", {BENCH_FIG_RING, BENCH_SPAWN_OPS, NULL, posix_spawns}},
};
#define NFIGURES (sizeof figures / sizeof figures[0])

static int run_figure(unsigned i)
{
	const struct bench_op *op = &figures[i].op;
	int check = 10 * (int)(i + 1);

	if (op->run == pipe_trips)
		return pipe_figure(op, op->fig == BENCH_FIG_EP ? CPU_PING : CPU_PONG, check);
	if (op->run == pings)
		return line_figure(op, check);
	return bench_measure(op, check);
}

static void report(unsigned i)
{
	const struct bench_figure *f = &bench_page()->fig[figures[i].op.fig];
	printf("bench-linux: rounds %s", figures[i].name);
	for (unsigned r = 0; r < BENCH_ROUNDS; r++)
		printf(" %llu.%02llu", (unsigned long long)(f->cycles[r] / f->ops),
		       (unsigned long long)(f->cycles[r] * 100 / f->ops % 100));
	printf("\n");
}

static bool page_mapped;

/* The bench page bench.c writes, where Tessera's kernel maps it. */
static bool page_up(void)
{
	void *p = mmap((void *)(uintptr_t)BENCHPAGE_VA, PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)(uintptr_t)BENCHPAGE_VA)
		return false;
	page_mapped = true;
	bench_page()->magic = BENCHPAGE_MAGIC;
	return true;
}

static int figures_run(void)
{
	struct utsname u;
	if (uname(&u) == 0)
		printf("bench-linux: Linux %s, %ld CPUs online, %u rounds per figure\n", u.release,
		       sysconf(_SC_NPROCESSORS_ONLN), BENCH_ROUNDS);
	if (!page_up())
		return 1;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return bench_fail(2, 0);
	parent = getppid();
	pin(CPU_PING);
	for (unsigned i = 0; i < NFIGURES; i++) {
		int e = run_figure(i);
		if (e)
			return e;
		report(i);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "nop") == 0)
		return BENCH_NOP_CODE;
	nop_argv[0] = argv[0];
	uint64_t uptime_ns = ns_of(CLOCK_BOOTTIME), cycles = rt_cycles();

	setvbuf(stdout, NULL, _IOLBF, 0);
	cycles_hz = measure_hz();
	printf("bench-linux: boot uptime_us %llu cycles %llu cycles_mhz %llu\n",
	       (unsigned long long)(uptime_ns / 1000), (unsigned long long)cycles,
	       (unsigned long long)(cycles_hz / 1000000));
	bool storage = argc > 1 && strcmp(argv[1], "storage") == 0;
	int e = storage ? disk_run(argc > 2 ? argv[2] : "(no disk named)",
	                           argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 0)
	        : argc > 1 && strcmp(argv[1], "boot") == 0 ? 0
	                                                   : figures_run();
	if (e && !storage)
		printf("bench-linux: failed %d %llu\n", e,
		       page_mapped ? (unsigned long long)bench_page()->detail : 0ull);
	else if (!e)
		printf("bench-linux: done\n");
	fflush(stdout);
	if (getpid() == 1) /* as /init: the run is over */
		reboot(RB_POWER_OFF);
	return e ? 1 : 0;
}
