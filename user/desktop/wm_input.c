/* Pointer and keys for the compositor (wm.h): the pointer moves the
 * cursor, drags title bars and grips, and goes to the client under it;
 * keys go to the focused window. */
#include "taskbar.h"
#include "wm.h"

/* The topmost window whose outer rectangle holds (x, y). */
static struct wm_window *window_at(struct wm *wm, int32_t x, int32_t y)
{
	for (int k = wm->nz - 1; k >= 0; k--) {
		struct wm_window *w = &wm->win[wm->z[k]];
		if (gfx_rect_contains(wm_outer(w), x, y))
			return w;
	}
	return NULL;
}

static struct gfx_rect cursor_rect(const struct wm *wm)
{
	return gfx_rect(wm->px, wm->py, wm->cursor.width, wm->cursor.height);
}

/* An event for w's client, in its coordinates. */
static void to_client(struct wm *wm, struct wm_window *w, const struct ui_event *ev)
{
	struct ui_event c = *ev;
	c.x -= w->r.x;
	c.y -= w->r.y;
	if (w->c.event && w->c.event(w->c.ctx, &c))
		wm_redraw(wm, w->id);
}

/* A press of the left button at the pointer. */
static void press(struct wm *wm, const struct ui_event *ev)
{
	if (wm->taskbar && taskbar_hit(wm->taskbar, wm->px, wm->py)) {
		wm->drag = WM_DRAG_TASKBAR;
		taskbar_event(wm->taskbar, ev);
		return;
	}
	if (wm->taskbar)
		taskbar_event(wm->taskbar, ev); /* closes its menu */
	struct wm_window *w = window_at(wm, wm->px, wm->py);
	if (!w)
		return;
	wm_raise(wm, w->id);
	wm->drag_win = w->id;
	wm->drag_x = wm->px;
	wm->drag_y = wm->py;
	wm->drag_rect = w->r;
	if (wm->py < w->r.y) {
		if (gfx_rect_contains(wm_close_box(w), wm->px, wm->py)) {
			wm_close(wm, w->id);
			return;
		}
		wm->drag = WM_DRAG_MOVE;
	} else if (gfx_rect_contains(gfx_rect(w->r.x + w->r.w - WM_GRIP, w->r.y + w->r.h - WM_GRIP,
	                                      WM_GRIP, WM_GRIP),
	                             wm->px, wm->py)) {
		wm->drag = WM_DRAG_RESIZE;
		wm->outline = wm_outer(w);
	} else if (gfx_rect_contains(w->r, wm->px, wm->py)) {
		wm->drag = WM_DRAG_CLIENT;
		to_client(wm, w, ev);
	}
}

/* The pointer moved while dragging (or not). */
static void motion(struct wm *wm, const struct ui_event *ev)
{
	struct wm_window *w = wm_window(wm, wm->drag_win);
	int32_t dx = wm->px - wm->drag_x, dy = wm->py - wm->drag_y;

	switch (wm->drag) {
	case WM_DRAG_MOVE:
		if (w)
			wm_move(wm, w->id, wm->drag_rect.x + dx, wm->drag_rect.y + dy);
		break;
	case WM_DRAG_RESIZE:
		if (!w)
			break;
		wm_damage(wm, wm->outline);
		wm->outline = wm_outer(w);
		wm->outline.w += dx < WM_MIN_W - w->r.w ? WM_MIN_W - w->r.w : dx;
		wm->outline.h += dy < WM_MIN_H - w->r.h ? WM_MIN_H - w->r.h : dy;
		wm_damage(wm, wm->outline);
		break;
	case WM_DRAG_CLIENT:
		if (w)
			to_client(wm, w, ev);
		break;
	case WM_DRAG_TASKBAR: taskbar_event(wm->taskbar, ev); break;
	case WM_DRAG_NONE: {
		struct wm_window *top = wm->nz ? &wm->win[wm->z[wm->nz - 1]] : NULL;
		if (top && gfx_rect_contains(top->r, wm->px, wm->py))
			to_client(wm, top, ev); /* hover, wheel */
		else if (wm->taskbar && taskbar_hit(wm->taskbar, wm->px, wm->py))
			taskbar_event(wm->taskbar, ev);
		break;
	}
	}
}

static void release(struct wm *wm, const struct ui_event *ev)
{
	struct wm_window *w = wm_window(wm, wm->drag_win);
	enum wm_drag d = wm->drag;

	wm->drag = WM_DRAG_NONE;
	if (d == WM_DRAG_RESIZE && w) {
		wm_damage(wm, wm->outline);
		wm_resize(wm, w->id, wm->outline.w - 2 * WM_BORDER,
		          wm->outline.h - WM_TITLE_H - 2 * WM_BORDER);
		wm->outline = gfx_rect(0, 0, 0, 0);
	} else if (d == WM_DRAG_CLIENT && w) {
		to_client(wm, w, ev);
	} else if (d == WM_DRAG_TASKBAR) {
		taskbar_event(wm->taskbar, ev);
	}
}

void wm_input(struct wm *wm, const struct ui_event *ev)
{
	if (ev->type == UI_EV_KEY) {
		struct wm_window *w = wm->nz ? &wm->win[wm->z[wm->nz - 1]] : NULL;
		if (w)
			to_client(wm, w, ev);
		return;
	}
	if (ev->type != UI_EV_POINTER)
		return;
	uint32_t was = wm->buttons;
	wm_damage(wm, cursor_rect(wm));
	wm->px = ev->x < 0 ? 0 : ev->x >= wm->back.width ? wm->back.width - 1 : ev->x;
	wm->py = ev->y < 0 ? 0 : ev->y >= wm->back.height ? wm->back.height - 1 : ev->y;
	wm->buttons = ev->buttons;
	wm_damage(wm, cursor_rect(wm));
	struct ui_event e = *ev;
	e.x = wm->px;
	e.y = wm->py;
	if ((e.buttons & UI_BUTTON_LEFT) && !(was & UI_BUTTON_LEFT))
		press(wm, &e);
	else if (!(e.buttons & UI_BUTTON_LEFT) && (was & UI_BUTTON_LEFT))
		release(wm, &e);
	else
		motion(wm, &e);
}
