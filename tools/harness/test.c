/* harness test: host test binaries, then the boot matrix, one report. */
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootsum.h"
#include "files.h"
#include "harness.h"
#include "job.h"
#include "qemu.h"

#define MAX_SKIPS 8

struct test_opts {
	const char *build, *matrix, *qemu, *accel, *cpu, *ovmf_code, *ovmf_vars;
	int jobs, host_timeout;
	const char *skip[MAX_SKIPS]; /* --skip-image PREFIX=REASON */
	int nskip;
	int require_images; /* --require-images: a missing image fails */
};

struct test_ctx {
	FILE *out;
	struct results rs;
	const struct matrix *m;
	const char *build;
	int nbins; /* jobs before the first matrix entry */
	char *ran; /* per matrix entry: it ran to a verdict in this run */
};

static const char test_usage[] =
        "usage: harness test --build DIR [--matrix FILE] [--jobs N] [--host-timeout S]\n"
        "                    [--skip-image PREFIX=REASON] [--require-images]\n"
        "                    [--qemu PATH] [--accel tcg|kvm] [--cpu MODEL]\n"
        "                    [--ovmf-code PATH] [--ovmf-vars PATH] [HOST_TEST_BINARY...]\n";

/* Parses the options; returns the index of the first binary, or -1. */
static int parse_test_opts(int argc, char **argv, struct test_opts *o, FILE *err)
{
	static const struct option longopts[] = {
	        {"build", 1, NULL, 'b'},          {"matrix", 1, NULL, 'm'},
	        {"qemu", 1, NULL, 'q'},           {"jobs", 1, NULL, 'j'},
	        {"accel", 1, NULL, 'a'},          {"cpu", 1, NULL, 'c'},
	        {"ovmf-code", 1, NULL, 'C'},      {"ovmf-vars", 1, NULL, 'V'},
	        {"host-timeout", 1, NULL, 't'},   {"skip-image", 1, NULL, 's'},
	        {"require-images", 0, NULL, 'r'}, {NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->build = optarg; break;
		case 'm': o->matrix = optarg; break;
		case 'q': o->qemu = optarg; break;
		case 'j': o->jobs = atoi(optarg); break;
		case 'a': o->accel = optarg; break;
		case 'c': o->cpu = optarg; break;
		case 'C': o->ovmf_code = optarg; break;
		case 'V': o->ovmf_vars = optarg; break;
		case 't': o->host_timeout = atoi(optarg); break;
		case 'r': o->require_images = 1; break;
		case 's':
			if (o->nskip == MAX_SKIPS || !strchr(optarg, '=')) {
				fprintf(err,
				        "harness test: --skip-image PREFIX=REASON, at most %d\n",
				        MAX_SKIPS);
				return -1;
			}
			o->skip[o->nskip++] = optarg;
			break;
		default:
			fprintf(err, "harness test: bad option %s\n%s", argv[optind - 1],
			        test_usage);
			return -1;
		}
	}
	if (!o->build || o->jobs < 0 || o->host_timeout < 1) {
		fprintf(err, "harness test: --build DIR is required\n%s", test_usage);
		return -1;
	}
	return optind;
}

/* Sets up the job for a host test binary. */
static void host_job(struct job *j, char *bin, const struct test_opts *o)
{
	char **argv = calloc(2, sizeof *argv);
	if (!argv)
		abort();
	argv[0] = bin;
	j->argv = argv;
	j->mem = argv;
	j->timeout = o->host_timeout;
	j->cost = 1;
	char *copy = strdup(bin);
	snprintf(j->log_path, sizeof j->log_path, "%s/logs/host/%s.log", o->build, basename(copy));
	free(copy);
}

/* The private copy of the OVMF variable store for an entry (per process:
 * two `make test` runs in one build directory do not share it). */
static void vars_path(char *buf, size_t size, const char *build, const struct matrix_entry *e)
{
	snprintf(buf, size, "%s/logs/%s.vars.%ld.fd", build, e->name, (long)getpid());
}

/* The reason to skip an entry whose image starts with a --skip-image
 * prefix (images that exist but must not be used in this run), or NULL. */
static char *skip_reason(const struct matrix_entry *e, const struct test_opts *o)
{
	for (int i = 0; i < o->nskip; i++) {
		const char *eq = strchr(o->skip[i], '=');
		size_t n = (size_t)(eq - o->skip[i]);
		if (strncmp(e->image, o->skip[i], n) == 0)
			return strdup(eq + 1);
	}
	return NULL;
}

/* A screen entry's checks (read now: a bad file fails the entry before
 * QEMU starts), its monitor socket and screendump paths. */
static int screen_job(struct job *j, const struct matrix_entry *e, const struct test_opts *o)
{
	struct screen_spec *s = malloc(sizeof *s);
	if (!s)
		abort();
	if (screen_load(e->text, s, j->out.why, sizeof j->out.why) != 0) {
		free(s);
		j->out.end = RUN_NOT_STARTED;
		return -1;
	}
	j->out.screen = s;
	snprintf(j->monitor, sizeof j->monitor, "%s/logs/%s.mon", o->build, e->name);
	snprintf(j->out.screen_ppm, sizeof j->out.screen_ppm, "%s/logs/%s.ppm", o->build, e->name);
	unlink(j->monitor);
	return 0;
}

/* Sets up the job for a boot-matrix entry: its image must exist, and UEFI
 * runs get their own copy of the OVMF variable store. */
static void entry_job(struct job *j, const struct matrix_entry *e, const struct test_opts *o)
{
	char image[512], vars[512], err[256];
	j->entry = e;
	j->timeout = e->timeout;
	/* one CPU per instance: firmware boots on one vCPU, idle vCPUs halt */
	j->cost = 1;
	snprintf(j->log_path, sizeof j->log_path, "%s/logs/%s.serial", o->build, e->name);
	monitor_init(&j->mon, e, j->log_path);
	files_join(image, sizeof image, o->build, e->image);
	if ((j->skip = skip_reason(e, o)))
		return;
	if (access(image, R_OK) != 0 && o->require_images) {
		j->out.end = RUN_NOT_STARTED;
		snprintf(j->out.why, sizeof j->out.why,
		         "image %s not found, and this run builds every image it boots", image);
		return;
	}
	if (access(image, R_OK) != 0) {
		char *why = malloc(600);
		snprintf(why, 600, "image %s not found", image);
		j->skip = why;
		return;
	}
	vars_path(vars, sizeof vars, o->build, e);
	if (e->expect == EXPECT_SCREEN && screen_job(j, e, o) != 0)
		return;
	struct qemu_opts q = {
	        .qemu = o->qemu,
	        .image = image,
	        .firmware = e->firmware,
	        .machine = e->machine,
	        .accel = o->accel,
	        .cpu = o->cpu,
	        .cores = e->cores,
	        .memory = e->memory,
	        .display = "none",
	        .ovmf_code = o->ovmf_code,
	        .ovmf_vars = vars,
	        .serial = QEMU_SERIAL_STDIO,
	        .snapshot = 1,
	        .monitor = j->monitor[0]    ? j->monitor
	                   : j->mon.path[0] ? j->mon.path
	                                    : NULL,
	        .device = e->device[0] ? e->device : NULL,
	        .virtio_disk = e->virtio_disk,
	};
	struct qemu_cmd *cmd = malloc(sizeof *cmd);
	if (!cmd)
		abort();
	if (strcmp(e->firmware, "uefi") == 0 &&
	    files_copy(o->ovmf_vars ? o->ovmf_vars : OVMF_VARS_DEFAULT, vars) != 0) {
		j->out.end = RUN_NOT_STARTED;
		snprintf(j->out.why, sizeof j->out.why, "cannot copy the OVMF variable store to %s",
		         vars);
	} else if (qemu_build(&q, cmd, err, sizeof err) != 0) {
		j->out.end = RUN_NOT_STARTED;
		snprintf(j->out.why, sizeof j->out.why, "%s", err);
	} else {
		j->argv = cmd->argv;
		j->mem = cmd;
		return;
	}
	free(cmd);
}

/* The matrix index of entry name, or -1. */
static int entry_index(const struct matrix *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->entries[i].name, name) == 0)
			return i;
	return -1;
}

/* Loader conformance: compares the boot summary in e's serial log with the
 * one in its reference entry's log (same=NAME), both from this run. */
static void report_same(const struct matrix_entry *e, struct test_ctx *c)
{
	char name[200], path[600], fail[4096], allowed[4096];
	snprintf(name, sizeof name, "[%s] conformance with %s", e->name, e->same);
	int ref = entry_index(c->m, e->same);
	if (ref < 0 || !c->ran[ref]) {
		report_skip(name, "the reference entry did not run", &c->rs);
		return;
	}
	struct bootsum a, b;
	snprintf(path, sizeof path, "%s/logs/%s.serial", c->build, e->name);
	char *la = files_read(path);
	snprintf(path, sizeof path, "%s/logs/%s.serial", c->build, e->same);
	char *lb = files_read(path);
	bootsum_parse(la ? la : "", &a);
	bootsum_parse(lb ? lb : "", &b);
	int bad = bootsum_compare(&a, &b, e->same, fail, sizeof fail, allowed, sizeof allowed);
	report_compare(name, bad, fail, allowed, &c->rs);
	bootsum_free(&a);
	bootsum_free(&b);
	free(la);
	free(lb);
}

/* The cases a ktap entry's test kernel declares, from the list beside its
 * image (test.img: test.ktests); 0, or -1 after reporting why not. */
static int load_cases(const struct matrix_entry *e, struct test_ctx *c, struct ktests *decl)
{
	char image[512], path[600], name[200], err[600];
	files_join(image, sizeof image, c->build, e->image);
	size_t n = strlen(image);
	if (n > 4 && strcmp(image + n - 4, ".img") == 0)
		n -= 4;
	snprintf(path, sizeof path, "%.*s.ktests", (int)n, image);
	snprintf(name, sizeof name, "[%s] cases", e->name);
	char *text = files_read(path);
	int rc = text ? ktests_read(decl, text, path, err, sizeof err) : -1;
	if (!text)
		snprintf(err, sizeof err,
		         "cannot read %s, the list of the cases the image's kernel declares "
		         "(make writes it beside the image: harness ktests)",
		         path);
	if (rc != 0)
		report_fail(name, err, &c->rs);
	free(text);
	return rc;
}

/* Prints a finished job's results (called in job order). */
static void job_done(struct job *j, int index, void *arg)
{
	struct test_ctx *c = arg;
	const struct matrix_entry *e = j->entry;
	int from = c->rs.n;
	(void)index;
	if (e) {
		char name[400];
		fprintf(c->out, "# [%s] %s: %s %s, %d core%s, %d MiB", e->name, e->image,
		        e->firmware, e->machine, e->cores, e->cores == 1 ? "" : "s", e->memory);
		fprintf(c->out, j->skip || !j->argv ? "\n" : " (%.1f s)\n", j->out.seconds);
		snprintf(name, sizeof name, "[%s] %s", e->name, e->image);
		if (j->skip) {
			report_skip(name, j->skip, &c->rs);
		} else {
			struct ktests decl = {0};
			int have = e->expect == EXPECT_KTAP && j->out.end != RUN_NOT_STARTED &&
			           load_cases(e, c, &decl) == 0;
			report_entry(e, &j->out, have ? &decl : NULL, &c->rs);
			ktests_free(&decl);
			c->ran[index - c->nbins] = j->out.end != RUN_NOT_STARTED;
			if (e->same[0])
				report_same(e, c);
		}
	} else {
		char *copy = strdup(j->argv[0]);
		report_host(basename(copy), &j->out, &c->rs);
		free(copy);
	}
	report_print(&c->rs, from, c->out);
	fflush(c->out);
	ktap_free(&j->out.ktap);
}

/* Reads and parses the matrix file (none: empty); 0 or -1 after a message. */
static int load_matrix(const char *path, struct matrix *m, FILE *err)
{
	char msg[512];
	m->entries = NULL;
	m->n = 0;
	if (!path)
		return 0;
	char *text = files_read(path);
	if (!text) {
		fprintf(err, "harness: cannot read %s\n", path);
		return -1;
	}
	int rc = matrix_parse(text, path, m, msg, sizeof msg);
	free(text);
	if (rc != 0)
		fprintf(err, "%s\n", msg);
	return rc;
}

/* Frees what host_job and entry_job allocated, and removes the copies of
 * the OVMF variable store (also those of runs cut short by an interrupt). */
static void free_jobs(struct job *jobs, int n, const char *build)
{
	char vars[512];
	for (int i = 0; i < n; i++) {
		if (jobs[i].entry) {
			vars_path(vars, sizeof vars, build, jobs[i].entry);
			unlink(vars);
			monitor_close(&jobs[i].mon);
		}
		free(jobs[i].mem);
		free((char *)jobs[i].skip);
		free((void *)jobs[i].out.screen);
		if (jobs[i].monitor[0])
			unlink(jobs[i].monitor);
	}
	free(jobs);
}

int harness_test(int argc, char **argv, FILE *out)
{
	struct test_opts o = {.accel = "tcg", .host_timeout = 120};
	struct matrix m;
	int first = parse_test_opts(argc, argv, &o, stderr);
	if (first < 0 || load_matrix(o.matrix, &m, stderr) != 0)
		return 2;
	char logs[600];
	snprintf(logs, sizeof logs, "%s/logs/host", o.build);
	if (files_mkdirs(logs) != 0) {
		fprintf(stderr, "harness: cannot create %s\n", logs);
		return 2;
	}
	int nbins = argc - first, n = nbins + m.n;
	struct job *jobs = calloc((size_t)n + 1, sizeof *jobs);
	if (!jobs)
		abort();
	for (int i = 0; i < nbins; i++)
		host_job(&jobs[i], argv[first + i], &o);
	for (int i = 0; i < m.n; i++)
		entry_job(&jobs[nbins + i], &m.entries[i], &o);
	struct test_ctx c = {.out = out, .m = &m, .build = o.build, .nbins = nbins};
	c.ran = calloc((size_t)m.n + 1, 1);
	if (!c.ran)
		abort();
	int cpus = o.jobs ? o.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int rc = jobs_run(jobs, n, cpus > 0 ? cpus : 1, job_done, &c);
	if (rc != 0)
		fprintf(out, "# interrupted\n");
	if (c.rs.skipped)
		fprintf(out, "# %d skipped\n", c.rs.skipped);
	fprintf(out, "%d passed, %d failed\n", c.rs.passed, c.rs.failed);
	fflush(out);
	rc = rc != 0 ? 130 : c.rs.failed ? 1 : 0;
	results_free(&c.rs);
	free(c.ran);
	free_jobs(jobs, n, o.build);
	matrix_free(&m);
	return rc;
}
