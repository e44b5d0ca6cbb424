/* Client programs in windows of their own: the desktop's side of the
 * window protocol (proto.h).  remote_spawn starts a program from a boot
 * module with a channel and a surface CNode; its window opens when the
 * program asks (WIN_MSG_OPEN) and closes when either side ends it. */
#ifndef DESKTOP_REMOTE_H
#define DESKTOP_REMOTE_H

#include <rt/chan.h>
#include <stdbool.h>

#include "wm.h"

#define REMOTES 8

/* The desktop's notification (made by remote_init): clients' channels
 * signal it, and the desktop's own timer. */
extern struct rt_capref remote_self;

enum err remote_init(void);
/* Starts the program in module `name` as a window client whose window
 * will open at (x, y) (the size is the client's).  NOMEM, FULL (REMOTES
 * running), NOENT no such module, spawn's errors (said on the log). */
enum err remote_spawn(struct wm *wm, const char *name, int32_t x, int32_t y);
/* The same with a command line (argc words, checked against its schema). */
enum err remote_spawn_argv(struct wm *wm, const char *name, int32_t x, int32_t y,
                           const char *const *argv, unsigned argc);
/* Takes every client's messages; closes the windows of clients that
 * ended.  Whether anything happened. */
bool remote_poll(struct wm *wm);
/* The clients' channels, for rt_chan_wait; their count. */
unsigned remote_chans(struct rt_chan **out, unsigned max);
/* Clients whose window is open / started. */
unsigned remote_open_count(unsigned *started);

#endif
