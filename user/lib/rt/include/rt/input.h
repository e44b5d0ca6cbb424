/* Input events (user/README.md, "Input"): the keyboard and the mouse as
 * streams of typed, fixed-size records that programs subscribe to.
 *
 * The driver (ps2) serves the service "input" (rt/service.h).  A program
 * whose startup entry names `input` in caps subscribes with
 * rt_input_subscribe: it calls the service with a CNode of its own,
 * 2^RT_INPUT_BITS slots, its notification (WRITE, GRANT: the driver keeps
 * a copy) in RT_INPUT_SLOT_NOTIFY
 * and RT_INPUT_SLOT_FRAME empty; w0 RT_INPUT_SUBSCRIBE, w1 the streams
 * (RT_INPUT_KEYBOARD | RT_INPUT_MOUSE).  The driver makes a frame of its
 * own memory (so no subscriber can take it away under it), lays a channel
 * out in it (rt/chan.h; the driver is side 0), puts a copy into
 * RT_INPUT_SLOT_FRAME and signals RT_INPUT_BIT_READY; the subscriber maps
 * it and attaches side 1.  The driver sends RT_INPUT_MSG_EVENTS messages,
 * up to RT_INPUT_PER_MSG records each, and never waits for a subscriber:
 * when a subscriber's ring is full the events for it are dropped, and the
 * gap shows in seq.
 *
 * Values are the devices' own where they have one: a key's code is its
 * scan code set 1 make code (0x100 | code after an 0xe0 prefix), which is
 * what the i8042 passes on with translation on (IBM PC/AT Technical
 * Reference, "scan code set 1"); the character is the US layout's.  A
 * move is relative, in the mouse's counts: dx to the right, dy down the
 * screen (the PS/2 packet's Y counts up: dy is its negation), dz the
 * wheel away from the user (an IntelliMouse packet's Z counts towards
 * the user: dz is its negation). */
#ifndef RT_INPUT_H
#define RT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "chan.h"
#include "service.h"

enum rt_input_kind {
	RT_INPUT_KEY = 1,    /* code, down, mods, ch */
	RT_INPUT_MOTION = 2, /* dx, dy, dz */
	RT_INPUT_BUTTON = 3, /* code (RT_INPUT_BUTTON_*), down */
};

#define RT_INPUT_BUTTON_LEFT   1
#define RT_INPUT_BUTTON_RIGHT  2
#define RT_INPUT_BUTTON_MIDDLE 3

#define RT_INPUT_MOD_SHIFT 1u
#define RT_INPUT_MOD_CTRL  2u
#define RT_INPUT_MOD_ALT   4u
#define RT_INPUT_MOD_CAPS  8u

struct rt_input_event {
	uint32_t seq;  /* 1, 2, ... per subscriber: a gap is events dropped */
	uint8_t kind;  /* enum rt_input_kind */
	uint8_t mods;  /* KEY: the modifiers after it (RT_INPUT_MOD_*) */
	uint16_t code; /* KEY: the key; BUTTON: the button */
	uint8_t down;  /* KEY, BUTTON: 1 pressed, 0 released */
	char ch;       /* KEY: the character it types (US layout), 0 none (Ctrl+letter: C0) */
	int16_t dx, dy, dz;
};
_Static_assert(sizeof(struct rt_input_event) == 16, "a record is 16 bytes");
_Static_assert(__builtin_offsetof(struct rt_input_event, dx) == 10, "the record's layout");

#define RT_INPUT_SUBSCRIBE   1
#define RT_INPUT_KEYBOARD    1u
#define RT_INPUT_MOUSE       2u
#define RT_INPUT_BITS        1 /* the subscriber's CNode: 2 slots */
#define RT_INPUT_SLOT_FRAME  0
#define RT_INPUT_SLOT_NOTIFY 1
#define RT_INPUT_MSG_EVENTS  0x494e /* "IN": a message of records */
#define RT_INPUT_BIT_READY   (1ull << 60)
#define RT_INPUT_PER_MSG     (URPC_PAYLOAD_MAX / sizeof(struct rt_input_event))

/* Subscribes to the streams of the service "input" and waits until the
 * driver made the channel; c is then its side 1 (its notification
 * SLOT_NOTIFY; other bits that arrive meanwhile are kept for rt_chan_wait).
 * NOENT no service "input" given; the memory, map and call errors. */
enum err rt_input_subscribe(unsigned streams, struct rt_chan *c);

/* The records in a message m from the driver (n of them, into out[0..n)
 * of at most max); CORRUPT not such a message. */
enum err rt_input_events(const struct urpc_msg *m, struct rt_input_event *out, size_t max,
                         size_t *n);

#endif
