/* The framebuffer text console; see fbcon.h. */
#include "fbcon.h"

#include <stdbool.h>

#include <string/mem.h>

#include "log.h"

#define FBCON_FG 0xd8d8d8u
#define FBCON_BG 0x101820u

/* Channel i (0 red, 1 green, 2 blue) of an 0xRRGGBB colour. */
static uint8_t channel(uint32_t rgb, int i)
{
	return (uint8_t)(rgb >> (16 - 8 * i));
}

/* The framebuffer's encoding of an 0xRRGGBB colour. */
static uint32_t encode(const struct fbcon *c, uint32_t rgb)
{
	uint32_t v = 0;
	for (int i = 0; i < 3; i++)
		v |= ((uint32_t)channel(rgb, i) >> (8 - c->size[i])) << c->shift[i];
	return v;
}

/* Stores an encoded pixel value at (x, y). */
static void put_raw(struct fbcon *c, uint32_t x, uint32_t y, uint32_t v)
{
	uint8_t *p = c->pixels + (size_t)y * c->pitch + (size_t)x * c->bytes_pp;
	if (c->bytes_pp == 4) {
		*(volatile uint32_t *)p = v;
		return;
	}
	for (uint32_t i = 0; i < c->bytes_pp; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t fbcon_pixel(const struct fbcon *c, uint32_t x, uint32_t y)
{
	const uint8_t *p = c->pixels + (size_t)y * c->pitch + (size_t)x * c->bytes_pp;
	uint32_t v = 0, rgb = 0;
	for (uint32_t i = 0; i < c->bytes_pp; i++)
		v |= (uint32_t)p[i] << (8 * i);
	for (int i = 0; i < 3; i++) {
		uint32_t ch = (v >> c->shift[i]) & ((1u << c->size[i]) - 1);
		rgb |= (ch << (8 - c->size[i])) << (16 - 8 * i);
	}
	return rgb;
}

/* fg over bg with coverage a (0..255), per channel. */
static uint32_t blend(uint32_t fg, uint32_t bg, uint8_t a)
{
	uint32_t out = 0;
	for (int i = 0; i < 3; i++) {
		uint32_t f = channel(fg, i), b = channel(bg, i);
		uint32_t v = (f * a + b * (255u - a) + 127u) / 255u;
		out |= v << (16 - 8 * i);
	}
	return out;
}

/* Draws character ch in text cell (col, row). */
static void draw_cell(struct fbcon *c, uint32_t col, uint32_t row, unsigned char ch)
{
	const struct font *f = c->font;
	const uint8_t *g = font_glyph(f, ch);
	uint32_t x0 = col * f->width, y0 = row * f->height;

	for (uint32_t y = 0; y < f->height; y++)
		for (uint32_t x = 0; x < f->width; x++)
			put_raw(c, x0 + x, y0 + y,
			        encode(c, blend(c->fg, c->bg, g[y * f->width + x])));
}

/* Fills pixel rows [y0, y1) with the background colour. */
static void fill_rows(struct fbcon *c, uint32_t y0, uint32_t y1)
{
	uint32_t v = encode(c, c->bg);
	for (uint32_t y = y0; y < y1; y++)
		for (uint32_t x = 0; x < c->width; x++)
			put_raw(c, x, y, v);
}

void fbcon_clear(struct fbcon *c)
{
	fill_rows(c, 0, c->height);
	c->col = 0;
	c->row = 0;
}

enum err fbcon_init(struct fbcon *c, const struct limine_framebuffer *fb, const struct font *font)
{
	if (!fb || !fb->address || fb->memory_model != LIMINE_FRAMEBUFFER_RGB)
		return ERR_UNSUPPORTED;
	if (fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return ERR_UNSUPPORTED;
	if (fb->width < font->width || fb->height < font->height ||
	    fb->pitch < fb->width * (fb->bpp / 8) || fb->width > 65535 || fb->height > 65535)
		return ERR_UNSUPPORTED;
	uint8_t sizes[3] = {fb->red_mask_size, fb->green_mask_size, fb->blue_mask_size};
	uint8_t shifts[3] = {fb->red_mask_shift, fb->green_mask_shift, fb->blue_mask_shift};
	for (int i = 0; i < 3; i++) {
		if (sizes[i] == 0 || sizes[i] > 8 || shifts[i] + sizes[i] > fb->bpp)
			return ERR_UNSUPPORTED;
		c->size[i] = sizes[i];
		c->shift[i] = shifts[i];
	}
	c->pixels = (uint8_t *)(uintptr_t)fb->address;
	c->width = (uint32_t)fb->width;
	c->height = (uint32_t)fb->height;
	c->pitch = (uint32_t)fb->pitch;
	c->bytes_pp = fb->bpp / 8;
	c->font = font;
	c->cols = c->width / font->width;
	c->rows = c->height / font->height;
	c->fg = FBCON_FG;
	c->bg = FBCON_BG;
	fbcon_clear(c);
	return ERR_OK;
}

/* Moves everything up one text row and blanks the bottom row. */
static void scroll(struct fbcon *c)
{
	size_t row_bytes = (size_t)c->pitch * c->font->height;
	memmove(c->pixels, c->pixels + row_bytes, row_bytes * (c->rows - 1));
	fill_rows(c, (c->rows - 1) * c->font->height, c->rows * c->font->height);
	c->row = c->rows - 1;
}

/* Moves the cursor to the start of the next row, scrolling at the bottom. */
static void newline(struct fbcon *c)
{
	c->col = 0;
	if (++c->row == c->rows)
		scroll(c);
}

/* Handles one byte: a control character or a glyph. */
static void put_char(struct fbcon *c, unsigned char ch)
{
	switch (ch) {
	case '\n': newline(c); return;
	case '\r': c->col = 0; return;
	case '\b':
		if (c->col > 0)
			c->col--;
		return;
	case '\t':
		do
			put_char(c, ' ');
		while (c->col % FBCON_TAB != 0);
		return;
	}
	if (c->col == c->cols)
		newline(c);
	draw_cell(c, c->col, c->row, ch);
	c->col++;
}

void fbcon_write(struct fbcon *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_char(c, (unsigned char)s[i]);
}

static struct fbcon boot_console;
static bool boot_console_up;

/* Log output callback for the boot console. */
static void boot_console_write(void *ctx, const char *s, size_t n)
{
	fbcon_write(ctx, s, n);
}

static struct log_output boot_console_out = {.write = boot_console_write, .ctx = &boot_console};

enum err fbcon_boot_start(const struct limine_framebuffer *fb)
{
	enum err e = fbcon_init(&boot_console, fb, &font_default);

	if (e == ERR_OK) {
		log_attach(&boot_console_out, true);
		boot_console_up = true;
	}
	return e;
}

void fbcon_boot_stop(void)
{
	if (!boot_console_up)
		return;
	log_detach(&boot_console_out);
	boot_console_up = false;
}

struct fbcon *fbcon_boot(void)
{
	return boot_console_up ? &boot_console : NULL;
}
