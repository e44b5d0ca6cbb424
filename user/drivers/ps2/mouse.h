/* PS/2 mouse packets to moves, button changes and wheel turns: three
 * bytes, or four once the mouse answered the IntelliMouse sequence with
 * ID 3 (sample rates 200, 100, 80, then Get Device ID).  Byte 0: bit 0
 * left, 1 right, 2 middle, 3 always 1, 4 X sign, 5 Y sign, 6 X overflow, 7
 * Y overflow; byte 1 X and byte 2 Y, the low 8 bits of 9-bit two's
 * complement counts (Y up); byte 3 Z, the wheel, signed, towards the user
 * (IBM PS/2 Hardware Interface Technical Reference, "Pointing device";
 * Microsoft IntelliMouse).  Pure: tested on the host. */
#ifndef USER_DRIVERS_PS2_MOUSE_H
#define USER_DRIVERS_PS2_MOUSE_H

#include <stdbool.h>
#include <stdint.h>

#define MOUSE_LEFT   1u
#define MOUSE_RIGHT  2u
#define MOUSE_MIDDLE 4u

struct mouse_packet {
	int16_t dx, dy, dz; /* right, up (the packet's sense), towards the user */
	uint8_t buttons;    /* MOUSE_* held */
};

struct mouse_decoder {
	uint8_t bytes[4];
	unsigned have, size; /* size 3, or 4 with a wheel */
};

/* Feeds one byte; true when it completes a packet.  A first byte without
 * bit 3 is out of step and dropped. */
bool mouse_decode(struct mouse_decoder *d, uint8_t byte, struct mouse_packet *p);

#endif
