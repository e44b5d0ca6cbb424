/* Program images: a tile placed at a random base or a static ELF, made into
 * pages, and what the child is granted; see rt/image.h.  Libraries are in
 * image_link.c. */
#include <elf/load.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "image_priv.h"

#define PAGE RT_PAGE

uint64_t image_random(void)
{
	static uint64_t s = 0x9e3779b97f4a7c15ull;

	s ^= rt_cycles();
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

/* The word at image offset off of a placed tile: in its segment's copy. */
static uint8_t *word_at(void *ctx, uint64_t off)
{
	struct image_placed *p = ctx;

	for (uint32_t i = 0; i < p->t->nsegments; i++) {
		const struct tile_segment *s = &p->t->segments[i];
		if (off >= s->addr && off - s->addr < s->filesz)
			return p->bytes[i] + (off - s->addr);
	}
	return NULL; /* not reached: tile_check put every target in file bytes */
}

enum err image_place(struct image_placed *p, const uint64_t *imports)
{
	for (uint32_t i = 0; i < p->t->nsegments; i++) {
		const struct tile_segment *s = &p->t->segments[i];
		uint64_t n = (s->filesz + PAGE - 1) & ~(PAGE - 1);
		p->bytes[i] = NULL;
		if (!n)
			continue;
		p->bytes[i] = malloc(n);
		if (!p->bytes[i])
			return ERR_NOMEM;
		memset(p->bytes[i] + s->filesz, 0, n - s->filesz);
		memcpy(p->bytes[i], p->t->file + s->file_offset, s->filesz);
	}
	tile_relocate(p->t, p->base, imports, word_at, p);
	return ERR_OK;
}

uint32_t image_rights(uint32_t prot)
{
	return CAP_RIGHT_READ | (prot & TILE_PROT_W ? CAP_RIGHT_WRITE : 0) |
	       (prot & TILE_PROT_X ? CAP_RIGHT_EXEC : 0);
}

/* Whether the page at offset off of segment s is a 2 MiB one: the segment
 * may be mapped with large pages and covers the whole aligned 2 MiB (its
 * address and the base are 2 MiB-aligned, tile_check saw to that). */
static bool large_at(const struct tile_segment *s, uint64_t off)
{
	return s->align_bits == 21 && off % TILE_LARGE_PAGE == 0 &&
	       s->memsz - off >= TILE_LARGE_PAGE;
}

static uint64_t page_size(const struct tile_segment *s, uint64_t off)
{
	return large_at(s, off) ? TILE_LARGE_PAGE : PAGE;
}

/* The pages of a tile's own segments; with out, each one (large where
 * large_at says, 4 KiB at the edges). */
static uint32_t tile_pages(const struct rt_image *img, struct rt_image_page *out)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < img->t.nsegments; i++) {
		const struct tile_segment *s = &img->t.segments[i];
		for (uint64_t off = 0; off < s->memsz; off += page_size(s, off), k++) {
			if (!out)
				continue;
			bool large = large_at(s, off);
			uint64_t file = (s->filesz + PAGE - 1) & ~(PAGE - 1);
			uint64_t n = off >= file                    ? 0
			             : file - off < TILE_LARGE_PAGE ? file - off
			                                            : TILE_LARGE_PAGE;
			out[k] = (struct rt_image_page){
			        .va = img->base + s->addr + off,
			        .rights = image_rights(s->prot),
			        .bits = large ? CAP_LARGE_PAGE_BITS : CAP_PAGE_BITS,
			        .nbytes = large ? (uint32_t)n : 0,
			        .bytes = n ? img->seg_bytes[i] + off : NULL};
		}
	}
	return k;
}

static enum err load_tile(const char *name, const void *file, size_t size, struct rt_image *img)
{
	char why[160];
	enum err e = tile_check(file, size, name, TILE_ARCH_X86_64, &img->t, why, sizeof why);
	uint64_t *imports = NULL;

	if (e) {
		rt_printf("spawn: %s\n", why);
		return e;
	}
	if (img->t.h.kind != TILE_KIND_PROGRAM) {
		rt_printf("spawn: %s: header.kind: a library, not a program\n", name);
		return ERR_UNSUPPORTED;
	}
	img->tile = true;
	e = image_types(&img->t);
	if (e)
		return e;
	uint32_t nimports = img->t.count[TILE_SEC_IMPORTS];
	if (nimports && !(imports = malloc(nimports * sizeof *imports)))
		return ERR_NOMEM;
	e = image_link(img, imports);
	uint64_t slots = (IMAGE_LIB_VA - IMAGE_VA_MIN - img->t.h.image_size) / TILE_LARGE_PAGE;
	img->base = IMAGE_VA_MIN + image_random() % slots * TILE_LARGE_PAGE;
	struct image_placed p = {.t = &img->t, .base = img->base};
	if (!e)
		e = image_place(&p, imports);
	free(imports);
	memcpy(img->seg_bytes, p.bytes, sizeof p.bytes);
	uint32_t own = tile_pages(img, NULL), n = own + image_lib_pages(img, NULL);
	if (!e && !(img->pages = calloc(n, sizeof *img->pages)))
		e = ERR_NOMEM;
	if (e)
		return e;
	tile_pages(img, img->pages);
	img->npages = n;
	image_lib_pages(img, img->pages + own);
	img->entry = img->base + img->t.h.entry;
	img->vbase = img->base;
	img->vend = img->base + img->t.h.image_size;
	for (uint32_t i = 0; i < n; i++) {
		const struct rt_image_page *pg = &img->pages[i];
		uint64_t end = pg->va + (pg->bits == CAP_LARGE_PAGE_BITS ? TILE_LARGE_PAGE : PAGE);
		img->vbase = pg->va < img->vbase ? pg->va : img->vbase;
		img->vend = end > img->vend ? end : img->vend;
		img->nshared += pg->shared.depth != 0;
		img->nlarge += pg->bits == CAP_LARGE_PAGE_BITS;
	}
	return ERR_OK;
}

/* The old way: a static ELF executable at its link address. */
static enum err load_elf(const char *name, const void *file, size_t size, struct rt_image *img)
{
	static const struct elf_expect want = {
	        .machine = ELF_EM_X86_64, .type = ELF_ET_EXEC, .max_align = 0x1000};
	struct elf_exec x;
	char why[96];
	enum err e = elf_exec_check(file, size, &want, &x, why, sizeof why);

	if (e) {
		rt_printf("spawn: %s: not an executable for this machine: %s\n", name, why);
		return e;
	}
	uint64_t n = (x.vend - x.vbase) / PAGE;
	img->seg_bytes[0] = calloc(n, PAGE);
	img->pages = calloc(n, sizeof *img->pages);
	if (!img->seg_bytes[0] || !img->pages)
		return ERR_NOMEM;
	elf_exec_load(&x, img->seg_bytes[0]);
	for (uint64_t va = x.vbase; va < x.vend; va += PAGE) {
		uint32_t flags = elf_exec_page_flags(&x, va);
		if (flags)
			img->pages[img->npages++] = (struct rt_image_page){
			        .va = va,
			        .rights = CAP_RIGHT_READ |
			                  (flags & ELF_PF_W ? CAP_RIGHT_WRITE : 0) |
			                  (flags & ELF_PF_X ? CAP_RIGHT_EXEC : 0),
			        .bytes = img->seg_bytes[0] + (va - x.vbase)};
	}
	img->entry = x.entry;
	img->vbase = x.vbase;
	img->vend = x.vend;
	return ERR_OK;
}

enum err rt_image_load(const char *name, const void *file, size_t size, struct rt_image *img)
{
	*img = (struct rt_image){0};
	enum err e = tile_is(file, size) ? load_tile(name, file, size, img)
	                                 : load_elf(name, file, size, img);

	if (!e && (img->vbase < ARGS_VA + PAGE || img->vend > HEAP_VA)) {
		rt_printf("spawn: %s: segments at [%#llx, %#llx), outside [%#llx, %#llx)\n", name,
		          (unsigned long long)img->vbase, (unsigned long long)img->vend,
		          ARGS_VA + PAGE, HEAP_VA);
		e = ERR_RANGE;
	}
	if (e)
		rt_image_free(img);
	return e;
}

void rt_image_free(struct rt_image *img)
{
	for (unsigned i = 0; i < TILE_MAX_SEGMENTS; i++)
		free(img->seg_bytes[i]);
	free(img->pages);
	*img = (struct rt_image){0};
}
