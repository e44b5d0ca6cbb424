/* Type descriptors: their checks, canonical encoding, identity and
 * decoding (byte layout: lib/typed/README.md, "Descriptor encoding"). */
#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "internal.h"

#define FNV_OFFSET        0xcbf29ce484222325ull
#define FNV_PRIME         0x100000001b3ull
#define FIELD_HAS_DEFAULT 0x01u

/* ---- Checks ---- */

struct dcheck {
	struct typed_error *err;
	char path[TYPED_PATH_MAX];
	size_t path_len;
};

static bool bad(struct dcheck *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(struct dcheck *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	typed_error_vset(d->err, 0, 0, d->path, fmt, ap);
	va_end(ap);
	return false;
}

static bool doc_ok(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return n < TYPED_DOC_MAX;
}

static bool check_type(struct dcheck *d, const struct typed_type *t, bool field, unsigned depth);

static enum err no_caps(void *ctx, struct typed_value *cap)
{
	return ERR_INVAL;
}

static bool check_enum(struct dcheck *d, const struct typed_type *t)
{
	if (t->en.count == 0 || t->en.count > TYPED_MAX_NAMES || !t->en.names)
		return bad(d, "an enum of %u names (1..%u)", t->en.count, TYPED_MAX_NAMES);
	for (uint32_t i = 0; i < t->en.count; i++) {
		const char *n = t->en.names[i];
		if (!n || !typed_enum_name_ok(n, strlen(n)))
			return bad(d, "enum name %u is not [A-Za-z0-9_]+ of at most %u bytes", i,
			           TYPED_NAME_MAX - 1);
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(t->en.names[j], n) == 0)
				return bad(d, "enum name \"%s\" given twice", n);
	}
	return true;
}

static bool check_field(struct dcheck *d, const struct typed_type *rec, uint32_t i, unsigned depth)
{
	const struct typed_field *f = &rec->rec.fields[i];
	if (!f->name || !typed_field_name_ok(f->name, strlen(f->name)))
		return bad(d, "field %u's name is not [a-z][a-z0-9_]* of at most %u bytes", i,
		           TYPED_NAME_MAX - 1);
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(rec->rec.fields[j].name, f->name) == 0)
			return bad(d, "field \"%s\" given twice", f->name);
	size_t old = d->path_len;
	d->path_len +=
	        fmt_snprintf(d->path + old, sizeof d->path - old, "%s%s", old ? "." : "", f->name);
	if (d->path_len >= sizeof d->path)
		d->path_len = sizeof d->path - 1;
	bool ok = f->type && check_type(d, f->type, true, depth + 1);
	if (ok && (!f->doc || !doc_ok(f->doc)))
		ok = bad(d, "documentation: one line of at most %u bytes", TYPED_DOC_MAX - 1);
	if (ok && f->def && f->type->kind == TYPED_OPTIONAL)
		ok = bad(d, "an optional field has no default");
	if (ok && f->def) {
		struct typed_error e;
		if (f->def->type != f->type || !typed_value_valid(f->def, &e))
			ok = bad(d, "default: %s",
			         f->def->type != f->type ? "not of the field's type" : e.msg);
	}
	if (ok && f->def && typed_each_cap((struct typed_value *)f->def, no_caps, NULL) != ERR_OK)
		ok = bad(d, "default: a default cannot name a capability");
	if (!f->type && ok)
		ok = bad(d, "no type");
	d->path_len = old;
	d->path[old] = '\0';
	return ok;
}

/* A function: only a descriptor's root; its parameters and result are
 * values' types (not optional, not functions). */
static bool check_func(struct dcheck *d, const struct typed_type *t, bool field, unsigned depth)
{
	if (field || depth)
		return bad(d, "a function is only a descriptor's root");
	if (t->fn.count > TYPED_MAX_FIELDS || (t->fn.count && !t->fn.params))
		return bad(d, "a function of %u parameters (at most %u)", t->fn.count,
		           TYPED_MAX_FIELDS);
	for (uint32_t i = 0; i <= t->fn.count; i++) {
		const struct typed_type *p = i < t->fn.count ? t->fn.params[i] : t->fn.result;
		if (i == t->fn.count && !p)
			break;
		if (!p || p->kind == TYPED_OPTIONAL)
			return bad(d, "a function's parameter or result cannot be optional");
		if (!check_type(d, p, false, depth + 1))
			return false;
	}
	return true;
}

static bool check_type(struct dcheck *d, const struct typed_type *t, bool field, unsigned depth)
{
	if (depth > TYPED_MAX_DEPTH)
		return bad(d, "types nested more than %u deep", TYPED_MAX_DEPTH);
	switch (t->kind) {
	case TYPED_BOOL: return true;
	case TYPED_INT: return t->i.min <= t->i.max || bad(d, "range: min is above max");
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION: return t->u.min <= t->u.max || bad(d, "range: min is above max");
	case TYPED_STRING:
	case TYPED_PATH:
		return (t->str.max_len >= 1 && t->str.max_len <= TYPED_MAX_LEN) ||
		       bad(d, "maximum length %u is not in 1..%u", t->str.max_len, TYPED_MAX_LEN);
	case TYPED_ENUM: return check_enum(d, t);
	case TYPED_CAP:
		if (t->cap.cap_type >= CAP_TYPE_COUNT)
			return bad(d, "capability type %u is not a CAP_* type", t->cap.cap_type);
		return (t->cap.rights & ~CAP_RIGHTS_ALL) == 0 ||
		       bad(d, "rights 0x%x are not CAP_RIGHT_* bits", t->cap.rights);
	case TYPED_LIST:
		if (t->list.max_count < 1 || t->list.max_count > TYPED_MAX_COUNT)
			return bad(d, "list of at most %u items: not in 1..%u", t->list.max_count,
			           TYPED_MAX_COUNT);
		if (!t->list.elem || t->list.elem->kind == TYPED_OPTIONAL)
			return bad(d, "a list's items cannot be optional");
		return check_type(d, t->list.elem, false, depth + 1);
	case TYPED_RECORD:
		if (t->rec.count > TYPED_MAX_FIELDS || (t->rec.count && !t->rec.fields))
			return bad(d, "a record of %u fields (at most %u)", t->rec.count,
			           TYPED_MAX_FIELDS);
		for (uint32_t i = 0; i < t->rec.count; i++)
			if (!check_field(d, t, i, depth))
				return false;
		return true;
	case TYPED_OPTIONAL:
		if (!field)
			return bad(d, "optional is only a record field's type");
		if (!t->inner || t->inner->kind == TYPED_OPTIONAL)
			return bad(d, "an optional of an optional");
		return check_type(d, t->inner, false, depth + 1);
	case TYPED_FUNC: return check_func(d, t, field, depth);
	default: return bad(d, "unknown kind %u", t->kind);
	}
}

enum err typed_desc_check(const struct typed_type *t, struct typed_error *err)
{
	struct dcheck d = {.err = err};
	return check_type(&d, t, false, 0) ? ERR_OK : ERR_CORRUPT;
}

/* ---- Encoding ---- */

static void put_name(struct bsink *s, const char *name)
{
	size_t n = strlen(name);
	bs_varint(s, n);
	bs_put(s, name, n);
}

static void encode_type(struct bsink *s, const struct typed_type *t, bool docs)
{
	bs_u8(s, t->kind);
	switch (t->kind) {
	case TYPED_INT:
		bs_varint(s, zigzag(t->i.min));
		bs_varint(s, zigzag(t->i.max));
		break;
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION:
		bs_varint(s, t->u.min);
		bs_varint(s, t->u.max);
		break;
	case TYPED_STRING:
	case TYPED_PATH: bs_varint(s, t->str.max_len); break;
	case TYPED_ENUM:
		bs_varint(s, t->en.count);
		for (uint32_t i = 0; i < t->en.count; i++)
			put_name(s, t->en.names[i]);
		break;
	case TYPED_CAP:
		bs_u8(s, t->cap.cap_type);
		bs_u8(s, t->cap.rights);
		break;
	case TYPED_LIST:
		bs_varint(s, t->list.max_count);
		encode_type(s, t->list.elem, docs);
		break;
	case TYPED_RECORD:
		bs_varint(s, t->rec.count);
		for (uint32_t i = 0; i < t->rec.count; i++) {
			const struct typed_field *f = &t->rec.fields[i];
			put_name(s, f->name);
			put_name(s, docs ? f->doc : "");
			bs_u8(s, docs && f->def ? FIELD_HAS_DEFAULT : 0);
			encode_type(s, f->type, docs);
			if (docs && f->def)
				typed_value_write(f->def, s);
		}
		break;
	case TYPED_OPTIONAL: encode_type(s, t->inner, docs); break;
	case TYPED_FUNC:
		bs_varint(s, t->fn.count);
		for (uint32_t i = 0; i < t->fn.count; i++)
			encode_type(s, t->fn.params[i], docs);
		bs_u8(s, t->fn.result ? 1 : 0);
		if (t->fn.result)
			encode_type(s, t->fn.result, docs);
		break;
	default: break;
	}
}

size_t typed_desc_encode(const struct typed_type *t, bool docs, uint8_t *buf, size_t size,
                         enum err *e)
{
	struct bsink s = {buf, size, 0, NULL};
	bs_put(&s, TYPED_DESC_MAGIC, 3);
	bs_u8(&s, TYPED_DESC_VERSION);
	encode_type(&s, t, docs);
	if (e)
		*e = s.len > size ? ERR_NOSPC : ERR_OK;
	return s.len;
}

uint64_t typed_desc_id(const struct typed_type *t)
{
	uint64_t h = FNV_OFFSET;
	struct bsink s = {NULL, 0, 0, &h};
	bs_put(&s, TYPED_DESC_MAGIC, 3);
	bs_u8(&s, TYPED_DESC_VERSION);
	encode_type(&s, t, false);
	return h;
}

void bs_hash(uint64_t *h, const uint8_t *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= data[i];
		*h *= FNV_PRIME;
	}
}

/* ---- Decoding ---- */

struct ddec {
	const uint8_t *at, *start, *end;
	struct typed_arena *arena;
	struct typed_error *err;
	enum err status;
};

static bool fail(struct ddec *d, enum err status, const char *what)
{
	if (d->status == ERR_OK) {
		d->status = status;
		typed_error_set(d->err, 0, 0, "", "descriptor byte %zu: %s",
		                (size_t)(d->at - d->start), what);
	}
	return false;
}

static bool get_u8(struct ddec *d, uint8_t *v)
{
	if (d->at >= d->end)
		return fail(d, ERR_CORRUPT, "cut short");
	*v = *d->at++;
	return true;
}

static bool get_varint(struct ddec *d, uint64_t *v, uint64_t max)
{
	if (!varint_get(&d->at, d->end, v))
		return fail(d, ERR_CORRUPT, "cut short, or a varint that is not minimal");
	return *v <= max || fail(d, ERR_CORRUPT, "a count or length out of bounds");
}

/* A name or doc of fewer than max bytes, copied and terminated. */
static bool get_text(struct ddec *d, const char **out, size_t max)
{
	uint64_t n;
	if (!get_varint(d, &n, max - 1))
		return false;
	if (n > (size_t)(d->end - d->at))
		return fail(d, ERR_CORRUPT, "cut short");
	for (uint64_t i = 0; i < n; i++)
		if (d->at[i] == 0)
			return fail(d, ERR_CORRUPT, "a NUL byte in a name or documentation");
	char *s = typed_arena_alloc(d->arena, n + 1);
	if (!s)
		return fail(d, ERR_NOMEM, "out of memory");
	memcpy(s, d->at, n);
	d->at += n;
	*out = s;
	return true;
}

static void *dalloc(struct ddec *d, size_t n)
{
	void *p = typed_arena_alloc(d->arena, n);
	if (!p)
		fail(d, ERR_NOMEM, "out of memory");
	return p;
}

static const struct typed_type *decode_type(struct ddec *d, unsigned depth);

static bool decode_fields(struct ddec *d, struct typed_type *t, unsigned depth)
{
	uint64_t n;
	if (!get_varint(d, &n, TYPED_MAX_FIELDS))
		return false;
	struct typed_field *f = n ? dalloc(d, n * sizeof *f) : NULL;
	if (n && !f)
		return false;
	t->rec.fields = f;
	t->rec.count = (uint32_t)n;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t flags;
		if (!get_text(d, &f[i].name, TYPED_NAME_MAX) ||
		    !get_text(d, &f[i].doc, TYPED_DOC_MAX) || !get_u8(d, &flags))
			return false;
		if (flags & ~FIELD_HAS_DEFAULT)
			return fail(d, ERR_CORRUPT, "unknown field flags");
		if (!(f[i].type = decode_type(d, depth + 1)))
			return false;
		if (flags & FIELD_HAS_DEFAULT) {
			struct typed_value *v = dalloc(d, sizeof *v);
			if (!v)
				return false;
			enum err e = typed_value_read(f[i].type, &d->at, d->end, d->arena, v,
			                              d->err, d->start);
			if (e) {
				d->status = e;
				return false;
			}
			f[i].def = v;
		}
	}
	return true;
}

static bool decode_func(struct ddec *d, struct typed_type *t, unsigned depth)
{
	uint64_t n;
	uint8_t has_result;
	if (!get_varint(d, &n, TYPED_MAX_FIELDS))
		return false;
	const struct typed_type **params = n ? dalloc(d, n * sizeof *params) : NULL;
	if (n && !params)
		return false;
	for (uint64_t i = 0; i < n; i++)
		if (!(params[i] = decode_type(d, depth + 1)))
			return false;
	t->fn.params = params;
	t->fn.count = (uint32_t)n;
	if (!get_u8(d, &has_result))
		return false;
	if (has_result > 1)
		return fail(d, ERR_CORRUPT, "a function's result flag is not 0 or 1");
	return !has_result || (t->fn.result = decode_type(d, depth + 1)) != NULL;
}

static bool decode_body(struct ddec *d, struct typed_type *t, unsigned depth)
{
	uint64_t a, b;
	switch (t->kind) {
	case TYPED_BOOL: return true;
	case TYPED_INT:
		if (!get_varint(d, &a, UINT64_MAX) || !get_varint(d, &b, UINT64_MAX))
			return false;
		t->i.min = unzigzag(a);
		t->i.max = unzigzag(b);
		return true;
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION:
		return get_varint(d, &t->u.min, UINT64_MAX) && get_varint(d, &t->u.max, UINT64_MAX);
	case TYPED_STRING:
	case TYPED_PATH:
		if (!get_varint(d, &a, TYPED_MAX_LEN))
			return false;
		t->str.max_len = (uint32_t)a;
		return true;
	case TYPED_ENUM: {
		if (!get_varint(d, &a, TYPED_MAX_NAMES))
			return false;
		const char **names = a ? dalloc(d, a * sizeof *names) : NULL;
		if (a && !names)
			return false;
		for (uint64_t i = 0; i < a; i++)
			if (!get_text(d, &names[i], TYPED_NAME_MAX))
				return false;
		t->en.names = names;
		t->en.count = (uint32_t)a;
		return true;
	}
	case TYPED_CAP: return get_u8(d, &t->cap.cap_type) && get_u8(d, &t->cap.rights);
	case TYPED_LIST:
		if (!get_varint(d, &a, TYPED_MAX_COUNT))
			return false;
		t->list.max_count = (uint32_t)a;
		return (t->list.elem = decode_type(d, depth + 1)) != NULL;
	case TYPED_RECORD: return decode_fields(d, t, depth);
	case TYPED_OPTIONAL: return (t->inner = decode_type(d, depth + 1)) != NULL;
	case TYPED_FUNC: return decode_func(d, t, depth);
	default: return fail(d, ERR_CORRUPT, "unknown kind");
	}
}

static const struct typed_type *decode_type(struct ddec *d, unsigned depth)
{
	if (depth > TYPED_MAX_DEPTH) {
		fail(d, ERR_CORRUPT, "types nested too deep");
		return NULL;
	}
	struct typed_type *t = dalloc(d, sizeof *t);
	if (!t || !get_u8(d, &t->kind))
		return NULL;
	return decode_body(d, t, depth) ? t : NULL;
}

enum err typed_desc_decode(const uint8_t *buf, size_t len, struct typed_arena *a,
                           const struct typed_type **t, struct typed_error *err)
{
	struct ddec d = {buf, buf, buf + len, a, err, ERR_OK};
	*t = NULL;
	if (len < 4 || memcmp(buf, TYPED_DESC_MAGIC, 3) != 0 || buf[3] != TYPED_DESC_VERSION) {
		typed_error_set(err, 0, 0, "", "not a typed descriptor (\"TYD\", version %u)",
		                TYPED_DESC_VERSION);
		return ERR_CORRUPT;
	}
	d.at += 4;
	const struct typed_type *out = decode_type(&d, 0);
	if (out && d.at != d.end)
		fail(&d, ERR_CORRUPT, "bytes after the descriptor");
	if (d.status)
		return d.status;
	enum err e = typed_desc_check(out, err);
	if (e == ERR_OK)
		*t = out;
	return e;
}
