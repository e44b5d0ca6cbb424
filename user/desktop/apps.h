/* The window the desktop draws itself ("About Tessera"); the others are
 * client programs (remote.h). */
#ifndef DESKTOP_APPS_H
#define DESKTOP_APPS_H

#include <font/font.h>

#include "wm.h"

/* Opens the About window (one at a time). */
void about_open(struct wm *wm);
/* The fonts the apps draw with (main.c sets them up). */
extern struct font *apps_font;

#endif
