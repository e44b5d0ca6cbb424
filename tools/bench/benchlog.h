/* Reading benchmark logs (tools/bench): the per-round figures the guests
 * print over serial, and the moments a boot reaches each stage in a log
 * written by benchrun ("MILLISECONDS<TAB>LINE").  Values of one figure from
 * several logs are pooled, so a figure is the median of every round of
 * every run. */
#ifndef TOOLS_BENCH_BENCHLOG_H
#define TOOLS_BENCH_BENCHLOG_H

#include <stddef.h>

#define BENCHLOG_NAME   32
#define BENCHLOG_SERIES 32
#define BENCHLOG_VALUES 256
#define BENCHLOG_ERR    256

/* One figure's values, in the order read. */
struct bench_series {
	char name[BENCHLOG_NAME];
	double v[BENCHLOG_VALUES];
	size_t n;
};

struct bench_rounds {
	struct bench_series s[BENCHLOG_SERIES];
	size_t n;
};

/* Adds the values of every "PREFIX: rounds NAME V1 V2 ..." line in text
 * (a line may start with anything: "[cpu0] ", a benchrun stamp) to r.
 * The number of lines taken, or -1 with err naming the line (a name too
 * long, a value that is not a non-negative number, no value, too many
 * figures or values). */
int benchlog_rounds(const char *text, const char *prefix, struct bench_rounds *r, char *err,
                    size_t errsize);

/* The series called name, or NULL. */
const struct bench_series *benchlog_find(const struct bench_rounds *r, const char *name);

/* What booted: a Tessera image (our loader or Limine) or Linux with the
 * probe as /init. */
enum bench_os { BENCH_TESSERA, BENCH_LINUX };

/* When one boot reached each point, in host milliseconds since QEMU was
 * started; negative if never.  Tessera's points and the lines that mark
 * them: firmware done (OVMF's "BdsDxe: starting", SeaBIOS's "Booting
 * from", else the loader's first "tessera-loader:" line), kernel
 * ("tessera: x86_64 CPU driver starting"), boot complete ("tessera: boot
 * complete"), the first user program ("monitor: core"), user space up
 * ("tessera: user space up").  Linux's: firmware done (the same, or the
 * kernel's EFI stub's first line), kernel
 * ("Linux version"), first user program and user space up (the probe's
 * "bench-linux: boot" line), which also gives the guest's own clocks. */
struct bench_boot {
	double firmware, kernel, complete, first_user, user_up;
	/* The guest's own clocks at its first user program (-1: not said).
	 * Linux: CLOCK_BOOTTIME at /init, and the cycle counter at /init over
	 * its rate; Tessera: init's start less the kernel's entry, and init's
	 * start (both from the cycle counter, "tessera: clocks", "init: clocks"). */
	double guest_uptime_ms;
	double guest_reset_ms;
	double entry_ms; /* Tessera: the kernel's entry, until init says when it started */
};

/* The storage figures of one boot of the storage image (make
 * bench-linux): Tessera's file service's "fs: bench: raw driver:
 * sequential read N KiB/s", "... raw driver: 4 KiB random read N IOPS",
 * the same with "file service:"; Linux's probe's "bench-linux: storage:
 * raw device: ..." and "... vfat: ...".  Added to r as the series
 * "DISK.NAME", NAME from bench_storage_names in that order (sequential
 * reads in MiB/s, random reads in IOPS).  The number of figures taken, or
 * -1 with err naming the line (no number and unit after the words). */
#define BENCH_STORAGE_FIGS 4
extern const char *const bench_storage_names[BENCH_STORAGE_FIGS];
int benchlog_storage(const char *text, enum bench_os os, const char *disk, struct bench_rounds *r,
                     char *err, size_t errsize);

/* Reads one benchrun log of one boot; 0, or -1 with err (a malformed
 * stamp, naming the line). */
int benchlog_boot(const char *text, enum bench_os os, struct bench_boot *b, char *err,
                  size_t errsize);

#endif
