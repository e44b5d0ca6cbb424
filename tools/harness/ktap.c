/* KTAP parser; see ktap.h. */
#include "ktap.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ktap_init(struct ktap *k)
{
	memset(k, 0, sizeof *k);
	k->plan = -1;
}

void ktap_free(struct ktap *k)
{
	for (int i = 0; i < k->ncases; i++) {
		free(k->cases[i].name);
		free(k->cases[i].reason);
		free(k->cases[i].diag);
	}
	free(k->cases);
	ktap_init(k);
}

/* Records the first structural problem only: later ones are consequences. */
__attribute__((format(printf, 2, 3))) static void set_error(struct ktap *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (!k->error[0])
		vsnprintf(k->error, sizeof k->error, fmt, ap);
	va_end(ap);
}

/* Appends a diagnostic line, dropping the oldest lines when full. */
static void add_pending(struct ktap *k, const char *line)
{
	size_t len = strlen(line);
	if (len + 1 > KTAP_DIAG_MAX / 2)
		len = KTAP_DIAG_MAX / 2 - 1;
	while (k->pending_len + len + 1 > KTAP_DIAG_MAX - 1) {
		char *nl = memchr(k->pending, '\n', k->pending_len);
		size_t drop = nl ? (size_t)(nl - k->pending) + 1 : k->pending_len;
		memmove(k->pending, k->pending + drop, k->pending_len - drop);
		k->pending_len -= drop;
	}
	memcpy(k->pending + k->pending_len, line, len);
	k->pending_len += len;
	k->pending[k->pending_len++] = '\n';
	k->pending[k->pending_len] = '\0';
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Trims trailing blanks from [s, s+n); returns the new length. */
static size_t trim_end(const char *s, size_t n)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

/* Stores one result line's name, directive and status in c. */
static void split_result(struct ktap_case *c, const char *rest, int ok)
{
	if (strncmp(rest, "- ", 2) == 0)
		rest += 2;
	const char *hash = strstr(rest, " #");
	size_t name_len = trim_end(rest, hash ? (size_t)(hash - rest) : strlen(rest));
	c->name = dup_range(rest, name_len);
	c->status = ok ? KTAP_PASS : KTAP_FAIL;
	if (!hash)
		return;
	const char *why = hash + 2;
	while (*why == ' ')
		why++;
	if (strncasecmp(why, "SKIP", 4) == 0 || strncasecmp(why, "TODO", 4) == 0) {
		c->status = KTAP_SKIP;
		why += 4;
		while (*why == ' ' || *why == ':')
			why++;
	}
	c->reason = dup_range(why, trim_end(why, strlen(why)));
}

/* Parses "ok N ..." or "not ok N ..."; 0 if line is no result line. */
static int parse_result(struct ktap *k, const char *line)
{
	int ok = strncmp(line, "ok ", 3) == 0;
	if (!ok && strncmp(line, "not ok ", 7) != 0)
		return 0;
	const char *p = line + (ok ? 3 : 7);
	if (!isdigit((unsigned char)*p))
		return 0;
	char *end;
	long n = strtol(p, &end, 10);
	while (*end == ' ')
		end++;
	if (k->ncases == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 32;
		k->cases = realloc(k->cases, (size_t)k->cap * sizeof *k->cases);
		if (!k->cases)
			abort();
	}
	struct ktap_case *c = &k->cases[k->ncases++];
	memset(c, 0, sizeof *c);
	c->number = (int)n;
	split_result(c, end, ok);
	if (k->pending_len)
		c->diag = dup_range(k->pending, k->pending_len);
	k->pending_len = 0;
	k->pending[0] = '\0';
	if (n != k->ncases)
		set_error(k, "result %d out of order (expected %d)", (int)n, k->ncases);
	return 1;
}

/* Parses a plan line "1..N"; 0 if line is none. */
static int parse_plan(struct ktap *k, const char *line)
{
	if (strncmp(line, "1..", 3) != 0 || !isdigit((unsigned char)line[3]))
		return 0;
	char *end;
	long n = strtol(line + 3, &end, 10);
	if (*end && !isspace((unsigned char)*end))
		return 0;
	if (k->plan >= 0)
		set_error(k, "a second plan line 1..%d (first 1..%d)", (int)n, k->plan);
	else
		k->plan = (int)n;
	return 1;
}

void ktap_line(struct ktap *k, const char *line)
{
	if (strncmp(line, "KTAP version ", 13) == 0 || strncmp(line, "TAP version ", 12) == 0) {
		if (k->started && k->ncases)
			set_error(k, "a second KTAP header after %d results", k->ncases);
		k->started = 1;
		return;
	}
	if (!k->started)
		return;
	if (strncmp(line, "Bail out!", 9) == 0) {
		set_error(k, "bail out:%.200s", line + 9);
		add_pending(k, line);
		return;
	}
	if (parse_plan(k, line) || parse_result(k, line))
		return;
	if (strncmp(line, "# Totals:", 9) == 0)
		return;
	add_pending(k, line);
}

int ktap_finish(struct ktap *k)
{
	if (!k->started)
		set_error(k, "no KTAP report (no \"KTAP version 1\" line)");
	else if (k->plan < 0)
		set_error(k, "no plan line 1..N (%d results)", k->ncases);
	else if (k->plan != k->ncases)
		set_error(k, "plan 1..%d but %d results", k->plan, k->ncases);
	return k->error[0] ? -1 : 0;
}

int ktap_count(const struct ktap *k, enum ktap_status s)
{
	int n = 0;
	for (int i = 0; i < k->ncases; i++)
		n += k->cases[i].status == s;
	return n;
}
