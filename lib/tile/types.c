/* A tile's types through lib/typed; see types.h and docs/tile.md §7. */
#include "types.h"

#include <fmt/fmt.h>
#include <string/mem.h>

struct out {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	o->len += fmt_vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
	                        o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
}

/* The width N of uN (0..2^N-1) or iN (-2^(N-1)..2^(N-1)-1), or 0. */
static unsigned width(const struct typed_type *t)
{
	for (unsigned w = 8; w <= 64; w *= 2) {
		uint64_t umax = w == 64 ? ~0ull : (1ull << w) - 1;
		int64_t imax = (int64_t)(umax >> 1);
		if (t->kind == TYPED_UINT && t->u.min == 0 && t->u.max == umax)
			return w;
		if (t->kind == TYPED_INT && t->i.max == imax && t->i.min == -imax - 1)
			return w;
	}
	return 0;
}

static void format(struct out *o, const struct typed_type *t)
{
	char what[TYPED_MSG_MAX];
	unsigned w = width(t);

	if (t->kind == TYPED_BOOL) {
		put(o, "bool");
	} else if (w) {
		put(o, "%c%u", t->kind == TYPED_UINT ? 'u' : 'i', w);
	} else if (t->kind == TYPED_LIST) {
		put(o, "[");
		format(o, t->list.elem);
		put(o, "; %u]", t->list.max_count);
	} else if (t->kind == TYPED_FUNC) {
		put(o, "fn(");
		for (uint32_t i = 0; i < t->fn.count; i++) {
			put(o, "%s", i ? ", " : "");
			format(o, t->fn.params[i]);
		}
		put(o, ")");
		if (t->fn.result) {
			put(o, " -> ");
			format(o, t->fn.result);
		}
	} else {
		typed_describe(t, what, sizeof what);
		put(o, "{%s}", what);
	}
}

size_t tile_type_format(const struct typed_type *t, char *buf, size_t size)
{
	struct out o = {buf, size, 0};

	if (size)
		buf[0] = 0;
	format(&o, t);
	return o.len;
}

__attribute__((format(printf, 5, 6))) static enum err
fail(const struct tile *t, uint32_t i, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!why || !len)
		return ERR_CORRUPT;
	n = fmt_snprintf(why, len, "%s: types[%u] (%s): ", t->file_name, i, tile_type_text(t, i));
	va_start(ap, fmt);
	if (n < len)
		fmt_vsnprintf(why + n, len - n, fmt, ap);
	va_end(ap);
	return ERR_CORRUPT;
}

enum err tile_type_decode(const struct tile *t, uint32_t i, struct typed_arena *a,
                          const struct typed_type **out, char *why, size_t why_len)
{
	struct typed_error err;
	uint32_t n;
	const uint8_t *d = tile_type_desc(t, i, &n);
	enum err e = typed_desc_decode(d, n, a, out, &err);

	if (e == ERR_NOMEM)
		return fail(t, i, why, why_len, "too large to decode here"), ERR_NOMEM;
	if (e)
		return fail(t, i, why, why_len, "lib/typed refuses its descriptor: %s", err.msg);
	uint64_t id = typed_desc_id(*out);
	if (id != tile_type_hash(t, i))
		return fail(t, i, why, why_len,
		            "hash %016llx is not its descriptor's identity %016llx",
		            (unsigned long long)tile_type_hash(t, i), (unsigned long long)id);
	return ERR_OK;
}

/* Whether type i is a schema's (its text is then the record's name). */
static bool schema_type(const struct tile *t, uint32_t i)
{
	struct tile_schema s;

	for (unsigned sec = TILE_SEC_ARGS; sec <= TILE_SEC_CONFIG; sec++)
		if (tile_schema_of(t, sec, &s) && s.type == i)
			return true;
	return false;
}

/* Whether type i is a command's (§16: its text is the schema's name for
 * it); *params whether it is some command's parameters. */
static bool command_type(const struct tile *t, uint32_t i, bool *params)
{
	bool used = false;

	*params = false;
	for (uint32_t k = 0; k < t->count[TILE_SEC_COMMANDS]; k++) {
		struct tile_command c;
		tile_record(t, TILE_SEC_COMMANDS, k, &c);
		*params |= c.params == i;
		used |= c.params == i || c.input == i || c.result == i;
	}
	return used;
}

/* The kind an import's or export's type must have for its kind. */
static enum err linked_kinds(const struct tile *t, char *why, size_t len)
{
	for (unsigned sec = TILE_SEC_IMPORTS; sec <= TILE_SEC_EXPORTS; sec++)
		for (uint32_t k = 0; k < t->count[sec]; k++) {
			struct tile_import im;
			struct tile_export ex;
			uint32_t type, n;
			uint16_t kind;
			if (sec == TILE_SEC_IMPORTS)
				tile_record(t, sec, k, &im), type = im.type, kind = im.kind;
			else
				tile_record(t, sec, k, &ex), type = ex.type, kind = ex.kind;
			bool fn = tile_type_desc(t, type, &n)[4] == TYPED_FUNC;
			if (fn != (kind == TILE_SYM_FUNC) || schema_type(t, type))
				return fail(t, type, why, len, "%s[%u] is %s; its type is %s",
				            sec == TILE_SEC_IMPORTS ? "imports" : "exports", k,
				            kind == TILE_SYM_FUNC ? "a function" : "data",
				            schema_type(t, type) ? "a schema's"
				            : fn                 ? "a function's"
				                                 : "a value's");
		}
	return ERR_OK;
}

enum err tile_types_check(const struct tile *t, void *mem, size_t size, char *why, size_t why_len)
{
	char text[TILE_TYPE_TEXT_MAX];
	struct typed_arena a;

	for (uint32_t i = 0; i < t->count[TILE_SEC_TYPES]; i++) {
		const struct typed_type *ty;
		typed_arena_init(&a, mem, size);
		enum err e = tile_type_decode(t, i, &a, &ty, why, why_len);
		if (e)
			return e;
		bool params, cmd = command_type(t, i, &params);
		if (schema_type(t, i) || params) {
			if (ty->kind != TYPED_RECORD)
				return fail(t, i, why, why_len, "a %s type is not a record",
				            params ? "command's parameters" : "schema's");
			continue;
		}
		if (cmd) {
			if (ty->kind == TYPED_FUNC)
				return fail(t, i, why, why_len, "a command's type is a function's");
			continue;
		}
		if (tile_type_format(ty, text, sizeof text) >= sizeof text ||
		    strcmp(text, tile_type_text(t, i)) != 0)
			return fail(t, i, why, why_len, "its text is not its descriptor's, %s",
			            text);
	}
	return linked_kinds(t, why, why_len);
}
