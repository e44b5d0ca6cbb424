/* A small widget library over lib/gfx and lib/font: label, button, text
 * field, list, scroll view and menu, laid out in a column inside a panel
 * (a window's content), hit-tested, driven by ui_event and drawn onto a
 * surface.  Widgets live in caller memory; nothing is allocated.
 *
 * A panel routes pointer events to the widget under the pointer (an open
 * menu first: it lies above the others) and key events to the focused
 * widget; what the user did comes back as a ui_action.
 */
#ifndef LIB_UI_UI_H
#define LIB_UI_UI_H

#include <gfx/gfx.h>
#include <stdbool.h>
#include <stddef.h>

#include "event.h"

struct font;

enum ui_kind { UI_LABEL, UI_BUTTON, UI_FIELD, UI_LIST, UI_SCROLL, UI_MENU };

#define UI_FIELD_MAX 128 /* bytes of a text field, its NUL included */
#define UI_PAD       4   /* pixels between a widget's edge and its text */
#define UI_SCROLLBAR 10  /* a scroll view's bar width */

struct ui_widget {
	enum ui_kind kind;
	struct gfx_rect r; /* in the panel's coordinates (ui_layout) */
	const char *text;  /* label, button, menu title */
	bool pressed;      /* button: pressed with the pointer inside */
	/* field: UTF-8 text, its length and the cursor (byte offsets) */
	char buf[UI_FIELD_MAX];
	size_t len, cursor;
	/* list and menu: items; list: the selected one (-1 none), the first
	 * shown, rows shown (the layout's height); menu: open, hovered */
	const char *const *items;
	int nitems, selected, top, rows;
	bool open;
	int hover;
	/* scroll view: the content's height and how far it is scrolled */
	int content_h, offset;
	void (*draw_content)(void *ctx, struct gfx_surface *s, struct gfx_rect view, int offset);
	void *ctx;
	int flex; /* ui_layout: takes a share of the height left (0: its own) */
};

#define UI_PANEL_MAX 16

struct ui_panel {
	struct ui_widget *w[UI_PANEL_MAX];
	int n, focus;     /* focus: a widget index or -1 */
	int line_h;       /* pixels of a line of text (the font's line height) */
	uint32_t buttons; /* the pointer's buttons at the last event */
	bool dirty;       /* something changed since the panel was last drawn */
};

enum ui_action_kind {
	UI_ACT_NONE,
	UI_ACT_CLICK,  /* a button was clicked */
	UI_ACT_CHANGE, /* a field's text changed */
	UI_ACT_SUBMIT, /* Enter in a field */
	UI_ACT_SELECT, /* a list's selection changed: item */
	UI_ACT_MENU,   /* a menu item was chosen: item */
};

struct ui_action {
	enum ui_action_kind kind;
	int widget; /* its index in the panel */
	int item;
};

/* An empty panel for text lines line_h pixels high. */
void ui_panel_init(struct ui_panel *p, int line_h);
/* Adds w (its kind and content set; the rest reset); false when full. */
bool ui_panel_add(struct ui_panel *p, struct ui_widget *w);
/* Places the widgets top to bottom inside area, pad pixels from its
 * edges and between them: labels, buttons, fields and menu titles one
 * line plus 2 UI_PAD high; lists `rows` lines (at least 1; 3 if 0); flex
 * widgets share what is left by their flex weights. */
void ui_layout(struct ui_panel *p, struct gfx_rect area, int pad);
/* The widget at (x, y), -1 for none; an open menu's items count as its. */
int ui_hit(const struct ui_panel *p, int32_t x, int32_t y);
/* The rectangle of an open menu's item i (below its title). */
struct gfx_rect ui_menu_item_rect(const struct ui_panel *p, const struct ui_widget *m, int i);
/* A scroll view's bar thumb: (x, y, w, h), empty if all content shows. */
struct gfx_rect ui_scroll_thumb(const struct ui_widget *s);
/* Scrolls a view or list by delta (pixels or rows), clamped. */
void ui_scroll_by(struct ui_widget *w, int delta);

/* Handles one event (pointer in panel coordinates). */
struct ui_action ui_panel_event(struct ui_panel *p, const struct ui_event *ev);
/* A field's editing: one key event; true if the text changed. */
bool ui_field_key(struct ui_widget *f, const struct ui_event *ev);
/* Replaces a field's text (truncated at a code point to fit). */
void ui_field_set(struct ui_widget *f, const char *text);

/* Colours and the font a panel is drawn with. */
struct ui_theme {
	struct font *font;
	int size; /* pixel size of the text */
	uint32_t bg, fg, face, edge, accent, accent_fg, field_bg;
};
/* Draws the panel's widgets (open menus last). */
void ui_panel_draw(struct ui_panel *p, struct gfx_surface *s, const struct ui_theme *t);

#endif
