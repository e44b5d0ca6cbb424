/* Scan code set 1 decoding, US layout; see keymap.h. */
#include "keymap.h"

#define EXTENDED 0xe0
#define LSHIFT   0x2a
#define RSHIFT   0x36
#define CTRL     0x1d
#define ALT      0x38
#define CAPS     0x3a

/* Characters of make codes 0x00-0x39, plain and shifted. */
static const char plain[0x3a] = {0,   27,  '1',  '2',  '3',  '4', '5', '6',  '7', '8', '9', '0',
                                 '-', '=', '\b', '\t', 'q',  'w', 'e', 'r',  't', 'y', 'u', 'i',
                                 'o', 'p', '[',  ']',  '\n', 0,   'a', 's',  'd', 'f', 'g', 'h',
                                 'j', 'k', 'l',  ';',  '\'', '`', 0,   '\\', 'z', 'x', 'c', 'v',
                                 'b', 'n', 'm',  ',',  '.',  '/', 0,   '*',  0,   ' '};
static const char shifted[0x3a] = {0,   27,  '!',  '@',  '#',  '$', '%', '^', '&', '*', '(', ')',
                                   '_', '+', '\b', '\t', 'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I',
                                   'O', 'P', '{',  '}',  '\n', 0,   'A', 'S', 'D', 'F', 'G', 'H',
                                   'J', 'K', 'L',  ':',  '"',  '~', 0,   '|', 'Z', 'X', 'C', 'V',
                                   'B', 'N', 'M',  '<',  '>',  '?', 0,   '*', 0,   ' '};

static uint8_t modifier(uint8_t code, bool extended)
{
	if (!extended && (code == LSHIFT || code == RSHIFT))
		return KEY_MOD_SHIFT;
	if (code == CTRL)
		return KEY_MOD_CTRL;
	if (code == ALT)
		return KEY_MOD_ALT;
	return 0;
}

static char character(uint8_t code, uint8_t mods)
{
	if (code >= sizeof plain || (mods & KEY_MOD_ALT))
		return 0;
	bool letter = plain[code] >= 'a' && plain[code] <= 'z';
	if (mods & KEY_MOD_CTRL) /* a letter's C0 control (Ctrl-C 0x03), as terminals do */
		return letter ? (char)(plain[code] - 'a' + 1) : 0;
	bool shift = (mods & KEY_MOD_SHIFT) != 0;
	if (letter && (mods & KEY_MOD_CAPS))
		shift = !shift;
	return shift ? shifted[code] : plain[code];
}

bool key_decode(struct key_decoder *d, uint8_t byte, struct key_event *ev)
{
	if (byte == EXTENDED) {
		d->extended = true;
		return false;
	}
	bool ext = d->extended, down = !(byte & 0x80);
	uint8_t code = byte & 0x7f, m = modifier(code, ext);
	d->extended = false;
	if (m)
		d->mods = down ? (uint8_t)(d->mods | m) : (uint8_t)(d->mods & ~m);
	if (code == CAPS && !ext && down)
		d->mods ^= KEY_MOD_CAPS;
	*ev = (struct key_event){.code = (uint16_t)(ext ? 0x100 | code : code),
	                         .down = down,
	                         .mods = d->mods,
	                         .ch = ext || !down ? 0 : character(code, d->mods)};
	return true;
}
