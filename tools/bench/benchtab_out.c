/* benchtab's tables and files; see benchtab.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "benchtab.h"

/* "4336.9 (4295.1..4369.7) n=9", or "-" for no values. */
static const char *text_stat(char *buf, size_t size, const struct bench_stat *s)
{
	if (!s->n)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f (%.1f..%.1f) n=%zu", s->median, s->min, s->max, s->n);
	return buf;
}

/* Tessera's median over Linux's, 0 if either is missing. */
static double ratio(const struct bench_stat *t, const struct bench_stat *l)
{
	return t->n && l->n && l->median > 0 ? t->median / l->median : 0;
}

static const struct stage *stage_named(const char *name)
{
	for (size_t i = 0; i < NSTAGES; i++)
		if (!strcmp(stages[i].name, name))
			return &stages[i];
	return NULL;
}

/* A stage of label's boots (zeros without any). */
static struct bench_stat boot_stat(const struct opts *o, const char *system, const char *stage)
{
	char label[64];
	struct bench_stat none = {0};
	snprintf(label, sizeof label, "%s/%s", system, o->firmware);
	const struct boots *g = boots_of(o, label);
	return g ? stage_stat(g, stage_named(stage)) : none;
}

/* The figures table's rows: the pairs, boot (host ms), then each disk's
 * storage figures (MiB/s, IOPS). */
struct row {
	char key[32], what[160], tname[32], lname[32];
	const char *unit;
	struct bench_stat t, l;
};

static void set_row(struct row *r, const char *key, const char *what, const char *tname,
                    const char *lname, const char *unit)
{
	snprintf(r->key, sizeof r->key, "%s", key);
	snprintf(r->what, sizeof r->what, "%s", what);
	snprintf(r->tname, sizeof r->tname, "%s", tname);
	snprintf(r->lname, sizeof r->lname, "%s", lname);
	r->unit = unit;
}

/* What each storage figure is (bench_storage_names's order). */
static const char *const storage_what[BENCH_STORAGE_FIGS] = {
        "raw sequential read (Tessera: its driver; Linux: the device, O_DIRECT)",
        "raw 4 KiB random reads (its driver; O_DIRECT)",
        "file sequential read (Tessera: file service; Linux: vfat)",
        "file 4 KiB random reads (file service; vfat)"};

static int has_storage(const struct opts *o, const char *disk, enum bench_os os)
{
	for (size_t i = 0; i < o->nstorage; i++)
		if (o->storage[i].os == os && !strcmp(o->storage[i].disk, disk))
			return 1;
	return 0;
}

static size_t storage_rows(const struct opts *o, struct row *rows)
{
	size_t n = 0;
	for (size_t d = 0; d < o->ndisks; d++) {
		const char *disk = o->disks[d];
		const char *shown = !strcmp(disk, "virtio") ? "virtio-blk"
		                    : !strcmp(disk, "ahci") ? "AHCI"
		                                            : disk;
		for (int f = 0; f < BENCH_STORAGE_FIGS; f++, n++) {
			struct row *r = &rows[n];
			char name[64], what[160];
			snprintf(name, sizeof name, "%s.%s", disk, bench_storage_names[f]);
			snprintf(what, sizeof what, "%s: %s", shown, storage_what[f]);
			set_row(r, name, what, name, name, f % 2 == 0 ? "MiB/s" : "IOPS");
			r->t = stat_of(benchlog_find(&o->stess, name));
			r->l = stat_of(benchlog_find(&o->slin, name));
			if ((has_storage(o, disk, BENCH_TESSERA) && !r->t.n) ||
			    (has_storage(o, disk, BENCH_LINUX) && !r->l.n))
				missing = 1;
		}
	}
	return n;
}

static size_t rows_of(const struct opts *o, const struct bench_rounds *tess,
                      const struct bench_rounds *lin, struct row *rows)
{
	size_t n = 0;
	for (size_t i = 0; i < NPAIRS; i++, n++) {
		const struct pair *p = &pairs[i];
		set_row(&rows[n], p->key, p->what, p->tessera, p->linux_, "cycles");
		rows[n].t = stat_of(benchlog_find(tess, p->tessera));
		rows[n].l = stat_of(benchlog_find(lin, p->linux_));
		if ((o->ntessera && !rows[n].t.n) || (o->nlinux && !rows[n].l.n))
			missing = 1;
	}
	if (o->nboots) {
		set_row(&rows[n], "boot", "kernel to the first user program (host clock)",
		        "first_user", "first_user", "ms");
		rows[n].t = boot_stat(o, "tessera", "first_user");
		rows[n].l = boot_stat(o, "linux", "first_user");
		n++;
	}
	return n + storage_rows(o, rows + n);
}

/* Whether a row's figure is missing on a side that was given logs. */
static int row_missing(const struct opts *o, const struct row *r, enum bench_os os)
{
	const struct bench_stat *s = os == BENCH_LINUX ? &r->l : &r->t;
	if (s->n)
		return 0;
	const char *dot = strchr(r->key, '.');
	if (dot) { /* storage: DISK.NAME */
		char disk[DISK_NAME];
		snprintf(disk, sizeof disk, "%.*s", (int)(dot - r->key), r->key);
		return has_storage(o, disk, os);
	}
	return os == BENCH_LINUX ? o->nlinux > 0 : o->ntessera > 0;
}

void print_figures(const struct opts *o, const struct bench_rounds *tess,
                   const struct bench_rounds *lin)
{
	static struct row rows[MAX_ROWS];
	size_t n = rows_of(o, tess, lin, rows);
	char a[96], b[96];

	printf("bench-linux: %s\n", o->machine);
	printf("bench-linux: cycles (boot: ms) per operation: median (lowest..highest) over "
	       "every round of every run; ratio = Tessera / Linux\n");
	if (o->ndisks)
		printf("bench-linux: storage (DISK.*): MiB/s or IOPS, one value per boot; a ratio "
		       "above 1: Tessera is faster\n");
	printf("  %-14s %-40s %-40s %-8s %s\n", "figure", "Tessera", "Linux", "ratio", "what");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		double x = ratio(&r->t, &r->l);
		char q[16] = "-";
		if (x > 0)
			snprintf(q, sizeof q, "%.2f", x);
		printf("  %-14s %-40s %-40s %-8s %s\n", r->key, text_stat(a, sizeof a, &r->t),
		       text_stat(b, sizeof b, &r->l), q, r->what);
		if (row_missing(o, r, BENCH_TESSERA) || row_missing(o, r, BENCH_LINUX))
			printf("bench-linux: MISSING: %s (Tessera: %s, Linux: %s)\n", r->key,
			       r->tname, r->lname);
	}
}

/* The guest rows: the guest's own clocks at its first user program. */
static const char *const guest_names[3] = {"guest_prekernel", "guest_kernel", "guest_total"};
static const char *const guest_what[2][3] = {
        {"guest clocks: reset to the kernel's entry (cycle counter)",
         "guest clocks: kernel entry to init's start (cycle counter)",
         "guest clocks: reset to init's start (cycle counter)"},
        {"Linux's clocks: reset to the kernel (cycle counter - uptime)",
         "Linux's clocks: uptime at /init (CLOCK_BOOTTIME)",
         "Linux's clocks: reset to /init (cycle counter)"}};

void print_boots(const struct opts *o)
{
	char a[96];
	printf("bench-boot: milliseconds of host time from QEMU's start (guest_*: the guest's own "
	       "clocks): median (lowest..highest) over the boots\n");
	for (size_t i = 0; i < o->nboots; i++) {
		const struct boots *g = &o->boots[i];
		for (size_t s = 0; s < NSTAGES; s++) {
			struct bench_stat st = stage_stat(g, &stages[s]);
			int na = g->os == BENCH_LINUX && !strcmp(stages[s].name, "user");
			if (!st.n && !na) {
				missing = 1;
				printf("bench-boot: MISSING: %s stage %s\n", g->label,
				       stages[s].name);
			}
			printf("  %-13s %-16s %-36s %s\n", g->label, stages[s].name,
			       na ? "(no such stage)" : text_stat(a, sizeof a, &st),
			       stages[s].what);
		}
		for (int w = 0; w < 3; w++) {
			struct bench_stat st = guest_stat(g, w);
			if (!st.n && g->os != BENCH_LINUX)
				continue; /* Limine's boots: the same kernel, said */
			printf("  %-13s %-16s %-36s %s\n", g->label, guest_names[w],
			       text_stat(a, sizeof a, &st), guest_what[g->os == BENCH_LINUX][w]);
		}
	}
}

/* ---- files ---- */

static FILE *create(const struct opts *o, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", o->out, name);
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "benchtab: %s: %s\n", path, strerror(errno));
	return f;
}

static void csv_stat(FILE *f, const struct bench_stat *s)
{
	if (s->n)
		fprintf(f, ",%zu,%.2f,%.2f,%.2f,%.2f,%.2f", s->n, s->median, s->q1, s->q3, s->min,
		        s->max);
	else
		fprintf(f, ",0,,,,,");
}

static void write_figures(FILE *csv, FILE *dat, const struct row *rows, size_t n)
{
	fprintf(csv,
	        "figure,what,unit,tessera_figure,tessera_n,tessera_median,tessera_q1,"
	        "tessera_q3,tessera_min,tessera_max,linux_figure,linux_n,linux_median,linux_q1,"
	        "linux_q3,linux_min,linux_max,ratio\n");
	fprintf(dat, "# figure ratio(Tessera/Linux) tessera_median linux_median\n");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		double x = ratio(&r->t, &r->l);
		fprintf(csv, "%s,\"%s\",%s,%s", r->key, r->what, r->unit, r->tname);
		csv_stat(csv, &r->t);
		fprintf(csv, ",%s", r->lname);
		csv_stat(csv, &r->l);
		if (x > 0) {
			fprintf(csv, ",%.4f\n", x);
			fprintf(dat, "%s %.4f %.2f %.2f\n", r->key, x, r->t.median, r->l.median);
		} else {
			fprintf(csv, ",\n");
		}
	}
}

static void write_boots(const struct opts *o, FILE *csv, FILE *dat)
{
	fprintf(csv, "system,firmware,stage,clock,n,median_ms,q1_ms,q3_ms,min_ms,max_ms,what\n");
	fprintf(dat, "# boot firmware loader kernel user (median host ms; 0: no such stage)\n");
	for (size_t i = 0; i < o->nboots; i++) {
		const struct boots *g = &o->boots[i];
		const char *slash = strchr(g->label, '/');
		double med[4] = {0};
		for (size_t s = 0; s < NSTAGES; s++) {
			struct bench_stat st = stage_stat(g, &stages[s]);
			fprintf(csv, "%.*s,%s,%s,host", (int)(slash - g->label), g->label,
			        slash + 1, stages[s].name);
			csv_stat(csv, &st);
			fprintf(csv, ",\"%s\"\n", stages[s].what);
			if (s < 4)
				med[s] = st.median;
		}
		for (int w = 0; w < 3; w++) {
			struct bench_stat st = guest_stat(g, w);
			if (!st.n && g->os != BENCH_LINUX)
				continue;
			fprintf(csv, "%.*s,%s,%s,guest", (int)(slash - g->label), g->label,
			        slash + 1, guest_names[w]);
			csv_stat(csv, &st);
			fprintf(csv, ",\"%s\"\n", guest_what[g->os == BENCH_LINUX][w]);
		}
		fprintf(dat, "%s %.1f %.1f %.1f %.1f\n", g->label, med[0], med[1], med[2], med[3]);
	}
}

/* "4 337 (4 295–4 370)" for Markdown; "—" without values. */
static const char *md_stat(char *buf, size_t size, const struct bench_stat *s)
{
	if (!s->n)
		snprintf(buf, size, "—");
	else
		snprintf(buf, size, "%.0f (%.0f–%.0f)", s->median, s->min, s->max);
	return buf;
}

static void write_summary(const struct opts *o, FILE *md, const struct row *rows, size_t n)
{
	char date[32], a[64], b[64];
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
	fprintf(md, "%s; %s.\n\n", date, o->machine);
	fprintf(md, "| figure | unit | Tessera | Linux | Tessera / Linux |\n"
	            "| --- | --- | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < n; i++) {
		double x = ratio(&rows[i].t, &rows[i].l);
		fprintf(md, "| %s | %s | %s | %s | ", rows[i].what, rows[i].unit,
		        md_stat(a, sizeof a, &rows[i].t), md_stat(b, sizeof b, &rows[i].l));
		fprintf(md, x > 0 ? "%.2f |\n" : "— |\n", x);
	}
	if (o->ndisks)
		fprintf(md,
		        "\nStorage rows (MiB/s, IOPS: one value per boot of the storage image): "
		        "a ratio above 1 means Tessera is faster; for the other rows, below 1.\n");
	if (!o->nboots)
		return;
	fprintf(md, "\n| boot (host ms) | firmware | loader | kernel | user space | total |\n"
	            "| --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < o->nboots; i++) {
		const struct boots *g = &o->boots[i];
		fprintf(md, "| %s (%zu) |", g->label, g->n);
		for (size_t s = 0; s < NSTAGES; s++) {
			struct bench_stat st = stage_stat(g, &stages[s]);
			if (strcmp(stages[s].name, "first_user"))
				fprintf(md, " %s |", md_stat(a, sizeof a, &st));
		}
		fprintf(md, "\n");
	}
}

int write_outputs(const struct opts *o, const struct bench_rounds *tess,
                  const struct bench_rounds *lin)
{
	static struct row rows[MAX_ROWS];
	size_t n = rows_of(o, tess, lin, rows);
	char p[5][4096];
	FILE *f[5] = {create(o, "figures.csv", p[0], sizeof p[0]),
	              create(o, "figures.dat", p[1], sizeof p[1]),
	              create(o, "boot.csv", p[2], sizeof p[2]),
	              create(o, "boot.dat", p[3], sizeof p[3]),
	              create(o, "summary.md", p[4], sizeof p[4])};
	int bad = !f[0] || !f[1] || !f[2] || !f[3] || !f[4];
	if (!bad) {
		write_figures(f[0], f[1], rows, n);
		write_boots(o, f[2], f[3]);
		write_summary(o, f[4], rows, n);
	}
	for (int i = 0; i < 5; i++)
		if (f[i] && (ferror(f[i]) | fclose(f[i]))) {
			fprintf(stderr, "benchtab: %s: could not write\n", p[i]);
			bad = 1;
		}
	return bad ? -1 : 0;
}
