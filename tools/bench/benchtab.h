/* benchtab's parts (tools/bench/benchtab.c: the command line, the logs
 * and the statistics; benchtab_out.c: the tables and files it writes). */
#ifndef TOOLS_BENCH_BENCHTAB_H
#define TOOLS_BENCH_BENCHTAB_H

#include <stddef.h>

#include "benchlog.h"
#include "stats.h"

#define MAX_LOGS  64
#define MAX_BOOTS 16 /* labels */
#define MAX_DISKS 4  /* storage: disks */
#define DISK_NAME 16

/* Tessera's figure and Linux's counterpart, each by its log's name. */
struct pair {
	const char *key, *what, *tessera, *linux_;
};
#define NPAIRS 9
extern const struct pair pairs[NPAIRS];

/* A boot stage: from one point of each run to another (has_from 0: from
 * QEMU's start); offsets into struct bench_boot. */
struct stage {
	const char *name, *what;
	size_t from, to;
	int has_from;
};
#define NSTAGES 6
extern const struct stage stages[NSTAGES];

/* The runs of one SYSTEM/FIRMWARE label. */
struct boots {
	char label[32];
	enum bench_os os;
	struct bench_boot runs[MAX_LOGS];
	size_t n;
};

/* A storage log: one boot of the storage image on one disk. */
struct storage_log {
	enum bench_os os;
	char disk[DISK_NAME];
	const char *path;
};

struct opts {
	const char *out, *machine, *firmware;
	const char *tessera[MAX_LOGS], *linux_[MAX_LOGS];
	size_t ntessera, nlinux;
	struct boots boots[MAX_BOOTS];
	size_t nboots;
	struct storage_log storage[MAX_LOGS];
	size_t nstorage;
	char disks[MAX_DISKS][DISK_NAME]; /* the storage logs' disks, in order */
	size_t ndisks;
	/* the storage figures read: series "DISK.NAME" (benchlog_storage) */
	struct bench_rounds stess, slin;
};

/* Set by the outputs when a figure or stage has no value. */
extern int missing;

/* The statistics of a series (all zero for NULL). */
struct bench_stat stat_of(const struct bench_series *s);
/* The label's runs, or NULL. */
const struct boots *boots_of(const struct opts *o, const char *label);
/* A stage over the runs that reached both its ends (Linux has no boot
 * complete line: its kernel stage ends at /init, its user stage is empty). */
struct bench_stat stage_stat(const struct boots *g, const struct stage *s);
/* Linux's own clocks at /init: 0 pre-kernel, 1 kernel (CLOCK_BOOTTIME),
 * 2 since reset (the cycle counter); no values for Tessera. */
struct bench_stat guest_stat(const struct boots *g, int which);

/* The rows of the figures table: the pairs, boot, each disk's storage. */
#define MAX_ROWS (NPAIRS + 1 + MAX_DISKS * BENCH_STORAGE_FIGS)

/* benchtab_out.c: the tables on stdout; the files in o->out (0, or -1
 * after saying why). */
void print_figures(const struct opts *o, const struct bench_rounds *tess,
                   const struct bench_rounds *lin);
void print_boots(const struct opts *o);
int write_outputs(const struct opts *o, const struct bench_rounds *tess,
                  const struct bench_rounds *lin);

#endif
