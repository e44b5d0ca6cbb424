/* Panels: layout, hit testing and event routing; text field editing
 * (ui.h).  Drawing is in draw.c. */
#include "ui.h"
#include <string/utf8.h>

#include <string/mem.h>

void ui_panel_init(struct ui_panel *p, int line_h)
{
	memset(p, 0, sizeof *p);
	p->focus = -1;
	p->line_h = line_h > 0 ? line_h : 1;
	p->dirty = true;
}

bool ui_panel_add(struct ui_panel *p, struct ui_widget *w)
{
	if (p->n == UI_PANEL_MAX)
		return false;
	w->r = gfx_rect(0, 0, 0, 0);
	w->pressed = w->open = false;
	w->hover = -1;
	w->top = w->offset = 0;
	if (w->kind == UI_LIST && (w->selected < -1 || w->selected >= w->nitems))
		w->selected = -1;
	if (w->kind == UI_FIELD) {
		w->buf[UI_FIELD_MAX - 1] = 0;
		w->len = w->cursor = strlen(w->buf);
	}
	p->w[p->n++] = w;
	p->dirty = true;
	return true;
}

static int line_box(const struct ui_panel *p)
{
	return p->line_h + 2 * UI_PAD;
}

/* The height a widget asks for (0: flex). */
static int want_h(const struct ui_panel *p, const struct ui_widget *w)
{
	if (w->flex)
		return 0;
	if (w->kind == UI_LIST)
		return (w->rows > 0 ? w->rows : 3) * p->line_h + 2;
	if (w->kind == UI_SCROLL)
		return 3 * p->line_h;
	return line_box(p);
}

void ui_layout(struct ui_panel *p, struct gfx_rect area, int pad)
{
	int used = pad, flex = 0;
	for (int i = 0; i < p->n; i++) {
		used += want_h(p, p->w[i]) + pad;
		flex += p->w[i]->flex;
	}
	int left = area.h - used, y = area.y + pad;
	for (int i = 0; i < p->n; i++) {
		struct ui_widget *w = p->w[i];
		int h = want_h(p, w);
		if (w->flex && left > 0) {
			h = left * w->flex / flex;
			left -= h;
			flex -= w->flex;
		}
		w->r = gfx_rect(area.x + pad, y, area.w - 2 * pad, h);
		if (w->kind == UI_LIST)
			w->rows = h > 2 ? (h - 2) / p->line_h : 0;
		ui_scroll_by(w, 0);
		y += h + pad;
	}
	p->dirty = true;
}

struct gfx_rect ui_menu_item_rect(const struct ui_panel *p, const struct ui_widget *m, int i)
{
	int h = line_box(p);
	return gfx_rect(m->r.x, m->r.y + m->r.h + i * h, m->r.w, h);
}

int ui_hit(const struct ui_panel *p, int32_t x, int32_t y)
{
	for (int i = p->n - 1; i >= 0; i--) {
		const struct ui_widget *w = p->w[i];
		if (w->kind == UI_MENU && w->open && w->nitems > 0) {
			struct gfx_rect all = ui_menu_item_rect(p, w, 0);
			all.h *= w->nitems;
			if (gfx_rect_contains(all, x, y))
				return i;
		}
	}
	for (int i = p->n - 1; i >= 0; i--)
		if (gfx_rect_contains(p->w[i]->r, x, y))
			return i;
	return -1;
}

struct gfx_rect ui_scroll_thumb(const struct ui_widget *s)
{
	int view = s->r.h;
	if (s->kind != UI_SCROLL || s->content_h <= view || view <= 0)
		return gfx_rect(0, 0, 0, 0);
	int h = (int)((int64_t)view * view / s->content_h);
	if (h < 8)
		h = 8;
	int y = (int)((int64_t)(view - h) * s->offset / (s->content_h - view));
	return gfx_rect(s->r.x + s->r.w - UI_SCROLLBAR, s->r.y + y, UI_SCROLLBAR, h);
}

void ui_scroll_by(struct ui_widget *w, int delta)
{
	if (w->kind == UI_SCROLL) {
		int max = w->content_h - w->r.h;
		w->offset += delta;
		if (w->offset > max)
			w->offset = max;
		if (w->offset < 0)
			w->offset = 0;
	} else if (w->kind == UI_LIST) {
		int max = w->nitems - w->rows;
		w->top += delta;
		if (w->top > max)
			w->top = max;
		if (w->top < 0)
			w->top = 0;
	}
}

/* ---- text fields ---- */

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* The byte offset of the code point before / after i. */
static size_t prev_cp(const struct ui_widget *f, size_t i)
{
	while (i > 0 && is_cont(f->buf[--i]))
		;
	return i;
}

static size_t next_cp(const struct ui_widget *f, size_t i)
{
	if (i < f->len)
		i++;
	while (i < f->len && is_cont(f->buf[i]))
		i++;
	return i;
}

/* Removes bytes [a, b). */
static void cut(struct ui_widget *f, size_t a, size_t b)
{
	memmove(f->buf + a, f->buf + b, f->len - b + 1);
	f->len -= b - a;
	f->cursor = a;
}

static bool insert(struct ui_widget *f, uint32_t cp)
{
	char u[4];
	size_t n = cp >= 0x20 && cp != 0x7f ? utf8_encode(cp, u) : 0;
	if (n == 0 || f->len + n >= UI_FIELD_MAX)
		return false;
	memmove(f->buf + f->cursor + n, f->buf + f->cursor, f->len - f->cursor + 1);
	memcpy(f->buf + f->cursor, u, n);
	f->len += n;
	f->cursor += n;
	return true;
}

bool ui_field_key(struct ui_widget *f, const struct ui_event *ev)
{
	if (f->kind != UI_FIELD || ev->type != UI_EV_KEY || !ev->down)
		return false;
	switch (ev->key) {
	case UI_KEY_CHAR: return insert(f, ev->cp);
	case UI_KEY_BACKSPACE:
		if (f->cursor == 0)
			return false;
		cut(f, prev_cp(f, f->cursor), f->cursor);
		return true;
	case UI_KEY_DELETE:
		if (f->cursor == f->len)
			return false;
		cut(f, f->cursor, next_cp(f, f->cursor));
		return true;
	case UI_KEY_LEFT: f->cursor = prev_cp(f, f->cursor); return false;
	case UI_KEY_RIGHT: f->cursor = next_cp(f, f->cursor); return false;
	case UI_KEY_HOME: f->cursor = 0; return false;
	case UI_KEY_END: f->cursor = f->len; return false;
	default: return false;
	}
}

void ui_field_set(struct ui_widget *f, const char *text)
{
	size_t n = strlen(text);
	if (n >= UI_FIELD_MAX) {
		n = UI_FIELD_MAX - 1;
		while (n > 0 && is_cont(text[n]))
			n--;
	}
	memcpy(f->buf, text, n);
	f->buf[n] = 0;
	f->len = f->cursor = n;
}
