/* A font from a boot module, for clients (wclient.h). */
#include <rt/heap.h>
#include <rt/module.h>

#include "wclient.h"

static void *heap_alloc(size_t n, void *ctx)
{
	(void)ctx;
	return malloc(n);
}

static void heap_free(void *p, void *ctx)
{
	(void)ctx;
	free(p);
}

enum err wclient_font(struct font *f, const char *module)
{
	static const struct font_alloc heap = {heap_alloc, heap_free, NULL};
	const struct bootinfo_module *m = rt_module(module);
	struct rt_mapping *map = malloc(sizeof *map); /* kept for the font's life */

	if (!m || !map)
		return m ? ERR_NOMEM : ERR_NOENT;
	enum err e = rt_module_map(m, map);
	return e ? e : font_open(f, map->data, map->size, &heap);
}
