/* PS/2 mouse packets; see mouse.h. */
#include "mouse.h"

#define ALWAYS_ONE 0x08
#define X_SIGN     0x10
#define Y_SIGN     0x20
#define X_OVERFLOW 0x40
#define Y_OVERFLOW 0x80

bool mouse_decode(struct mouse_decoder *d, uint8_t byte, struct mouse_packet *p)
{
	if (d->have == 0 && !(byte & ALWAYS_ONE))
		return false;
	d->bytes[d->have++] = byte;
	if (d->have < (d->size == 4 ? 4u : 3u))
		return false;
	d->have = 0;
	uint8_t b0 = d->bytes[0];
	int dx = d->bytes[1] - (b0 & X_SIGN ? 256 : 0);
	int dy = d->bytes[2] - (b0 & Y_SIGN ? 256 : 0);
	if (b0 & X_OVERFLOW) /* the count ran past 9 bits: its sign is all that is left */
		dx = b0 & X_SIGN ? -256 : 255;
	if (b0 & Y_OVERFLOW)
		dy = b0 & Y_SIGN ? -256 : 255;
	*p = (struct mouse_packet){.dx = (int16_t)dx,
	                           .dy = (int16_t)dy,
	                           .dz = d->size == 4 ? (int8_t)d->bytes[3] : 0,
	                           .buttons = b0 & (MOUSE_LEFT | MOUSE_RIGHT | MOUSE_MIDDLE)};
	return true;
}
