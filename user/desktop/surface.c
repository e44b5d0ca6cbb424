/* Surfaces in frames (surface.h). */
#include "surface.h"

#include <rt/heap.h>
#include <tessera/caps.h>

enum err frame_surface_new(struct frame_surface *f, int32_t w, int32_t h)
{
	*f = (struct frame_surface){0};
	if (w <= 0 || h <= 0)
		return ERR_INVAL;
	uint64_t bytes = (uint64_t)w * (uint64_t)h * 4, pages = (bytes + RT_PAGE - 1) / RT_PAGE;
	uint64_t va = rt_map_area(pages);
	f->frames = calloc(pages, sizeof *f->frames);
	f->offsets = calloc(pages, sizeof *f->offsets);
	if (!va || !f->frames || !f->offsets) {
		frame_surface_free(f);
		return ERR_NOMEM;
	}
	for (uint64_t i = 0; i < pages; i++) {
		unsigned bits;
		enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &f->frames[i],
		                            &f->offsets[i], &bits);
		if (!e) {
			f->nframes++;
			e = rt_map(f->frames[i], va + i * RT_PAGE,
			           CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		}
		if (e) {
			frame_surface_free(f);
			return e;
		}
	}
	gfx_surface_init(&f->s, (uint32_t *)(uintptr_t)va, w, h, (uint32_t)w);
	return ERR_OK;
}

void frame_surface_free(struct frame_surface *f)
{
	for (uint32_t i = 0; i < f->nframes; i++) {
		rt_delete(f->frames[i]);
		rt_slot_free(f->frames[i]);
		rt_untyped_free(rt_memory(), f->offsets[i], CAP_PAGE_BITS);
	}
	free(f->frames);
	free(f->offsets);
	*f = (struct frame_surface){0};
}
