/* Text on the framebuffer: see fbtext.h.  Pixels are written through the
 * mode's colour masks, so 15-, 16-, 24- and 32-bit modes all work. */
#include "fbtext.h"

#include <string/mem.h>

#include "bioscall.h"

#define GLYPH_W 8
#define GLYPH_H 16

static uint8_t font[256 * GLYPH_H];
static int have_font;

static struct {
	uint8_t *base;
	struct limine_video_mode m;
	uint32_t cols, rows, col, row, fg;
	int on;
} fb;

void fbtext_load_font(void)
{
	struct bios_regs r = {0};
	r.eax = 0x1130; /* get font information */
	r.ebx = 0x0600; /* BH=06h: ROM 8x16 font */
	bios_call(0x10, &r);
	uintptr_t p = ((uintptr_t)r.es << 4) + (r.ebp & 0xffff);
	if ((r.ecx & 0xffff) != GLYPH_H || p == 0 || p + sizeof font > 0x100000)
		return;
	memcpy(font, (const void *)p, sizeof font);
	have_font = 1;
}

static uint32_t mask(uint8_t size, uint8_t shift)
{
	return size >= 32 ? 0xffffffffu : ((1u << size) - 1) << shift;
}

void fbtext_start(uint64_t phys, const struct limine_video_mode *m)
{
	fb.base = (uint8_t *)(uintptr_t)phys;
	fb.m = *m;
	fb.cols = (uint32_t)(m->width / GLYPH_W);
	fb.rows = (uint32_t)(m->height / GLYPH_H);
	fb.col = fb.row = 0;
	fb.fg = mask(m->red_mask_size, m->red_mask_shift) |
	        mask(m->green_mask_size, m->green_mask_shift) |
	        mask(m->blue_mask_size, m->blue_mask_shift);
	fb.on = have_font && fb.cols && fb.rows && m->bpp >= 15 && m->bpp <= 32;
}

static void put_pixel(uint32_t x, uint32_t y, uint32_t v)
{
	uint32_t bytes = (fb.m.bpp + 7) / 8;
	uint8_t *p = fb.base + y * fb.m.pitch + x * bytes;
	for (uint32_t i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void draw(uint32_t col, uint32_t row, uint8_t ch)
{
	const uint8_t *g = &font[ch * GLYPH_H];
	for (uint32_t y = 0; y < GLYPH_H; y++)
		for (uint32_t x = 0; x < GLYPH_W; x++)
			put_pixel(col * GLYPH_W + x, row * GLYPH_H + y,
			          (g[y] & (0x80 >> x)) ? fb.fg : 0);
}

static void newline(void)
{
	fb.col = 0;
	if (++fb.row < fb.rows)
		return;
	size_t line = (size_t)fb.m.pitch * GLYPH_H;
	memmove(fb.base, fb.base + line, line * (fb.rows - 1));
	memset(fb.base + line * (fb.rows - 1), 0, line);
	fb.row = fb.rows - 1;
}

void fbtext_putc(char c)
{
	if (!fb.on)
		return;
	if (c == '\r') {
		fb.col = 0;
		return;
	}
	if (c == '\n') {
		newline();
		return;
	}
	if (fb.col == fb.cols)
		newline();
	draw(fb.col++, fb.row, (uint8_t)c);
}
