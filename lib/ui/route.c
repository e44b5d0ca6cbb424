/* Routing events to widgets (ui.h): pointer presses, releases, moves and
 * the wheel to what lies under the pointer, keys to the focused widget. */
#include "ui.h"

static const struct ui_action none = {UI_ACT_NONE, -1, -1};

static struct ui_action act(enum ui_action_kind k, int widget, int item)
{
	return (struct ui_action){k, widget, item};
}

static bool focusable(const struct ui_widget *w)
{
	return w->kind == UI_FIELD || w->kind == UI_LIST || w->kind == UI_BUTTON ||
	       w->kind == UI_SCROLL;
}

/* Closes every open menu; true if one was open. */
static bool close_menus(struct ui_panel *p)
{
	bool any = false;
	for (int i = 0; i < p->n; i++)
		if (p->w[i]->kind == UI_MENU && p->w[i]->open) {
			p->w[i]->open = false;
			p->w[i]->hover = -1;
			any = true;
		}
	return any;
}

static int menu_item_at(const struct ui_panel *p, const struct ui_widget *m, int32_t x, int32_t y)
{
	for (int k = 0; m->open && k < m->nitems; k++)
		if (gfx_rect_contains(ui_menu_item_rect(p, m, k), x, y))
			return k;
	return -1;
}

static void select_row(struct ui_widget *l, int row)
{
	l->selected = row;
	if (row < l->top)
		l->top = row;
	if (l->rows > 0 && row >= l->top + l->rows)
		l->top = row - l->rows + 1;
	ui_scroll_by(l, 0);
}

static struct ui_action press(struct ui_panel *p, int i, int32_t x, int32_t y)
{
	struct ui_widget *w = p->w[i];

	if (w->kind == UI_MENU) {
		int k = menu_item_at(p, w, x, y);
		bool was_open = w->open;
		close_menus(p);
		if (k >= 0)
			return act(UI_ACT_MENU, i, k);
		w->open = !was_open;
		return none;
	}
	if (close_menus(p))
		return none; /* a click outside an open menu only closes it */
	if (focusable(w))
		p->focus = i;
	if (w->kind == UI_BUTTON)
		w->pressed = true;
	if (w->kind == UI_LIST) {
		int row = w->top + (y - w->r.y - 1) / p->line_h;
		if (row >= 0 && row < w->nitems && row != w->selected) {
			select_row(w, row);
			return act(UI_ACT_SELECT, i, row);
		}
	}
	return none;
}

static struct ui_action pointer(struct ui_panel *p, const struct ui_event *ev)
{
	uint32_t was = p->buttons;
	int i = ui_hit(p, ev->x, ev->y);
	struct ui_action a = none;

	p->buttons = ev->buttons;
	for (int k = 0; k < p->n; k++)
		if (p->w[k]->kind == UI_MENU && p->w[k]->open)
			p->w[k]->hover = menu_item_at(p, p->w[k], ev->x, ev->y);
	if ((ev->buttons & UI_BUTTON_LEFT) && !(was & UI_BUTTON_LEFT)) {
		if (i >= 0)
			a = press(p, i, ev->x, ev->y);
		else
			close_menus(p);
	}
	if (!(ev->buttons & UI_BUTTON_LEFT) && (was & UI_BUTTON_LEFT)) {
		for (int k = 0; k < p->n; k++) {
			struct ui_widget *w = p->w[k];
			if (w->kind == UI_BUTTON && w->pressed) {
				w->pressed = false;
				if (k == i)
					a = act(UI_ACT_CLICK, k, -1);
			}
		}
	}
	if (ev->wheel && i >= 0)
		ui_scroll_by(p->w[i],
		             p->w[i]->kind == UI_LIST ? ev->wheel : ev->wheel * 3 * p->line_h);
	p->dirty = true;
	return a;
}

static struct ui_action list_key(struct ui_panel *p, int i, const struct ui_event *ev)
{
	struct ui_widget *l = p->w[i];
	int to = l->selected;

	switch (ev->key) {
	case UI_KEY_UP: to = to > 0 ? to - 1 : 0; break;
	case UI_KEY_DOWN: to = to < l->nitems - 1 ? to + 1 : l->nitems - 1; break;
	case UI_KEY_HOME: to = 0; break;
	case UI_KEY_END: to = l->nitems - 1; break;
	default: return none;
	}
	if (to < 0 || to == l->selected)
		return none;
	select_row(l, to);
	return act(UI_ACT_SELECT, i, to);
}

static struct ui_action key(struct ui_panel *p, const struct ui_event *ev)
{
	if (!ev->down)
		return none;
	p->dirty = true;
	if (ev->key == UI_KEY_ESCAPE && close_menus(p))
		return none;
	if (ev->key == UI_KEY_TAB) {
		for (int k = 1; k <= p->n; k++) {
			int next = (p->focus + k + p->n) % p->n;
			if (focusable(p->w[next])) {
				p->focus = next;
				break;
			}
		}
		return none;
	}
	if (p->focus < 0 || p->focus >= p->n)
		return none;
	struct ui_widget *w = p->w[p->focus];
	switch (w->kind) {
	case UI_FIELD:
		if (ev->key == UI_KEY_ENTER)
			return act(UI_ACT_SUBMIT, p->focus, -1);
		return ui_field_key(w, ev) ? act(UI_ACT_CHANGE, p->focus, -1) : none;
	case UI_LIST: return list_key(p, p->focus, ev);
	case UI_BUTTON:
		return ev->key == UI_KEY_ENTER || (ev->key == UI_KEY_CHAR && ev->cp == ' ')
		               ? act(UI_ACT_CLICK, p->focus, -1)
		               : none;
	case UI_SCROLL:
		if (ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN)
			ui_scroll_by(w, (ev->key == UI_KEY_UP ? -1 : 1) * p->line_h);
		if (ev->key == UI_KEY_PAGEUP || ev->key == UI_KEY_PAGEDOWN)
			ui_scroll_by(w, (ev->key == UI_KEY_PAGEUP ? -1 : 1) * w->r.h);
		return none;
	default: return none;
	}
}

struct ui_action ui_panel_event(struct ui_panel *p, const struct ui_event *ev)
{
	if (ev->type == UI_EV_POINTER)
		return pointer(p, ev);
	if (ev->type == UI_EV_KEY)
		return key(p, ev);
	return none;
}
