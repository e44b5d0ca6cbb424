/* Where the desktop's input comes from: a source of ui_events (lib/ui's
 * form: keys with the character they type, pointer positions in screen
 * coordinates with buttons and wheel).  The PS/2 keyboard and mouse
 * drivers' event streams plug in here as another source (translating
 * scan codes and relative motion); until they land, a scripted source
 * replays a timed list of events (tests, the README's screenshot). */
#ifndef DESKTOP_INPUT_H
#define DESKTOP_INPUT_H

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

struct wm;
struct taskbar;

#define DEMO_SCRIPT_MAX 192
/* The demo script, from where things are on the screen: types into the
 * widget demo's text field and adds the line to its list, types a line
 * into the terminal, opens "About Tessera" from the launcher, moves it,
 * resizes the demo (a client program: a new surface).  Its length. */
extern struct input_step demo_script[DEMO_SCRIPT_MAX];
unsigned demo_script_build(struct wm *wm, const struct taskbar *t);

#endif
