/* Checking a parsed text against a type: records (unknown, duplicate and
 * missing fields, defaults, optional fields), lists, then scalars
 * (scalar.c).  Every problem is reported and checking goes on. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

void check_report(struct checker *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct typed_error e;
	char path[TYPED_PATH_MAX + 2];
	bool cmdline = c->style == STYLE_CMDLINE;
	fmt_snprintf(path, sizeof path, "%s%.*s", cmdline && c->path_len ? "--" : "",
	             (int)c->path_len, c->path);
	for (char *p = path; cmdline && *p; p++) /* options are written with '-' for '_' */
		*p = *p == '_' ? '-' : *p;
	va_list ap;
	va_start(ap, fmt);
	typed_error_vset(&e, line, col, path, fmt, ap);
	va_end(ap);
	typed_diag_send(c->diag, &e);
}

/* Appends ".name" (or "name" first) or "[i]" to the path; returns the
 * length to restore. */
static size_t push_name(struct checker *c, const char *name)
{
	size_t old = c->path_len;
	c->path_len +=
	        fmt_snprintf(c->path + old, sizeof c->path - old, "%s%s", old ? "." : "", name);
	if (c->path_len >= sizeof c->path)
		c->path_len = sizeof c->path - 1;
	return old;
}

static size_t push_index(struct checker *c, uint32_t i)
{
	size_t old = c->path_len;
	c->path_len += fmt_snprintf(c->path + old, sizeof c->path - old, "[%u]", i);
	if (c->path_len >= sizeof c->path)
		c->path_len = sizeof c->path - 1;
	return old;
}

/* Reports the arena full, once. */
static void nomem(struct checker *c, const struct typed_node *at)
{
	if (!c->nomem)
		check_report(c, at ? at->line : 0, at ? at->col : 0,
		             "out of memory (an arena of %zu bytes is too small)", c->arena->size);
	c->nomem = true;
}

static void *alloc(struct checker *c, size_t n, const struct typed_node *at)
{
	void *p = typed_arena_alloc(c->arena, n);
	if (!p)
		nomem(c, at);
	return p;
}

static bool check_value(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                        struct typed_value *out);

/* "expected a list/record..., got ..." for a node of the wrong kind. */
static bool wrong_kind(struct checker *c, const struct typed_type *t, const struct typed_node *n)
{
	struct typed_value scratch;
	return check_scalar(c, t, n, &scratch); /* reports "expected ..., got ..." */
}

static bool check_list(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                       struct typed_value *out)
{
	if (n->kind != TYPED_NODE_LIST)
		return wrong_kind(c, t, n);
	if (n->count > t->list.max_count) {
		check_report(c, n->line, n->col, "has %u items; at most %u are allowed", n->count,
		             t->list.max_count);
		return false;
	}
	out->list.count = n->count;
	if (n->count && !(out->list.items = alloc(c, n->count * sizeof *out->list.items, n)))
		return false;
	bool ok = true;
	uint32_t i = 0;
	for (const struct typed_node *m = n->child; m && !c->nomem; m = m->next, i++) {
		size_t old = push_index(c, i);
		ok &= check_value(c, t->list.elem, m, &out->list.items[i]);
		c->path_len = old;
	}
	return ok && !c->nomem;
}

/* The field named key, or -1. */
static int field_index(const struct typed_type *t, const char *key)
{
	for (uint32_t i = 0; i < t->rec.count; i++)
		if (strcmp(t->rec.fields[i].name, key) == 0)
			return (int)i;
	return -1;
}

/* The member of n given before m with the same key, or NULL. */
static const struct typed_node *earlier(const struct typed_node *n, const struct typed_node *m)
{
	for (const struct typed_node *k = n->child; k != m; k = k->next)
		if (strcmp(k->key, m->key) == 0)
			return k;
	return NULL;
}

/* One member m given for field f into *v. */
static bool check_member(struct checker *c, const struct typed_field *f, const struct typed_node *m,
                         struct typed_value *v)
{
	size_t old = push_name(c, f->name);
	bool ok;
	if (f->type->kind == TYPED_OPTIONAL) {
		*v = (struct typed_value){.type = f->type, .line = m->line, .col = m->col};
		v->some = alloc(c, sizeof *v->some, m);
		ok = v->some && check_value(c, f->type->inner, m, v->some);
	} else {
		ok = check_value(c, f->type, m, v);
	}
	c->path_len = old;
	return ok;
}

/* A field no member gave: its default, absent, or a problem. */
static bool check_absent(struct checker *c, const struct typed_field *f, const struct typed_node *n,
                         struct typed_value *v)
{
	char want[160];
	*v = (struct typed_value){.type = f->type};
	if (f->def) {
		struct typed_value *copy = typed_copy(f->def, c->arena);
		if (!copy) {
			nomem(c, n);
			return false;
		}
		*v = *copy;
		return true;
	}
	if (f->type->kind == TYPED_OPTIONAL)
		return true;
	typed_describe(f->type, want, sizeof want);
	bool top = c->path_len == 0;
	if (c->style == STYLE_CMDLINE) {
		char rec[TYPED_PATH_MAX];
		fmt_snprintf(rec, sizeof rec, "%.*s%s", (int)c->path_len, c->path, top ? "" : ".");
		size_t old = c->path_len;
		c->path_len = 0; /* the option named in the message is the path */
		char option[TYPED_PATH_MAX * 2];
		fmt_snprintf(option, sizeof option, "--%s%s", rec, f->name);
		for (char *p = option; *p; p++)
			*p = *p == '_' ? '-' : *p;
		check_report(c, 0, 0, "missing required option %s (%s)", option, want);
		c->path_len = old;
	} else
		check_report(c, top ? 0 : n->line, top ? 0 : n->col,
		             "missing required field \"%s\" (%s)", f->name, want);
	return false;
}

static void known_fields(const struct typed_type *t, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	for (uint32_t i = 0; i < t->rec.count; i++)
		fmt_buf_printf(&b, "%s%s", i ? ", " : "", t->rec.fields[i].name);
	fmt_buf_end(&b);
}

static bool check_record(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                         struct typed_value *out)
{
	if (n->kind != TYPED_NODE_RECORD)
		return wrong_kind(c, t, n);
	if (t->rec.count > TYPED_MAX_FIELDS) {
		check_report(c, n->line, n->col, "a record type of more than %u fields",
		             TYPED_MAX_FIELDS);
		return false;
	}
	out->list.count = t->rec.count;
	if (t->rec.count &&
	    !(out->list.items = alloc(c, t->rec.count * sizeof *out->list.items, n)))
		return false;
	bool ok = true, given[TYPED_MAX_FIELDS] = {0};
	for (const struct typed_node *m = n->child; m && !c->nomem; m = m->next) {
		int i = field_index(t, m->key);
		const struct typed_node *twin = earlier(n, m);
		char known[TYPED_MSG_MAX], key[TYPED_SHOW + 8];
		struct fmt_buf b = {key, sizeof key, 0};
		tb_quoted(&b, m->key, strnlen(m->key, TYPED_SHOW));
		fmt_buf_end(&b);
		if (twin) {
			check_report(c, m->key_line, m->key_col,
			             "duplicate field %s (first given on line %u)", key,
			             twin->key_line);
			ok = false;
		} else if (i < 0) {
			known_fields(t, known, sizeof known);
			check_report(c, m->key_line, m->key_col,
			             "unknown field %s; known fields: %s", key, known);
			ok = false;
		} else {
			given[i] = true;
			ok &= check_member(c, &t->rec.fields[i], m, &out->list.items[i]);
		}
	}
	for (uint32_t i = 0; i < t->rec.count && !c->nomem; i++)
		if (!given[i])
			ok &= check_absent(c, &t->rec.fields[i], n, &out->list.items[i]);
	return ok && !c->nomem;
}

static bool check_value(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                        struct typed_value *out)
{
	*out = (struct typed_value){.type = t, .line = n->line, .col = n->col};
	if (n->kind == TYPED_NODE_REPORTED)
		return false;
	switch (t->kind) {
	case TYPED_LIST: return check_list(c, t, n, out);
	case TYPED_RECORD: return check_record(c, t, n, out);
	case TYPED_OPTIONAL: return check_value(c, t->inner, n, out); /* not as a field: bad desc */
	default: return check_scalar(c, t, n, out);
	}
}

enum err check_run(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                   struct typed_value **out)
{
	unsigned before = c->diag->count;
	struct typed_value *v = alloc(c, sizeof *v, n);
	*out = NULL;
	if (v)
		check_value(c, t, n, v);
	if (c->nomem)
		return ERR_NOMEM;
	if (c->diag->count != before)
		return ERR_CORRUPT;
	*out = v;
	return ERR_OK;
}

enum err typed_check(const struct typed_type *t, const struct typed_node *n, struct typed_arena *a,
                     struct typed_value **out, struct typed_diag *d)
{
	struct checker c = {.arena = a, .diag = d, .style = STYLE_TEXT};
	return check_run(&c, t, n, out);
}

enum err typed_text_load(const struct typed_type *t, const char *text, size_t len,
                         struct typed_arena *a, struct typed_value **out, struct typed_diag *d)
{
	struct typed_node *root;
	struct typed_error e;
	enum err err = typed_text_parse(text, len, a, &root, &e);
	*out = NULL;
	if (err) {
		typed_diag_send(d, &e);
		return err;
	}
	return typed_check(t, root, a, out, d);
}
