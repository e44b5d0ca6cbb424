/* The configuration schema table and its checks; see schema.h. */
#include "schema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const arch_choices[] = {"x86_64", NULL};
static const char *const loader_choices[] = {"tessera", "limine", NULL};
static const char *const firmware_choices[] = {"uefi", "bios", NULL};
static const char *const machine_choices[] = {"q35", "pc", NULL};
static const char *const accel_choices[] = {"tcg", "kvm", NULL};
static const char *const display_choices[] = {"auto", "none", "gtk", "sdl", NULL};

#define ENUM_FIELD(k, s, v, c, d)                                                        \
	{                                                                                \
		.key = k, .kind = TCFG_ENUM, .slot = s, .var = v, .choices = c, .def = d \
	}
#define INT_FIELD(k, s, v, lo, hi, d)                                                           \
	{                                                                                       \
		.key = k, .kind = TCFG_INT, .slot = s, .var = v, .min = lo, .max = hi, .def = d \
	}

/* framebuffer: the framebuffer size the loader asks the firmware for. */
static const struct tcfg_field framebuffer_fields[] = {
        INT_FIELD("width", TCFG_WIDTH, "WIDTH", 320, 7680, "1024"),
        INT_FIELD("height", TCFG_HEIGHT, "HEIGHT", 200, 4320, "768"),
        {.key = NULL},
};

/* Defaults: arch x86_64, accel tcg, display auto, framebuffer 1024x768.
 * loader, firmware, machine, cores and memory (MiB) are required. */
const struct tcfg_field tcfg_schema[] = {
        ENUM_FIELD("arch", TCFG_ARCH, "ARCH", arch_choices, "x86_64"),
        ENUM_FIELD("loader", TCFG_LOADER, "LOADER", loader_choices, NULL),
        ENUM_FIELD("firmware", TCFG_FIRMWARE, "FIRMWARE", firmware_choices, NULL),
        ENUM_FIELD("machine", TCFG_MACHINE, "MACHINE", machine_choices, NULL),
        ENUM_FIELD("accel", TCFG_ACCEL, "ACCEL", accel_choices, "tcg"),
        INT_FIELD("cores", TCFG_CORES, "CORES", 1, 64, NULL),
        INT_FIELD("memory", TCFG_MEMORY, "MEMORY", 64, 65536, NULL),
        ENUM_FIELD("display", TCFG_DISPLAY, "DISPLAY", display_choices, "auto"),
        {.key = "framebuffer", .kind = TCFG_OBJECT, .fields = framebuffer_fields},
        {.key = NULL},
};

/* snprintf at offset *n of buf, advancing *n by the full length even when
 * the output is truncated. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t size, size_t *n,
                                                         const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = *n < size ? vsnprintf(buf + *n, size - *n, fmt, ap) : vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*n += len > 0 ? (size_t)len : 0;
}

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
	size_t n = 0;
	if (line)
		append(raw, sizeof raw, &n, "%s:%u: ", r->file, line);
	else
		append(raw, sizeof raw, &n, "%s: ", r->file);
	if (n < sizeof raw) { /* a prefix longer than raw leaves no room */
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(raw + n, sizeof raw - n, fmt, ap);
		va_end(ap);
	}
	escape_controls(msg, sizeof msg, raw);
	r->errors++;
	if (r->fn)
		r->fn(r->ctx, msg);
}

/* Joins the choices of an enum, or the keys of an object, with ", ". */
static const char *join_names(const struct tcfg_field *f, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (f->kind == TCFG_ENUM)
		for (const char *const *c = f->choices; *c; c++)
			append(buf, size, &n, "%s%s", c == f->choices ? "" : ", ", *c);
	else
		for (const struct tcfg_field *k = f->fields; k->key; k++)
			append(buf, size, &n, "%s%s", k == f->fields ? "" : ", ", k->key);
	return buf;
}

static int in_choices(const struct tcfg_field *f, const char *s)
{
	for (const char *const *c = f->choices; *c; c++)
		if (strcmp(*c, s) == 0)
			return 1;
	return 0;
}

static void store(struct tcfg_config *cfg, const struct tcfg_field *f, const char *text)
{
	snprintf(cfg->v[f->slot].text, TCFG_VALUE_MAX, "%s", text);
	cfg->v[f->slot].set = 1;
}

void tcfg_defaults(struct tcfg_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (enum tcfg_slot s = 0; s < TCFG_NSLOTS; s++) {
		const struct tcfg_field *f = tcfg_field_of(s, NULL, 0);
		if (f && f->def)
			store(cfg, f, f->def);
	}
}

/* Searches fields (and nested objects) for slot's field; builds its path. */
static const struct tcfg_field *find_slot(const struct tcfg_field *fields, enum tcfg_slot slot,
                                          const char *prefix, char *path, size_t size)
{
	for (const struct tcfg_field *f = fields; f->key; f++) {
		char here[64];
		snprintf(here, sizeof here, "%s%s%s", prefix, *prefix ? "." : "", f->key);
		const struct tcfg_field *hit = NULL;
		if (f->kind == TCFG_OBJECT)
			hit = find_slot(f->fields, slot, here, path, size);
		else if (f->slot == slot)
			hit = f;
		if (hit && f->kind != TCFG_OBJECT && path)
			snprintf(path, size, "%s", here);
		if (hit)
			return hit;
	}
	return NULL;
}

const struct tcfg_field *tcfg_field_of(enum tcfg_slot slot, char *path, size_t size)
{
	return find_slot(tcfg_schema, slot, "", path, size);
}

/* Checks one JSON value against a leaf field and stores it. */
static void apply_leaf(struct tcfg_config *cfg, const struct tcfg_field *f, const char *path,
                       const struct json_node *n, struct tcfg_reporter *r)
{
	char names[256];
	if (f->kind == TCFG_ENUM) {
		if (n->type != JSON_STRING)
			tcfg_report(r, n->line, "\"%s\": expected a string (one of: %s), got %s",
			            path, join_names(f, names, sizeof names), json_describe(n));
		else if (strlen(n->str) != n->len || !in_choices(f, n->str))
			tcfg_report(r, n->line, "\"%s\": \"%s\" is not one of: %s", path, n->str,
			            join_names(f, names, sizeof names));
		else
			store(cfg, f, n->str);
		return;
	}
	if (n->type == JSON_NUMBER && n->num_kind == JSON_NUM_REAL)
		tcfg_report(r, n->line, "\"%s\": expected an integer, got %s", path, n->str);
	else if (n->type != JSON_NUMBER)
		tcfg_report(r, n->line, "\"%s\": expected an integer, got %s", path,
		            json_describe(n));
	else if (n->num_kind == JSON_NUM_OVERFLOW || n->num < f->min || n->num > f->max)
		tcfg_report(r, n->line, "\"%s\": %s is out of range %lld..%lld", path, n->str,
		            f->min, f->max);
	else
		store(cfg, f, n->str);
}

/* The earlier member of obj with the same key as m, or NULL. */
static const struct json_node *earlier_twin(const struct json_node *obj, const struct json_node *m)
{
	for (const struct json_node *c = obj->child; c != m; c = c->next)
		if (c->key_len == m->key_len && memcmp(c->key, m->key, m->key_len) == 0)
			return c;
	return NULL;
}

static const struct tcfg_field *find_key(const struct tcfg_field *fields, const char *key,
                                         size_t len)
{
	for (const struct tcfg_field *f = fields; f->key; f++)
		if (strlen(f->key) == len && memcmp(f->key, key, len) == 0)
			return f;
	return NULL;
}

/* Checks an object's members against obj_field's fields. */
static void apply_object(struct tcfg_config *cfg, const struct tcfg_field *obj_field,
                         const char *prefix, const struct json_node *obj, struct tcfg_reporter *r)
{
	char names[256], path[128];
	for (const struct json_node *m = obj->child; m; m = m->next) {
		const struct tcfg_field *f = find_key(obj_field->fields, m->key, m->key_len);
		const struct json_node *twin = earlier_twin(obj, m);
		snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", m->key);
		if (twin) {
			tcfg_report(r, m->key_line, "duplicate key \"%s\" (first given on line %u)",
			            path, twin->key_line);
		} else if (!f) {
			tcfg_report(r, m->key_line, "unknown key \"%s\"; known keys%s%s: %s", path,
			            *prefix ? " in " : "", prefix,
			            join_names(obj_field, names, sizeof names));
		} else if (f->kind != TCFG_OBJECT) {
			apply_leaf(cfg, f, path, m, r);
		} else if (m->type != JSON_OBJECT) {
			tcfg_report(r, m->line, "\"%s\": expected an object {%s}, got %s", path,
			            join_names(f, names, sizeof names), json_describe(m));
		} else {
			apply_object(cfg, f, path, m, r);
		}
	}
}

int tcfg_apply_json(struct tcfg_config *cfg, const struct json_node *root, struct tcfg_reporter *r)
{
	static const struct tcfg_field top = {
	        .key = "", .kind = TCFG_OBJECT, .fields = tcfg_schema};
	int before = r->errors;
	if (root->type != JSON_OBJECT)
		tcfg_report(r, root->line, "expected an object of settings, got %s",
		            json_describe(root));
	else
		apply_object(cfg, &top, "", root, r);
	return r->errors - before;
}

/* Finds the field for a dotted key such as "framebuffer.width". */
static const struct tcfg_field *find_path(const char *key, size_t len)
{
	const struct tcfg_field *fields = tcfg_schema, *f = NULL;
	while (fields) {
		const char *dot = memchr(key, '.', len);
		size_t part = dot ? (size_t)(dot - key) : len;
		f = find_key(fields, key, part);
		if (!f || !dot)
			return f;
		fields = f->kind == TCFG_OBJECT ? f->fields : NULL;
		key += part + 1;
		len -= part + 1;
	}
	return NULL;
}

/* Parses a decimal integer (optional '-'); 0 if s is not one. */
static int parse_int(const char *s, long long *out)
{
	char *end;
	if (!*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
		return 0;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *end == '\0';
}

/* Checks an override's value for a leaf field, naming it by make variable. */
static void apply_override_value(struct tcfg_config *cfg, const struct tcfg_field *f,
                                 const char *value, struct tcfg_reporter *r)
{
	char names[256];
	long long v;
	if (f->kind == TCFG_ENUM) {
		if (in_choices(f, value))
			store(cfg, f, value);
		else
			tcfg_report(r, 0, "%s=%s: not one of: %s", f->var, value,
			            join_names(f, names, sizeof names));
	} else if (!parse_int(value, &v)) {
		tcfg_report(r, 0, "%s=%s: expected an integer", f->var, value);
	} else if (errno == ERANGE || v < f->min || v > f->max) {
		tcfg_report(r, 0, "%s=%s: out of range %lld..%lld", f->var, value, f->min, f->max);
	} else {
		char text[TCFG_VALUE_MAX];
		snprintf(text, sizeof text, "%lld", v);
		store(cfg, f, text);
	}
}

int tcfg_apply_override(struct tcfg_config *cfg, const char *assignment, struct tcfg_reporter *r)
{
	char names[256];
	int before = r->errors;
	const char *eq = strchr(assignment, '=');
	static const struct tcfg_field top = {
	        .key = "", .kind = TCFG_OBJECT, .fields = tcfg_schema};
	if (!eq) {
		tcfg_report(r, 0, "--set expects key=value, got \"%s\"", assignment);
		return r->errors - before;
	}
	const struct tcfg_field *f = find_path(assignment, (size_t)(eq - assignment));
	if (!f)
		tcfg_report(r, 0, "unknown key \"%.*s\"; known keys: %s", (int)(eq - assignment),
		            assignment, join_names(&top, names, sizeof names));
	else if (f->kind == TCFG_OBJECT)
		tcfg_report(r, 0, "\"%.*s\" is an object; set one of its keys: %s",
		            (int)(eq - assignment), assignment, join_names(f, names, sizeof names));
	else
		apply_override_value(cfg, f, eq + 1, r);
	return r->errors - before;
}

int tcfg_check_complete(const struct tcfg_config *cfg, struct tcfg_reporter *r)
{
	int before = r->errors;
	char path[64], names[256];
	for (enum tcfg_slot s = 0; s < TCFG_NSLOTS; s++) {
		const struct tcfg_field *f = tcfg_field_of(s, path, sizeof path);
		if (cfg->v[s].set)
			continue;
		if (f->kind == TCFG_ENUM)
			tcfg_report(r, 0, "missing required key \"%s\" (one of: %s)", path,
			            join_names(f, names, sizeof names));
		else
			tcfg_report(r, 0, "missing required key \"%s\" (an integer %lld..%lld)",
			            path, f->min, f->max);
	}
	return r->errors - before;
}

size_t tcfg_emit_make(const struct tcfg_config *cfg, const char *source, char *buf, size_t size)
{
	size_t n = 0;
	append(buf, size, &n, "# Generated by tools/tcfg from %s; do not edit.\n", source);
	for (enum tcfg_slot s = 0; s < TCFG_NSLOTS; s++) {
		const struct tcfg_field *f = tcfg_field_of(s, NULL, 0);
		append(buf, size, &n, "CFG_%s := %s\n", f->var, cfg->v[s].text);
	}
	return n;
}
