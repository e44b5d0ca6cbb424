/* Declared kernel test cases; see ktests.h. */
#include "ktests.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

#define MAX_DEPTH 64

/* One open conditional group: is its current branch compiled? */
enum branch { BRANCH_SKIPPED, BRANCH_TAKEN, BRANCH_UNKNOWN };

struct level {
	enum branch now;
	int taken;   /* an earlier branch of the group is certainly compiled */
	int unknown; /* an earlier branch may be */
};

struct scan {
	const char *p, *file;
	int line;
	int bol; /* nothing but blanks and comments since the line began */
	struct level lv[MAX_DEPTH];
	int depth;
	struct ktests *k;
	char *err;
	size_t size;
};

__attribute__((format(printf, 2, 3))) static int fail(struct scan *s, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(s->err, s->size, "%s:%d: ", s->file, s->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < s->size)
		vsnprintf(s->err + n, s->size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const kind_names[KTESTS_KINDS] = {"each", "bsp", "smp", "remote"};

const char *ktests_kind_name(enum ktests_kind kind)
{
	return kind_names[kind];
}

const struct ktests_case *ktests_find(const struct ktests *k, const char *name)
{
	for (int i = 0; i < k->n; i++)
		if (strcmp(k->c[i].name, name) == 0)
			return &k->c[i];
	return NULL;
}

/* Appends a case; -1 (err set) if its name is already there. */
static int add_case(struct ktests *k, const char *name, enum ktests_kind kind, const char *where,
                    char *err, size_t size)
{
	const struct ktests_case *old = ktests_find(k, name);
	if (old) {
		snprintf(err, size, "%s: %s declared twice (first at %s)", where, name, old->where);
		return -1;
	}
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->c = realloc(k->c, (size_t)k->cap * sizeof *k->c);
		if (!k->c)
			abort();
	}
	struct ktests_case *c = &k->c[k->n++];
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->where, sizeof c->where, "%s", where);
	c->kind = kind;
	return 0;
}

/* Skips a comment at s->p, if there is one; 1 if it did. */
static int skip_comment(struct scan *s)
{
	if (s->p[0] == '/' && s->p[1] == '/') {
		while (*s->p && (*s->p != '\n' || s->p[-1] == '\\'))
			s->line += *s->p++ == '\n';
		return 1;
	}
	if (s->p[0] != '/' || s->p[1] != '*')
		return 0;
	s->p += 2;
	while (*s->p && !(s->p[0] == '*' && s->p[1] == '/'))
		s->line += *s->p++ == '\n';
	s->p += *s->p ? 2 : 0;
	return 1;
}

/* Skips blanks, newlines and comments. */
static void skip_blank(struct scan *s)
{
	for (;;) {
		if (*s->p == '\n')
			s->line++;
		if (isspace((unsigned char)*s->p))
			s->p++;
		else if (!skip_comment(s))
			return;
	}
}

/* Skips a string or character literal (a newline ends a broken one). */
static void skip_literal(struct scan *s)
{
	char quote = *s->p++;
	while (*s->p && *s->p != quote && *s->p != '\n') {
		if (*s->p == '\\' && s->p[1])
			s->line += *++s->p == '\n';
		s->p++;
	}
	if (*s->p == quote)
		s->p++;
}

/* Reads an identifier at s->p into buf; 1, or 0 (buf "") if there is
 * none or it does not fit. */
static int read_ident(struct scan *s, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (!isalpha((unsigned char)*s->p) && *s->p != '_')
		return 0;
	while (isalnum((unsigned char)s->p[n]) || s->p[n] == '_')
		n++;
	if (n < size)
		snprintf(buf, size, "%.*s", (int)n, s->p);
	s->p += n;
	return n < size;
}

/* The rest of a directive's logical line, comments removed, trimmed. */
static void directive_rest(struct scan *s, char *buf, size_t size)
{
	size_t n = 0;
	while (*s->p == ' ' || *s->p == '\t')
		s->p++;
	while (*s->p && *s->p != '\n') {
		if (s->p[0] == '\\' && s->p[1] == '\n') {
			s->p += 2;
			s->line++;
		} else if (!skip_comment(s)) {
			if (n + 1 < size)
				buf[n++] = *s->p;
			s->p++;
		}
	}
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
}

/* Follows one conditional directive (name, its expression in expr). */
static int conditional(struct scan *s, const char *name, const char *expr)
{
	int is_if = !strcmp(name, "if"), is_elif = !strcmp(name, "elif");
	struct level *l = s->depth ? &s->lv[s->depth - 1] : NULL;
	enum branch b = !strcmp(expr, "0")   ? BRANCH_SKIPPED
	                : !strcmp(expr, "1") ? BRANCH_TAKEN
	                                     : BRANCH_UNKNOWN;
	if (is_if || !strcmp(name, "ifdef") || !strcmp(name, "ifndef")) {
		if (s->depth == MAX_DEPTH)
			return fail(s, "conditionals nested deeper than %d", MAX_DEPTH);
		l = &s->lv[s->depth++];
		l->now = is_if ? b : BRANCH_UNKNOWN;
		l->taken = l->now == BRANCH_TAKEN;
		l->unknown = l->now == BRANCH_UNKNOWN;
	} else if (!l && (is_elif || !strcmp(name, "else") || !strcmp(name, "endif"))) {
		return fail(s, "#%s without #if", name);
	} else if (is_elif || !strcmp(name, "else")) {
		if (!is_elif)
			b = BRANCH_TAKEN;
		l->now = l->taken              ? BRANCH_SKIPPED
		         : b == BRANCH_SKIPPED ? BRANCH_SKIPPED
		         : l->unknown          ? BRANCH_UNKNOWN
		                               : b;
		l->taken |= l->now == BRANCH_TAKEN;
		l->unknown |= l->now == BRANCH_UNKNOWN;
	} else if (!strcmp(name, "endif")) {
		s->depth--;
	}
	return 0;
}

/* A directive: '#' at s->p, first on its line. */
static int directive(struct scan *s)
{
	char name[32], rest[256];
	s->p++;
	for (;;) {
		if (*s->p == ' ' || *s->p == '\t')
			s->p++;
		else if (!skip_comment(s))
			break;
	}
	read_ident(s, name, sizeof name);
	int line = s->line;
	directive_rest(s, rest, sizeof rest);
	int saved = s->line;
	s->line = line;
	int rc = conditional(s, name, rest);
	s->line = saved;
	return rc;
}

/* Whether code at this point is compiled: 1 yes, 0 no, -1 cannot tell. */
static int compiled(const struct scan *s)
{
	int unknown = 0;
	for (int i = 0; i < s->depth; i++) {
		if (s->lv[i].now == BRANCH_SKIPPED)
			return 0;
		unknown |= s->lv[i].now == BRANCH_UNKNOWN;
	}
	return unknown ? -1 : 1;
}

/* A declaration: macro (KTEST, KTEST_BSP, KTEST_SMP, KTEST_REMOTE) was just
 * read. */
static int declaration(struct scan *s, const char *macro, enum ktests_kind kind)
{
	char suite[64], name[64], full[160], where[192];
	int line = s->line, on = compiled(s);
	skip_blank(s);
	int ok = *s->p == '(';
	s->p += ok;
	skip_blank(s);
	ok = ok && read_ident(s, suite, sizeof suite);
	skip_blank(s);
	ok = ok && *s->p == ',';
	s->p += ok;
	skip_blank(s);
	ok = ok && read_ident(s, name, sizeof name);
	skip_blank(s);
	ok = ok && *s->p == ')';
	if (on == 0)
		return 0; /* not compiled */
	if (!ok || on < 0)
		s->line = line; /* errors name the macro's line */
	if (!ok)
		return fail(s, "%s not followed by (suite, name)", macro);
	if (on < 0)
		return fail(s,
		            "%s(%s, %s) inside #if/#ifdef: the scan cannot tell whether "
		            "it is compiled",
		            macro, suite, name);
	snprintf(full, sizeof full, "%s.%s", suite, name);
	snprintf(where, sizeof where, "%s:%d", s->file, line);
	return add_case(s->k, full, kind, where, s->err, s->size);
}

/* An identifier at s->p: a declaration, or nothing of interest. */
static int identifier(struct scan *s)
{
	char id[64];
	read_ident(s, id, sizeof id);
	if (!strcmp(id, "KTEST"))
		return declaration(s, id, KTESTS_EACH);
	if (!strcmp(id, "KTEST_BSP"))
		return declaration(s, id, KTESTS_BSP);
	if (!strcmp(id, "KTEST_SMP"))
		return declaration(s, id, KTESTS_SMP);
	if (!strcmp(id, "KTEST_REMOTE"))
		return declaration(s, id, KTESTS_REMOTE);
	if (!strcmp(id, "KTEST_FLAGS") && compiled(s) != 0)
		return fail(s, "KTEST_FLAGS is internal to kernel/ktest.h: declare cases with "
		               "KTEST, KTEST_BSP, KTEST_SMP or KTEST_REMOTE");
	return 0;
}

int ktests_scan(struct ktests *k, const char *text, const char *file, char *err, size_t size)
{
	struct scan s = {
	        .p = text, .file = file, .line = 1, .bol = 1, .k = k, .err = err, .size = size};
	while (*s.p) {
		char c = *s.p;
		if (c == '\n') {
			s.line++;
			s.bol = 1;
			s.p++;
		} else if (isspace((unsigned char)c)) {
			s.p++;
		} else if (skip_comment(&s)) {
			continue;
		} else if (c == '#' && s.bol) {
			if (directive(&s) != 0)
				return -1;
		} else {
			s.bol = 0;
			if (c == '"' || c == '\'')
				skip_literal(&s);
			else if (isalpha((unsigned char)c) || c == '_') {
				if (identifier(&s) != 0)
					return -1;
			} else if (isdigit((unsigned char)c)) {
				while (isalnum((unsigned char)*s.p) || *s.p == '.' || *s.p == '_')
					s.p++;
			} else {
				s.p++;
			}
		}
	}
	return 0;
}

/* Parses one list line (modified in place) into a case. */
static const char *read_line(struct ktests *k, char *line, char *err, size_t size)
{
	char *name = strtok(line, " \t"), *kind = strtok(NULL, " \t");
	char *where = strtok(NULL, " \t"), *extra = strtok(NULL, " \t");
	if (!name || !kind || !where || extra)
		return "expected: suite.name each|bsp|smp|remote file:line";
	const char *dot = strchr(name, '.');
	if (!dot || dot == name || !dot[1] || strchr(dot + 1, '.') || strlen(name) >= 128)
		return "the case must be suite.name";
	for (int i = 0; i < KTESTS_KINDS; i++)
		if (!strcmp(kind, kind_names[i]))
			return add_case(k, name, (enum ktests_kind)i, where, err, size) ? "" : NULL;
	return "the kind must be each, bsp, smp or remote";
}

int ktests_read(struct ktests *k, const char *text, const char *file, char *err, size_t size)
{
	int line = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512], *s = buf;
		line++;
		snprintf(buf, sizeof buf, "%.*s", (int)len, p);
		p += len + (eol != NULL);
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		char dup[512];
		const char *msg =
		        len >= sizeof buf ? "line too long" : read_line(k, s, dup, sizeof dup);
		if (msg) {
			snprintf(err, size, "%s:%d: %s", file, line, msg[0] ? msg : dup);
			return -1;
		}
	}
	return 0;
}

void ktests_write(const struct ktests *k, FILE *out)
{
	fprintf(out, "# The test cases the kernel's sources declare (harness ktests): "
	             "suite.name kind file:line\n");
	for (int i = 0; i < k->n; i++)
		fprintf(out, "%s %s %s\n", k->c[i].name, kind_names[k->c[i].kind], k->c[i].where);
}

void ktests_free(struct ktests *k)
{
	free(k->c);
	memset(k, 0, sizeof *k);
}

/* Scans every source into k; 0, or 1 after printing the error. */
static int scan_all(struct ktests *k, int n, char **srcs)
{
	char err[512];
	for (int i = 0; i < n; i++) {
		char *text = files_read(srcs[i]);
		if (!text) {
			fprintf(stderr, "harness ktests: cannot read %s\n", srcs[i]);
			return 1;
		}
		int rc = ktests_scan(k, text, srcs[i], err, sizeof err);
		free(text);
		if (rc != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	return 0;
}

/* Writes the list to path through a temporary file; 0, or 1 after a message. */
static int write_list(const struct ktests *k, const char *path)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f) {
		ktests_write(k, f);
		if (fclose(f) == 0 && rename(tmp, path) == 0)
			return 0;
	}
	remove(tmp);
	fprintf(stderr, "harness ktests: cannot write %s\n", path);
	return 1;
}

int harness_ktests(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "--out") != 0) {
		fprintf(stderr, "usage: harness ktests --out LIST SOURCE...\n");
		return 2;
	}
	struct ktests k = {0};
	int rc = scan_all(&k, argc - 3, argv + 3);
	if (rc == 0)
		rc = write_list(&k, argv[2]);
	ktests_free(&k);
	return rc;
}
