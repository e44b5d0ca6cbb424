/* The programs the desktop runs inside itself until programs of their own
 * can be clients: the widget demo and "About Tessera". */
#ifndef DESKTOP_APPS_H
#define DESKTOP_APPS_H

#include <font/font.h>

#include "wm.h"

/* Opens the demo window (one at a time). */
void demo_open(struct wm *wm);
/* Opens the About window (one at a time). */
void about_open(struct wm *wm);
/* The fonts the apps draw with (main.c sets them up). */
extern struct font *apps_font;

#endif
