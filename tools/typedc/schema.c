/* The schema language's parser (see schema.h): declarations over
 * lib/typed's lexer, types as lib/typed descriptors, defaults in the
 * configuration syntax checked against their field's type. */
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tessera/caps.h>
#include <typed/internal.h>

struct sp {
	struct lexer lx;
	struct token tok;
	struct typed_arena *arena;
	struct typed_diag *diag;
	struct schema *s;
	bool failed, nomem;
};

static void report(struct sp *p, uint32_t line, uint32_t col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void report(struct sp *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct typed_error e;
	va_list ap;
	va_start(ap, fmt);
	typed_error_vset(&e, line, col, "", fmt, ap);
	va_end(ap);
	typed_diag_send(p->diag, &e);
	p->failed = true;
}

static void next(struct sp *p)
{
	p->tok = lex_next(&p->lx);
	if (p->tok.kind != TOK_ERROR)
		return;
	if (!p->tok.why)
		p->nomem = true;
	report(p, p->tok.line, p->tok.col, "%s", p->tok.why ? p->tok.why : "out of memory");
}

static bool is_punct(const struct sp *p, char c)
{
	return p->tok.kind == TOK_PUNCT && p->tok.text[0] == c;
}

static bool is_word(const struct sp *p, const char *w)
{
	return p->tok.kind == TOK_ATOM && strcmp(p->tok.text, w) == 0;
}

/* Reports what was expected at the current token; returns false. */
static bool expect_failed(struct sp *p, const char *what)
{
	if (p->tok.kind == TOK_ERROR)
		return false; /* reported */
	const char *got = p->tok.kind == TOK_END       ? "the end of the text"
	                  : p->tok.kind == TOK_NEWLINE ? "the end of the line"
	                                               : p->tok.text;
	report(p, p->tok.line, p->tok.col, "expected %s, got %s%.*s%s", what,
	       p->tok.kind == TOK_STRING ? "\"" : "", p->tok.kind == TOK_PUNCT ? 1 : 64, got,
	       p->tok.kind == TOK_STRING ? "\"" : "");
	return false;
}

static bool punct(struct sp *p, char c)
{
	char what[8];
	snprintf(what, sizeof what, "'%c'", c);
	if (!is_punct(p, c))
		return expect_failed(p, what);
	next(p);
	return true;
}

static void *alloc(struct sp *p, size_t n)
{
	void *m = typed_arena_alloc(p->arena, n);
	if (!m && !p->nomem) {
		p->nomem = true;
		report(p, p->tok.line, p->tok.col, "out of memory");
	}
	return m;
}

static const char *const keywords[] = {"bool",   "int",  "uint", "size", "duration",
                                       "string", "path", "enum", "cap",  "list",
                                       "record", "type", "root", NULL};

/* A name: [a-z][a-z0-9_]*; one to declare or refer to is not a keyword
 * (field names may be anything). */
static const char *any_name(struct sp *p, const char *what, bool field)
{
	if (p->tok.kind != TOK_ATOM || !typed_field_name_ok(p->tok.text, p->tok.len)) {
		expect_failed(p, what);
		return NULL;
	}
	for (const char *const *k = keywords; !field && *k; k++)
		if (strcmp(*k, p->tok.text) == 0) {
			report(p, p->tok.line, p->tok.col, "%s is a keyword, not a name", *k);
			return NULL;
		}
	const char *n = p->tok.text;
	next(p);
	return n;
}

static const char *name(struct sp *p, const char *what)
{
	return any_name(p, what, false);
}

static const struct schema_decl *lookup(const struct schema *s, const char *n)
{
	for (unsigned i = 0; i < s->ndecls; i++)
		if (strcmp(s->decls[i].name, n) == 0)
			return &s->decls[i];
	return NULL;
}

/* A bound of a range, in the syntax of its kind ("64K", "300ms", "-5"). */
static bool bound(struct sp *p, struct typed_type *t, const char *text, size_t len, uint32_t col,
                  uint64_t *u)
{
	struct typed_type full = {.kind = t->kind};
	if (t->kind == TYPED_INT) {
		full.i.min = INT64_MIN;
		full.i.max = INT64_MAX;
	} else {
		full.u.max = UINT64_MAX;
	}
	char *copy = alloc(p, len + 1);
	if (!copy)
		return false;
	memcpy(copy, text, len);
	struct typed_node n = {.kind = TYPED_NODE_ATOM,
	                       .line = p->tok.line,
	                       .col = col,
	                       .text = copy,
	                       .len = (uint32_t)len};
	struct typed_value *v;
	unsigned before = p->diag->count;
	if (typed_check(&full, &n, p->arena, &v, p->diag) != ERR_OK) {
		p->failed |= p->diag->count != before;
		return false;
	}
	*u = t->kind == TYPED_INT ? (uint64_t)v->i : v->u;
	return true;
}

/* An optional range MIN..MAX after int, uint, size, duration. */
static bool range(struct sp *p, struct typed_type *t)
{
	if (t->kind == TYPED_INT) {
		t->i.min = INT64_MIN;
		t->i.max = INT64_MAX;
	} else {
		t->u.max = UINT64_MAX;
	}
	if (p->tok.kind != TOK_ATOM)
		return true;
	const char *dots = strstr(p->tok.text, "..");
	if (!dots)
		return expect_failed(p, "a range MIN..MAX");
	size_t lo_len = (size_t)(dots - p->tok.text), hi_len = p->tok.len - lo_len - 2;
	/* an open end is the kind's own: ..10s, 1.. */
	uint64_t lo = t->kind == TYPED_INT ? (uint64_t)INT64_MIN : 0;
	uint64_t hi = t->kind == TYPED_INT ? (uint64_t)INT64_MAX : UINT64_MAX;
	if ((lo_len && !bound(p, t, p->tok.text, lo_len, p->tok.col, &lo)) ||
	    (hi_len && !bound(p, t, dots + 2, hi_len, p->tok.col + (uint32_t)lo_len + 2, &hi)))
		return false;
	if (t->kind == TYPED_INT ? (int64_t)lo > (int64_t)hi : lo > hi) {
		report(p, p->tok.line, p->tok.col, "range %s: the minimum is above the maximum",
		       p->tok.text);
		return false;
	}
	if (t->kind == TYPED_INT) {
		t->i.min = (int64_t)lo;
		t->i.max = (int64_t)hi;
	} else {
		t->u.min = lo;
		t->u.max = hi;
	}
	next(p);
	return true;
}

/* A decimal count in 1..max. */
static bool count(struct sp *p, uint32_t max, uint32_t *out)
{
	unsigned long long v = 0;
	bool ok = p->tok.kind == TOK_ATOM && p->tok.len > 0 && p->tok.len < 10;
	for (uint32_t i = 0; ok && i < p->tok.len; i++) {
		ok = p->tok.text[i] >= '0' && p->tok.text[i] <= '9';
		v = v * 10 + (unsigned)(p->tok.text[i] - '0');
	}
	if (!ok || v < 1 || v > max) {
		char what[48];
		snprintf(what, sizeof what, "a number 1..%u", max);
		return expect_failed(p, what);
	}
	*out = (uint32_t)v;
	next(p);
	return true;
}

static bool enum_names(struct sp *p, struct typed_type *t)
{
	const char *names[TYPED_MAX_NAMES];
	uint32_t n = 0;
	if (!punct(p, '('))
		return false;
	do {
		if (n && !punct(p, ','))
			return false;
		if (p->tok.kind != TOK_ATOM || !typed_enum_name_ok(p->tok.text, p->tok.len))
			return expect_failed(p, "an enum name ([A-Za-z0-9_]+)");
		for (uint32_t i = 0; i < n; i++)
			if (strcmp(names[i], p->tok.text) == 0) {
				report(p, p->tok.line, p->tok.col, "%s given twice", names[i]);
				return false;
			}
		if (n == TYPED_MAX_NAMES) {
			report(p, p->tok.line, p->tok.col, "more than %u names", TYPED_MAX_NAMES);
			return false;
		}
		names[n++] = p->tok.text;
		next(p);
	} while (!is_punct(p, ')'));
	next(p);
	const char **copy = alloc(p, n * sizeof *copy);
	if (!copy)
		return false;
	memcpy(copy, names, n * sizeof *copy);
	t->en.names = copy;
	t->en.count = n;
	return true;
}

static bool cap_spec(struct sp *p, struct typed_type *t)
{
	if (!is_punct(p, '('))
		return true; /* any capability */
	next(p);
	for (unsigned i = 0;; i++) {
		const char *n = typed_cap_type_name(i);
		if (!n)
			return expect_failed(p, "a capability type (any, endpoint, frame, ...)");
		if (is_word(p, n)) {
			t->cap.cap_type = (uint8_t)i;
			break;
		}
	}
	next(p);
	while (is_punct(p, ',')) {
		next(p);
		unsigned bit = 0;
		while (typed_right_name(bit) && !is_word(p, typed_right_name(bit)))
			bit++;
		if (!typed_right_name(bit))
			return expect_failed(p, "a right (read, write, exec, grant, retype)");
		t->cap.rights |= (uint8_t)(1u << bit);
		next(p);
	}
	return punct(p, ')');
}

static const struct typed_type *type_expr(struct sp *p, unsigned depth);

static bool type_body(struct sp *p, struct typed_type *t, unsigned depth)
{
	switch (t->kind) {
	case TYPED_INT:
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION: return range(p, t);
	case TYPED_STRING:
	case TYPED_PATH:
		t->str.max_len = 255;
		if (!is_punct(p, '('))
			return true;
		next(p);
		return count(p, TYPED_MAX_LEN, &t->str.max_len) && punct(p, ')');
	case TYPED_ENUM: return enum_names(p, t);
	case TYPED_CAP: return cap_spec(p, t);
	case TYPED_LIST:
		if (!punct(p, '(') || !(t->list.elem = type_expr(p, depth + 1)) || !punct(p, ','))
			return false;
		return count(p, TYPED_MAX_COUNT, &t->list.max_count) && punct(p, ')');
	default: return true;
	}
}

static const struct typed_type *type_expr(struct sp *p, unsigned depth)
{
	static const struct {
		const char *word;
		uint8_t kind;
	} kinds[] = {{"bool", TYPED_BOOL}, {"int", TYPED_INT},           {"uint", TYPED_UINT},
	             {"size", TYPED_SIZE}, {"duration", TYPED_DURATION}, {"string", TYPED_STRING},
	             {"path", TYPED_PATH}, {"enum", TYPED_ENUM},         {"cap", TYPED_CAP},
	             {"list", TYPED_LIST}};
	if (depth > TYPED_MAX_DEPTH) {
		report(p, p->tok.line, p->tok.col, "types nested more than %u deep",
		       TYPED_MAX_DEPTH);
		return NULL;
	}
	for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (is_word(p, kinds[i].word)) {
			struct typed_type *t = alloc(p, sizeof *t);
			if (!t)
				return NULL;
			t->kind = kinds[i].kind;
			next(p);
			return type_body(p, t, depth) ? t : NULL;
		}
	uint32_t line = p->tok.line, col = p->tok.col;
	const char *n = name(p, "a type (bool, int, uint, size, duration, string, path, enum, cap, "
	                        "list or a declared name)");
	const struct schema_decl *d = n ? lookup(p->s, n) : NULL;
	if (n && !d)
		report(p, line, col, "%s is not declared (above this line)", n);
	return d ? d->type : NULL;
}

/* C names for enums declared inside a field: RECORD_FIELD. */
static void name_inline(struct sp *p, const struct typed_type *t, const char *rec,
                        const char *field)
{
	while (t->kind == TYPED_LIST)
		t = t->list.elem;
	if (t->kind != TYPED_ENUM || t->name)
		return;
	size_t n = strlen(rec) + strlen(field) + 2;
	char *s = alloc(p, n);
	if (s) {
		snprintf(s, n, "%s_%s", rec, field);
		((struct typed_type *)t)->name = s;
	}
}

/* A field's default: a value in the configuration syntax, checked. */
static bool default_value(struct sp *p, struct typed_field *f)
{
	struct typed_node *n;
	struct typed_error e;
	struct typed_value *v;
	uint32_t line = p->tok.line, col = p->tok.col;
	if (text_value(&p->lx, &p->tok, &n, &e) != ERR_OK) {
		p->nomem |= p->tok.kind == TOK_ERROR && !p->tok.why;
		typed_diag_send(p->diag, &e);
		p->failed = true;
		return false;
	}
	if (f->type->kind == TYPED_OPTIONAL) {
		report(p, line, col, "an optional field has no default");
		return false;
	}
	unsigned before = p->diag->count;
	if (typed_check(f->type, n, p->arena, &v, p->diag) != ERR_OK) {
		p->failed |= p->diag->count != before;
		return false;
	}
	f->def = v;
	return true;
}

static bool field(struct sp *p, const char *rec, struct typed_field *f)
{
	*f = (struct typed_field){.doc = ""};
	if (!(f->name = any_name(p, "a field name ([a-z][a-z0-9_]*)", true)))
		return false;
	bool optional = is_punct(p, '?');
	if (optional)
		next(p);
	if (!punct(p, ':') || !(f->type = type_expr(p, 1)))
		return false;
	name_inline(p, f->type, rec, f->name);
	if (optional) {
		struct typed_type *o = alloc(p, sizeof *o);
		if (!o)
			return false;
		o->kind = TYPED_OPTIONAL;
		o->inner = f->type;
		f->type = o;
	}
	if (is_punct(p, '=')) {
		next(p);
		if (!default_value(p, f))
			return false;
	}
	if (p->tok.kind == TOK_STRING) {
		f->doc = p->tok.text;
		next(p);
	}
	return true;
}

/* An optional documentation string. */
static const char *doc(struct sp *p)
{
	if (p->tok.kind != TOK_STRING)
		return "";
	const char *d = p->tok.text;
	next(p);
	return d;
}

static bool declare(struct sp *p, const char *n, const char *d, const struct typed_type *t,
                    bool record, uint32_t line, uint32_t col)
{
	if (lookup(p->s, n)) {
		report(p, line, col, "%s is declared twice", n);
		return false;
	}
	if (p->s->ndecls == SCHEMA_MAX_DECLS) {
		report(p, line, col, "more than %u declarations", SCHEMA_MAX_DECLS);
		return false;
	}
	p->s->decls[p->s->ndecls++] = (struct schema_decl){n, d, t, record};
	return true;
}

static bool record_decl(struct sp *p)
{
	uint32_t line = p->tok.line, col = p->tok.col;
	struct typed_field fields[TYPED_MAX_FIELDS];
	uint32_t n = 0;
	const char *rec = name(p, "a record name ([a-z][a-z0-9_]*)");
	const char *d = rec ? doc(p) : NULL;
	if (!rec || !punct(p, '{'))
		return false;
	while (p->tok.kind == TOK_NEWLINE)
		next(p);
	while (!is_punct(p, '}')) {
		if (n == TYPED_MAX_FIELDS) {
			report(p, p->tok.line, p->tok.col, "more than %u fields", TYPED_MAX_FIELDS);
			return false;
		}
		uint32_t fl = p->tok.line, fc = p->tok.col;
		if (!field(p, rec, &fields[n]))
			return false;
		for (uint32_t i = 0; i < n; i++)
			if (strcmp(fields[i].name, fields[n].name) == 0) {
				report(p, fl, fc, "field %s is declared twice", fields[n].name);
				return false;
			}
		n++;
		if (!is_punct(p, '}') && p->tok.kind != TOK_NEWLINE)
			return expect_failed(p, "a new line or '}' after the field");
		while (p->tok.kind == TOK_NEWLINE)
			next(p);
	}
	next(p);
	struct typed_type *t = alloc(p, sizeof *t);
	struct typed_field *copy = n ? alloc(p, n * sizeof *copy) : NULL;
	if (!t || (n && !copy))
		return false;
	if (n)
		memcpy(copy, fields, n * sizeof *copy);
	*t = (struct typed_type){.kind = TYPED_RECORD, .name = rec};
	t->rec.fields = copy;
	t->rec.count = n;
	return declare(p, rec, d, t, true, line, col);
}

static bool type_decl(struct sp *p)
{
	uint32_t line = p->tok.line, col = p->tok.col;
	const char *n = name(p, "a type name ([a-z][a-z0-9_]*)");
	const struct typed_type *t;
	if (!n || !punct(p, '=') || !(t = type_expr(p, 1)))
		return false;
	if (t->kind == TYPED_RECORD) {
		report(p, line, col, "%s: a record has one name (use %s)", n, t->name);
		return false;
	}
	struct typed_type *named = alloc(p, sizeof *named);
	if (!named)
		return false;
	*named = *t; /* an alias gets its own name */
	named->name = n;
	return declare(p, n, doc(p), named, false, line, col);
}

static bool root_decl(struct sp *p)
{
	uint32_t line = p->tok.line, col = p->tok.col;
	const char *n = name(p, "the root record's name");
	const struct schema_decl *d = n ? lookup(p->s, n) : NULL;
	if (!n)
		return false;
	if (!d || !d->record) {
		report(p, line, col, "root %s: not a record declared above", n);
		return false;
	}
	if (p->s->root) {
		report(p, line, col, "a second root");
		return false;
	}
	p->s->root = d->type;
	p->s->root_name = d->name;
	p->s->root_doc = d->doc;
	return true;
}

static bool decl(struct sp *p)
{
	bool ok;
	if (is_word(p, "record") || is_word(p, "type") || is_word(p, "root")) {
		char kw = p->tok.text[1];
		next(p);
		ok = kw == 'e' ? record_decl(p) : kw == 'y' ? type_decl(p) : root_decl(p);
	} else {
		ok = expect_failed(p, "record, type or root");
	}
	if (ok && p->tok.kind != TOK_NEWLINE && p->tok.kind != TOK_END)
		ok = expect_failed(p, "a new line after the declaration");
	return ok;
}

enum err schema_parse(const char *text, size_t len, struct typed_arena *a, struct schema *s,
                      struct typed_diag *d)
{
	struct sp p = {.arena = a, .diag = d, .s = s};
	memset(s, 0, sizeof *s);
	lex_init(&p.lx, text, len, a);
	next(&p);
	while (!p.failed && p.tok.kind != TOK_END) {
		if (p.tok.kind == TOK_NEWLINE)
			next(&p);
		else if (!decl(&p))
			p.failed = true;
	}
	if (!p.failed && !s->root)
		report(&p, 0, 0, "no root: say which record it is with `root NAME`");
	struct typed_error e;
	if (!p.failed && typed_desc_check(s->root, &e) != ERR_OK) {
		typed_diag_send(d, &e);
		p.failed = true;
	}
	return p.nomem ? ERR_NOMEM : p.failed ? ERR_CORRUPT : ERR_OK;
}
