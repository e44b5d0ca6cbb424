/* Linking tiles (docs/tile.md §8): exports by name, an import checked
 * against its library, and the order libraries load in; see tile.h. */
#include "tile.h"

#include <fmt/fmt.h>
#include <fmt/why.h>
#include <string/mem.h>

int tile_export_find(const struct tile *lib, const char *name)
{
	uint32_t lo = 0, hi = lib->count[TILE_SEC_EXPORTS];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct tile_export ex;
		tile_record(lib, TILE_SEC_EXPORTS, mid, &ex);
		int d = strcmp(name, tile_str(lib, ex.name));
		if (d == 0)
			return (int)mid;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static const char *kind_name(uint16_t kind)
{
	return kind == TILE_SYM_FUNC ? "function" : "data";
}

enum err tile_import_check(const struct tile *t, uint32_t i, const struct tile *lib,
                           uint64_t *value, char *why, size_t why_len)
{
	struct tile_import im;
	struct tile_library l;
	struct tile_export ex;

	tile_record(t, TILE_SEC_IMPORTS, i, &im);
	tile_record(t, TILE_SEC_LIBRARIES, im.library, &l);
	const char *sym = tile_str(t, im.name), *lname = tile_str(t, l.name);
	uint32_t have = (uint32_t)lib->h.version_major << 16 | lib->h.version_minor;

	if (lib->h.kind != TILE_KIND_LIBRARY || strcmp(tile_str(lib, lib->h.name), lname) != 0)
		return fmt_why(why, why_len, ERR_TYPE,
		               "%s: imports[%u] '%s': '%s' is not the library '%s'", t->file_name,
		               i, sym, lib->file_name, lname);
	if (have < ((uint32_t)l.min_major << 16 | l.min_minor) ||
	    have >= ((uint32_t)l.max_major << 16 | l.max_minor))
		return fmt_why(
		        why, why_len, ERR_RANGE,
		        "%s: imports[%u] '%s': library %s is version %u.%u, it needs [%u.%u, "
		        "%u.%u)",
		        t->file_name, i, sym, lname, lib->h.version_major, lib->h.version_minor,
		        l.min_major, l.min_minor, l.max_major, l.max_minor);
	int k = tile_export_find(lib, sym);
	if (k < 0)
		return fmt_why(why, why_len, ERR_NOENT,
		               "%s: imports[%u] '%s': library %s exports no '%s'", t->file_name, i,
		               sym, lname, sym);
	tile_record(lib, TILE_SEC_EXPORTS, (uint32_t)k, &ex);
	if (ex.kind != im.kind || tile_type_hash(lib, ex.type) != tile_type_hash(t, im.type))
		return fmt_why(why, why_len, ERR_TYPE,
		               "%s: imports[%u] '%s' expects %s %s, library %s exports %s %s",
		               t->file_name, i, sym, kind_name(im.kind), tile_type_text(t, im.type),
		               lname, kind_name(ex.kind), tile_type_text(lib, ex.type));
	*value = ex.value;
	return ERR_OK;
}

/* A depth-first walk: a library is listed once all it imports from are;
 * one on the current path met again is a cycle. */
struct walk {
	tile_find_fn find;
	void *ctx;
	const struct tile **order;
	unsigned max, n;
	const struct tile *path[TILE_MAX_LIBRARIES + 1];
	unsigned depth;
	char *why;
	size_t len;
};

static bool listed(const struct walk *w, const struct tile *t)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->order[i] == t)
			return true;
	return false;
}

/* The cycle from path entry `from` back to it, as "a -> b -> a". */
static enum err cycle(struct walk *w, unsigned from)
{
	size_t n = 0;

	if (!w->why || !w->len)
		return ERR_CORRUPT;
	n = fmt_snprintf(w->why, w->len, "%s: cyclic imports: ", w->path[0]->file_name);
	for (unsigned i = from; i < w->depth && n < w->len; i++)
		n += fmt_snprintf(w->why + n, w->len - n, "%s -> ",
		                  tile_str(w->path[i], w->path[i]->h.name));
	if (n < w->len)
		fmt_snprintf(w->why + n, w->len - n, "%s",
		             tile_str(w->path[from], w->path[from]->h.name));
	return ERR_CORRUPT;
}

static enum err visit(struct walk *w, const struct tile *t)
{
	for (unsigned i = 0; i < w->depth; i++)
		if (w->path[i] == t)
			return cycle(w, i);
	if (listed(w, t))
		return ERR_OK;
	if (w->depth == TILE_MAX_LIBRARIES + 1)
		return fmt_why(w->why, w->len, ERR_FULL,
		               "%s: imports nest deeper than %u libraries", w->path[0]->file_name,
		               TILE_MAX_LIBRARIES);
	w->path[w->depth++] = t;
	for (uint32_t i = 0; i < t->count[TILE_SEC_LIBRARIES]; i++) {
		struct tile_library l;
		tile_record(t, TILE_SEC_LIBRARIES, i, &l);
		const struct tile *lib = w->find(w->ctx, tile_str(t, l.name));
		if (!lib)
			return fmt_why(w->why, w->len, ERR_NOENT,
			               "%s: libraries[%u]: no library '%s'", t->file_name, i,
			               tile_str(t, l.name));
		enum err e = visit(w, lib);
		if (e)
			return e;
	}
	w->depth--;
	if (w->depth == 0)
		return ERR_OK; /* the root is not listed */
	if (w->n == w->max)
		return fmt_why(w->why, w->len, ERR_FULL, "%s: needs more than %u libraries",
		               w->path[0]->file_name, w->max);
	w->order[w->n++] = t;
	return ERR_OK;
}

enum err tile_link_order(const struct tile *root, tile_find_fn find, void *ctx,
                         const struct tile **order, unsigned max, unsigned *n, char *why,
                         size_t why_len)
{
	struct walk w = {
	        .find = find, .ctx = ctx, .order = order, .max = max, .why = why, .len = why_len};
	enum err e = visit(&w, root);

	*n = w.n;
	return e;
}
