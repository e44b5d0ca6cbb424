/* limine.conf parsing; see conf.h for the accepted syntax. */
#include "conf.h"

#include <fmt/fmt.h>
#include <stdarg.h>
#include <string/mem.h>

struct parser {
	struct conf *c;
	struct conf_diag *d;
	struct conf_entry *cur; /* entry being filled; NULL before the first */
	unsigned line;
};

/* Records an error on the current line and returns e. */
__attribute__((format(printf, 3, 4))) static enum err perr(struct parser *p, enum err e,
                                                           const char *fmt, ...)
{
	va_list ap;

	p->d->line = p->line;
	va_start(ap, fmt);
	fmt_vsnprintf(p->d->msg, sizeof(p->d->msg), fmt, ap);
	va_end(ap);
	return e;
}

/* Reports a note about the current line, if anyone listens. */
__attribute__((format(printf, 2, 3))) static void note(struct parser *p, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (!p->d->note)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->d->note(p->d->note_ctx, p->line, msg);
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* s without leading and trailing blanks (trailing ones are cut in place). */
static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Parses a decimal number at *s (advancing it); 0 on success. */
static int parse_u32(const char **s, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*s = p;
	*out = (uint32_t)v;
	return 0;
}

/* A whole value that is one decimal number. */
static int parse_number(const char *s, uint32_t *out)
{
	return parse_u32(&s, out) || *s ? -1 : 0;
}

/* "yes" -> 1, "no" -> 0, else -1. */
static int parse_bool(const char *s)
{
	if (mem_strcasecmp(s, "yes") == 0)
		return 1;
	if (mem_strcasecmp(s, "no") == 0)
		return 0;
	return -1;
}

/* "/Title", "//Sub", "/+Expanded": opens a new entry. */
static enum err parse_entry(struct parser *p, char *s)
{
	unsigned depth = 0;

	while (*s == '/') {
		s++;
		depth++;
	}
	if (*s == '+')
		s++;
	s = trim(s);
	if (!*s)
		return perr(p, ERR_CORRUPT, "entry without a title");
	if (p->c->entry_count == CONF_MAX_ENTRIES)
		return perr(p, ERR_FULL, "more than %d entries", CONF_MAX_ENTRIES);
	if (p->cur && depth > p->cur->depth)
		p->cur->directory = 1;
	p->cur = &p->c->entries[p->c->entry_count++];
	p->cur->title = s;
	p->cur->line = p->line;
	p->cur->depth = depth;
	p->cur->cmdline = "";
	p->cur->kaslr = 1;
	return ERR_OK;
}

/* Global options; 1 if key was one, 0 if not, negative after an error. */
static int global_option(struct parser *p, const char *key, const char *val, enum err *e)
{
	uint32_t n;
	int b;

	if (mem_strcasecmp(key, "timeout") == 0) {
		if (mem_strcasecmp(val, "no") == 0)
			p->c->timeout = -1;
		else if (parse_number(val, &n) == 0 && n <= 86400)
			p->c->timeout = (int)n;
		else
			*e = perr(p, ERR_CORRUPT,
			          "timeout: '%s' is not a number of seconds or 'no'", val);
	} else if (mem_strcasecmp(key, "serial") == 0 || mem_strcasecmp(key, "verbose") == 0) {
		if ((b = parse_bool(val)) < 0)
			*e = perr(p, ERR_CORRUPT, "%s: '%s' is not 'yes' or 'no'", key, val);
		else if (mem_strcasecmp(key, "serial") == 0)
			p->c->serial = b;
		else
			p->c->verbose = b;
	} else if (mem_strcasecmp(key, "default_entry") == 0) {
		if (parse_number(val, &n) || n == 0)
			*e = perr(p, ERR_CORRUPT, "default_entry: '%s' is not an entry number",
			          val);
		else
			p->c->default_entry = n;
	} else if (mem_strcasecmp(key, "tessera_test_absent_cpu") == 0) {
		if (parse_number(val, &n)) {
			*e = perr(p, ERR_CORRUPT, "%s: '%s' is not an APIC id", key, val);
		} else {
			p->c->has_absent_cpu = 1;
			p->c->absent_cpu = n;
		}
	} else {
		return 0;
	}
	return *e ? -1 : 1;
}

/* "WxH" or "WxHxBPP" (bpp defaults to 32). */
static enum err parse_resolution(struct parser *p, const char *val)
{
	const char *s = val;
	uint32_t w, h, bpp = 32;

	if (parse_u32(&s, &w) || (*s != 'x' && *s != 'X'))
		goto bad;
	s++;
	if (parse_u32(&s, &h))
		goto bad;
	if (*s == 'x' || *s == 'X') {
		s++;
		if (parse_u32(&s, &bpp))
			goto bad;
	}
	if (*s || !w || !h || !bpp || bpp > 64)
		goto bad;
	p->cur->width = w;
	p->cur->height = h;
	p->cur->bpp = bpp;
	return ERR_OK;
bad:
	return perr(p, ERR_CORRUPT, "resolution: '%s' is not WIDTHxHEIGHT[xBPP]", val);
}

/* module_path / module_cmdline. */
static enum err module_option(struct parser *p, const char *key, const char *val)
{
	struct conf_entry *en = p->cur;

	if (mem_strcasecmp(key, "module_path") == 0) {
		if (!*val)
			return perr(p, ERR_CORRUPT, "module_path: empty path");
		if (en->module_count == CONF_MAX_MODULES)
			return perr(p, ERR_FULL, "more than %d modules in entry '%s'",
			            CONF_MAX_MODULES, en->title);
		struct conf_module *m = &en->modules[en->module_count++];
		m->path = val;
		m->cmdline = "";
		m->line = p->line;
		return ERR_OK;
	}
	if (en->module_count == 0)
		return perr(p, ERR_CORRUPT, "module_cmdline before any module_path");
	en->modules[en->module_count - 1].cmdline = val;
	return ERR_OK;
}

/* Local options we read, and local options of Limine we do not act on. */
static const char *const local_keys[] = {"protocol",       "kernel_path", "cmdline",
                                         "kernel_cmdline", "resolution",  "module_path",
                                         "module_cmdline", "kaslr"};
static const char *const ignored_local[] = {
        "comment",     "randomise_hhdm_base", "randomize_hhdm_base", "dtb_path",
        "paging_mode", "max_paging_mode",     "min_paging_mode",     "textmode"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Whether key (case-insensitively) is one of list[0..n). */
static int in_list(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mem_strcasecmp(key, list[i]) == 0)
			return 1;
	return 0;
}

/* Options of the current entry; 1 if key was one, 0 if not. */
static int local_option(struct parser *p, const char *key, const char *val, enum err *e)
{
	struct conf_entry *en = p->cur;

	if (mem_strcasecmp(key, "protocol") == 0)
		en->protocol = val;
	else if (mem_strcasecmp(key, "kernel_path") == 0) {
		en->kernel_path = val;
		en->kernel_line = p->line;
	} else if (mem_strcasecmp(key, "cmdline") == 0 ||
	           mem_strcasecmp(key, "kernel_cmdline") == 0)
		en->cmdline = val;
	else if (mem_strcasecmp(key, "resolution") == 0)
		*e = parse_resolution(p, val);
	else if (mem_strcasecmp(key, "kaslr") == 0) {
		en->kaslr = parse_bool(val);
		if (en->kaslr < 0)
			*e = perr(p, ERR_CORRUPT, "kaslr: '%s' is not 'yes' or 'no'", val);
	} else if (mem_strcasecmp(key, "module_path") == 0 ||
	           mem_strcasecmp(key, "module_cmdline") == 0)
		*e = module_option(p, key, val);
	else if (in_list(key, ignored_local, COUNT(ignored_local)))
		note(p, "option '%s' is not supported; ignored", key);
	else
		return 0;
	return 1;
}

/* "key: value". */
static enum err parse_option(struct parser *p, char *s)
{
	char *key = s;
	enum err e = ERR_OK;

	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
	       *s == '_')
		s++;
	char *colon = s;
	while (is_space(*colon))
		colon++;
	if (s == key || *colon != ':')
		return perr(p, ERR_CORRUPT, "expected 'option: value' or '/Entry title'");
	*s = '\0';
	char *val = trim(colon + 1);
	if (global_option(p, key, val, &e))
		return e;
	if (p->cur && local_option(p, key, val, &e))
		return e;
	if (!p->cur && (in_list(key, local_keys, COUNT(local_keys)) ||
	                in_list(key, ignored_local, COUNT(ignored_local))))
		note(p, "option '%s' outside an entry; ignored", key);
	else
		note(p, "unknown option '%s'; ignored", key);
	return ERR_OK;
}

/* One line, already NUL-terminated. */
static enum err parse_line(struct parser *p, char *s)
{
	s = trim(s);
	if (!*s || *s == '#')
		return ERR_OK;
	if (*s == '/')
		return parse_entry(p, s);
	if (s[0] == '$' && s[1] == '{') {
		note(p, "macros are not supported; definition ignored");
		return ERR_OK;
	}
	return parse_option(p, s);
}

enum err conf_parse(char *text, size_t len, struct conf *out, struct conf_diag *diag)
{
	struct parser p = {.c = out, .d = diag};

	memset(out, 0, sizeof(*out));
	out->timeout = 5;
	out->default_entry = 1;
	diag->line = 0;
	diag->msg[0] = '\0';
	text[len] = '\0';
	char *s = text, *end = text + len;
	while (s < end) {
		char *nl = s;
		while (nl < end && *nl != '\n')
			nl++;
		*nl = '\0';
		p.line++;
		if (strlen(s) != (size_t)(nl - s))
			return perr(&p, ERR_CORRUPT, "NUL byte in the line");
		enum err e = parse_line(&p, s);
		if (e)
			return e;
		s = nl + 1;
	}
	return ERR_OK;
}

enum err conf_pick(const struct conf *c, const struct conf_entry **out, struct conf_diag *diag)
{
	unsigned n = 0;

	diag->line = 0;
	for (size_t i = 0; i < c->entry_count; i++) {
		if (c->entries[i].directory)
			continue;
		if (++n == c->default_entry) {
			*out = &c->entries[i];
			return ERR_OK;
		}
	}
	if (n == 0)
		fmt_snprintf(diag->msg, sizeof(diag->msg), "no boot entry ('/Title' line)");
	else
		fmt_snprintf(diag->msg, sizeof(diag->msg), "default_entry %u, but only %u entries",
		             c->default_entry, n);
	return ERR_NOENT;
}

/* Copies the characters of s up to stop (exclusive) into dst[0..cap);
 * returns the position of stop in s, or NULL if absent or too long. */
static const char *take_until(const char *s, char stop, char *dst, size_t cap)
{
	size_t n = 0;

	while (s[n] && s[n] != stop)
		n++;
	if (s[n] != stop || n >= cap)
		return NULL;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return s + n;
}

enum err conf_path_parse(const char *s, char *buf, size_t len, struct conf_path *out)
{
	memset(out, 0, sizeof(*out));
	if (*s != '/') {
		s = take_until(s, '(', out->resource, sizeof(out->resource));
		if (!s || !out->resource[0])
			return ERR_CORRUPT;
		s = take_until(s + 1, ')', out->argument, sizeof(out->argument));
		if (!s || s[1] != ':' || s[2] != '/')
			return ERR_CORRUPT;
		s += 2;
	}
	size_t n = 0;
	while (s[n] && s[n] != '#')
		n++;
	out->has_hash = s[n] == '#';
	if (n >= len)
		return ERR_NAME;
	memcpy(buf, s, n);
	buf[n] = '\0';
	out->path = buf;
	return ERR_OK;
}
