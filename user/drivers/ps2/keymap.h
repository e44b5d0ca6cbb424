/* Scan code set 1 (what the i8042 passes on with translation on, its
 * default on PCs) to key events, US layout: a make code is the key's
 * number, a break code the same with bit 7 set; 0xe0 prefixes the
 * extended keys (IBM PC/AT Technical Reference; the "scan code set 1"
 * table).  Pure: tested on the host through the decoder. */
#ifndef USER_DRIVERS_PS2_KEYMAP_H
#define USER_DRIVERS_PS2_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#define KEY_MOD_SHIFT 1u
#define KEY_MOD_CTRL  2u
#define KEY_MOD_ALT   4u
#define KEY_MOD_CAPS  8u

/* A key event: the key's code (set 1 make code, 0x100 | code for an
 * extended key), pressed or released, the modifiers after it, and the
 * character it types (0: none; with Ctrl a letter types its C0 control,
 * Ctrl-C 0x03). */
struct key_event {
	uint16_t code;
	bool down;
	uint8_t mods;
	char ch;
};

struct key_decoder {
	bool extended;
	uint8_t mods;
};

/* Feeds one byte from the keyboard; true when it completes an event. */
bool key_decode(struct key_decoder *d, uint8_t byte, struct key_event *ev);

#endif
