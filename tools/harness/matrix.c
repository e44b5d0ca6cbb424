/* Boot matrix parser; see matrix.h. */
#include "matrix.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "script.h"

#define NFIELDS   8
#define MAX_EXTRA 8 /* optional columns */

/* Splits up to max whitespace-separated fields of line (modified in place);
 * *rest points at what follows the last one.  Returns the field count. */
static int split(char *line, char **f, int max, char **rest)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		f[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	while (isspace((unsigned char)*p))
		p++;
	*rest = p;
	return n;
}

static const char *parse_extras(struct matrix_entry *e, char *rest);

/* Parses a decimal integer in lo..hi; 0 on success. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int valid_name(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

int matrix_skip_match(const char *pat, size_t len, const char *name)
{
	if (len > 4 && strncmp(pat, "cpu*.", 5) == 0) {
		if (strncmp(name, "cpu", 3) != 0 || !isdigit((unsigned char)name[3]))
			return 0;
		name += 3;
		while (isdigit((unsigned char)*name))
			name++;
		pat += 4;
		len -= 4;
	}
	return strlen(name) == len && strncmp(pat, name, len) == 0;
}

int matrix_skip_listed(const struct matrix_entry *e, const char *name)
{
	int i = 0;
	for (const char *p = e->skip; *p; i++) {
		size_t len = strcspn(p, ",");
		if (matrix_skip_match(p, len, name))
			return i;
		p += len + (p[len] == ',');
	}
	return -1;
}

/* Checks one skip pattern (len bytes at p): cpuN or cpu*, with N < cores,
 * then .suite.name, identifiers both. */
static int valid_skip(const char *p, size_t len, int cores)
{
	size_t i = 3, dots = 0;
	if (len < 4 || strncmp(p, "cpu", 3) != 0)
		return 0;
	if (p[i] == '*') {
		i++;
	} else {
		int core = 0;
		for (; i < len && isdigit((unsigned char)p[i]); i++)
			core = core * 10 + (p[i] - '0');
		if (i == 3 || core >= cores)
			return 0;
	}
	for (; i < len; i++) {
		if (p[i] == '.' && i + 1 < len && p[i + 1] != '.')
			dots++;
		else if (!isalnum((unsigned char)p[i]) && p[i] != '_')
			return 0;
	}
	return dots == 2 && p[len - 1] != '.';
}

/* Appends skip=LIST's patterns to e->skip; NULL or an error. */
static const char *add_skips(struct matrix_entry *e, const char *list)
{
	if (e->expect != EXPECT_KTAP)
		return "skip=LIST is for ktap entries";
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		if (!valid_skip(p, len, e->cores))
			return "skip=LIST needs cpuN.suite.name or cpu*.suite.name, "
			       "comma-separated, "
			       "N < cores";
		p += len;
		if (!*p)
			break;
	}
	size_t used = strlen(e->skip);
	if (used + strlen(list) + 2 > sizeof e->skip)
		return "skip=LIST too long";
	snprintf(e->skip + used, sizeof e->skip - used, "%s%s", used ? "," : "", list);
	return NULL;
}

int matrix_line_part(const char *text, int i, char *out, size_t n)
{
	const char *p = text;

	if (!*text)
		return 0;
	for (; i > 0; i--) {
		p = strchr(p, '|');
		if (!p)
			return 0;
		p++;
	}
	size_t len = strcspn(p, "|");
	snprintf(out, n, "%.*s", (int)len, p);
	return 1;
}

/* Parses the expectation and the optional column; NULL or an error. */
static const char *parse_expect(struct matrix_entry *e, const char *expect, char *rest)
{
	e->online = e->cores;
	if (strncmp(expect, "error:", 6) == 0) {
		/* TEXT runs to the end of the line: rejoin what split() cut off */
		size_t n = strlen(rest);
		while (n && isspace((unsigned char)rest[n - 1]))
			rest[--n] = '\0';
		snprintf(e->text, sizeof e->text, "%s%s%s", expect + 6, *rest ? " " : "", rest);
		e->expect = EXPECT_ERROR;
		return e->text[0] ? NULL : "error: needs the text to wait for";
	}
	if (strncmp(expect, "lines:", 6) == 0) {
		size_t n = strlen(rest);
		while (n && isspace((unsigned char)rest[n - 1]))
			rest[--n] = '\0';
		snprintf(e->text, sizeof e->text, "%s%s%s", expect + 6, *rest ? " " : "", rest);
		e->expect = EXPECT_LINES;
		char part[sizeof e->text];
		int parts = 0;
		while (matrix_line_part(e->text, parts, part, sizeof part)) {
			if (!part[0])
				return "lines: an empty part (TEXT|TEXT...)";
			parts++;
		}
		if (parts > MATRIX_MAX_LINES)
			return "lines: at most 48 parts";
		return parts ? NULL : "lines: needs the texts to wait for";
	}
	if (strncmp(expect, "screen:", 7) == 0) {
		if (!expect[7] || strlen(expect + 7) >= sizeof e->text || *rest)
			return "screen:FILE needs one checks file and nothing after it";
		snprintf(e->text, sizeof e->text, "%s", expect + 7);
		e->expect = EXPECT_SCREEN;
		return NULL;
	}
	if (strncmp(expect, "script:", 7) == 0) {
		snprintf(e->text, sizeof e->text, "%s", expect + 7);
		e->expect = EXPECT_SCRIPT;
		return e->text[0] ? parse_extras(e, rest) : "script: needs a file name";
	}
	if (strcmp(expect, "ktap") == 0)
		e->expect = EXPECT_KTAP;
	else if (strcmp(expect, "boot") == 0)
		e->expect = EXPECT_BOOT;
	else
		return "expect must be ktap, boot, error:TEXT, lines:TEXT|TEXT..., screen:FILE or "
		       "script:FILE";
	return parse_extras(e, rest);
}

/* The optional columns in rest. */
static const char *parse_extras(struct matrix_entry *e, char *rest)
{
	char *extra[MAX_EXTRA + 1];
	int n = split(rest, extra, MAX_EXTRA + 1, &rest);
	for (int i = 0; i < n; i++) {
		if (strncmp(extra[i], "online=", 7) == 0) {
			if (parse_int(extra[i] + 7, 0, e->cores, &e->online) != 0)
				return "online=N needs N <= cores";
		} else if (strncmp(extra[i], "same=", 5) == 0) {
			if (strlen(extra[i] + 5) >= sizeof e->same || !valid_name(extra[i] + 5))
				return "same=NAME needs an entry name";
			strcpy(e->same, extra[i] + 5);
		} else if (strncmp(extra[i], "loader=", 7) == 0) {
			if (strlen(extra[i] + 7) >= sizeof e->loader || !valid_name(extra[i] + 7))
				return "loader=NAME needs a loader name";
			strcpy(e->loader, extra[i] + 7);
		} else if (strncmp(extra[i], "device=", 7) == 0) {
			if (!extra[i][7] || strlen(extra[i] + 7) >= sizeof e->device)
				return "device=NAME needs a QEMU device (at most 63 characters)";
			strcpy(e->device, extra[i] + 7);
		} else if (strncmp(extra[i], "disk=", 5) == 0) {
			if (strcmp(extra[i] + 5, "virtio") != 0)
				return "disk=virtio is the only disk option";
			e->virtio_disk = 1;
		} else if (strncmp(extra[i], "skip=", 5) == 0) {
			const char *msg = add_skips(e, extra[i] + 5);
			if (msg)
				return msg;
		} else {
			return "optional columns are online=N, same=NAME, loader=NAME, "
			       "device=NAME, disk=virtio and skip=LIST";
		}
	}
	if (n > MAX_EXTRA)
		return "too many columns";
	return NULL;
}

/* Checks that e's same=NAME names an earlier entry on the same machine. */
static const char *check_same(const struct matrix *m, const struct matrix_entry *e)
{
	if (!e->same[0])
		return NULL;
	for (int i = 0; i < m->n - 1; i++) {
		const struct matrix_entry *r = &m->entries[i];
		if (strcmp(r->name, e->same) != 0)
			continue;
		if (strcmp(r->firmware, e->firmware) || strcmp(r->machine, e->machine) ||
		    r->cores != e->cores || r->memory != e->memory)
			return "same=NAME must name an entry with the same firmware, machine, "
			       "cores and memory";
		return NULL;
	}
	return "same=NAME must name an earlier entry";
}

/* Parses one non-blank, non-comment line into e; NULL or an error. */
static const char *parse_line(struct matrix_entry *e, char *line)
{
	char *f[NFIELDS], *rest, *lines = strstr(line, "\tlines:");
	char *cols = lines ? strchr(lines + 1, '\t') : NULL; /* lines: runs to a tab */
	if (cols)
		*cols++ = '\0';
	if (split(line, f, NFIELDS, &rest) < NFIELDS)
		return "expected: name image firmware machine cores memory timeout expect "
		       "[online=N] [same=NAME] [loader=NAME] [skip=LIST]";
	if (strlen(f[0]) >= sizeof e->name || !valid_name(f[0]))
		return "name must be letters, digits, '.', '_' or '-' (at most 63)";
	if (strlen(f[1]) >= sizeof e->image)
		return "image path too long";
	if (strcmp(f[2], "uefi") != 0 && strcmp(f[2], "bios") != 0)
		return "firmware must be uefi or bios";
	if (strcmp(f[3], "q35") != 0 && strcmp(f[3], "pc") != 0)
		return "machine must be q35 or pc";
	if (parse_int(f[4], 1, 64, &e->cores) != 0)
		return "cores must be an integer 1..64";
	if (parse_int(f[5], 64, 65536, &e->memory) != 0)
		return "memory must be an integer 64..65536 (MiB)";
	if (parse_int(f[6], 1, 86400, &e->timeout) != 0)
		return "timeout must be an integer number of seconds, at least 1";
	strcpy(e->name, f[0]);
	strcpy(e->image, f[1]);
	strcpy(e->firmware, f[2]);
	strcpy(e->machine, f[3]);
	const char *msg = parse_expect(e, f[7], rest);
	return msg || !cols ? msg : parse_extras(e, cols);
}

/* Writes "FILE:LINE: msg" to err. */
static void fail(char *err, size_t size, const char *file, int line, const char *msg)
{
	snprintf(err, size, "%s:%d: %s", file, line, msg);
}

/* Appends a zeroed entry to m and returns it. */
static struct matrix_entry *add_entry(struct matrix *m, int *cap)
{
	if (m->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		m->entries = realloc(m->entries, (size_t)*cap * sizeof *m->entries);
		if (!m->entries)
			abort();
	}
	struct matrix_entry *e = &m->entries[m->n++];
	memset(e, 0, sizeof *e);
	return e;
}

/* e's script, from e->text relative to the matrix file's folder. */
static int load_script(struct matrix_entry *e, const char *file, char *err, size_t size)
{
	char dir[512], path[1024];
	const char *slash = strrchr(file, '/');

	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
	if (e->text[0] == '/')
		snprintf(path, sizeof path, "%s", e->text);
	else
		files_join(path, sizeof path, dir, e->text);
	char *text = files_read(path);
	e->script = text ? calloc(1, sizeof *e->script) : NULL;
	if (!e->script) {
		snprintf(err, size, "%s:%d: script:%s: cannot read %s", file, e->line, e->text,
		         path);
		free(text);
		return -1;
	}
	int r = script_parse(text, path, e->cores, e->memory, e->script, err, size);
	free(text);
	return r;
}

int matrix_parse(const char *text, const char *file, struct matrix *m, char *err, size_t size)
{
	int line = 0, cap = 0;
	m->entries = NULL;
	m->n = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[4096], *s = buf;
		line++;
		snprintf(buf, sizeof buf, "%.*s", (int)len, p);
		p += len + (eol != NULL);
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#') /* blank line or comment */
			continue;
		const char *msg = len >= sizeof buf ? "line too long" : NULL;
		struct matrix_entry *e = add_entry(m, &cap);
		e->line = line;
		if (!msg)
			msg = parse_line(e, s);
		for (int i = 0; !msg && i < m->n - 1; i++)
			if (strcmp(m->entries[i].name, e->name) == 0)
				msg = "duplicate entry name";
		if (!msg)
			msg = check_same(m, e);
		if (msg) {
			fail(err, size, file, line, msg);
			matrix_free(m);
			return -1;
		}
		if (e->expect == EXPECT_SCRIPT && load_script(e, file, err, size)) {
			matrix_free(m);
			return -1;
		}
	}
	return 0;
}

void matrix_free(struct matrix *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->entries[i].script);
	free(m->entries);
	m->entries = NULL;
	m->n = 0;
}
