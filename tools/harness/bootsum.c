/* Loader conformance: parsing and comparing boot summaries (bootsum.h). */
#include "bootsum.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG "bootsum: "

/* Keys whose second word is an index ("module 0"). */
static int indexed_key(const char *word)
{
	static const char *const keys[] = {"module", "framebuffer", "cpu", "kernel-file"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(word, keys[i]) == 0)
			return 1;
	return 0;
}

static void *grow(void *p, int n, size_t elem)
{
	if (n % 16 == 0) {
		p = realloc(p, (size_t)(n + 16) * elem);
		if (!p)
			abort();
	}
	return p;
}

/* Adds "mem BASE-END TYPE"; ignores a malformed line. */
static void add_mem(struct bootsum *s, const char *rest)
{
	uint64_t base, end;
	int used = 0;
	if (sscanf(rest, "%" SCNx64 "-%" SCNx64 " %n", &base, &end, &used) < 2 || !used)
		return;
	s->mem = grow(s->mem, s->nmem, sizeof *s->mem);
	struct bootsum_mem *m = &s->mem[s->nmem++];
	m->base = base;
	m->end = end;
	snprintf(m->type, sizeof m->type, "%s", rest + used);
}

/* Adds one fact line (without the tag). */
static void add_line(struct bootsum *s, const char *line)
{
	char first[48] = "", second[48] = "";
	int n1 = 0, n2 = 0;
	sscanf(line, "%47s%n %47s%n", first, &n1, second, &n2);
	if (strcmp(first, "mem") == 0) {
		add_mem(s, line + n1);
		return;
	}
	int len = n1;
	char key[48];
	snprintf(key, sizeof key, "%s", first);
	if (indexed_key(first) && n2 && second[0] >= '0' && second[0] <= '9') {
		snprintf(key, sizeof key, "%s %s", first, second);
		len = n2;
	}
	while (line[len] == ' ')
		len++;
	s->facts = grow(s->facts, s->nfacts, sizeof *s->facts);
	struct bootsum_fact *f = &s->facts[s->nfacts++];
	snprintf(f->key, sizeof f->key, "%s", key);
	snprintf(f->value, sizeof f->value, "%s", line + len);
}

int bootsum_parse(const char *log, struct bootsum *s)
{
	memset(s, 0, sizeof *s);
	int begun = 0;
	for (const char *p = log; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p = eol ? eol + 1 : NULL;
		line[strcspn(line, "\r")] = '\0';
		const char *t = strstr(line, TAG);
		if (!t)
			continue;
		t += strlen(TAG);
		if (strcmp(t, "begin") == 0)
			begun = 1;
		else if (strcmp(t, "end") == 0 && begun)
			s->complete = 1;
		else if (begun && !s->complete)
			add_line(s, t);
	}
	return s->complete;
}

void bootsum_free(struct bootsum *s)
{
	free(s->facts);
	free(s->mem);
	memset(s, 0, sizeof *s);
}

/* Appends a formatted line to buf (truncating quietly when full). */
static void say(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

static const struct bootsum_fact *find_fact(const struct bootsum *s, const char *key)
{
	for (int i = 0; i < s->nfacts; i++)
		if (strcmp(s->facts[i].key, key) == 0)
			return &s->facts[i];
	return NULL;
}

/* Compares the facts other than the memory map; returns the failures. */
static int compare_facts(const struct bootsum *a, const struct bootsum *b, const char *bname,
                         char *fail, size_t fs, char *allowed, size_t as)
{
	int bad = 0;
	for (int i = 0; i < a->nfacts; i++) {
		const struct bootsum_fact *fa = &a->facts[i], *fb = find_fact(b, fa->key);
		if (fb && strcmp(fa->value, fb->value) == 0)
			continue;
		if (fb && strcmp(fa->key, "memmap-ram-total") == 0) {
			say(allowed, as, "RAM total %s here, %s in %s (follows from the ranges)\n",
			    fa->value, fb->value, bname);
			continue;
		}
		bad++;
		if (fb)
			say(fail, fs, "%s: \"%s\" here, \"%s\" in %s\n", fa->key, fa->value,
			    fb->value, bname);
		else
			say(fail, fs, "%s: \"%s\" here, absent in %s\n", fa->key, fa->value, bname);
	}
	for (int i = 0; i < b->nfacts; i++) {
		if (find_fact(a, b->facts[i].key))
			continue;
		bad++;
		say(fail, fs, "%s: absent here, \"%s\" in %s\n", b->facts[i].key, b->facts[i].value,
		    bname);
	}
	return bad;
}

/* The canonical type covering address p in s, or "none". */
static const char *type_at(const struct bootsum *s, uint64_t p)
{
	for (int i = 0; i < s->nmem; i++)
		if (p >= s->mem[i].base && p < s->mem[i].end)
			return s->mem[i].type;
	return "none";
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Why a range typed ta here and tb there is allowed, or NULL. */
static const char *allowed_pair(const char *ta, const char *tb)
{
	int ram_res = (strcmp(ta, "ram") == 0 && strcmp(tb, "reserved") == 0) ||
	              (strcmp(ta, "reserved") == 0 && strcmp(tb, "ram") == 0);
	if (ram_res)
		return "loader-owned firmware memory, given to the OS by one loader and "
		       "kept reserved by the other";
	int none_res = (strcmp(ta, "none") == 0 && strcmp(tb, "reserved") == 0) ||
	               (strcmp(ta, "reserved") == 0 && strcmp(tb, "none") == 0);
	if (none_res)
		return "a reserved range only one loader lists";
	return NULL;
}

/* Reports one run of equal (ta, tb) pairs; returns 1 if it is a failure. */
static int report_range(uint64_t lo, uint64_t hi, const char *ta, const char *tb, const char *bname,
                        char *fail, size_t fs, char *allowed, size_t as)
{
	if (strcmp(ta, tb) == 0)
		return 0;
	const char *why = allowed_pair(ta, tb);
	char *buf = why ? allowed : fail;
	size_t size = why ? as : fs;
	say(buf, size, "memory %016" PRIx64 "-%016" PRIx64 ": %s here, %s in %s%s%s\n", lo, hi, ta,
	    tb, bname, why ? ": " : "", why ? why : "");
	return why ? 0 : 1;
}

/* Compares the memory maps range by range over every boundary of both. */
static int compare_mem(const struct bootsum *a, const struct bootsum *b, const char *bname,
                       char *fail, size_t fs, char *allowed, size_t as)
{
	int n = 2 * (a->nmem + b->nmem), bad = 0;
	uint64_t *pts = malloc(((size_t)n + 1) * sizeof *pts);
	if (!pts)
		abort();
	int k = 0;
	for (int i = 0; i < a->nmem; i++)
		pts[k++] = a->mem[i].base, pts[k++] = a->mem[i].end;
	for (int i = 0; i < b->nmem; i++)
		pts[k++] = b->mem[i].base, pts[k++] = b->mem[i].end;
	qsort(pts, (size_t)k, sizeof *pts, cmp_u64);
	uint64_t lo = 0;
	const char *ta = NULL, *tb = NULL;
	for (int i = 0; i + 1 < k; i++) {
		if (pts[i] == pts[i + 1])
			continue;
		const char *xa = type_at(a, pts[i]), *xb = type_at(b, pts[i]);
		if (ta && (strcmp(xa, ta) != 0 || strcmp(xb, tb) != 0)) {
			bad += report_range(lo, pts[i], ta, tb, bname, fail, fs, allowed, as);
			ta = NULL;
		}
		if (!ta) {
			lo = pts[i];
			ta = xa;
			tb = xb;
		}
	}
	if (ta && k)
		bad += report_range(lo, pts[k - 1], ta, tb, bname, fail, fs, allowed, as);
	free(pts);
	return bad;
}

int bootsum_compare(const struct bootsum *a, const struct bootsum *b, const char *bname, char *fail,
                    size_t fail_size, char *allowed, size_t allowed_size)
{
	if (fail_size)
		fail[0] = '\0';
	if (allowed_size)
		allowed[0] = '\0';
	if (!a->complete || !b->complete) {
		say(fail, fail_size, "no complete boot summary %s\n",
		    !a->complete ? "in this run" : "in the reference run");
		return 1;
	}
	return compare_facts(a, b, bname, fail, fail_size, allowed, allowed_size) +
	       compare_mem(a, b, bname, fail, fail_size, allowed, allowed_size);
}
