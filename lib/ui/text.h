/* A multi-line text field (the editor's widget): UTF-8 text in a caller's
 * buffer, lines split at '\n', a cursor (a byte offset, always at a code
 * point's start), editing keys, and drawing that scrolls to keep the
 * cursor in view.  Columns count code points; lines are not wrapped (a
 * long one is clipped at the widget's edge). */
#ifndef LIB_UI_TEXT_H
#define LIB_UI_TEXT_H

#include <gfx/gfx.h>
#include <stdbool.h>
#include <stddef.h>

#include "event.h"

struct ui_theme;

struct ui_text {
	char *buf;
	size_t len, cap; /* bytes used, and the buffer's size (no NUL kept) */
	size_t cursor;
	int goal_col; /* Up/Down keep to this column (-1: the cursor's own) */
	int top;      /* the first line shown */
	int rows;     /* lines shown (set by ui_text_draw; Page Up/Down) */
	bool dirty;
};

/* An empty text over buf (cap bytes). */
void ui_text_init(struct ui_text *t, char *buf, size_t cap);
/* Replaces the text (cursor at the start); false (unchanged) if it does
 * not fit. */
bool ui_text_set(struct ui_text *t, const char *s, size_t n);
/* One key: characters (Enter a newline, Tab a tab), Backspace, Delete,
 * arrows, Home and End (of the line), Page Up and Down.  True if the text
 * or the cursor changed.  A character that does not fit is refused. */
bool ui_text_key(struct ui_text *t, const struct ui_event *ev);
/* Lines in the text (1 when empty). */
int ui_text_lines(const struct ui_text *t);
/* The line and column (code points) of byte offset off. */
int ui_text_line_of(const struct ui_text *t, size_t off, int *col);
/* The byte offset of (line, col), both clamped to the text. */
size_t ui_text_offset(const struct ui_text *t, int line, int col);
/* Draws the text in r of s, lines line_h apart, scrolled so the cursor
 * shows; the cursor a bar if focus. */
void ui_text_draw(struct ui_text *t, struct gfx_surface *s, struct gfx_rect r, int line_h,
                  const struct ui_theme *theme, bool focus);

#endif
