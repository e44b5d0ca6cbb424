/* A terminal's cells drawn with lib/font (draw.h). */
#include "draw.h"
#include <string/utf8.h>

/* xterm's 16 colours, then the default foreground and background. */
static const uint32_t palette[TERM_COLORS] = {
        0xff000000, 0xffcd0000, 0xff00cd00, 0xffcdcd00, 0xff0000ee, 0xffcd00cd,
        0xff00cdcd, 0xffe5e5e5, 0xff7f7f7f, 0xffff0000, 0xff00ff00, 0xffffff00,
        0xff5c5cff, 0xffff00ff, 0xff00ffff, 0xffffffff, 0xffd0d7de, 0xff0d1117};

void term_look_init(struct term_look *l, struct font *font, int size)
{
	struct font_metrics m;

	font_metrics(font, size, &m);
	l->font = font;
	l->size = size;
	l->cell_w = font_width(font, size, "M", 1);
	l->cell_h = m.line_height;
	l->ascent = m.ascent;
	if (l->cell_w < 1)
		l->cell_w = 1;
	if (l->cell_h < 1)
		l->cell_h = 1;
	for (int i = 0; i < TERM_COLORS; i++)
		l->palette[i] = palette[i];
}

void term_look_grid(const struct term_look *l, int32_t w, int32_t h, int *cols, int *rows)
{
	*cols = w / l->cell_w < 1 ? 1 : w / l->cell_w;
	*rows = h / l->cell_h < 1 ? 1 : h / l->cell_h;
	if (*cols > TERM_COLS_MAX)
		*cols = TERM_COLS_MAX;
	if (*rows > TERM_ROWS_MAX)
		*rows = TERM_ROWS_MAX;
}

static void cell_colors(const struct term_look *l, const struct term_cell *c, uint32_t *fg,
                        uint32_t *bg)
{
	unsigned f = c->fg, b = c->bg;
	if ((c->attr & TERM_BOLD) && f < 8)
		f += 8;
	*fg = l->palette[f < TERM_COLORS ? f : TERM_FG_DEFAULT];
	*bg = l->palette[b < TERM_COLORS ? b : TERM_BG_DEFAULT];
	if (c->attr & TERM_REVERSE) {
		uint32_t x = *fg;
		*fg = *bg;
		*bg = x;
	}
}

static void draw_row(const struct term *t, const struct term_look *l, struct gfx_surface *s,
                     int32_t x0, int32_t y0, int y)
{
	int32_t py = y0 + y * l->cell_h;
	for (int x = 0; x < t->cols; x++) {
		const struct term_cell *c = term_cell(t, x, y);
		uint32_t fg, bg;
		bool cursor = t->cursor_shown && x == t->x && y == t->y;
		cell_colors(l, c, &fg, &bg);
		if (cursor) {
			uint32_t k = fg;
			fg = bg;
			bg = k;
		}
		int32_t px = x0 + x * l->cell_w;
		gfx_fill(s, gfx_rect(px, py, l->cell_w, l->cell_h), bg);
		if (c->cp != ' ') {
			char u[4];
			size_t n = utf8_encode(c->cp, u);
			gfx_surface_clip(s, gfx_rect(px, py, l->cell_w, l->cell_h));
			font_draw(l->font, s, l->size, px, py + l->ascent, u, n, fg);
			gfx_surface_unclip(s);
		}
	}
}

struct gfx_rect term_draw(struct term *t, const struct term_look *l, struct gfx_surface *s,
                          int32_t x0, int32_t y0, bool all)
{
	struct gfx_rect done = {0, 0, 0, 0};
	if (t->drawn_y >= 0 && t->drawn_y < t->rows && (t->drawn_x != t->x || t->drawn_y != t->y))
		t->dirty[t->drawn_y] = true; /* the old cursor goes */
	t->dirty[t->y] = true;
	for (int y = 0; y < t->rows; y++) {
		if (!all && !t->dirty[y])
			continue;
		draw_row(t, l, s, x0, y0, y);
		done = gfx_rect_union(
		        done, gfx_rect(x0, y0 + y * l->cell_h, t->cols * l->cell_w, l->cell_h));
	}
	t->drawn_x = t->x;
	t->drawn_y = t->y;
	term_clean(t);
	return done;
}
