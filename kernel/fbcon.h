/* A text console drawn on a linear framebuffer: glyphs from a struct font,
 * alpha-blended between a foreground and a background colour; scrolls;
 * understands \n, \r, \t (to the next multiple of 8 columns) and \b.
 */
#ifndef KERNEL_FBCON_H
#define KERNEL_FBCON_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

#include "font.h"

#define FBCON_TAB 8

struct fbcon {
	uint8_t *pixels;
	uint32_t width, height, pitch; /* pixels, pixels, bytes per row */
	uint32_t bytes_pp;
	uint8_t shift[3], size[3]; /* red, green, blue channel positions */
	const struct font *font;
	uint32_t cols, rows; /* text cells */
	uint32_t col, row;   /* cursor */
	uint32_t fg, bg;     /* 0xRRGGBB */
};

/* Sets up a console on framebuffer fb (an RGB memory model of 16, 24 or 32
 * bits per pixel at least one cell in size) and clears it.  ERR_UNSUPPORTED
 * for any other framebuffer. */
enum err fbcon_init(struct fbcon *c, const struct limine_framebuffer *fb, const struct font *font);

/* Draws text at the cursor. */
void fbcon_write(struct fbcon *c, const char *s, size_t n);

/* Fills the screen with the background colour; cursor to the top left. */
void fbcon_clear(struct fbcon *c);

/* Starts the console on the boot framebuffer and attaches it to the log,
 * replaying what was logged so far. */
enum err fbcon_boot_start(const struct limine_framebuffer *fb);

/* Detaches the boot console from the log and never draws again: the
 * framebuffer now belongs to a program (the log goes on on serial). */
void fbcon_boot_stop(void);

/* The boot console, or NULL when there is none. */
struct fbcon *fbcon_boot(void);

/* The 0xRRGGBB colour of pixel (x, y), for tests. */
uint32_t fbcon_pixel(const struct fbcon *c, uint32_t x, uint32_t y);

#endif
