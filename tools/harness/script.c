/* Scripted serial input; see script.h. */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies src into dst (size bytes), ${cores} and ${memory} replaced;
 * -1 if it does not fit. */
static int expand(const char *src, int cores, int memory, char *dst, size_t size)
{
	size_t n = 0;

	while (*src) {
		char num[16] = "";
		const char *put = NULL;
		size_t skip = 1;
		if (strncmp(src, "${cores}", 8) == 0)
			snprintf(num, sizeof num, "%d", cores), put = num, skip = 8;
		else if (strncmp(src, "${memory}", 9) == 0)
			snprintf(num, sizeof num, "%d", memory), put = num, skip = 9;
		size_t len = put ? strlen(put) : 1;
		if (n + len >= size)
			return -1;
		memcpy(dst + n, put ? put : src, len);
		n += len;
		src += skip;
	}
	dst[n] = '\0';
	return 0;
}

static int hex(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* The escapes of a send step, in place; its length, or -1 (bad escape). */
static long unescape(char *s)
{
	char *start = s, *d = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*d++ = *s;
			continue;
		}
		switch (*++s) {
		case 'r': *d++ = '\r'; break;
		case 'n': *d++ = '\n'; break;
		case 't': *d++ = '\t'; break;
		case '\\': *d++ = '\\'; break;
		case 'x':
			if (hex(s[1]) < 0 || hex(s[2]) < 0)
				return -1;
			*d++ = (char)(hex(s[1]) << 4 | hex(s[2]));
			s += 2;
			break;
		default: return -1;
		}
	}
	return (long)(d - start);
}

static int step(const char *op, const char *rest, int cores, int memory, struct script_step *st,
                const char **why)
{
	static const char *const ops[] = {"wait", "send", "expect", "line"};
	int k = -1;

	for (int i = 0; i < 4; i++)
		if (strcmp(op, ops[i]) == 0)
			k = i;
	if (k < 0) {
		*why = "a step is wait, send, expect or line";
		return -1;
	}
	st->op = (enum script_op)k;
	if (!*rest) {
		*why = "the step needs a text";
		return -1;
	}
	if (expand(rest, cores, memory, st->text, sizeof st->text)) {
		*why = "the text is too long";
		return -1;
	}
	st->len = strlen(st->text);
	if (st->op == SCRIPT_SEND) {
		long n = unescape(st->text);
		if (n < 0) {
			*why = "a bad escape (\\r \\n \\t \\\\ \\xNN)";
			return -1;
		}
		st->len = (size_t)n;
	}
	return 0;
}

int script_parse(const char *text, const char *file, int cores, int memory, struct script *s,
                 char *err, size_t size)
{
	int lineno = 0;

	s->n = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[1024], op[16] = "";
		const char *why = NULL;
		lineno++;
		snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1),
		         p);
		p += len + (eol ? 1 : 0);
		char *q = buf;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q || *q == '#')
			continue;
		size_t oplen = strcspn(q, " \t");
		snprintf(op, sizeof op, "%.*s", (int)(oplen < sizeof op ? oplen : sizeof op - 1),
		         q);
		q += oplen;
		if (*q)
			q++; /* one blank separates the step from its text */
		if (s->n == SCRIPT_MAX_STEPS)
			why = "more than 64 steps";
		else if (step(op, q, cores, memory, &s->steps[s->n], &why) == 0)
			s->steps[s->n++].line = lineno;
		if (why) {
			snprintf(err, size, "%s:%d: %s", file, lineno, why);
			return -1;
		}
	}
	if (!s->n) {
		snprintf(err, size, "%s: no steps", file);
		return -1;
	}
	return 0;
}

int script_match(const struct script_step *st, const char *line)
{
	if (st->op == SCRIPT_LINE) {
		size_t n = strlen(line);
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		return n == st->len && memcmp(line, st->text, n) == 0;
	}
	return strstr(line, st->text) != NULL;
}

int script_tests(const struct script *s)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		n += s->steps[i].op == SCRIPT_EXPECT || s->steps[i].op == SCRIPT_LINE;
	return n;
}
