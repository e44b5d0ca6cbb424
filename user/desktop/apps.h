/* The window the desktop draws itself ("About Tessera"); the others are
 * client programs (remote.h). */
#ifndef DESKTOP_APPS_H
#define DESKTOP_APPS_H

#include <font/font.h>

#include "wm.h"

/* Opens the About window (one at a time). */
void about_open(struct wm *wm);
/* A client's WIN_MSG_LAUNCH (proto.h): starts program with --path path
 * if it is one the desktop launches with a path (the editor); says on
 * the log who asked and what came of it. */
void apps_launch(struct wm *wm, const char *asker, const char *program, const char *path);
/* The fonts the apps draw with (main.c sets them up). */
extern struct font *apps_font;

#endif
