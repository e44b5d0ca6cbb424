/* A window's surface: pixels in frames of the desktop's budget, mapped
 * read-write one after another.  The frame caps are kept so that a client
 * program can be given copies and draw into the same pixels (shared
 * memory); today's clients run inside the desktop and draw directly. */
#ifndef DESKTOP_SURFACE_H
#define DESKTOP_SURFACE_H

#include <gfx/gfx.h>
#include <rt/mem.h>

struct frame_surface {
	struct gfx_surface s;
	uint32_t nframes;
	struct rt_capref *frames; /* heap: nframes caps */
	uint64_t *offsets;        /* their blocks in the budget */
};

/* w x h pixels (stride w), zeroed.  NOMEM no budget, heap or address
 * space; INVAL a size <= 0. */
enum err frame_surface_new(struct frame_surface *f, int32_t w, int32_t h);
/* Unmaps and gives the frames back to the budget. */
void frame_surface_free(struct frame_surface *f);

#endif
