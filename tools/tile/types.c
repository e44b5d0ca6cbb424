/* Types in a tile (docs/tile.md §7, §10): lib/typed descriptors with their
 * identity.  An import's or export's type is written in the manifest as a
 * C-level type and mapped onto lib/typed's kinds:
 *
 *   bool                      bool
 *   u8 u16 u32 u64            uint 0..2^N-1
 *   i8 i16 i32 i64            int -2^(N-1)..2^(N-1)-1
 *   [T; N]                    list(T, N)
 *   fn(T, ...) [-> T]         a function (TYPED_FUNC)
 *
 * An argument or configuration schema is a typedc schema file whose root
 * record is the type (tools/typedc/schema.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tile/tile.h>
#include <tile/types.h>
#include <typed/typed.h>

#include "../typedc/schema.h"
#include "model.h"

_Static_assert(TILE_DESC_VERSION == TYPED_DESC_VERSION && TILE_DESC_RECORD == TYPED_RECORD,
               "tessera/tile.h names lib/typed's descriptor magic, version and record kind");

#define ARENA_BYTES        (64u << 10)
#define SCHEMA_ARENA_BYTES (1u << 20)

/* ---- The pool and the type table ---- */

/* n bytes in the pool, then a NUL (so that the pool always ends with one);
 * their offset. */
static uint32_t pool_bytes(struct model *m, const uint8_t *p, size_t n)
{
	uint32_t at = (uint32_t)m->pool.n;

	for (size_t i = 0; i < n; i++)
		*(uint8_t *)vec_push(&m->pool, 1) = p[i];
	*(uint8_t *)vec_push(&m->pool, 1) = 0;
	return at;
}

uint32_t model_desc(struct model *m, const struct typed_type *t, const char *text)
{
	enum err e;
	size_t n = typed_desc_encode(t, true, NULL, 0, &e);
	uint8_t *buf = malloc(n);

	if (!buf) {
		fprintf(stderr, "tile: out of memory\n");
		exit(1);
	}
	typed_desc_encode(t, true, buf, n, &e);
	const uint8_t *pool = m->pool.data;
	for (size_t i = 0; i < m->types.n; i++) {
		const struct tile_type *o = VEC_AT(&m->types, struct tile_type, i);
		if (o->blob_size == n && memcmp(pool + o->blob, buf, n) == 0) {
			free(buf);
			return (uint32_t)i;
		}
	}
	uint32_t blob = pool_bytes(m, buf, n);
	free(buf);
	struct tile_type *ty = vec_push(&m->types, sizeof *ty);
	*ty = (struct tile_type){.hash = typed_desc_id(t),
	                         .blob = blob,
	                         .blob_size = (uint32_t)n,
	                         .text = model_str(m, text)};
	return (uint32_t)(m->types.n - 1);
}

/* ---- The manifest's type syntax ---- */

struct tparse {
	const char *p;
	struct typed_arena *a;
	char *why;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static const struct typed_type *tbad(struct tparse *tp,
                                                                           const char *fmt, ...)
{
	va_list ap;

	if (tp->why[0])
		return NULL;
	va_start(ap, fmt);
	vsnprintf(tp->why, tp->len, fmt, ap);
	va_end(ap);
	return NULL;
}

static void skip(struct tparse *tp)
{
	while (*tp->p == ' ' || *tp->p == '\t')
		tp->p++;
}

static bool take(struct tparse *tp, const char *s)
{
	size_t n = strlen(s);

	skip(tp);
	if (strncmp(tp->p, s, n) != 0)
		return false;
	tp->p += n;
	return true;
}

static struct typed_type *new_type(struct tparse *tp, uint8_t kind)
{
	struct typed_type *t = typed_arena_alloc(tp->a, sizeof *t);

	if (!t)
		return (struct typed_type *)tbad(tp, "too large a type");
	t->kind = kind;
	return t;
}

/* u8..u64, i8..i64, bool. */
static const struct typed_type *scalar(struct tparse *tp)
{
	static const unsigned widths[] = {8, 16, 32, 64};
	char word[8];
	size_t n = 0;

	skip(tp);
	while (n < sizeof word - 1 &&
	       ((*tp->p >= 'a' && *tp->p <= 'z') || (*tp->p >= '0' && *tp->p <= '9')))
		word[n++] = *tp->p++;
	word[n] = 0;
	if (strcmp(word, "bool") == 0)
		return new_type(tp, TYPED_BOOL);
	for (unsigned i = 0; n && i < 4; i++) {
		char u[8], s[8];
		snprintf(u, sizeof u, "u%u", widths[i]);
		snprintf(s, sizeof s, "i%u", widths[i]);
		unsigned w = widths[i];
		struct typed_type *t = NULL;
		if (strcmp(word, u) == 0 && (t = new_type(tp, TYPED_UINT)))
			t->u.max = w == 64 ? UINT64_MAX : (1ull << w) - 1;
		else if (strcmp(word, s) == 0 && (t = new_type(tp, TYPED_INT))) {
			t->i.max = w == 64 ? INT64_MAX : (int64_t)((1ull << (w - 1)) - 1);
			t->i.min = -t->i.max - 1;
		}
		if (t)
			return t;
	}
	return tbad(tp, "'%s' is not bool, u8..u64, i8..i64, [T; N] or fn(...) -> T", word);
}

static const struct typed_type *value_type(struct tparse *tp, unsigned depth);

/* [T; N] */
static const struct typed_type *array(struct tparse *tp, unsigned depth)
{
	const struct typed_type *elem = value_type(tp, depth + 1);
	char *end;

	if (!elem || !take(tp, ";"))
		return elem ? tbad(tp, "an array is [T; N]") : NULL;
	skip(tp);
	errno = 0;
	unsigned long long n = strtoull(tp->p, &end, 10);
	if (end == tp->p || errno || n < 1 || n > TYPED_MAX_COUNT)
		return tbad(tp, "an array's length is 1..%u", TYPED_MAX_COUNT);
	tp->p = end;
	if (!take(tp, "]"))
		return tbad(tp, "an array is [T; N]");
	struct typed_type *t = new_type(tp, TYPED_LIST);
	if (t) {
		t->list.elem = elem;
		t->list.max_count = (uint32_t)n;
	}
	return t;
}

static const struct typed_type *value_type(struct tparse *tp, unsigned depth)
{
	if (depth > TYPED_MAX_DEPTH)
		return tbad(tp, "nested more than %u deep", TYPED_MAX_DEPTH);
	if (take(tp, "["))
		return array(tp, depth);
	return scalar(tp);
}

/* fn(T, ...) [-> T], after "fn". */
static const struct typed_type *function(struct tparse *tp)
{
	const struct typed_type *params[TYPED_MAX_FIELDS];
	uint32_t n = 0;

	if (!take(tp, "("))
		return tbad(tp, "a function is fn(T, ...) -> T");
	if (!take(tp, ")")) {
		do {
			if (n == TYPED_MAX_FIELDS)
				return tbad(tp, "more than %u parameters", TYPED_MAX_FIELDS);
			if (!(params[n++] = value_type(tp, 1)))
				return NULL;
		} while (take(tp, ","));
		if (!take(tp, ")"))
			return tbad(tp, "a function is fn(T, ...) -> T");
	}
	struct typed_type *t = new_type(tp, TYPED_FUNC);
	const struct typed_type **p = n ? typed_arena_alloc(tp->a, n * sizeof *p) : NULL;
	if (!t || (n && !p))
		return tbad(tp, "too large a type");
	if (n)
		memcpy(p, params, n * sizeof *p);
	t->fn.params = p;
	t->fn.count = n;
	if (take(tp, "->") && !(t->fn.result = value_type(tp, 1)))
		return NULL;
	return t;
}

int model_type(struct model *m, const char *text, uint32_t *index, char *why, size_t len)
{
	static uint8_t mem[ARENA_BYTES];
	struct typed_arena a;
	struct tparse tp = {text, &a, why, len};
	struct typed_error err;

	typed_arena_init(&a, mem, sizeof mem);
	why[0] = 0;
	const struct typed_type *t = take(&tp, "fn") ? function(&tp) : value_type(&tp, 0);
	skip(&tp);
	if (t && *tp.p)
		t = tbad(&tp, "'%s' after the type", tp.p);
	if (t && typed_desc_check(t, &err) != ERR_OK)
		t = tbad(&tp, "%s", err.msg);
	if (!t)
		return -1;
	char canonical[TILE_TYPE_TEXT_MAX];
	if (tile_type_format(t, canonical, sizeof canonical) >= sizeof canonical) {
		snprintf(why, len, "longer than %u bytes", TILE_TYPE_TEXT_MAX - 1);
		return -1;
	}
	*index = model_desc(m, t, canonical);
	return 0;
}

/* ---- Schemas ---- */

struct schema_ctx {
	const char *path;
};

static void print_problem(void *ctx, const struct typed_error *e)
{
	const struct schema_ctx *c = ctx;
	char buf[512];

	typed_error_format(e, c->path, buf, sizeof buf);
	fprintf(stderr, "%s\n", buf);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = 0;
		*len = (size_t)n;
	}
	if (f)
		fclose(f);
	return buf;
}

int model_schema(struct model *m, struct vec *sec, const char *path)
{
	struct schema_ctx c = {path};
	struct typed_diag d = {print_problem, &c, 0};
	struct typed_arena a;
	size_t len;
	char *text = slurp(path, &len);
	uint8_t *mem = malloc(SCHEMA_ARENA_BYTES);
	static struct schema s;
	int rc = -1;

	if (!text || !mem) {
		fprintf(stderr, "%s: cannot read\n", path);
	} else {
		typed_arena_init(&a, mem, SCHEMA_ARENA_BYTES);
		memset(&s, 0, sizeof s);
		if (schema_parse(text, len, &a, &s, &d) != ERR_OK)
			;
		else if (!s.root)
			fprintf(stderr, "%s: no root record (root NAME)\n", path);
		else
			rc = 0;
	}
	if (!rc) {
		struct tile_schema *out = vec_push(sec, sizeof *out);
		*out = (struct tile_schema){.type = model_desc(m, s.root, s.root_name),
		                            .name = model_str(m, s.root_name)};
	}
	free(text);
	free(mem);
	return rc;
}

int tile_types_verify(const struct tile *t)
{
	void *mem = malloc(SCHEMA_ARENA_BYTES);
	char why[512];
	enum err e =
	        mem ? tile_types_check(t, mem, SCHEMA_ARENA_BYTES, why, sizeof why) : ERR_NOMEM;

	if (e)
		fprintf(stderr, "%s\n", mem ? why : "tile: out of memory");
	free(mem);
	return e ? -1 : 0;
}

int model_command_schema(struct model *m, const char *path)
{
	struct schema_ctx c = {path};
	struct typed_diag d = {print_problem, &c, 0};
	struct typed_arena a;
	size_t len;
	char *text = slurp(path, &len);

	if (m->cmd_schema || !text || !(m->cmd_arena = malloc(SCHEMA_ARENA_BYTES)) ||
	    !(m->cmd_schema = calloc(1, sizeof *m->cmd_schema))) {
		fprintf(stderr, "%s: cannot read (or a second commands schema)\n", path);
		free(text);
		return -1;
	}
	typed_arena_init(&a, m->cmd_arena, SCHEMA_ARENA_BYTES);
	m->cmd_text = text; /* the schema's names may point into it */
	return schema_parse(text, len, &a, m->cmd_schema, &d) ? -1 : 0;
}

int model_command_type(struct model *m, const char *name, uint32_t *index)
{
	for (unsigned i = 0; m->cmd_schema && i < m->cmd_schema->ndecls; i++) {
		const struct schema_decl *d = &m->cmd_schema->decls[i];
		if (strcmp(d->name, name) == 0) {
			*index = model_desc(m, d->type, d->name);
			return 0;
		}
	}
	return -1;
}
