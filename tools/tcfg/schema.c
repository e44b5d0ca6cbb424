/* Target configurations checked with lib/typed; see schema.h. */
#include "schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tcfg_config.h>

const struct tcfg_var tcfg_vars[TCFG_NVARS] = {
        {"arch", "ARCH"},
        {"loader", "LOADER"},
        {"firmware", "FIRMWARE"},
        {"machine", "MACHINE"},
        {"accel", "ACCEL"},
        {"cores", "CORES"},
        {"memory", "MEMORY"},
        {"display", "DISPLAY"},
        {"framebuffer.width", "WIDTH"},
        {"framebuffer.height", "HEIGHT"},
};

/* Copies text into out[size], control characters (a value's newline, say)
 * written as escapes, so the message stays one line; cut short to fit. */
static void escape_controls(char *out, size_t size, const char *text)
{
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		char esc[5] = {(char)*c, 0};
		if (*c == '\n' || *c == '\t')
			snprintf(esc, sizeof esc, "\\%c", *c == '\n' ? 'n' : 't');
		else if (*c < 0x20 || *c == 0x7f)
			snprintf(esc, sizeof esc, "\\x%02x", *c);
		size_t k = strlen(esc);
		if (n + k >= size)
			break;
		memcpy(out + n, esc, k);
		n += k;
	}
	out[n] = '\0';
}

void tcfg_report(struct tcfg_reporter *r, unsigned line, const char *fmt, ...)
{
	char raw[1024], msg[1024];
	int n = line ? snprintf(raw, sizeof raw, "%s:%u: ", r->file, line)
	             : snprintf(raw, sizeof raw, "%s: ", r->file);
	if (n >= 0 && (size_t)n < sizeof raw) { /* a prefix longer than raw leaves no room */
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
		va_end(ap);
	}
	escape_controls(msg, sizeof msg, raw);
	r->errors++;
	if (r->fn)
		r->fn(r->ctx, msg);
}

/* lib/typed's problems as tcfg's lines, the file's name first. */
static void from_typed(void *ctx, const struct typed_error *e)
{
	struct tcfg_reporter *r = ctx;
	char msg[1024];
	typed_error_format(e, r->file, msg, sizeof msg);
	r->errors++;
	if (r->fn)
		r->fn(r->ctx, msg);
}

const struct typed_type *tcfg_type(struct typed_arena *a)
{
	const struct typed_type *t;
	struct typed_error e;
	return tcfg_config_type(a, &t, &e) == ERR_OK ? t : NULL;
}

/* The field named by key[0..len) in record t (no dots), or NULL. */
static const struct typed_field *member(const struct typed_type *t, const char *key, size_t len)
{
	for (uint32_t i = 0; t->kind == TYPED_RECORD && i < t->rec.count; i++)
		if (strlen(t->rec.fields[i].name) == len &&
		    memcmp(t->rec.fields[i].name, key, len) == 0)
			return &t->rec.fields[i];
	return NULL;
}

/* The field of a dotted key, leaf or not, or NULL. */
static const struct typed_field *find_path(const struct typed_type *t, const char *key, size_t len)
{
	for (;;) {
		const char *dot = memchr(key, '.', len);
		size_t part = dot ? (size_t)(dot - key) : len;
		const struct typed_field *f = member(t, key, part);
		if (!f || !dot)
			return f;
		t = f->type;
		key += part + 1;
		len -= part + 1;
	}
}

const struct typed_field *tcfg_field(const struct typed_type *t, const char *key, size_t len)
{
	const struct typed_field *f = find_path(t, key, len);
	return f && f->type->kind != TYPED_RECORD ? f : NULL;
}

/* The make variable of a dotted key, or NULL. */
static const char *var_of(const char *key, size_t len)
{
	for (int i = 0; i < TCFG_NVARS; i++)
		if (strlen(tcfg_vars[i].key) == len && memcmp(tcfg_vars[i].key, key, len) == 0)
			return tcfg_vars[i].var;
	return NULL;
}

static char *copy(struct typed_arena *a, const char *s, size_t n)
{
	char *out = typed_arena_alloc(a, n + 1);
	if (out)
		memcpy(out, s, n);
	return out;
}

struct typed_node *tcfg_from_json(const struct json_node *j, struct typed_arena *a)
{
	struct typed_node *n = typed_arena_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	n->line = j->line;
	n->col = j->col;
	if (j->key) { /* a NUL in a key would cut it short: never a field's name then */
		char *key = copy(a, j->key, j->key_len);
		if (!key)
			return NULL;
		for (size_t i = 0; i < j->key_len; i++)
			key[i] = key[i] ? key[i] : '\x01';
		n->key = key;
		n->key_line = j->key_line;
		n->key_col = j->key_col;
	}
	if (j->type == JSON_ARRAY || j->type == JSON_OBJECT) {
		n->kind = j->type == JSON_ARRAY ? TYPED_NODE_LIST : TYPED_NODE_RECORD;
		struct typed_node **tail = &n->child;
		for (const struct json_node *c = j->child; c; c = c->next, n->count++) {
			if (!(*tail = tcfg_from_json(c, a)))
				return NULL;
			tail = &(*tail)->next;
		}
		return n;
	}
	const char *text = j->type == JSON_NULL   ? "null"
	                   : j->type == JSON_BOOL ? (j->num ? "true" : "false")
	                                          : j->str;
	size_t len = j->type == JSON_STRING || j->type == JSON_NUMBER ? j->len : strlen(text);
	n->kind = j->type == JSON_STRING ? TYPED_NODE_STRING : TYPED_NODE_ATOM;
	if (!(n->text = copy(a, text, len)))
		return NULL;
	n->len = (uint32_t)len;
	return n;
}

/* Overrides: lib/typed's problems named by the make variable. */
struct override_diag {
	struct tcfg_reporter *r;
	const char *var;
};

static void from_override(void *ctx, const struct typed_error *e)
{
	struct override_diag *o = ctx;
	struct typed_error named = *e;
	snprintf(named.path, sizeof named.path, "%s", o->var);
	from_typed(o->r, &named);
}

/* The override's value as a parsed atom. */
static struct typed_node *atom(struct typed_arena *a, const char *value)
{
	struct typed_node *n = typed_arena_alloc(a, sizeof *n);
	if (n) {
		n->kind = TYPED_NODE_ATOM;
		n->len = (uint32_t)strlen(value);
		n->text = copy(a, value, n->len);
	}
	return n && n->text ? n : NULL;
}

/* Names joined with ", ": a record's fields. */
static const char *names(const struct typed_type *t, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < t->rec.count && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
		                      t->rec.fields[i].name);
	return buf;
}

int tcfg_check_override(const struct typed_type *t, const char *assignment, struct typed_arena *a,
                        struct tcfg_reporter *r)
{
	char known[256];
	int before = r->errors;
	const char *eq = strchr(assignment, '=');
	if (!eq) {
		tcfg_report(r, 0, "--set expects key=value, got \"%s\"", assignment);
		return r->errors - before;
	}
	int klen = (int)(eq - assignment);
	const struct typed_field *f = find_path(t, assignment, (size_t)klen);
	struct typed_node *n = f ? atom(a, eq + 1) : NULL;
	struct typed_value *v;
	if (!f)
		tcfg_report(r, 0, "unknown key \"%.*s\"; known keys: %s", klen, assignment,
		            names(t, known, sizeof known));
	else if (f->type->kind == TYPED_RECORD)
		tcfg_report(r, 0, "\"%.*s\" is an object; set one of its keys: %s", klen,
		            assignment, names(f->type, known, sizeof known));
	else if (!n)
		tcfg_report(r, 0, "out of memory");
	else {
		struct override_diag o = {r, var_of(assignment, (size_t)klen)};
		struct typed_diag d = {from_override, &o, 0};
		typed_check(f->type, n, a, &v, &d);
	}
	return r->errors - before;
}

/* The member of record node n named key[0..len), or NULL. */
static struct typed_node *member_node(struct typed_node *n, const char *key, size_t len)
{
	for (struct typed_node *m = n->child; m; m = m->next)
		if (strlen(m->key) == len && memcmp(m->key, key, len) == 0)
			return m;
	return NULL;
}

static struct typed_node *append(struct typed_node *n, const char *key, size_t len,
                                 struct typed_arena *a)
{
	struct typed_node *m = typed_arena_alloc(a, sizeof *m), **tail = &n->child;
	if (!m || !(m->key = copy(a, key, len)))
		return NULL;
	m->kind = TYPED_NODE_RECORD; /* a leaf is overwritten with its value */
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	n->count++;
	return m;
}

/* Puts one override into the parsed file (replacing what the file says):
 * its value, or a node that stands for a value already reported. */
static void apply(const struct typed_type *t, struct typed_node *root, const char *set,
                  struct typed_arena *a)
{
	const char *eq = strchr(set, '=');
	const struct typed_field *f = eq ? tcfg_field(t, set, (size_t)(eq - set)) : NULL;
	struct typed_node *value = f ? atom(a, eq + 1) : NULL;
	struct typed_value *v;
	struct typed_diag quiet = {NULL, NULL, 0};
	if (!value)
		return;
	if (typed_check(f->type, value, a, &v, &quiet) != ERR_OK)
		value->kind = TYPED_NODE_REPORTED;
	struct typed_node *n = root;
	for (const char *key = set;;) {
		const char *dot = memchr(key, '.', (size_t)(eq - key));
		size_t len = dot ? (size_t)(dot - key) : (size_t)(eq - key);
		struct typed_node *m = member_node(n, key, len);
		if (!m && !(m = append(n, key, len, a)))
			return;
		if (!dot) {
			const char *k = m->key;
			uint32_t kl = m->key_line, kc = m->key_col;
			struct typed_node *next = m->next;
			*m = *value;
			m->key = k;
			m->key_line = kl;
			m->key_col = kc;
			m->next = next;
			return;
		}
		if (m->kind != TYPED_NODE_RECORD)
			return; /* the file's value is not an object: reported as such */
		n = m;
		key = dot + 1;
	}
}

int tcfg_check(const struct typed_type *t, struct typed_node *root, const char *const *sets,
               int nsets, struct typed_arena *a, struct tcfg_config *cfg, struct tcfg_reporter *r)
{
	int before = r->errors;
	struct typed_diag d = {from_typed, r, 0};
	struct typed_value *v;
	if (root->kind == TYPED_NODE_RECORD)
		for (int i = 0; i < nsets; i++)
			apply(t, root, sets[i], a);
	if (typed_check(t, root, a, &v, &d) == ERR_OK &&
	    tcfg_config_from_value(v, a, cfg) != ERR_OK)
		tcfg_report(r, 0, "out of memory");
	return r->errors - before;
}

size_t tcfg_emit_make(const struct tcfg_config *cfg, const char *source, char *buf, size_t size)
{
	int n = snprintf(
	        buf, size,
	        "# Generated by tools/tcfg from %s; do not edit.\n"
	        "CFG_ARCH := %s\nCFG_LOADER := %s\nCFG_FIRMWARE := %s\n"
	        "CFG_MACHINE := %s\nCFG_ACCEL := %s\nCFG_CORES := %llu\n"
	        "CFG_MEMORY := %llu\nCFG_DISPLAY := %s\nCFG_WIDTH := %llu\n"
	        "CFG_HEIGHT := %llu\n",
	        source, tcfg_config_arch_names[cfg->arch], tcfg_config_loader_names[cfg->loader],
	        tcfg_config_firmware_names[cfg->firmware], tcfg_config_machine_names[cfg->machine],
	        tcfg_config_accel_names[cfg->accel], (unsigned long long)cfg->cores,
	        (unsigned long long)cfg->memory, tcfg_config_display_names[cfg->display],
	        (unsigned long long)cfg->framebuffer.width,
	        (unsigned long long)cfg->framebuffer.height);
	return n > 0 ? (size_t)n : 0;
}
