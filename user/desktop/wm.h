/* The compositor's windows: each a client surface (frames, surface.h) with
 * a title bar and a border the compositor draws, stacked bottom to top;
 * the topmost has the focus and gets the keys.  Every change adds damage;
 * wm_compose redraws only the damage into the back buffer (RAM) and copies
 * only it to the framebuffer (lib/gfx gfx_compose, gfx_present): double
 * buffered, so the screen never shows a half-drawn scene.
 *
 * Pointer: a press on a title bar raises and focuses the window and drags
 * it; on its close box closes it; on the grip at a client's bottom right
 * corner resizes it (an outline while dragging, the new size on release);
 * in the client, the press and everything up to the release go to it in
 * its own coordinates.  The taskbar (taskbar.c) takes what falls on it.
 */
#ifndef DESKTOP_WM_H
#define DESKTOP_WM_H

#include <font/font.h>
#include <gfx/damage.h>
#include <ui/event.h>

#include "surface.h"

#define WM_WINDOWS   8
#define WM_TITLE_H   24
#define WM_BORDER    1
#define WM_GRIP      14
#define WM_MIN_W     160
#define WM_MIN_H     80
#define WM_TASKBAR_H 32
#define WM_TITLE_MAX 40

/* A window's program, as the compositor calls it (today inside the
 * desktop; a client program would get the same calls as messages). */
struct wm_client {
	/* Draw everything into s (the client surface, of its current size). */
	void (*draw)(void *ctx, struct gfx_surface *s);
	/* An event in client coordinates; true if it must be redrawn. */
	bool (*event)(void *ctx, const struct ui_event *ev);
	/* The window is going: called before its surfaces are freed. */
	void (*closed)(void *ctx);
	void *ctx;
	/* A resize keeps the old client surface (wm_window.retired) until
	 * wm_retired_free: a client program may still be drawing on it. */
	bool keep_old;
};

struct wm_window {
	bool used;
	int id;
	char title[WM_TITLE_MAX];
	struct gfx_rect r; /* the client area on the screen */
	struct frame_surface client, bar;
	struct frame_surface retired; /* the client surface before a resize (keep_old) */
	struct wm_client c;
};

enum wm_drag { WM_DRAG_NONE, WM_DRAG_MOVE, WM_DRAG_RESIZE, WM_DRAG_CLIENT, WM_DRAG_TASKBAR };

struct taskbar;

struct wm {
	struct gfx_surface *front, back;
	struct gfx_damage damage;
	struct font *font;
	struct wm_window win[WM_WINDOWS];
	int z[WM_WINDOWS], nz; /* window indexes, bottom to top */
	int next_id;
	struct taskbar *taskbar;
	/* the pointer */
	int32_t px, py;
	uint32_t buttons;
	enum wm_drag drag;
	int drag_win;
	int32_t drag_x, drag_y;
	struct gfx_rect drag_rect, outline;
	struct gfx_surface cursor;
	/* counts, for the log and tests */
	uint64_t frames, pixels;
};

/* The compositor over the framebuffer front; the back buffer from the
 * heap.  NOMEM. */
enum err wm_init(struct wm *wm, struct gfx_surface *front, struct font *font);
/* A window with a client area of r (on the screen), on top, focused; its
 * client draws it now.  The window's id, or -1 (no room or memory). */
int wm_open(struct wm *wm, const char *title, struct gfx_rect r, const struct wm_client *c);
void wm_close(struct wm *wm, int id);
void wm_raise(struct wm *wm, int id);
/* Moves the client area to (x, y) / resizes it (at least WM_MIN_W x H). */
void wm_move(struct wm *wm, int id, int32_t x, int32_t y);
enum err wm_resize(struct wm *wm, int id, int32_t w, int32_t h);
/* Frees a window's retired client surface (keep_old). */
void wm_retired_free(struct wm *wm, int id);
/* The client redraws itself now (its content changed). */
void wm_redraw(struct wm *wm, int id);
/* Marks r (screen coordinates) for redrawing. */
void wm_damage(struct wm *wm, struct gfx_rect r);
/* One input event (screen coordinates). */
void wm_input(struct wm *wm, const struct ui_event *ev);
/* Redraws and shows the damage; the pixels copied to the framebuffer. */
int64_t wm_compose(struct wm *wm);
/* The focused (topmost) window's id, -1 if none; a window by id. */
int wm_focus(const struct wm *wm);
struct wm_window *wm_window(struct wm *wm, int id);
/* The window's outer rectangle: border and title bar included; its close
 * box (on the screen). */
struct gfx_rect wm_outer(const struct wm_window *w);
struct gfx_rect wm_close_box(const struct wm_window *w);

#endif
