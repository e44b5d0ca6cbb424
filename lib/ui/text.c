/* The multi-line text field (text.h). */
#include "text.h"
#include <string/utf8.h>

#include <font/font.h>
#include <string/mem.h>

#include "ui.h"

static bool cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

void ui_text_init(struct ui_text *t, char *buf, size_t cap)
{
	*t = (struct ui_text){.buf = buf, .cap = cap, .goal_col = -1, .rows = 1, .dirty = true};
}

bool ui_text_set(struct ui_text *t, const char *s, size_t n)
{
	if (n > t->cap)
		return false;
	memcpy(t->buf, s, n);
	t->len = n;
	t->cursor = 0;
	t->top = 0;
	t->goal_col = -1;
	t->dirty = true;
	return true;
}

int ui_text_lines(const struct ui_text *t)
{
	int n = 1;
	for (size_t i = 0; i < t->len; i++)
		n += t->buf[i] == '\n';
	return n;
}

int ui_text_line_of(const struct ui_text *t, size_t off, int *col)
{
	int line = 0, c = 0;
	for (size_t i = 0; i < off && i < t->len; i++) {
		if (t->buf[i] == '\n')
			line++, c = 0;
		else if (!cont(t->buf[i]))
			c++;
	}
	if (col)
		*col = c;
	return line;
}

size_t ui_text_offset(const struct ui_text *t, int line, int col)
{
	size_t i = 0;
	for (int l = 0; l < line && i < t->len; i++)
		if (t->buf[i] == '\n')
			l++;
	for (int c = 0; c < col && i < t->len && t->buf[i] != '\n'; c++)
		do
			i++;
		while (i < t->len && cont(t->buf[i]));
	return i;
}

/* Replaces [from, to) with n bytes of s; false if it would not fit. */
static bool splice(struct ui_text *t, size_t from, size_t to, const char *s, size_t n)
{
	if (t->len - (to - from) + n > t->cap)
		return false;
	memmove(t->buf + from + n, t->buf + to, t->len - to);
	memcpy(t->buf + from, s, n);
	t->len = t->len - (to - from) + n;
	t->cursor = from + n;
	return true;
}

static size_t prev_cp(const struct ui_text *t, size_t i)
{
	if (i == 0)
		return 0;
	do
		i--;
	while (i > 0 && cont(t->buf[i]));
	return i;
}

static size_t next_cp(const struct ui_text *t, size_t i)
{
	if (i >= t->len)
		return t->len;
	do
		i++;
	while (i < t->len && cont(t->buf[i]));
	return i;
}

/* Up or down by n lines (negative: up), keeping the goal column. */
static void vertical(struct ui_text *t, int n)
{
	int col, line = ui_text_line_of(t, t->cursor, &col);
	if (t->goal_col < 0)
		t->goal_col = col;
	int to = line + n, last = ui_text_lines(t) - 1;
	to = to < 0 ? 0 : to > last ? last : to;
	t->cursor = ui_text_offset(t, to, t->goal_col);
}

/* An edit key; whether the text changed (the cursor may move anyway). */
static bool edit(struct ui_text *t, const struct ui_event *ev)
{
	char b[4];
	size_t n;
	switch (ev->key) {
	case UI_KEY_CHAR:
		n = utf8_encode(ev->cp, b);
		return n && ev->cp >= 0x20 && splice(t, t->cursor, t->cursor, b, n);
	case UI_KEY_ENTER: return splice(t, t->cursor, t->cursor, "\n", 1);
	case UI_KEY_TAB: return splice(t, t->cursor, t->cursor, "\t", 1);
	case UI_KEY_BACKSPACE:
		return t->cursor && splice(t, prev_cp(t, t->cursor), t->cursor, "", 0);
	case UI_KEY_DELETE:
		return t->cursor < t->len && splice(t, t->cursor, next_cp(t, t->cursor), "", 0);
	default: return false;
	}
}

bool ui_text_key(struct ui_text *t, const struct ui_event *ev)
{
	if (ev->type != UI_EV_KEY || !ev->down)
		return false;
	size_t before = t->cursor;
	int line = ui_text_line_of(t, t->cursor, NULL);
	bool vert = false;
	switch (ev->key) {
	case UI_KEY_LEFT: t->cursor = prev_cp(t, t->cursor); break;
	case UI_KEY_RIGHT: t->cursor = next_cp(t, t->cursor); break;
	case UI_KEY_UP: vertical(t, -1), vert = true; break;
	case UI_KEY_DOWN: vertical(t, 1), vert = true; break;
	case UI_KEY_PAGEUP: vertical(t, -(t->rows > 1 ? t->rows - 1 : 1)), vert = true; break;
	case UI_KEY_PAGEDOWN: vertical(t, t->rows > 1 ? t->rows - 1 : 1), vert = true; break;
	case UI_KEY_HOME: t->cursor = ui_text_offset(t, line, 0); break;
	case UI_KEY_END: t->cursor = ui_text_offset(t, line, 1 << 30); break;
	default:
		if (!edit(t, ev))
			return false;
		t->goal_col = -1;
		t->dirty = true;
		return true;
	}
	if (!vert)
		t->goal_col = -1;
	if (t->cursor != before)
		t->dirty = true;
	return t->cursor != before;
}

void ui_text_draw(struct ui_text *t, struct gfx_surface *s, struct gfx_rect r, int line_h,
                  const struct ui_theme *theme, bool focus)
{
	struct font_metrics m;
	struct gfx_rect saved = s->clip;
	int col, cline = ui_text_line_of(t, t->cursor, &col);

	font_metrics(theme->font, theme->size, &m);
	t->rows = (r.h - 2 * UI_PAD) / line_h < 1 ? 1 : (r.h - 2 * UI_PAD) / line_h;
	if (cline < t->top)
		t->top = cline;
	if (cline >= t->top + t->rows)
		t->top = cline - t->rows + 1;
	gfx_fill(s, r, theme->field_bg);
	gfx_frame(s, r, focus ? theme->accent : theme->edge);
	gfx_surface_clip(s,
	                 gfx_rect_intersect(gfx_rect(r.x + 1, r.y + 1, r.w - 2, r.h - 2), saved));
	size_t i = ui_text_offset(t, t->top, 0);
	for (int row = 0; row < t->rows && i <= t->len; row++) {
		size_t end = i;
		while (end < t->len && t->buf[end] != '\n')
			end++;
		int y = r.y + UI_PAD + row * line_h, base = y + m.ascent;
		font_draw(theme->font, s, theme->size, r.x + UI_PAD, base, t->buf + i, end - i,
		          theme->fg);
		if (focus && t->top + row == cline) {
			size_t at = ui_text_offset(t, cline, col);
			int x = r.x + UI_PAD +
			        font_width(theme->font, theme->size, t->buf + i, at - i);
			gfx_fill(s, gfx_rect(x, y, 1, m.ascent + m.descent), theme->fg);
		}
		if (end == t->len)
			break;
		i = end + 1;
	}
	s->clip = saved;
	t->dirty = false;
}
