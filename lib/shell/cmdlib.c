/* Command libraries: the shell's signatures from a library tile's commands
 * section (docs/tile.md §16).  lib/tile checks the file and decodes its
 * types; this adds what the shell needs of them (shell.h,
 * shell_cmdlib_load), so a bad library is refused before a line can name
 * one of its commands. */
#include <fmt/fmt.h>
#include <string/mem.h>
#include <tile/tile.h>
#include <tile/types.h>

#include "internal.h"

struct lib {
	const struct tile *t;
	struct typed_arena *a;
	char *why;
	size_t len;
};

__attribute__((format(printf, 3, 4))) static enum err refuse(struct lib *l, uint32_t i,
                                                             const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	if (!l->why || !l->len)
		return ERR_CORRUPT;
	if (i != UINT32_MAX) {
		struct tile_command c;
		tile_record(l->t, TILE_SEC_COMMANDS, i, &c);
		n = fmt_snprintf(l->why, l->len, "%s: commands[%u] (%s).", l->t->file_name, i,
		                 tile_str(l->t, c.name));
	} else
		n = fmt_snprintf(l->why, l->len, "%s: ", l->t->file_name);
	va_start(ap, fmt);
	if (n < l->len)
		fmt_vsnprintf(l->why + n, l->len - n, fmt, ap);
	va_end(ap);
	return ERR_CORRUPT;
}

/* Whether the shell can hold values of t: no capabilities or functions
 * anywhere in it; *what the kind it cannot. */
static bool holdable(const struct typed_type *t, const char **what, unsigned depth)
{
	if (depth > TYPED_MAX_DEPTH)
		return false;
	switch (t->kind) {
	case TYPED_CAP: *what = "a capability"; return false;
	case TYPED_FUNC: *what = "a function"; return false;
	case TYPED_LIST: return holdable(t->list.elem, what, depth + 1);
	case TYPED_OPTIONAL: return holdable(t->inner, what, depth + 1);
	case TYPED_RECORD:
		for (uint32_t i = 0; i < t->rec.count; i++)
			if (!holdable(t->rec.fields[i].type, what, depth + 1))
				return false;
		return true;
	default: return true;
	}
}

/* Type index ti of a command's field (TILE_CMD_NONE: *out NULL). */
static enum err type_of(struct lib *l, uint32_t i, const char *field, uint32_t ti,
                        const struct typed_type **out)
{
	const char *what = "?";

	*out = NULL;
	if (ti == TILE_CMD_NONE)
		return ERR_OK;
	enum err e = tile_type_decode(l->t, ti, l->a, out, l->why, l->len);
	if (e)
		return e;
	if (!holdable(*out, &what, 0))
		return refuse(l, i, "%s: %s holds %s, which the shell cannot", field,
		              tile_type_text(l->t, ti), what);
	return ERR_OK;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n >= TYPED_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t k = 0; k < n; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9') || s[k] == '_'))
			return false;
	return true;
}

/* The letters of a command's parameters (§16) as SHELL_ARG_* kinds. */
static enum err kinds_of(struct lib *l, uint32_t i, const char *letters,
                         const struct typed_type *params, const uint8_t **out)
{
	static const char all[] = "vcrnp"; /* SHELL_ARG_VALUE .. SHELL_ARG_PROGRAM */
	uint32_t count = params ? params->rec.count : 0;
	size_t n = strlen(letters);

	*out = NULL;
	if (!n)
		return ERR_OK;
	if (n != count)
		return refuse(l, i, "kinds: %u letters for %u parameters", (unsigned)n, count);
	uint8_t *k = typed_arena_alloc(l->a, n);
	if (!k)
		return ERR_NOMEM;
	for (size_t p = 0; p < n; p++) {
		const char *at = strchr(all, letters[p]);
		if (!at || !letters[p])
			return refuse(l, i, "kinds: '%c' is not one of v c r n p", letters[p]);
		k[p] = (uint8_t)(at - all);
		const struct typed_type *ft = params->rec.fields[p].type;
		if (ft->kind == TYPED_OPTIONAL)
			ft = ft->inner;
		if ((k[p] == SHELL_ARG_COLUMN || k[p] == SHELL_ARG_COMMAND ||
		     k[p] == SHELL_ARG_PROGRAM) &&
		    ft->kind != TYPED_STRING)
			return refuse(l, i, "kinds: parameter %s ('%c') is not a string",
			              params->rec.fields[p].name, letters[p]);
	}
	*out = k;
	return ERR_OK;
}

/* Command i of the tile as a signature. */
static enum err one(struct lib *l, uint32_t i, uint64_t base, shell_fn fn, void *ctx,
                    struct shell_sig *s)
{
	struct tile_command c;
	enum err e;

	tile_record(l->t, TILE_SEC_COMMANDS, i, &c);
	if (c.abi != SHELL_CMDLIB_ABI)
		return refuse(l, i, "abi: version %u, the shell's is %u", c.abi, SHELL_CMDLIB_ABI);
	if (!name_ok(tile_str(l->t, c.name)))
		return refuse(l, i, "name: not a command's name ([a-z][a-z0-9_]*, < %u bytes)",
		              TYPED_NAME_MAX);
	if ((e = type_of(l, i, "params", c.params, &s->params)) ||
	    (e = type_of(l, i, "input", c.input, &s->in_type)) ||
	    (e = type_of(l, i, "result", c.result, &s->out_type)))
		return e;
	if (s->params && s->params->kind != TYPED_RECORD)
		return refuse(l, i, "params: %s is not a record", tile_type_text(l->t, c.params));
	if (c.in > SHELL_IO_LIST || (c.in == SHELL_IO_TYPE) != (s->in_type != NULL))
		return refuse(l, i, "in: %u with %s input type", c.in, s->in_type ? "an" : "no");
	if (c.out == SHELL_IO_TABLE || c.out == SHELL_IO_LIST || c.out > SHELL_IO_ELEM ||
	    (c.out == SHELL_IO_TYPE) != (s->out_type != NULL))
		return refuse(l, i, "out: %u with %s result type", c.out, s->out_type ? "a" : "no");
	if ((c.out == SHELL_IO_SAME || c.out == SHELL_IO_ELEM) && c.in == SHELL_IO_NONE)
		return refuse(l, i, "out: the input's type, but it takes no input");
	if ((e = kinds_of(l, i, tile_str(l->t, c.kinds), s->params, &s->arg_kinds)))
		return e;
	for (uint32_t k = 0; s->arg_kinds && k < s->params->rec.count; k++)
		if (s->arg_kinds[k] >= SHELL_ARG_COLUMN && s->arg_kinds[k] <= SHELL_ARG_ROW &&
		    c.in == SHELL_IO_NONE)
			return refuse(l, i, "kinds: a column or row parameter, but no input");
	s->name = tile_str(l->t, c.name);
	s->doc = tile_str(l->t, c.doc);
	s->in = c.in;
	s->out = c.out;
	s->fn = base ? (shell_fn)(uintptr_t)(base + c.value) : fn;
	s->ctx = ctx;
	return ERR_OK;
}

/* The checks every tile gets (lib/tile), with scratch taken from a and
 * given back. */
static enum err checked(struct lib *l, struct tile *t, const void *file, size_t size,
                        const char *name)
{
	enum err e = tile_check(file, size, name, TILE_ARCH_X86_64, t, l->why, l->len);
	size_t mark = l->a->used;
	void *scratch = e ? NULL : typed_arena_alloc(l->a, TILE_TYPES_SCRATCH);

	if (e)
		return e;
	if (!scratch)
		return ERR_NOMEM;
	e = tile_types_check(t, scratch, TILE_TYPES_SCRATCH, l->why, l->len);
	l->a->used = mark;
	if (e)
		return e;
	if (t->h.kind != TILE_KIND_LIBRARY)
		return refuse(l, UINT32_MAX, "header.kind: a program, not a command library");
	if (t->count[TILE_SEC_IMPORTS] || t->count[TILE_SEC_LIBRARIES])
		return refuse(l, UINT32_MAX,
		              "imports: %u (a command library has no runtime of its own and "
		              "imports nothing)",
		              t->count[TILE_SEC_IMPORTS]);
	if (!t->count[TILE_SEC_COMMANDS] || t->count[TILE_SEC_COMMANDS] > SHELL_CMDLIB_MAX)
		return refuse(l, UINT32_MAX, "commands: %u, a command library has 1..%u",
		              t->count[TILE_SEC_COMMANDS], SHELL_CMDLIB_MAX);
	return ERR_OK;
}

enum err shell_cmdlib_load(const void *file, size_t size, const char *name, uint64_t base,
                           shell_fn fn, void *ctx, struct typed_arena *a, struct shell_cmds *out,
                           char *why, size_t why_len)
{
	struct tile *t = typed_arena_alloc(a, sizeof *t);
	struct lib l = {t, a, why, why_len};
	enum err e;

	*out = (struct shell_cmds){0};
	if (!t)
		return ERR_NOMEM;
	if ((e = checked(&l, t, file, size, name)))
		return e;
	uint32_t n = t->count[TILE_SEC_COMMANDS];
	struct shell_sig *sigs = typed_arena_alloc(a, n * sizeof *sigs);
	if (!sigs)
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++)
		if ((e = one(&l, i, base, fn, ctx, &sigs[i])))
			return e;
	*out = (struct shell_cmds){sigs, n, NULL, tile_str(t, t->h.name)};
	return ERR_OK;
}
