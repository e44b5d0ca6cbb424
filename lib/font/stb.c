/* stb_truetype (Debian's libstb-dev) built here, freestanding: its memory
 * from the font's allocator (the fontinfo's userdata), its math from
 * fmath.h, its string functions from lib/string. */
#include "stb.h"

#include <string/mem.h>

#include "fmath.h"

#define STBTT_ifloor(x)    ((int)fmath_floor(x))
#define STBTT_iceil(x)     ((int)fmath_ceil(x))
#define STBTT_sqrt(x)      fmath_sqrt(x)
#define STBTT_pow(x, y)    fmath_pow(x, y)
#define STBTT_fmod(x, y)   fmath_fmod(x, y)
#define STBTT_cos(x)       fmath_cos(x)
#define STBTT_acos(x)      fmath_acos(x)
#define STBTT_fabs(x)      fmath_fabs(x)
#define STBTT_malloc(x, u) fstb_alloc(x, u)
#define STBTT_free(x, u)   fstb_free(x, u)
#define STBTT_assert(x)    ((void)0)
#define STBTT_strlen(x)    strlen(x)
#define STBTT_memcpy       memcpy
#define STBTT_memset       memset

static void *fstb_alloc(size_t n, void *u)
{
	const struct font_alloc *a = u;
	return a->alloc(n, a->ctx);
}

static void fstb_free(void *p, void *u)
{
	const struct font_alloc *a = u;
	if (p)
		a->free(p, a->ctx);
}

/* Third-party code: its own warnings are not ours to fix. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#pragma clang diagnostic pop

void *fstb_open(const void *data, size_t size, const struct font_alloc *a)
{
	const unsigned char *d = data;

	/* stb reads the table directory unchecked: at least its header */
	if (size < 12 || stbtt_GetFontOffsetForIndex(d, 0) != 0)
		return NULL;
	stbtt_fontinfo *info = a->alloc(sizeof *info, a->ctx);
	if (!info)
		return NULL;
	if (!stbtt_InitFont(info, d, 0)) {
		a->free(info, a->ctx);
		return NULL;
	}
	info->userdata = (void *)a;
	return info;
}

void fstb_close(void *info, const struct font_alloc *a)
{
	a->free(info, a->ctx);
}

void fstb_vmetrics(void *info, int *ascent, int *descent, int *line_gap)
{
	stbtt_GetFontVMetrics(info, ascent, descent, line_gap);
}

float fstb_scale(void *info, float pixel_height)
{
	return stbtt_ScaleForPixelHeight(info, pixel_height);
}

int fstb_glyph_index(void *info, uint32_t cp)
{
	return stbtt_FindGlyphIndex(info, (int)cp);
}

int fstb_advance(void *info, int glyph)
{
	int advance, bearing;
	stbtt_GetGlyphHMetrics(info, glyph, &advance, &bearing);
	return advance;
}

unsigned char *fstb_bitmap(void *info, float scale, int glyph, int *w, int *h, int *x0, int *y0)
{
	*w = *h = *x0 = *y0 = 0;
	return stbtt_GetGlyphBitmap(info, scale, scale, glyph, w, h, x0, y0);
}

void fstb_free_bitmap(unsigned char *b, const struct font_alloc *a)
{
	if (b)
		a->free(b, a->ctx);
}
