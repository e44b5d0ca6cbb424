/* A window client's own channel to init (rt/initproto.h), asked of init's
 * service `control`, which the desktop hands on (the client's manifest:
 * `cap control cnode r optional`): MON_STATS for the system monitor, and
 * the file service's protocol (user/fs/fsproto.h), which init passes on,
 * for the file browser and the editor.  One request at a time; a wait for
 * its answers sleeps on the program's notification and keeps every other
 * bit it takes for wclient_wait (the window's tick).  Paths are absolute
 * ("/boot/modules"), below the root handle init's file service grants. */
#ifndef DESKTOP_WCTL_H
#define DESKTOP_WCTL_H

#include <rt/chan.h>
#include <stdbool.h>

#include "../../fs/fsproto.h"

struct wctl {
	struct rt_chan ch;
	bool up, tried;
	enum err error; /* the connect's */
};

/* Connects, once (later calls return its result).  Call it before
 * wclient_tick: its wait for init arms the notification's timer.  NOENT
 * no service `control`, TIMEOUT init did not answer (it refused). */
enum err wctl_open(struct wctl *w);
/* Sends one request (len bytes of payload). */
enum err wctl_ask(struct wctl *w, uint16_t type, const void *payload, size_t len);
/* The next answer (INIT_READY skipped), asleep until it comes. */
enum err wctl_answer(struct wctl *w, struct urpc_msg *m);

/* One file request: its FS_DATA into data (at most max, *got counts),
 * its FS_REPLY into *r; the reply's error.  UNSUPPORTED: no file service
 * is running (wctl_why says so). */
enum err wctl_fs(struct wctl *w, uint16_t type, const void *q, struct fs_reply *r, void *data,
                 size_t max, size_t *got);
/* A handle for path with rights (the root's, 1, for "/"; walked a part at
 * a time, so any depth).  The file service's errors. */
enum err wctl_walk(struct wctl *w, const char *path, uint32_t rights, uint32_t *h);
/* Gives a handle back (not the root). */
void wctl_close(struct wctl *w, uint32_t h);
/* A whole file into buf (RANGE longer than cap). */
enum err wctl_read(struct wctl *w, const char *path, char *buf, size_t cap, size_t *len);
/* Replaces the file's bytes (created if missing, its directory must be). */
enum err wctl_write(struct wctl *w, const char *path, const char *buf, size_t len);
/* What an error of these means to a user ("no file service is running"). */
const char *wctl_why(enum err e);

#endif
