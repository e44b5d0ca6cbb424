/* Drawing a panel's widgets with lib/gfx and lib/font (ui.h). */
#include <font/font.h>
#include <string/mem.h>

#include "ui.h"

/* The baseline that centres a line of text in r. */
static int baseline(const struct ui_theme *t, struct gfx_rect r)
{
	struct font_metrics m;
	font_metrics(t->font, t->size, &m);
	return r.y + (r.h - (m.ascent + m.descent)) / 2 + m.ascent;
}

/* text, clipped to r, from r's left edge + UI_PAD. */
static void text_in(struct gfx_surface *s, const struct ui_theme *t, struct gfx_rect r,
                    const char *text, uint32_t color)
{
	struct gfx_rect saved = s->clip;
	gfx_surface_clip(s, gfx_rect_intersect(r, saved));
	font_draw(t->font, s, t->size, r.x + UI_PAD, baseline(t, r), text, strlen(text), color);
	s->clip = saved;
}

static void draw_field(struct gfx_surface *s, const struct ui_theme *t, const struct ui_widget *w,
                       bool focus)
{
	gfx_fill(s, w->r, t->field_bg);
	gfx_frame(s, w->r, focus ? t->accent : t->edge);
	text_in(s, t, w->r, w->buf, t->fg);
	if (focus) {
		struct font_metrics m;
		font_metrics(t->font, t->size, &m);
		int x = w->r.x + UI_PAD + font_width(t->font, t->size, w->buf, w->cursor);
		int b = baseline(t, w->r);
		gfx_fill(s, gfx_rect(x, b - m.ascent, 1, m.ascent + m.descent), t->fg);
	}
}

static void draw_list(struct gfx_surface *s, const struct ui_theme *t, const struct ui_widget *w,
                      int line_h, bool focus)
{
	gfx_fill(s, w->r, t->field_bg);
	gfx_frame(s, w->r, focus ? t->accent : t->edge);
	for (int row = 0; row < w->rows && w->top + row < w->nitems; row++) {
		int item = w->top + row;
		struct gfx_rect r =
		        gfx_rect(w->r.x + 1, w->r.y + 1 + row * line_h, w->r.w - 2, line_h);
		bool sel = item == w->selected;
		if (sel)
			gfx_fill(s, r, t->accent);
		text_in(s, t, r, w->items[item], sel ? t->accent_fg : t->fg);
	}
}

static void draw_scroll(struct gfx_surface *s, const struct ui_theme *t, const struct ui_widget *w,
                        bool focus)
{
	struct gfx_rect view = w->r, saved = s->clip;
	view.w -= UI_SCROLLBAR;
	gfx_fill(s, w->r, t->field_bg);
	if (w->draw_content) {
		gfx_surface_clip(s, gfx_rect_intersect(view, saved));
		w->draw_content(w->ctx, s, view, w->offset);
		s->clip = saved;
	}
	gfx_fill(s, gfx_rect(view.x + view.w, w->r.y, UI_SCROLLBAR, w->r.h), t->face);
	gfx_fill(s, ui_scroll_thumb(w), t->edge);
	gfx_frame(s, w->r, focus ? t->accent : t->edge);
}

static void draw_menu(struct gfx_surface *s, const struct ui_theme *t, const struct ui_panel *p,
                      const struct ui_widget *w)
{
	gfx_fill(s, w->r, w->open ? t->accent : t->face);
	text_in(s, t, w->r, w->text ? w->text : "", w->open ? t->accent_fg : t->fg);
	if (!w->open)
		return;
	for (int k = 0; k < w->nitems; k++) {
		struct gfx_rect r = ui_menu_item_rect(p, w, k);
		gfx_fill(s, r, k == w->hover ? t->accent : t->field_bg);
		text_in(s, t, r, w->items[k], k == w->hover ? t->accent_fg : t->fg);
	}
	struct gfx_rect all = ui_menu_item_rect(p, w, 0);
	all.h *= w->nitems;
	gfx_frame(s, all, t->edge);
}

static void draw_one(struct ui_panel *p, int i, struct gfx_surface *s, const struct ui_theme *t)
{
	const struct ui_widget *w = p->w[i];
	bool focus = i == p->focus;

	switch (w->kind) {
	case UI_LABEL: text_in(s, t, w->r, w->text ? w->text : "", t->fg); break;
	case UI_BUTTON:
		gfx_fill(s, w->r, w->pressed ? t->accent : t->face);
		gfx_frame(s, w->r, focus ? t->accent : t->edge);
		text_in(s, t, w->r, w->text ? w->text : "", w->pressed ? t->accent_fg : t->fg);
		break;
	case UI_FIELD: draw_field(s, t, w, focus); break;
	case UI_LIST: draw_list(s, t, w, p->line_h, focus); break;
	case UI_SCROLL: draw_scroll(s, t, w, focus); break;
	case UI_MENU: draw_menu(s, t, p, w); break;
	}
}

void ui_panel_draw(struct ui_panel *p, struct gfx_surface *s, const struct ui_theme *t)
{
	for (int i = 0; i < p->n; i++)
		if (p->w[i]->kind != UI_MENU || !p->w[i]->open)
			draw_one(p, i, s, t);
	for (int i = 0; i < p->n; i++)
		if (p->w[i]->kind == UI_MENU && p->w[i]->open)
			draw_one(p, i, s, t);
	p->dirty = false;
}
