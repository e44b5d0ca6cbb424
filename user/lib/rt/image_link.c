/* Libraries (rt/image.h): found among the spawner's boot modules by name,
 * checked, placed once at a random base, their imports resolved; their
 * read-only pages become frames made once and shared by every child, their
 * writable pages a relocated copy each child gets its own frames of. */
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <string/mem.h>
#include <tessera/caps.h>
#include <tile/types.h>

#include "image_priv.h"

#define PAGE RT_PAGE

struct rt_library {
	struct rt_mapping map; /* the module, mapped for good */
	struct tile t;
	bool placed;
	struct image_placed p;
	uint32_t npages, nshared;
	struct rt_image_page *pages; /* shared: a frame; else bytes for a copy */
};

static struct rt_library libs[IMAGE_LIBS];
static unsigned nlibs;
static uint64_t lib_next; /* where the next library goes */
static struct rt_capref scratch;
static uint64_t scratch_va;

enum err image_types(const struct tile *t)
{
	void *mem = malloc(TILE_TYPES_SCRATCH);
	char why[192];
	enum err e =
	        mem ? tile_types_check(t, mem, TILE_TYPES_SCRATCH, why, sizeof why) : ERR_NOMEM;

	if (e)
		rt_printf("spawn: %s\n", mem ? why : "no memory to check its types");
	free(mem);
	return e;
}

/* The library named name: loaded and checked the first time. */
static const struct tile *find(void *ctx, const char *name)
{
	char why[160];

	(void)ctx;
	for (unsigned i = 0; i < nlibs; i++)
		if (strcmp(tile_str(&libs[i].t, libs[i].t.h.name), name) == 0)
			return &libs[i].t;
	const struct bootinfo_module *m = rt_module(name);
	struct rt_library *l = &libs[nlibs];
	if (!m || nlibs == IMAGE_LIBS || rt_module_map(m, &l->map))
		return NULL;
	if (tile_check(l->map.data, l->map.size, m->name, TILE_ARCH_X86_64, &l->t, why,
	               sizeof why) ||
	    l->t.h.kind != TILE_KIND_LIBRARY || strcmp(tile_str(&l->t, l->t.h.name), name) != 0) {
		rt_printf("spawn: library %s: %s\n", name,
		          l->t.h.kind == TILE_KIND_LIBRARY ? why : "not a library of that name");
		rt_module_unmap(&l->map);
		return NULL;
	}
	if (image_types(&l->t)) {
		rt_module_unmap(&l->map);
		return NULL;
	}
	nlibs++;
	return &l->t;
}

static struct rt_library *lib_of(const struct tile *t)
{
	return (struct rt_library *)(void *)((uint8_t *)t - offsetof(struct rt_library, t));
}

/* Every import of t into imports[], from the libraries (placed). */
static enum err resolve(const struct tile *t, uint64_t *imports)
{
	char why[192];

	for (uint32_t i = 0; i < t->count[TILE_SEC_IMPORTS]; i++) {
		struct tile_import im;
		struct tile_library l;
		uint64_t value;
		tile_record(t, TILE_SEC_IMPORTS, i, &im);
		tile_record(t, TILE_SEC_LIBRARIES, im.library, &l);
		const struct tile *from = find(NULL, tile_str(t, l.name));
		enum err e = tile_import_check(t, i, from, &value, why, sizeof why);
		if (e) {
			rt_printf("spawn: %s\n", why);
			return e;
		}
		imports[i] = lib_of(from)->p.base + value;
	}
	return ERR_OK;
}

/* A new frame of the spawner's holding the 4 KiB at bytes. */
static enum err shared_frame(const uint8_t *bytes, struct rt_capref *frame)
{
	uint64_t offset;
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, frame, &offset, &bits);

	if (e)
		return e;
	if (!scratch.depth && (!(scratch_va = rt_map_area(1)) || rt_slot_alloc(&scratch)))
		return ERR_NOMEM;
	e = rt_copy(scratch, *frame);
	if (!e)
		e = rt_map(scratch, scratch_va, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (!e)
		memcpy((void *)(uintptr_t)scratch_va, bytes, PAGE);
	enum err d = rt_delete(scratch);
	return e ? e : d;
}

/* The library's pages: read-only ones as shared frames, made now. */
static enum err make_pages(struct rt_library *l)
{
	enum err e = ERR_OK;
	static const uint8_t zero[PAGE];

	for (uint32_t i = 0; i < l->t.nsegments; i++)
		l->npages += (uint32_t)(l->t.segments[i].memsz / PAGE);
	l->pages = calloc(l->npages, sizeof *l->pages);
	if (!l->pages)
		return ERR_NOMEM;
	for (uint32_t i = 0, k = 0; !e && i < l->t.nsegments; i++) {
		const struct tile_segment *s = &l->t.segments[i];
		for (uint64_t off = 0; !e && off < s->memsz; off += PAGE, k++) {
			struct rt_image_page *pg = &l->pages[k];
			*pg = (struct rt_image_page){.va = l->p.base + s->addr + off,
			                             .rights = image_rights(s->prot),
			                             .bytes = off < s->filesz ? l->p.bytes[i] + off
			                                                      : NULL};
			if (s->prot & TILE_PROT_W)
				continue;
			e = shared_frame(pg->bytes ? pg->bytes : zero, &pg->shared);
			l->nshared += !e;
		}
	}
	return e;
}

/* Places l (its libraries placed before it): base, imports, pages. */
static enum err place(struct rt_library *l)
{
	uint32_t n = l->t.count[TILE_SEC_IMPORTS];
	uint64_t *imports = n ? malloc(n * sizeof *imports) : NULL;
	uint64_t size = (l->t.h.image_size + TILE_LARGE_PAGE - 1) & ~(TILE_LARGE_PAGE - 1);

	if (n && !imports)
		return ERR_NOMEM;
	if (!lib_next)
		lib_next = IMAGE_LIB_VA + image_random() % 512 * TILE_LARGE_PAGE;
	if (lib_next + size > HEAP_VA) {
		free(imports);
		return ERR_NOMEM;
	}
	enum err e = resolve(&l->t, imports);
	l->p = (struct image_placed){.t = &l->t, .base = lib_next};
	if (!e)
		e = image_place(&l->p, imports);
	free(imports);
	if (!e)
		e = make_pages(l);
	if (!e) {
		lib_next += size + image_random() % 16 * TILE_LARGE_PAGE;
		l->placed = true;
	}
	return e;
}

enum err image_link(struct rt_image *img, uint64_t *imports)
{
	const struct tile *order[IMAGE_LIBS];
	char why[192];
	enum err e = tile_link_order(&img->t, find, NULL, order, IMAGE_LIBS, &img->nlibs, why,
	                             sizeof why);

	if (e) {
		rt_printf("spawn: %s\n", why);
		return e;
	}
	for (unsigned i = 0; !e && i < img->nlibs; i++) {
		img->libs[i] = lib_of(order[i]);
		if (!img->libs[i]->placed)
			e = place(img->libs[i]);
	}
	return e ? e : resolve(&img->t, imports);
}

uint32_t image_lib_pages(const struct rt_image *img, struct rt_image_page *out)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < img->nlibs; i++) {
		if (out)
			memcpy(out + n, img->libs[i]->pages, img->libs[i]->npages * sizeof *out);
		n += img->libs[i]->npages;
	}
	return n;
}

unsigned rt_image_libraries(void)
{
	return nlibs;
}

bool rt_image_library(unsigned i, const char **name, uint64_t *base, uint32_t *shared_pages)
{
	if (i >= nlibs || !libs[i].placed)
		return false;
	*name = tile_str(&libs[i].t, libs[i].t.h.name);
	*base = libs[i].p.base;
	*shared_pages = libs[i].nshared;
	return true;
}
