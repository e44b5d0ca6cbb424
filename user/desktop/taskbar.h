/* The taskbar along the bottom of the screen: the launcher (a button that
 * opens a menu of programs above it), a button per window (raises it) and
 * a clock (time since the desktop started: there is no wall clock until
 * the RTC has a driver). */
#ifndef DESKTOP_TASKBAR_H
#define DESKTOP_TASKBAR_H

#include <gfx/damage.h>
#include <ui/ui.h>

#include "surface.h"

struct wm;

#define TASKBAR_APPS 6

/* A program the launcher offers. */
struct taskbar_app {
	const char *name;
	void (*open)(struct wm *wm);
};

struct taskbar {
	struct wm *wm;
	struct frame_surface bar, menu;
	struct gfx_rect r, menu_r; /* on the screen */
	bool menu_open;
	struct ui_panel menu_panel;
	struct ui_widget items[TASKBAR_APPS];
	const struct taskbar_app *apps;
	int napps;
	uint64_t shown_s; /* the clock's second on the bar */
	struct ui_theme theme;
};

enum err taskbar_init(struct taskbar *t, struct wm *wm, const struct taskbar_app *apps, int n);
/* Its layers (the bar, the menu if open), appended at l[*n]. */
void taskbar_layers(struct taskbar *t, struct gfx_layer *l, size_t *n);
/* Whether (x, y) is the taskbar's or its open menu's. */
bool taskbar_hit(const struct taskbar *t, int32_t x, int32_t y);
/* A pointer event (screen coordinates) for it. */
void taskbar_event(struct taskbar *t, const struct ui_event *ev);
/* Redraws the bar (the windows changed) and its damage. */
void taskbar_update(struct taskbar *t);
/* The clock: redrawn when its second changes. */
void taskbar_tick(struct taskbar *t, uint64_t now_ms);

#endif
