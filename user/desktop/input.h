/* Where the desktop's input comes from: a source of ui_events (lib/ui's
 * form: keys with the character they type, pointer positions in screen
 * coordinates with buttons and wheel).  Two sources: the PS/2 driver's
 * streams (rt/input.h, when the desktop was given the service `input`:
 * scan codes and relative motion translated, instream.c), else a
 * scripted one replaying a timed list of events (tests, the README's
 * screenshot). */
#ifndef DESKTOP_INPUT_H
#define DESKTOP_INPUT_H

#include <rt/input.h>
#include <stdbool.h>
#include <stdint.h>
#include <ui/event.h>

struct input_source {
	/* The next event due at now_ms, if one is: true and *ev. */
	bool (*next)(struct input_source *src, uint64_t now_ms, struct ui_event *ev);
	/* Whether it will never give another event. */
	bool (*done)(const struct input_source *src);
	/* Milliseconds from now_ms to its next event, UINT64_MAX if it does
	 * not know (a driver's stream wakes the desktop by itself). */
	uint64_t (*due)(const struct input_source *src, uint64_t now_ms);
};

/* One scripted event: at `at_ms` after the script starts. */
struct input_step {
	uint64_t at_ms;
	struct ui_event ev;
};

struct input_script {
	struct input_source src;
	const struct input_step *steps;
	unsigned n, next;
	uint64_t start_ms; /* set by the first call */
	bool started;
};

/* A source replaying steps (ordered by at_ms). */
void input_script_init(struct input_script *s, const struct input_step *steps, unsigned n);

/* The driver's streams: a cursor kept on a width x height screen. */
struct input_stream {
	struct input_source src;
	struct rt_chan ch;
	struct rt_input_event rec[RT_INPUT_PER_MSG];
	unsigned n, at; /* records of the last message, the next to translate */
	int32_t width, height, x, y;
	uint32_t buttons;
};

/* Subscribes to the keyboard and the mouse (the cursor starts in the
 * middle).  NOENT no service `input` given; rt_input_subscribe's errors. */
enum err input_stream_init(struct input_stream *s, int32_t width, int32_t height);
/* One record as a ui_event: true and *ev, or false (a key's release, a
 * key the desktop has no use for, an unknown button or kind). */
bool input_translate(struct input_stream *s, const struct rt_input_event *r, struct ui_event *ev);

struct wm;
struct taskbar;

#define DEMO_SCRIPT_MAX 192
/* The demo script, from where things are on the screen: types into the
 * widget demo's text field and adds the line to its list, types a line
 * into the terminal, opens "About Tessera" from the launcher, moves it,
 * resizes the demo (a client program: a new surface).  Its length. */
extern struct input_step demo_script[DEMO_SCRIPT_MAX];
unsigned demo_script_build(struct wm *wm, const struct taskbar *t);
/* The apps' script (--demo --apps, tests/matrix/apps.screen): Files from
 * the launcher, typed down to /boot/modules/motd.txt and Enter (the
 * editor opens it), a line typed there, Ctrl-S, Ctrl-O (saved and read
 * back through the file service), then the system monitor.  Its length. */
unsigned apps_script_build(struct wm *wm, const struct taskbar *t);

#endif
