/* Reading benchmark logs; see benchlog.h. */
#include "benchlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX 4096

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies the line at *p into line (cut at LINE_MAX - 1, '\r' dropped) and
 * moves *p past it; 0 at the end of text. */
static int next_line(const char **p, char *line)
{
	if (!**p)
		return 0;
	size_t n = 0;
	const char *s = *p;
	for (; *s && *s != '\n'; s++)
		if (*s != '\r' && n < LINE_MAX - 1)
			line[n++] = *s;
	line[n] = 0;
	*p = *s ? s + 1 : s;
	return 1;
}

static struct bench_series *series(struct bench_rounds *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->s[i].name, name) == 0)
			return &r->s[i];
	if (r->n == BENCHLOG_SERIES)
		return NULL;
	struct bench_series *s = &r->s[r->n++];
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	return s;
}

/* A non-negative decimal number that is all of word. */
static int number(const char *word, double *v)
{
	char *end;
	if (!*word || *word == '-' || *word == '+')
		return 0;
	*v = strtod(word, &end);
	return *end == 0 && *v == *v && *v < 1e300;
}

/* The rest of a rounds line after "PREFIX: rounds ", line lineno. */
static int take_rounds(struct bench_rounds *r, char *rest, int lineno, char *err, size_t size)
{
	char *save, *name = strtok_r(rest, " \t", &save);
	if (!name)
		return fail(err, size, "line %d: a rounds line without a figure name", lineno);
	if (strlen(name) >= BENCHLOG_NAME)
		return fail(err, size, "line %d: figure name \"%.40s...\" is too long", lineno,
		            name);
	struct bench_series *s = series(r, name);
	if (!s)
		return fail(err, size, "line %d: more than %d figures", lineno, BENCHLOG_SERIES);
	int got = 0;
	for (char *w; (w = strtok_r(NULL, " \t", &save)); got++) {
		double v;
		if (!number(w, &v))
			return fail(err, size,
			            "line %d: figure %s: \"%.40s\" is not a number of cycles",
			            lineno, name, w);
		if (s->n == BENCHLOG_VALUES)
			return fail(err, size, "line %d: figure %s: more than %d values", lineno,
			            name, BENCHLOG_VALUES);
		s->v[s->n++] = v;
	}
	if (!got)
		return fail(err, size, "line %d: figure %s has no values", lineno, name);
	return 0;
}

int benchlog_rounds(const char *text, const char *prefix, struct bench_rounds *r, char *err,
                    size_t errsize)
{
	char line[LINE_MAX], key[128];
	int lineno = 0, taken = 0;
	snprintf(key, sizeof key, "%s: rounds ", prefix);
	for (const char *p = text; next_line(&p, line);) {
		lineno++;
		char *at = strstr(line, key);
		if (!at)
			continue;
		if (take_rounds(r, at + strlen(key), lineno, err, errsize))
			return -1;
		taken++;
	}
	return taken;
}

/* ---- storage ---- */

/* Each system's words for the four storage figures, in
 * BENCH_STORAGE_NAMES's order (user/fs/bench.c, bench/linux/disk.c). */
static const char *const storage_text[2][BENCH_STORAGE_FIGS] = {
        {"fs: bench: raw driver: sequential read ", "fs: bench: raw driver: 4 KiB random read ",
         "fs: bench: file service: sequential read ",
         "fs: bench: file service: 4 KiB random read "},
        {"bench-linux: storage: raw device: sequential read ",
         "bench-linux: storage: raw device: 4 KiB random read ",
         "bench-linux: storage: vfat: sequential read ",
         "bench-linux: storage: vfat: 4 KiB random read "}};
const char *const bench_storage_names[BENCH_STORAGE_FIGS] = {"rawseq", "rawrand", "fsseq",
                                                             "fsrand"};

/* "N KiB/s" (as MiB/s) or "N IOPS" after a figure's words. */
static int storage_value(const char *rest, int seq, double *v)
{
	char word[32], unit[16];
	if (sscanf(rest, "%31s %15s", word, unit) != 2 || !number(word, v))
		return 0;
	if (strcmp(unit, seq ? "KiB/s" : "IOPS"))
		return 0;
	if (seq)
		*v /= 1024;
	return 1;
}

int benchlog_storage(const char *text, enum bench_os os, const char *disk, struct bench_rounds *r,
                     char *err, size_t errsize)
{
	char line[LINE_MAX], name[BENCHLOG_NAME];
	int lineno = 0, taken = 0;
	for (const char *p = text; next_line(&p, line);) {
		lineno++;
		for (int f = 0; f < BENCH_STORAGE_FIGS; f++) {
			const char *at = strstr(line, storage_text[os][f]);
			double v;
			if (!at)
				continue;
			if (!storage_value(at + strlen(storage_text[os][f]), f % 2 == 0, &v))
				return fail(err, errsize, "line %d: \"%.60s\": no %s after it",
				            lineno, storage_text[os][f],
				            f % 2 == 0 ? "\"N KiB/s\"" : "\"N IOPS\"");
			snprintf(name, sizeof name, "%s.%s", disk, bench_storage_names[f]);
			struct bench_series *s = series(r, name);
			if (!s || s->n == BENCHLOG_VALUES)
				return fail(err, errsize, "line %d: too many figures or values",
				            lineno);
			s->v[s->n++] = v;
			taken++;
		}
	}
	return taken;
}

const struct bench_series *benchlog_find(const struct bench_rounds *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->s[i].name, name) == 0)
			return &r->s[i];
	return NULL;
}

/* ---- boots ---- */

static void mark(double *at, double t)
{
	if (*at < 0)
		*at = t;
}

/* The probe's "bench-linux: boot uptime_us U cycles C cycles_mhz M". */
static void linux_clocks(struct bench_boot *b, const char *at)
{
	unsigned long long us, cycles, mhz;
	if (sscanf(at, "bench-linux: boot uptime_us %llu cycles %llu cycles_mhz %llu", &us, &cycles,
	           &mhz) != 3 ||
	    mhz == 0)
		return;
	b->guest_uptime_ms = (double)us / 1e3;
	b->guest_reset_ms = (double)cycles / ((double)mhz * 1e3);
}

/* Tessera's "tessera: clocks: kernel entry E us, boot complete C us after
 * reset" and init's "init: clocks: init started S us, user space up U us
 * after reset". */
static void tessera_clocks(struct bench_boot *b, const char *text)
{
	unsigned long long e, c, s, u;
	const char *at;
	if ((at = strstr(text, "tessera: clocks: ")) &&
	    sscanf(at, "tessera: clocks: kernel entry %llu us, boot complete %llu us", &e, &c) == 2)
		b->entry_ms = (double)e / 1e3;
	if ((at = strstr(text, "init: clocks: ")) &&
	    sscanf(at, "init: clocks: init started %llu us, user space up %llu us", &s, &u) == 2 &&
	    b->entry_ms >= 0 && (double)s / 1e3 >= b->entry_ms) {
		b->guest_reset_ms = (double)s / 1e3;
		b->guest_uptime_ms = b->guest_reset_ms - b->entry_ms;
	}
}

/* One stamped line's text at time t. */
static void boot_line(struct bench_boot *b, enum bench_os os, const char *text, double t)
{
	const char *at;
	if (strstr(text, "BdsDxe: starting") || strstr(text, "debugcon: Booting from"))
		mark(&b->firmware, t);
	if (os == BENCH_LINUX) {
		if (strstr(text, "EFI stub:")) /* the kernel's own UEFI loader */
			mark(&b->firmware, t);
		if (strstr(text, "Linux version"))
			mark(&b->kernel, t);
		if ((at = strstr(text, "bench-linux: boot "))) {
			mark(&b->first_user, t);
			mark(&b->user_up, t);
			linux_clocks(b, at);
		}
		return;
	}
	tessera_clocks(b, text);
	if (strstr(text, "tessera-loader:"))
		mark(&b->firmware, t);
	if (strstr(text, "tessera: x86_64 CPU driver starting"))
		mark(&b->kernel, t);
	if (strstr(text, "tessera: boot complete"))
		mark(&b->complete, t);
	if (strstr(text, "monitor: core"))
		mark(&b->first_user, t);
	if (strstr(text, "tessera: user space up"))
		mark(&b->user_up, t);
}

int benchlog_boot(const char *text, enum bench_os os, struct bench_boot *b, char *err,
                  size_t errsize)
{
	char line[LINE_MAX];
	int lineno = 0;
	*b = (struct bench_boot){-1, -1, -1, -1, -1, -1, -1, -1};
	for (const char *p = text; next_line(&p, line);) {
		lineno++;
		char *end;
		double t = strtod(line, &end);
		if (end == line || *end != '\t' || t < 0)
			return fail(err, errsize,
			            "line %d: no \"MILLISECONDS<TAB>\" stamp: \"%.60s\"", lineno,
			            line);
		boot_line(b, os, end + 1, t);
	}
	return 0;
}
