/* Fonts, the glyph cache, UTF-8, measuring and drawing (font.h). */
#include "font.h"

#include <string/mem.h>

#include "stb.h"

enum err font_open(struct font *f, const void *data, size_t size, const struct font_alloc *a)
{
	memset(f, 0, sizeof *f);
	f->alloc = *a;
	if (!data)
		return ERR_CORRUPT;
	f->stb = fstb_open(data, size, &f->alloc);
	if (!f->stb)
		return ERR_CORRUPT;
	fstb_vmetrics(f->stb, &f->ascent, &f->descent, &f->line_gap);
	if (f->ascent <= f->descent) {
		font_close(f);
		return ERR_CORRUPT;
	}
	return ERR_OK;
}

void font_close(struct font *f)
{
	for (size_t i = 0; i < FONT_CACHE_SLOTS; i++)
		fstb_free_bitmap(f->cache[i].bitmap, &f->alloc);
	if (f->stb)
		fstb_close(f->stb, &f->alloc);
	memset(f->cache, 0, sizeof f->cache);
	f->stb = NULL;
}

static int clamp_size(int size)
{
	return size < FONT_SIZE_MIN ? FONT_SIZE_MIN : size > FONT_SIZE_MAX ? FONT_SIZE_MAX : size;
}

/* Pixels per font unit at size. */
static double scale(const struct font *f, int size)
{
	return (double)clamp_size(size) / (f->ascent - f->descent);
}

static int round_px(double v)
{
	return v < 0 ? -(int)(-v + 0.5) : (int)(v + 0.5);
}

void font_metrics(const struct font *f, int size, struct font_metrics *m)
{
	double s = scale(f, size);

	m->ascent = round_px(f->ascent * s);
	m->descent = round_px(-f->descent * s);
	m->line_height = m->ascent + m->descent + round_px(f->line_gap * s);
}

/* A continuation byte at s[i], if there is one. */
static bool cont(const char *s, size_t len, size_t i)
{
	return i < len && ((unsigned char)s[i] & 0xc0) == 0x80;
}

uint32_t font_utf8_next(const char *s, size_t len, size_t *i)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	unsigned char c = (unsigned char)s[*i];
	unsigned n = c < 0x80             ? 1
	             : (c & 0xe0) == 0xc0 ? 2
	             : (c & 0xf0) == 0xe0 ? 3
	             : (c & 0xf8) == 0xf0 ? 4
	                                  : 0;
	uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1fu : n == 3 ? c & 0x0fu : c & 0x07u;

	for (unsigned k = 1; k < n; k++) {
		if (!cont(s, len, *i + k)) {
			n = 0;
			break;
		}
		cp = cp << 6 | ((unsigned char)s[*i + k] & 0x3fu);
	}
	if (n == 0 || cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		(*i)++;
		return 0xfffd;
	}
	*i += n;
	return cp;
}

static size_t slot_of(uint32_t cp, int size)
{
	return (cp * 2654435761u ^ (uint32_t)size * 40503u) % FONT_CACHE_SLOTS;
}

const struct font_glyph *font_glyph(struct font *f, int size, uint32_t cp)
{
	size = clamp_size(size);
	struct font_glyph *g = &f->cache[slot_of(cp, size)];
	if (g->size == size && g->cp == cp) {
		f->hits++;
		return g;
	}
	f->misses++;
	fstb_free_bitmap(g->bitmap, &f->alloc);
	*g = (struct font_glyph){0};
	int index = fstb_glyph_index(f->stb, cp), w, h, x0, y0;
	unsigned char *b = fstb_bitmap(f->stb, (float)scale(f, size), index, &w, &h, &x0, &y0);
	if (!b && w > 0 && h > 0)
		return NULL; /* no memory: nothing cached */
	*g = (struct font_glyph){.cp = cp,
	                         .size = (uint16_t)size,
	                         .w = (uint16_t)(b ? w : 0),
	                         .h = (uint16_t)(b ? h : 0),
	                         .x0 = (int16_t)x0,
	                         .y0 = (int16_t)y0,
	                         .advance = fstb_advance(f->stb, index),
	                         .bitmap = b};
	return g;
}

/* Walks s glyph by glyph, telling fn the font units before each (the pen
 * is at round(scale * units)) and where its bytes end.  Stops early when
 * fn returns false; returns the font units walked. */
static int64_t walk(struct font *f, int size, const char *s, size_t len,
                    bool (*fn)(void *ctx, const struct font_glyph *g, int64_t units, size_t end),
                    void *ctx)
{
	int64_t units = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp = font_utf8_next(s, len, &i);
		const struct font_glyph *g = font_glyph(f, size, cp);
		if (!g)
			break;
		if (fn && !fn(ctx, g, units, i))
			break;
		units += g->advance;
	}
	return units;
}

int font_width(struct font *f, int size, const char *s, size_t len)
{
	return round_px(scale(f, size) * (double)walk(f, size, s, len, NULL, NULL));
}

struct fit_ctx {
	double scale;
	int max;
	size_t fits;
};

static bool fit_one(void *ctx, const struct font_glyph *g, int64_t units, size_t end)
{
	struct fit_ctx *c = ctx;
	/* the pen after this glyph */
	if (round_px(c->scale * (double)(units + g->advance)) > c->max)
		return false;
	c->fits = end;
	return true;
}

size_t font_fit(struct font *f, int size, const char *s, size_t len, int max_width)
{
	struct fit_ctx c = {scale(f, size), max_width, 0};
	walk(f, size, s, len, fit_one, &c);
	return c.fits;
}

struct draw_ctx {
	struct gfx_surface *dst;
	double scale;
	int x, baseline;
	uint32_t color;
};

static bool draw_one(void *ctx, const struct font_glyph *g, int64_t units, size_t end)
{
	struct draw_ctx *c = ctx;
	(void)end;
	if (g->bitmap)
		gfx_mask(c->dst, c->x + round_px(c->scale * (double)units) + g->x0,
		         c->baseline + g->y0, g->bitmap, g->w, g->h, g->w, c->color);
	return true;
}

int font_draw(struct font *f, struct gfx_surface *dst, int size, int x, int baseline, const char *s,
              size_t len, uint32_t color)
{
	struct draw_ctx c = {dst, scale(f, size), x, baseline, color};
	return x + round_px(scale(f, size) * (double)walk(f, size, s, len, draw_one, &c));
}
