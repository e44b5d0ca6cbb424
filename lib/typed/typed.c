/* lib/typed's common parts: arenas, text building, errors, descriptions of
 * types, names, varints, and walking values (see typed.h, internal.h). */
#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "internal.h"

/* ---- Arenas ---- */

void typed_arena_init(struct typed_arena *a, void *mem, size_t size)
{
	uintptr_t base = (uintptr_t)mem, aligned = (base + 7) & ~(uintptr_t)7;
	size_t lost = aligned - base;
	a->mem = (uint8_t *)aligned;
	a->size = size > lost ? size - lost : 0;
	a->used = 0;
}

void *typed_arena_alloc(struct typed_arena *a, size_t n)
{
	size_t need = (n + 7) & ~(size_t)7;
	if (need < n || need > a->size - a->used)
		return NULL;
	void *p = a->mem + a->used;
	a->used += need;
	memset(p, 0, n);
	return p;
}

/* ---- Text building ---- */

/* One byte of a quoted string or a message, escaped if it is a control. */
static void tb_escaped(struct fmt_buf *b, unsigned char c, bool quotes)
{
	if (c == '\n')
		fmt_buf_str(b, "\\n");
	else if (c == '\t')
		fmt_buf_str(b, "\\t");
	else if (quotes && (c == '"' || c == '\\'))
		fmt_buf_printf(b, "\\%c", c);
	else if (c < 0x20 || c == 0x7f)
		fmt_buf_printf(b, "\\x%02x", c);
	else
		fmt_buf_put(b, (const char *)&c, 1);
}

void tb_quoted(struct fmt_buf *b, const char *s, size_t n)
{
	fmt_buf_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++)
		tb_escaped(b, (unsigned char)s[i], true);
	fmt_buf_put(b, "\"", 1);
}

bool typed_atom_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '+' || c == '-' || c == '/';
}

void tb_shown(struct fmt_buf *b, const char *s, size_t n, bool quoted)
{
	size_t show = n > TYPED_SHOW ? TYPED_SHOW : n;
	bool plain = !quoted && n > 0;
	for (size_t i = 0; plain && i < n; i++)
		plain = typed_atom_char(s[i]);
	if (plain)
		fmt_buf_put(b, s, show);
	else
		tb_quoted(b, s, show);
	if (show < n)
		fmt_buf_str(b, "...");
}

void tb_size(struct fmt_buf *b, uint64_t bytes)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	fmt_buf_printf(b, "%llu", (unsigned long long)bytes);
	if (u >= 0)
		fmt_buf_put(b, &units[u], 1);
}

void tb_duration(struct fmt_buf *b, uint64_t ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {{"h", 3600000000000ull}, {"min", 60000000000ull}, {"s", 1000000000ull},
	             {"ms", 1000000ull},      {"us", 1000ull},         {"ns", 1}};
	for (unsigned i = 0; i < sizeof units / sizeof units[0]; i++)
		if (ns % units[i].ns == 0 && (ns || units[i].ns == 1)) {
			fmt_buf_printf(b, "%llu%s", (unsigned long long)(ns / units[i].ns),
			               units[i].name);
			return;
		}
}

/* ---- Names ---- */

static bool lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

bool typed_field_name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= TYPED_NAME_MAX || !lower(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!lower(s[i]) && !digit(s[i]) && s[i] != '_')
			return false;
	return true;
}

static bool names_ok(const char *s, size_t n, const char *extra)
{
	if (n == 0 || n >= TYPED_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!lower(s[i]) && !digit(s[i]) && !(s[i] >= 'A' && s[i] <= 'Z') && s[i] != '_' &&
		    !(s[i] && strchr(extra, s[i])))
			return false;
	return true;
}

bool typed_enum_name_ok(const char *s, size_t n)
{
	return names_ok(s, n, "");
}

bool typed_cap_name_ok(const char *s, size_t n)
{
	return names_ok(s, n, ".-");
}

/* ---- Errors ---- */

void typed_error_vset(struct typed_error *e, uint32_t line, uint32_t col, const char *path,
                      const char *fmt, va_list ap)
{
	e->line = line;
	e->col = col;
	fmt_snprintf(e->path, sizeof e->path, "%s", path ? path : "");
	fmt_vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void typed_error_set(struct typed_error *e, uint32_t line, uint32_t col, const char *path,
                     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	typed_error_vset(e, line, col, path, fmt, ap);
	va_end(ap);
}

void typed_diag_send(struct typed_diag *d, const struct typed_error *e)
{
	d->count++;
	if (d->fn)
		d->fn(d->ctx, e);
}

size_t typed_error_format(const struct typed_error *e, const char *file, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	char raw[TYPED_PATH_MAX + TYPED_MSG_MAX + 64];
	struct fmt_buf r = {raw, sizeof raw, 0};
	for (const char *f = file; f && *f; f++) /* a file name may hold anything */
		tb_escaped(&b, (unsigned char)*f, false);
	if (file && e->line)
		fmt_buf_printf(&b, ":%u:%u", e->line, e->col);
	if (file)
		fmt_buf_str(&b, ": ");
	else if (e->line)
		fmt_buf_printf(&b, "%u:%u: ", e->line, e->col);
	if (e->path[0])
		fmt_buf_printf(&r, "%s: ", e->path);
	fmt_buf_str(&r, e->msg);
	size_t n = fmt_buf_end(&r) < sizeof raw ? r.len : sizeof raw - 1;
	for (size_t i = 0; i < n; i++)
		tb_escaped(&b, (unsigned char)raw[i], false);
	return fmt_buf_end(&b);
}

/* ---- Describing types ---- */

static void describe_range(struct fmt_buf *b, const struct typed_type *t)
{
	switch (t->kind) {
	case TYPED_INT:
		if (t->i.min != INT64_MIN || t->i.max != INT64_MAX)
			fmt_buf_printf(b, " %lld..%lld", (long long)t->i.min, (long long)t->i.max);
		break;
	case TYPED_UINT:
		if (t->u.min != 0 || t->u.max != UINT64_MAX)
			fmt_buf_printf(b, " %llu..%llu", (unsigned long long)t->u.min,
			               (unsigned long long)t->u.max);
		break;
	case TYPED_SIZE:
	case TYPED_DURATION:
		if (t->u.min != 0 || t->u.max != UINT64_MAX) {
			void (*unit)(struct fmt_buf *, uint64_t) =
			        t->kind == TYPED_SIZE ? tb_size : tb_duration;
			fmt_buf_put(b, " ", 1);
			unit(b, t->u.min);
			fmt_buf_put(b, "..", 2);
			unit(b, t->u.max);
		}
		break;
	}
}

/* The names of an enum or the fields of a record, joined with ", ". */
static void describe_names(struct fmt_buf *b, const struct typed_type *t)
{
	bool en = t->kind == TYPED_ENUM;
	uint32_t n = en ? t->en.count : t->rec.count;
	for (uint32_t i = 0; i < n; i++)
		fmt_buf_printf(b, "%s%s", i ? ", " : "",
		               en ? t->en.names[i] : t->rec.fields[i].name);
}

static const char *const cap_names[] = {
        "any",   "untyped",    "frame",    "device_frame", "pt",  "pd",  "pdpt",   "pml4",   "pml5",
        "cnode", "dispatcher", "endpoint", "ioport",       "irq", "log", "notify", "monitor"};
static const char *const right_names[] = {"read", "write", "exec", "grant", "retype"};
#define CAP_NAMES   (sizeof cap_names / sizeof cap_names[0])
#define RIGHT_NAMES (sizeof right_names / sizeof right_names[0])
_Static_assert(CAP_NAMES == CAP_TYPE_COUNT, "a name for every CAP_* type (tessera/caps.h)");
_Static_assert(CAP_RIGHTS_ALL == (1u << RIGHT_NAMES) - 1 && CAP_RIGHT_RETYPE == 1u << 4,
               "a name for every CAP_RIGHT_* bit, in bit order (tessera/caps.h)");

const char *typed_cap_type_name(unsigned type)
{
	return type < CAP_NAMES ? cap_names[type] : NULL;
}

const char *typed_right_name(unsigned bit)
{
	return bit < RIGHT_NAMES ? right_names[bit] : NULL;
}

static void describe_cap(struct fmt_buf *b, const struct typed_type *t)
{
	fmt_buf_str(b, "a capability");
	if (t->cap.cap_type == TYPED_CAP_ANY && !t->cap.rights)
		return;
	const char *name = typed_cap_type_name(t->cap.cap_type);
	fmt_buf_printf(b, " (%s", name ? name : "?");
	const char *sep = " with ";
	for (unsigned i = 0; i < 8; i++)
		if (t->cap.rights & (1u << i)) {
			const char *right = typed_right_name(i);
			fmt_buf_printf(b, "%s%s", sep, right ? right : "?");
			sep = "+";
		}
	fmt_buf_str(b, ")");
}

/* "a function (an integer, true or false) -> an integer". */
static void describe_func(struct fmt_buf *b, const struct typed_type *t)
{
	char part[TYPED_MSG_MAX];
	fmt_buf_str(b, "a function (");
	for (uint32_t i = 0; i < t->fn.count; i++) {
		typed_describe(t->fn.params[i], part, sizeof part);
		fmt_buf_printf(b, "%s%s", i ? ", " : "", part);
	}
	fmt_buf_str(b, ")");
	if (t->fn.result) {
		typed_describe(t->fn.result, part, sizeof part);
		fmt_buf_printf(b, " -> %s", part);
	}
}

size_t typed_describe(const struct typed_type *t, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	if (t->kind == TYPED_OPTIONAL)
		t = t->inner;
	switch (t->kind) {
	case TYPED_BOOL: fmt_buf_str(&b, "true or false"); break;
	case TYPED_INT:
	case TYPED_UINT: fmt_buf_str(&b, "an integer"); break;
	case TYPED_SIZE: fmt_buf_str(&b, "a size"); break;
	case TYPED_DURATION: fmt_buf_str(&b, "a duration"); break;
	case TYPED_STRING:
		fmt_buf_printf(&b, "a string of at most %u bytes", t->str.max_len);
		break;
	case TYPED_PATH:
		fmt_buf_printf(&b, "an absolute path of at most %u bytes", t->str.max_len);
		break;
	case TYPED_ENUM: fmt_buf_str(&b, "one of: "); break;
	case TYPED_CAP: describe_cap(&b, t); break;
	case TYPED_LIST:
		fmt_buf_printf(&b, "a list of at most %u items, each ", t->list.max_count);
		break;
	case TYPED_RECORD: fmt_buf_str(&b, "a record {"); break;
	case TYPED_FUNC: describe_func(&b, t); break;
	default: fmt_buf_str(&b, "?"); break;
	}
	describe_range(&b, t);
	if (t->kind == TYPED_ENUM || t->kind == TYPED_RECORD)
		describe_names(&b, t);
	if (t->kind == TYPED_RECORD)
		fmt_buf_str(&b, "}");
	if (t->kind == TYPED_LIST) {
		char elem[TYPED_MSG_MAX];
		typed_describe(t->list.elem, elem, sizeof elem);
		fmt_buf_str(&b, elem);
	}
	return fmt_buf_end(&b);
}

/* ---- Varints and byte sinks ---- */

size_t varint_put(uint8_t *buf, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		buf[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	buf[n++] = (uint8_t)v;
	return n;
}

bool varint_get(const uint8_t **at, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *at;
	uint64_t x = 0;
	for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
		uint8_t c = *p++;
		if (shift == 63 && c > 1)
			return false; /* more than 64 bits */
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			if (c == 0 && shift)
				return false; /* not minimal */
			*v = x;
			*at = p;
			return true;
		}
	}
	return false;
}

void bs_put(struct bsink *s, const void *data, size_t n)
{
	const uint8_t *d = data;
	if (s->hash)
		bs_hash(s->hash, d, n);
	for (size_t i = 0; i < n; i++, s->len++)
		if (s->len < s->size)
			s->p[s->len] = d[i];
}

void bs_u8(struct bsink *s, uint8_t v)
{
	bs_put(s, &v, 1);
}

void bs_varint(struct bsink *s, uint64_t v)
{
	uint8_t tmp[VARINT_MAX];
	bs_put(s, tmp, varint_put(tmp, v));
}

/* ---- Values ---- */

const struct typed_value *typed_get(const struct typed_value *rec, const char *name)
{
	if (!rec || rec->type->kind != TYPED_RECORD)
		return NULL;
	for (uint32_t i = 0; i < rec->type->rec.count; i++)
		if (strcmp(rec->type->rec.fields[i].name, name) == 0)
			return &rec->list.items[i];
	return NULL;
}

bool typed_equal(const struct typed_value *a, const struct typed_value *b)
{
	if (!a || !b || a->type->kind != b->type->kind)
		return a == b;
	switch (a->type->kind) {
	case TYPED_BOOL: return a->b == b->b;
	case TYPED_INT: return a->i == b->i;
	case TYPED_STRING:
	case TYPED_PATH:
		return a->str.len == b->str.len && memcmp(a->str.s, b->str.s, a->str.len) == 0;
	case TYPED_CAP: return a->cap.slot == b->cap.slot;
	case TYPED_OPTIONAL:
		return (!a->some && !b->some) ||
		       (a->some && b->some && typed_equal(a->some, b->some));
	case TYPED_LIST:
	case TYPED_RECORD:
		if (a->list.count != b->list.count)
			return false;
		for (uint32_t i = 0; i < a->list.count; i++)
			if (!typed_equal(&a->list.items[i], &b->list.items[i]))
				return false;
		return true;
	default: return a->u == b->u;
	}
}

/* Copies what v points to (v itself is already copied to out). */
static bool copy_into(struct typed_value *out, const struct typed_value *v, struct typed_arena *a)
{
	switch (v->type->kind) {
	case TYPED_OPTIONAL:
		if (v->some && !(out->some = typed_copy(v->some, a)))
			return false;
		return true;
	case TYPED_LIST:
	case TYPED_RECORD:
		if (!v->list.count)
			return true;
		out->list.items = typed_arena_alloc(a, v->list.count * sizeof *v->list.items);
		if (!out->list.items)
			return false;
		for (uint32_t i = 0; i < v->list.count; i++) {
			out->list.items[i] = v->list.items[i];
			if (!copy_into(&out->list.items[i], &v->list.items[i], a))
				return false;
		}
		return true;
	default: return true; /* strings and names stay where they are: immutable */
	}
}

struct typed_value *typed_copy(const struct typed_value *v, struct typed_arena *a)
{
	struct typed_value *out = typed_arena_alloc(a, sizeof *out);
	if (!out)
		return NULL;
	*out = *v;
	return copy_into(out, v, a) ? out : NULL;
}

enum err typed_each_cap(struct typed_value *v, enum err (*fn)(void *ctx, struct typed_value *cap),
                        void *ctx)
{
	enum err e = ERR_OK;
	switch (v->type->kind) {
	case TYPED_CAP: return fn(ctx, v);
	case TYPED_OPTIONAL: return v->some ? typed_each_cap(v->some, fn, ctx) : ERR_OK;
	case TYPED_LIST:
	case TYPED_RECORD:
		for (uint32_t i = 0; i < v->list.count && !e; i++)
			e = typed_each_cap(&v->list.items[i], fn, ctx);
		return e;
	default: return ERR_OK;
	}
}
