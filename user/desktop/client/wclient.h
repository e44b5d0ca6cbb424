/* The client side of the window protocol (user/desktop/proto.h): a
 * program in a window of its own opens it, draws into its surface with
 * lib/gfx, lib/font and lib/ui, says what it drew, and takes its events;
 * it sleeps between them (rt_chan_wait), waking also for a tick it asks
 * for (NOTIFY_TIMER on its own notification).  Its manifest names
 * `cap surface cnode rw` and `chan`, `self`. */
#ifndef DESKTOP_WCLIENT_H
#define DESKTOP_WCLIENT_H

#include <font/font.h>
#include <gfx/gfx.h>
#include <rt/chan.h>
#include <stdbool.h>
#include <ui/event.h>

#include "../proto.h"

struct wclient {
	struct rt_chan ch;
	struct rt_capref cnode;
	struct gfx_surface s; /* the window's pixels (valid once a surface came) */
	uint32_t serial;
	bool has_surface;
	uint64_t tick_us; /* 0: no tick */
	uint64_t next_tick_us;
	struct rt_chan *other; /* another channel to wake for (wclient_watch), or NULL */
	uint64_t other_bits;   /* ... and notification bits */
};

enum wclient_what {
	WCLIENT_SURFACE, /* a new surface: draw everything */
	WCLIENT_EVENT,   /* an input event (client coordinates) */
	WCLIENT_TICK,    /* the tick asked for */
	WCLIENT_CLOSE,   /* the window is gone: end */
};

/* Attaches the channel and the surface CNode and asks for a window of
 * w x h with title.  NOENT not started as a window client. */
enum err wclient_open(struct wclient *c, const char *title, int32_t w, int32_t h);
/* A tick every us microseconds from now (0: none). */
void wclient_tick(struct wclient *c, uint64_t us);
/* Another channel of the program's own (waited on with the same
 * notification) and notification bits to wake for too (wclient_wait). */
void wclient_watch(struct wclient *c, struct rt_chan *ch, uint64_t bits);
/* Sleeps until something happens; what, and the event for an EVENT. */
enum wclient_what wclient_next(struct wclient *c, struct ui_event *ev);
/* The same, but false (nothing in *what) once a surface came and the
 * watched channel has a message or its bits arrived. */
bool wclient_wait(struct wclient *c, struct ui_event *ev, enum wclient_what *what);
/* Tells the desktop that r of the surface was drawn. */
void wclient_damage(struct wclient *c, struct gfx_rect r);

struct font;
/* Opens the font in the boot module `module` (the manifest names it),
 * on the heap.  NOENT, NOMEM, CORRUPT. */
enum err wclient_font(struct font *f, const char *module);

#endif
