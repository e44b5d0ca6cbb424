/* Drawing a terminal (term.h) onto a gfx surface with lib/font: a cell
 * is a monospace font's advance wide and its line high; bold is the
 * bright colour of the same index (as xterm does), reverse swaps the
 * colours, the cursor a block drawn in the foreground colour. */
#ifndef LIB_TERM_DRAW_H
#define LIB_TERM_DRAW_H

#include <font/font.h>
#include <gfx/gfx.h>

#include "term.h"

struct term_look {
	struct font *font; /* monospace (DejaVu Sans Mono) */
	int size;          /* pixel size */
	int cell_w, cell_h, ascent;
	uint32_t palette[TERM_COLORS];
};

/* The cell size of font at size ("M"'s advance, the line height) and
 * xterm's default palette; cols and rows fitting w x h pixels via
 * term_look_grid. */
void term_look_init(struct term_look *l, struct font *font, int size);
void term_look_grid(const struct term_look *l, int32_t w, int32_t h, int *cols, int *rows);

/* Redraws the dirty rows of t (every row if all) at (x0, y0) of s, the
 * cursor included; marks them clean.  The rectangle drawn, in s (empty if
 * nothing was dirty). */
struct gfx_rect term_draw(struct term *t, const struct term_look *l, struct gfx_surface *s,
                          int32_t x0, int32_t y0, bool all);

#endif
