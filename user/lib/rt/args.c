/* A program's arguments (rt/image.h): "name=value" strings from the
 * spawner checked against its tile's argument schema (docs/tile.md §10)
 * before it runs, defaults added; and, in the program, finding one. */
#include <rt/image.h>
#include <rt/spawn.h>
#include <string/mem.h>

#include "image_priv.h"

/* Whether value is one of type text: unsigned and signed integers of
 * their width (decimal), bool; any other type takes any text (checking
 * values of lib/typed's types waits for lib/typed). */
static bool value_ok(const char *type, const char *v)
{
	unsigned bits = 0;
	bool sign = type[0] == 'i';

	if (strcmp(type, "bool") == 0)
		return strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
	if ((type[0] != 'u' && !sign) || !type[1])
		return true;
	for (const char *p = type + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return true;
		bits = bits * 10 + (unsigned)(*p - '0');
	}
	if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
		return true;
	uint64_t limit = bits == 64 ? ~0ull : (1ull << bits) - 1, n = 0;
	if (sign) {
		limit >>= 1;
		v += *v == '-';
	}
	if (!*v)
		return false;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (limit - (uint64_t)(*v - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	return true;
}

/* The schema field named name (its length n), or -1. */
static int field(const struct tile *t, const char *name, size_t n, struct tile_field *f)
{
	for (uint32_t i = 0; i < t->count[TILE_SEC_ARGS]; i++) {
		tile_record(t, TILE_SEC_ARGS, i, f);
		const char *s = tile_str(t, f->name);
		if (strlen(s) == n && memcmp(s, name, n) == 0)
			return (int)i;
	}
	return -1;
}

/* Appends "name=value" (value NULL: name as it is) to g's arguments. */
static enum err add(struct rt_grants *g, const char *name, size_t n, const char *value)
{
	size_t used = 0, v = value ? strlen(value) + 1 : 0;

	for (unsigned i = 0; i < g->nargs; i++)
		used += strlen(g->args + used) + 1;
	if (used + n + v + 1 > sizeof g->args)
		return ERR_FULL;
	memcpy(g->args + used, name, n);
	if (value) {
		g->args[used + n] = '=';
		memcpy(g->args + used + n + 1, value, v);
	}
	g->args[used + n + v] = 0;
	g->nargs++;
	return ERR_OK;
}

static enum err refuse(const struct spawn_args *a, const char *what, const char *arg)
{
	rt_printf("spawn: %s: argument '%s': %s\n", a->name, arg, what);
	return ERR_INVAL;
}

enum err image_args(const struct rt_image *img, const struct spawn_args *a, struct rt_grants *g)
{
	const struct tile *t = &img->t;
	struct tile_field f;
	uint64_t given = 0; /* fields given, a bit each (the first 64) */

	for (unsigned i = 0; i < a->nargs; i++) {
		const char *eq = strchr(a->args[i], '=');
		if (!img->tile) {
			if (add(g, a->args[i], strlen(a->args[i]), NULL))
				return refuse(a, "too long", a->args[i]);
			continue;
		}
		if (!eq)
			return refuse(a, "not name=value", a->args[i]);
		int k = field(t, a->args[i], (size_t)(eq - a->args[i]), &f);
		if (k < 0)
			return refuse(a, "not in its argument schema", a->args[i]);
		if (!value_ok(tile_type_text(t, f.type), eq + 1)) {
			rt_printf("spawn: %s: argument '%s': not a value of type %s\n", a->name,
			          a->args[i], tile_type_text(t, f.type));
			return ERR_INVAL;
		}
		if (add(g, a->args[i], (size_t)(eq - a->args[i]), eq + 1))
			return refuse(a, "too long", a->args[i]);
		given |= k < 64 ? 1ull << k : 0;
	}
	for (uint32_t i = 0; img->tile && i < t->count[TILE_SEC_ARGS] && i < 64; i++) {
		tile_record(t, TILE_SEC_ARGS, i, &f);
		const char *name = tile_str(t, f.name);
		if (given >> i & 1)
			continue;
		if (f.flags & TILE_FIELD_REQUIRED)
			return refuse(a, "required, not given", name);
		if (f.deflt && add(g, name, strlen(name), tile_str(t, f.deflt)))
			return refuse(a, "too long", name);
	}
	return ERR_OK;
}

const char *rt_arg(const char *name)
{
	const struct prog_args *a = rt_args();
	size_t n = strlen(name), at = 0;

	for (uint32_t i = 0; a && i < a->nargs && at < PROG_ARGS_BYTES; i++) {
		const char *s = a->args + at;
		size_t len = strnlen(s, PROG_ARGS_BYTES - at);
		if (len > n && memcmp(s, name, n) == 0 && s[n] == '=')
			return s + n + 1;
		at += len + 1;
	}
	return NULL;
}
