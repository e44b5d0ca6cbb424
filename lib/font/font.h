/* TrueType text: a font from its file's bytes (stb_truetype, Debian's
 * libstb-dev, built freestanding with fmath.h), anti-aliased glyphs of any
 * pixel size through a glyph cache, UTF-8 strings measured and drawn onto
 * gfx surfaces.
 *
 * Sizes are pixel heights: ascent to descent of the font's hhea table
 * (stb_truetype's ScaleForPixelHeight).  Pen positions are kept in font
 * units and rounded once per glyph, so a string's width is exactly
 * round(size / (ascent - descent) * (sum of its glyphs' advance widths)).
 * No kerning, no shaping (one glyph per code point).
 *
 * stb_truetype trusts the file: fonts come from the system image, never
 * from a program's input.
 */
#ifndef LIB_FONT_FONT_H
#define LIB_FONT_FONT_H

#include <gfx/gfx.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define FONT_CACHE_SLOTS 512
#define FONT_SIZE_MIN    4
#define FONT_SIZE_MAX    200

/* Where the font's memory comes from (malloc and free, or the program's). */
struct font_alloc {
	void *(*alloc)(size_t size, void *ctx);
	void (*free)(void *p, void *ctx);
	void *ctx;
};

/* One rendered glyph: a coverage bitmap (w x h bytes, 0..255) whose top
 * left lies (x0, y0) from the pen on the baseline; advance in font units. */
struct font_glyph {
	uint32_t cp;
	uint16_t size;
	uint16_t w, h;
	int16_t x0, y0;
	int32_t advance;
	uint8_t *bitmap;
};

struct font {
	void *stb; /* stbtt_fontinfo */
	struct font_alloc alloc;
	int ascent, descent, line_gap; /* font units (descent < 0) */
	struct font_glyph cache[FONT_CACHE_SLOTS];
	uint64_t hits, misses;
};

struct font_metrics {
	int ascent, descent, line_height; /* pixels; descent >= 0, below */
};

/* Opens the font in data (kept; must outlive f).  CORRUPT (not a TrueType
 * font stb can read: no cmap, head, hhea, hmtx or glyf/CFF), NOMEM. */
enum err font_open(struct font *f, const void *data, size_t size, const struct font_alloc *a);
/* Frees the cache and the font's state (not data). */
void font_close(struct font *f);

void font_metrics(const struct font *f, int size, struct font_metrics *m);
/* The next code point of s[*i..len) (UTF-8), *i moved past it; invalid or
 * truncated sequences, overlong forms, surrogates and values past
 * U+10FFFF give U+FFFD for one byte. */
uint32_t font_utf8_next(const char *s, size_t len, size_t *i);
/* The glyph of cp at size (clamped to FONT_SIZE_MIN..MAX), from the
 * cache or rendered into it; NULL only without memory. */
const struct font_glyph *font_glyph(struct font *f, int size, uint32_t cp);
/* The advance width of s in pixels. */
int font_width(struct font *f, int size, const char *s, size_t len);
/* How many bytes of s fit in max_width pixels (whole code points). */
size_t font_fit(struct font *f, int size, const char *s, size_t len, int max_width);
/* Draws s with its pen starting at (x, baseline) in color; returns the
 * pen's x at the end. */
int font_draw(struct font *f, struct gfx_surface *dst, int size, int x, int baseline, const char *s,
              size_t len, uint32_t color);

#endif
