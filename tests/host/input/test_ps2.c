/* ps2's decoders on the host: scan code set 1 bytes to key events (the
 * codes and characters from the scan code set 1 table and the US layout,
 * written out here), and PS/2 mouse packets to moves, buttons and the
 * wheel (bytes laid out as the PS/2 and IntelliMouse packet formats say). */
#include "../../../user/drivers/ps2/keymap.h"
#include "../../../user/drivers/ps2/mouse.h"

#include <string.h>

#include "../htest.h"

/* Feeds bytes; the events they complete into ev (at most max). */
static unsigned keys(struct key_decoder *d, const uint8_t *bytes, unsigned n, struct key_event *ev,
                     unsigned max)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n && k < max; i++)
		k += key_decode(d, bytes[i], &ev[k]);
	return k;
}

HTEST(letters_shift_and_caps_lock)
{
	/* a down, a up; left shift down, b down, b up, shift up */
	static const uint8_t b[] = {0x1e, 0x9e, 0x2a, 0x30, 0xb0, 0xaa};
	struct key_decoder d = {0};
	struct key_event ev[8];

	HT_ASSERT(keys(&d, b, sizeof b, ev, 8) == 6);
	HT_EXPECT(ev[0].code == 0x1e && ev[0].down && ev[0].ch == 'a' && ev[0].mods == 0);
	HT_EXPECT(ev[1].code == 0x1e && !ev[1].down && ev[1].ch == 0);
	HT_EXPECT(ev[2].code == 0x2a && ev[2].down && ev[2].mods == KEY_MOD_SHIFT);
	HT_EXPECT(ev[3].code == 0x30 && ev[3].ch == 'B' && ev[3].mods == KEY_MOD_SHIFT);
	HT_EXPECT(ev[5].code == 0x2a && !ev[5].down && ev[5].mods == 0);
	/* caps lock: letters shifted, digits not; shift undoes it for letters */
	static const uint8_t c[] = {0x3a, 0xba, 0x10, 0x02, 0x36, 0x10, 0x02};
	HT_ASSERT(keys(&d, c, sizeof c, ev, 8) == 7);
	HT_EXPECT(ev[2].ch == 'Q' && (ev[2].mods & KEY_MOD_CAPS));
	HT_EXPECT_EQ(ev[3].ch, '1');
	HT_EXPECT_EQ(ev[5].ch, 'q');
	HT_EXPECT_EQ(ev[6].ch, '!');
}

HTEST(extended_keys_and_ctrl)
{
	/* 0xe0 0x48: cursor up; right ctrl (0xe0 0x1d) held over c: ETX (0x03,
	 * Ctrl-C as ASCII's C0 set has it), over 1 (0x02): no character */
	static const uint8_t b[] = {0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x1d, 0x2e, 0x02, 0xe0, 0x9d};
	struct key_decoder d = {0};
	struct key_event ev[8];

	HT_ASSERT(keys(&d, b, sizeof b, ev, 8) == 6);
	HT_EXPECT(ev[0].code == 0x148 && ev[0].down && ev[0].ch == 0);
	HT_EXPECT(ev[1].code == 0x148 && !ev[1].down);
	HT_EXPECT(ev[2].code == 0x11d && ev[2].mods == KEY_MOD_CTRL);
	HT_EXPECT(ev[3].code == 0x2e && ev[3].ch == 0x03 && ev[3].mods == KEY_MOD_CTRL);
	HT_EXPECT(ev[4].code == 0x02 && ev[4].ch == 0 && ev[4].mods == KEY_MOD_CTRL);
	HT_EXPECT_EQ(ev[5].mods, 0);
}

HTEST(mouse_packets)
{
	struct mouse_decoder d = {.size = 3};
	struct mouse_packet p;

	/* left held, X +10, Y -5 (bit 5: Y negative; 0xfb is -5) */
	HT_EXPECT(!mouse_decode(&d, 0x29, &p));
	HT_EXPECT(!mouse_decode(&d, 0x0a, &p));
	HT_ASSERT(mouse_decode(&d, 0xfb, &p));
	HT_EXPECT(p.dx == 10 && p.dy == -5 && p.dz == 0 && p.buttons == MOUSE_LEFT);
	/* X negative (-1), overflow in Y upwards, right and middle held */
	HT_EXPECT(!mouse_decode(&d, 0x08 | 0x10 | 0x80 | 0x06, &p));
	HT_EXPECT(!mouse_decode(&d, 0xff, &p));
	HT_ASSERT(mouse_decode(&d, 0x00, &p));
	HT_EXPECT(p.dx == -1 && p.dy == 255 && p.buttons == (MOUSE_RIGHT | MOUSE_MIDDLE));
	/* out of step: a first byte without bit 3 is dropped */
	HT_EXPECT(!mouse_decode(&d, 0x00, &p));
	HT_EXPECT_EQ(d.have, 0);
	/* IntelliMouse: a fourth byte, Z (0xff: -1, one notch away from the user) */
	d = (struct mouse_decoder){.size = 4};
	const uint8_t w[] = {0x08, 0x00, 0x00, 0xff};
	for (unsigned i = 0; i < 3; i++)
		HT_EXPECT(!mouse_decode(&d, w[i], &p));
	HT_ASSERT(mouse_decode(&d, w[3], &p));
	HT_EXPECT(p.dx == 0 && p.dy == 0 && p.dz == -1 && p.buttons == 0);
}

HTEST_MAIN("ps2")
