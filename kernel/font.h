/* A bitmap font of fixed-size cells with 8-bit coverage (alpha) per pixel.
 * font_default is generated at build time by tools/mkfont from
 * DejaVuSansMono.ttf ($(BUILD)/gen/font.c). */
#ifndef KERNEL_FONT_H
#define KERNEL_FONT_H

#include <stdint.h>

struct font {
	uint16_t width, height; /* cell size in pixels */
	uint16_t baseline;      /* rows from the cell top to the baseline */
	uint8_t first, count;   /* characters first .. first + count - 1 */
	const uint8_t *alpha;   /* count cells of height rows of width bytes */
};

extern const struct font font_default;

/* The coverage bitmap of character c, or of '?' when the font lacks c. */
static inline const uint8_t *font_glyph(const struct font *f, unsigned char c)
{
	if (c < f->first || c >= f->first + f->count)
		c = '?';
	return f->alpha + (unsigned)(c - f->first) * f->width * f->height;
}

#endif
