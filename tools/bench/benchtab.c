/* benchtab: Tessera's figures beside Linux's, and the boot stages (make
 * bench-linux, make bench-boot; bench/linux/README.md).  Reads the serial
 * logs (tools/bench/benchlog.h), prints the tables with each figure's
 * median and spread over every round of every run and the ratio, and
 * writes them as CSV (and as gnuplot data and a Markdown summary) into the
 * output folder.  Exits 1, naming it, if a figure or stage it was given
 * logs for is missing; timings themselves are never checked. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchtab.h"

static const char usage[] =
        "usage: benchtab --out DIR [--machine TEXT] [--firmware uefi|bios]\n"
        "                [--tessera LOG]... [--linux LOG]... [--boot SYSTEM/FIRMWARE=LOG]...\n"
        "                [--storage SYSTEM/DISK=LOG]...\n"
        "  --tessera LOG   a bench-user serial log (\"bench-user: rounds NAME V...\")\n"
        "  --linux LOG     a Linux probe serial log (\"bench-linux: rounds NAME V...\")\n"
        "  --boot L=LOG    a benchrun log of one boot; L is tessera, limine or linux,\n"
        "                  a slash and the firmware (\"limine/bios\"); runs of one L are pooled\n"
        "  --storage L=LOG a boot of the storage image: L is tessera or linux, a slash and\n"
        "                  the disk (\"linux/ahci\"); Tessera's \"fs: bench:\" lines, Linux's\n"
        "                  \"bench-linux: storage:\" lines; runs of one L are pooled\n"
        "  --firmware FW   whose boots give the figures table's boot row (default uefi)\n"
        "Writes DIR/figures.csv, DIR/boot.csv, DIR/figures.dat, DIR/boot.dat, DIR/summary.md.\n";

/* Tessera's figure and Linux's counterpart, each by its log's name. */
const struct pair pairs[NPAIRS] = {
        {"syscall", "null system call (Tessera: IDENTIFY; Linux: getppid)", "null", "getppid"},
        {"refused", "system call refused at once (no such method / ENOSYS)", "invalid", "enosys"},
        {"ipc", "IPC round trip on one core (endpoint; pipe)", "ep", "pipe"},
        {"line", "cache line round trip, cores 0 and 1", "line", "shmline"},
        {"xcore", "cross-core round trip, polling (user channel; shared memory)", "urpc",
         "shmline"},
        {"xsleep", "cross-core round trip, receiver asleep (channel; pipe)", "urpcwait", "xpipe"},
        {"fault", "page fault, first touch of anonymous memory", "fault", "fault"},
        {"spawn", "spawn + exit + wait (Linux: fork + exec + wait)", "spawn", "forkexec"},
        {"pspawn", "spawn + exit + wait (Linux: posix_spawn + wait)", "spawn", "posixspawn"},
};
int missing;

/* The whole of a file, NUL-terminated; NULL after saying why. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "benchtab: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
		len += n;
		if (len + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			break;
	}
	fclose(f);
	if (!buf)
		fprintf(stderr, "benchtab: %s: out of memory\n", path);
	else
		buf[len] = 0;
	return buf;
}

/* Repeats the lines where a guest said that something failed. */
static void guest_errors(const char *log, const char *text, const char *prefix)
{
	char error[64], failed[64];
	snprintf(error, sizeof error, "%s: error", prefix);
	snprintf(failed, sizeof failed, "%s: failed", prefix);
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		int len = (int)(eol ? eol - p : (long)strlen(p));
		const char *e = strstr(p, error), *f = strstr(p, failed);
		if ((e && e < p + len) || (f && f < p + len))
			printf("bench-linux: %s: the guest said: %.*s\n", log, len, p);
		p += len + (eol != NULL);
	}
}

static int read_rounds(const char *const *logs, size_t n, const char *prefix,
                       struct bench_rounds *r)
{
	char err[BENCHLOG_ERR];
	for (size_t i = 0; i < n; i++) {
		char *text = slurp(logs[i]);
		if (text)
			guest_errors(logs[i], text, prefix);
		int got = text ? benchlog_rounds(text, prefix, r, err, sizeof err) : -1;
		free(text);
		if (got < 0 && text)
			fprintf(stderr, "benchtab: %s: %s\n", logs[i], err);
		if (got == 0)
			fprintf(stderr, "benchtab: %s: no \"%s: rounds\" line\n", logs[i], prefix);
		if (got <= 0)
			return -1;
	}
	return 0;
}

/* The statistics of a series (zeros if there is none). */
struct bench_stat stat_of(const struct bench_series *s)
{
	struct bench_stat st;
	double v[BENCHLOG_VALUES];
	size_t n = s ? s->n : 0;
	if (n)
		memcpy(v, s->v, n * sizeof *v);
	bench_stat_of(v, n, &st);
	return st;
}

/* ---- boots ---- */

const struct boots *boots_of(const struct opts *o, const char *label)
{
	for (size_t i = 0; i < o->nboots; i++)
		if (strcmp(o->boots[i].label, label) == 0)
			return &o->boots[i];
	return NULL;
}

static double at(const struct bench_boot *b, size_t off)
{
	return *(const double *)(const void *)((const char *)b + off);
}

#define AT(f) offsetof(struct bench_boot, f)
const struct stage stages[NSTAGES] = {
        {"firmware", "QEMU start to the firmware handing over", 0, AT(firmware), 0},
        {"loader", "loader, to the kernel's first line", AT(firmware), AT(kernel), 1},
        {"kernel", "kernel to boot complete (Linux: to /init)", AT(kernel), AT(complete), 1},
        {"user", "boot complete to user space up", AT(complete), AT(user_up), 1},
        {"first_user", "kernel to the first user program", AT(kernel), AT(first_user), 1},
        {"total", "QEMU start to user space up", 0, AT(user_up), 0},
};

/* The stage's values over the runs that reached both its ends. */
struct bench_stat stage_stat(const struct boots *g, const struct stage *s)
{
	double v[MAX_LOGS];
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct bench_boot *b = &g->runs[i];
		size_t to = s->to;
		if (g->os == BENCH_LINUX && to == AT(complete))
			to = AT(first_user); /* Linux: no boot-complete line; /init */
		double a = s->has_from ? at(b, s->from) : 0, z = at(b, to);
		if (a >= 0 && z >= 0 && !(g->os == BENCH_LINUX && s->from == AT(complete)))
			v[n++] = z - a;
	}
	struct bench_stat st;
	bench_stat_of(v, n, &st);
	return st;
}

/* Linux's own clocks at /init: 0 pre-kernel, 1 kernel, 2 since reset. */
struct bench_stat guest_stat(const struct boots *g, int which)
{
	double v[MAX_LOGS];
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct bench_boot *b = &g->runs[i];
		if (b->guest_uptime_ms < 0)
			continue;
		v[n++] = which == 0   ? b->guest_reset_ms - b->guest_uptime_ms
		         : which == 1 ? b->guest_uptime_ms
		                      : b->guest_reset_ms;
	}
	struct bench_stat st;
	bench_stat_of(v, n, &st);
	return st;
}

/* ---- the command line ---- */

static int add_boot(struct opts *o, char *arg)
{
	char *eq = strchr(arg, '='), err[BENCHLOG_ERR];
	if (!eq || eq - arg >= 32 || !strchr(arg, '/') || strchr(arg, '/') > eq) {
		fprintf(stderr, "benchtab: --boot %s: expected SYSTEM/FIRMWARE=LOG\n", arg);
		return -1;
	}
	*eq = 0;
	enum bench_os os = strncmp(arg, "linux/", 6) == 0 ? BENCH_LINUX : BENCH_TESSERA;
	if (os != BENCH_LINUX && strncmp(arg, "tessera/", 8) && strncmp(arg, "limine/", 7)) {
		fprintf(stderr, "benchtab: --boot %s: the system is tessera, limine or linux\n",
		        arg);
		return -1;
	}
	struct boots *g = NULL;
	for (size_t i = 0; i < o->nboots; i++)
		if (strcmp(o->boots[i].label, arg) == 0)
			g = &o->boots[i];
	if (!g && o->nboots < MAX_BOOTS) {
		g = &o->boots[o->nboots++];
		snprintf(g->label, sizeof g->label, "%s", arg);
		g->os = os;
	}
	char *text = slurp(eq + 1);
	if (!g || g->n == MAX_LOGS || !text) {
		if (text)
			fprintf(stderr, "benchtab: %s: too many boots or labels\n", eq + 1);
		free(text);
		return -1;
	}
	int r = benchlog_boot(text, os, &g->runs[g->n++], err, sizeof err);
	if (r)
		fprintf(stderr, "benchtab: %s: %s\n", eq + 1, err);
	free(text);
	return r;
}

/* SYSTEM/DISK=LOG: remembered, read by read_storage. */
static int add_storage(struct opts *o, char *arg)
{
	char *eq = strchr(arg, '='), *slash = strchr(arg, '/');
	if (!eq || !slash || slash > eq || eq - slash - 1 < 1 || eq - slash - 1 >= DISK_NAME) {
		fprintf(stderr, "benchtab: --storage %s: expected SYSTEM/DISK=LOG\n", arg);
		return -1;
	}
	*eq = *slash = 0;
	int linux_ = !strcmp(arg, "linux");
	if (!linux_ && strcmp(arg, "tessera")) {
		fprintf(stderr, "benchtab: --storage %s: the system is tessera or linux\n", arg);
		return -1;
	}
	size_t d = 0;
	while (d < o->ndisks && strcmp(o->disks[d], slash + 1))
		d++;
	if (d == MAX_DISKS || o->nstorage == MAX_LOGS) {
		fprintf(stderr, "benchtab: --storage %s: too many disks or logs\n", eq + 1);
		return -1;
	}
	if (d == o->ndisks)
		snprintf(o->disks[o->ndisks++], DISK_NAME, "%s", slash + 1);
	struct storage_log *l = &o->storage[o->nstorage++];
	l->os = linux_ ? BENCH_LINUX : BENCH_TESSERA;
	snprintf(l->disk, sizeof l->disk, "%s", slash + 1);
	l->path = eq + 1;
	return 0;
}

/* The storage logs' figures; a log that cannot be read or has none is
 * said and leaves its figures missing (the tables are written anyway). */
static void read_storage(struct opts *o)
{
	char err[BENCHLOG_ERR];
	for (size_t i = 0; i < o->nstorage; i++) {
		const struct storage_log *l = &o->storage[i];
		char *text = slurp(l->path);
		if (!text)
			continue;
		if (l->os == BENCH_LINUX)
			guest_errors(l->path, text, "bench-linux");
		int got = benchlog_storage(text, l->os, l->disk,
		                           l->os == BENCH_LINUX ? &o->slin : &o->stess, err,
		                           sizeof err);
		free(text);
		if (got < 0)
			fprintf(stderr, "benchtab: %s: %s\n", l->path, err);
		else if (got < BENCH_STORAGE_FIGS)
			fprintf(stderr, "benchtab: %s: %d of the %d storage figures\n", l->path,
			        got, BENCH_STORAGE_FIGS);
	}
}

static int parse(int argc, char **argv, struct opts *o)
{
	o->machine = "unknown machine";
	o->firmware = "uefi";
	for (int i = 1; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return -1;
		if (!strcmp(k, "--out"))
			o->out = v;
		else if (!strcmp(k, "--machine"))
			o->machine = v;
		else if (!strcmp(k, "--firmware"))
			o->firmware = v;
		else if (!strcmp(k, "--tessera") && o->ntessera < MAX_LOGS)
			o->tessera[o->ntessera++] = v;
		else if (!strcmp(k, "--linux") && o->nlinux < MAX_LOGS)
			o->linux_[o->nlinux++] = v;
		else if (!strcmp(k, "--boot")) {
			if (add_boot(o, argv[i + 1]))
				return -2;
		} else if (!strcmp(k, "--storage")) {
			if (add_storage(o, argv[i + 1]))
				return -2;
		} else
			return -1;
	}
	return o->out ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct opts o;
	static struct bench_rounds tess, lin;
	int r = parse(argc, argv, &o);
	if (r) {
		if (r == -1)
			fputs(usage, stderr);
		return 2;
	}
	if (read_rounds(o.tessera, o.ntessera, "bench-user", &tess) ||
	    read_rounds(o.linux_, o.nlinux, "bench-linux", &lin))
		return 1;
	read_storage(&o);
	if (o.ntessera || o.nlinux || o.nstorage)
		print_figures(&o, &tess, &lin);
	if (o.nboots)
		print_boots(&o);
	if (write_outputs(&o, &tess, &lin))
		return 1;
	return missing ? 1 : 0;
}
