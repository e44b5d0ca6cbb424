/* The framebuffer console: glyph drawing, control characters and scrolling
 * on an off-screen framebuffer, and pixels on the real boot console. */
#include "fbcon.h"

#include <string/mem.h>

#include "ktest.h"
#include "log.h"

#define TEST_W 128
#define TEST_H 48

static uint32_t test_pixels[TEST_W * TEST_H];

/* A 32-bit xRGB framebuffer over test_pixels (16 x 3 cells of 8 x 16). */
static struct limine_framebuffer test_fb(void)
{
	struct limine_framebuffer fb;
	memset(&fb, 0, sizeof fb);
	fb.address = (uint64_t)(uintptr_t)test_pixels;
	fb.width = TEST_W;
	fb.height = TEST_H;
	fb.pitch = TEST_W * 4;
	fb.bpp = 32;
	fb.memory_model = LIMINE_FRAMEBUFFER_RGB;
	fb.red_mask_size = fb.green_mask_size = fb.blue_mask_size = 8;
	fb.red_mask_shift = 16;
	fb.green_mask_shift = 8;
	fb.blue_mask_shift = 0;
	return fb;
}

/* Whether text cell (col, row) shows ch: background where the glyph has no
 * coverage, foreground where it is solid, something between elsewhere. */
static bool cell_shows(const struct fbcon *c, uint32_t col, uint32_t row, char ch)
{
	const struct font *f = c->font;
	const uint8_t *g = font_glyph(f, (unsigned char)ch);
	for (uint32_t y = 0; y < f->height; y++) {
		for (uint32_t x = 0; x < f->width; x++) {
			uint32_t px = fbcon_pixel(c, col * f->width + x, row * f->height + y);
			uint8_t a = g[y * f->width + x];
			if ((a == 0 && px != c->bg) || (a == 255 && px != c->fg) ||
			    (a != 0 && a != 255 && (px == c->bg || px == c->fg)))
				return false;
		}
	}
	return true;
}

KTEST(fbcon, font_is_generated)
{
	const struct font *f = &font_default;

	KT_EXPECT_EQ(f->width, 8);
	KT_EXPECT_EQ(f->height, 16);
	KT_EXPECT_EQ(f->first, ' ');
	KT_EXPECT_EQ(f->first + f->count - 1, '~');
	size_t ink_space = 0, ink_m = 0;
	for (size_t i = 0; i < (size_t)f->width * f->height; i++) {
		ink_space += font_glyph(f, ' ')[i];
		ink_m += font_glyph(f, 'M')[i] > 128;
	}
	KT_EXPECT_EQ(ink_space, 0);
	KT_EXPECT(ink_m > 10);
	KT_EXPECT(font_glyph(f, 0x80) == font_glyph(f, '?'));
}

KTEST(fbcon, draws_and_clears)
{
	static struct fbcon c;
	struct limine_framebuffer fb = test_fb();

	memset(test_pixels, 0xff, sizeof test_pixels);
	KT_ASSERT(fbcon_init(&c, &fb, &font_default) == ERR_OK);
	KT_EXPECT_EQ(c.cols, 16);
	KT_EXPECT_EQ(c.rows, 3);
	KT_EXPECT_EQ(fbcon_pixel(&c, 0, 0), c.bg);
	KT_EXPECT_EQ(fbcon_pixel(&c, TEST_W - 1, TEST_H - 1), c.bg);
	fbcon_write(&c, "A#", 2);
	KT_EXPECT(cell_shows(&c, 0, 0, 'A'));
	KT_EXPECT(cell_shows(&c, 1, 0, '#'));
	KT_EXPECT(cell_shows(&c, 2, 0, ' '));
	KT_EXPECT_EQ(c.col, 2);
	fbcon_clear(&c);
	KT_EXPECT(cell_shows(&c, 0, 0, ' '));
	KT_EXPECT_EQ(c.col, 0);
}

KTEST(fbcon, control_characters)
{
	static struct fbcon c;
	struct limine_framebuffer fb = test_fb();

	KT_ASSERT(fbcon_init(&c, &fb, &font_default) == ERR_OK);
	fbcon_write(&c, "ab\bc", 4); /* backspace: c overwrites b */
	KT_EXPECT(cell_shows(&c, 1, 0, 'c'));
	fbcon_write(&c, "\rX", 2); /* carriage return: X overwrites a */
	KT_EXPECT(cell_shows(&c, 0, 0, 'X'));
	fbcon_write(&c, "\tT", 2); /* tab: to column 8 */
	KT_EXPECT(cell_shows(&c, 8, 0, 'T'));
	KT_EXPECT(cell_shows(&c, 4, 0, ' '));
	fbcon_write(&c, "\nL", 2);
	KT_EXPECT_EQ(c.row, 1);
	KT_EXPECT(cell_shows(&c, 0, 1, 'L'));
	fbcon_write(&c, "\b\b\b", 3); /* never left of column 0 */
	KT_EXPECT_EQ(c.col, 0);
}

KTEST(fbcon, wraps_and_scrolls)
{
	static struct fbcon c;
	struct limine_framebuffer fb = test_fb();

	KT_ASSERT(fbcon_init(&c, &fb, &font_default) == ERR_OK);
	fbcon_write(&c, "0123456789abcdefW", 17); /* 16 columns, then wrap */
	KT_EXPECT_EQ(c.row, 1);
	KT_EXPECT(cell_shows(&c, 0, 1, 'W'));
	fbcon_write(&c, "\nthird\nfourth", 13); /* the fourth line scrolls */
	KT_EXPECT_EQ(c.row, 2);
	KT_EXPECT(cell_shows(&c, 0, 0, 'W'));
	KT_EXPECT(cell_shows(&c, 0, 1, 't'));
	KT_EXPECT(cell_shows(&c, 0, 2, 'f'));
	KT_EXPECT(cell_shows(&c, 6, 2, ' '));
}

KTEST_BSP(fbcon, boot_console_draws_log_lines)
{
	struct fbcon *c = fbcon_boot();

	if (!c)
		KT_SKIP("no framebuffer console");
	log_printf("fbcon probe {}\n");
	/* The line just logged is the one above the cursor. */
	KT_ASSERT(c->row >= 1 && c->col == 0);
	KT_EXPECT(cell_shows(c, 0, c->row - 1, '['));
	KT_EXPECT(cell_shows(c, 7, c->row - 1, 'f'));
	KT_EXPECT(cell_shows(c, 19, c->row - 1, '{'));
	KT_EXPECT(cell_shows(c, 20, c->row - 1, '}'));
}
