/* Rectangles, surfaces, fills, copies and blending (gfx.h). */
#include "gfx.h"

bool gfx_rect_empty(struct gfx_rect r)
{
	return r.w <= 0 || r.h <= 0;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

struct gfx_rect gfx_rect_intersect(struct gfx_rect a, struct gfx_rect b)
{
	int64_t x0 = max32(a.x, b.x), y0 = max32(a.y, b.y);
	int64_t ax1 = (int64_t)a.x + a.w, bx1 = (int64_t)b.x + b.w;
	int64_t ay1 = (int64_t)a.y + a.h, by1 = (int64_t)b.y + b.h;
	int64_t x1 = ax1 < bx1 ? ax1 : bx1, y1 = ay1 < by1 ? ay1 : by1;

	if (gfx_rect_empty(a) || gfx_rect_empty(b) || x1 <= x0 || y1 <= y0)
		return (struct gfx_rect){0, 0, 0, 0};
	return (struct gfx_rect){(int32_t)x0, (int32_t)y0, (int32_t)(x1 - x0), (int32_t)(y1 - y0)};
}

struct gfx_rect gfx_rect_union(struct gfx_rect a, struct gfx_rect b)
{
	if (gfx_rect_empty(a))
		return gfx_rect_empty(b) ? (struct gfx_rect){0, 0, 0, 0} : b;
	if (gfx_rect_empty(b))
		return a;
	int32_t x0 = min32(a.x, b.x), y0 = min32(a.y, b.y);
	int32_t x1 = max32(a.x + a.w, b.x + b.w), y1 = max32(a.y + a.h, b.y + b.h);
	return (struct gfx_rect){x0, y0, x1 - x0, y1 - y0};
}

bool gfx_rect_contains(struct gfx_rect r, int32_t x, int32_t y)
{
	return !gfx_rect_empty(r) && x >= r.x && y >= r.y && x - r.x < r.w && y - r.y < r.h;
}

bool gfx_rect_touch(struct gfx_rect a, struct gfx_rect b)
{
	if (gfx_rect_empty(a) || gfx_rect_empty(b))
		return false;
	return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h &&
	       /* sharing only a corner adds area */
	       !((a.x + a.w == b.x || b.x + b.w == a.x) && (a.y + a.h == b.y || b.y + b.h == a.y));
}

int64_t gfx_rect_area(struct gfx_rect r)
{
	return gfx_rect_empty(r) ? 0 : (int64_t)r.w * r.h;
}

bool gfx_surface_init(struct gfx_surface *s, uint32_t *pixels, int32_t width, int32_t height,
                      uint32_t stride)
{
	if (!pixels || width <= 0 || height <= 0 || stride < (uint32_t)width)
		return false;
	*s = (struct gfx_surface){pixels, width, height, stride, {0, 0, width, height}};
	return true;
}

void gfx_surface_clip(struct gfx_surface *s, struct gfx_rect r)
{
	s->clip = gfx_rect_intersect(r, (struct gfx_rect){0, 0, s->width, s->height});
}

void gfx_surface_unclip(struct gfx_surface *s)
{
	s->clip = (struct gfx_rect){0, 0, s->width, s->height};
}

uint32_t gfx_get(const struct gfx_surface *s, int32_t x, int32_t y)
{
	if (x < 0 || y < 0 || x >= s->width || y >= s->height)
		return 0;
	return s->pixels[(size_t)y * s->stride + (size_t)x];
}

uint32_t gfx_blend(uint32_t dst, uint32_t src, uint32_t coverage)
{
	uint32_t a = (GFX_ALPHA(src) * coverage + 127) / 255;

	if (a == 0)
		return dst | 0xff000000u;
	if (a == 255)
		return src | 0xff000000u;
	return GFX_RGB(gfx_mix(GFX_RED(src), GFX_RED(dst), a),
	               gfx_mix(GFX_GREEN(src), GFX_GREEN(dst), a),
	               gfx_mix(GFX_BLUE(src), GFX_BLUE(dst), a));
}

static uint32_t *row(const struct gfx_surface *s, int32_t y)
{
	return s->pixels + (size_t)y * s->stride;
}

void gfx_fill(struct gfx_surface *s, struct gfx_rect r, uint32_t color)
{
	r = gfx_rect_intersect(r, s->clip);
	for (int32_t y = r.y; y < r.y + r.h; y++) {
		uint32_t *p = row(s, y) + r.x;
		for (int32_t x = 0; x < r.w; x++)
			p[x] = color;
	}
}

void gfx_fill_blend(struct gfx_surface *s, struct gfx_rect r, uint32_t color)
{
	r = gfx_rect_intersect(r, s->clip);
	for (int32_t y = r.y; y < r.y + r.h; y++) {
		uint32_t *p = row(s, y) + r.x;
		for (int32_t x = 0; x < r.w; x++)
			p[x] = gfx_blend(p[x], color, 255);
	}
}

void gfx_frame(struct gfx_surface *s, struct gfx_rect r, uint32_t color)
{
	if (gfx_rect_empty(r))
		return;
	gfx_fill(s, gfx_rect(r.x, r.y, r.w, 1), color);
	gfx_fill(s, gfx_rect(r.x, r.y + r.h - 1, r.w, 1), color);
	gfx_fill(s, gfx_rect(r.x, r.y + 1, 1, r.h - 2), color);
	gfx_fill(s, gfx_rect(r.x + r.w - 1, r.y + 1, 1, r.h - 2), color);
}

/* The part of a copy of src's sr to (dx, dy) that both surfaces allow:
 * the destination rectangle; *sx, *sy its source corner. */
static struct gfx_rect copy_area(const struct gfx_surface *dst, int32_t dx, int32_t dy,
                                 const struct gfx_surface *src, struct gfx_rect sr, int32_t *sx,
                                 int32_t *sy)
{
	struct gfx_rect in =
	        gfx_rect_intersect(sr, (struct gfx_rect){0, 0, src->width, src->height});
	struct gfx_rect out = gfx_rect(dx + (in.x - sr.x), dy + (in.y - sr.y), in.w, in.h);
	struct gfx_rect d = gfx_rect_intersect(out, dst->clip);

	*sx = in.x + (d.x - out.x);
	*sy = in.y + (d.y - out.y);
	return d;
}

void gfx_blit(struct gfx_surface *dst, int32_t dx, int32_t dy, const struct gfx_surface *src,
              struct gfx_rect sr)
{
	int32_t sx, sy;
	struct gfx_rect d = copy_area(dst, dx, dy, src, sr, &sx, &sy);

	for (int32_t y = 0; y < d.h; y++) {
		uint32_t *to = row(dst, d.y + y) + d.x;
		const uint32_t *from = row(src, sy + y) + sx;
		for (int32_t x = 0; x < d.w; x++)
			to[x] = from[x];
	}
}

void gfx_blit_blend(struct gfx_surface *dst, int32_t dx, int32_t dy, const struct gfx_surface *src,
                    struct gfx_rect sr)
{
	int32_t sx, sy;
	struct gfx_rect d = copy_area(dst, dx, dy, src, sr, &sx, &sy);

	for (int32_t y = 0; y < d.h; y++) {
		uint32_t *to = row(dst, d.y + y) + d.x;
		const uint32_t *from = row(src, sy + y) + sx;
		for (int32_t x = 0; x < d.w; x++)
			to[x] = gfx_blend(to[x], from[x], 255);
	}
}

void gfx_mask(struct gfx_surface *dst, int32_t dx, int32_t dy, const uint8_t *mask, int32_t w,
              int32_t h, int32_t mstride, uint32_t color)
{
	struct gfx_rect d = gfx_rect_intersect(gfx_rect(dx, dy, w, h), dst->clip);

	for (int32_t y = d.y; y < d.y + d.h; y++) {
		uint32_t *to = row(dst, y);
		const uint8_t *m = mask + (size_t)(y - dy) * (size_t)mstride + (d.x - dx);
		for (int32_t x = 0; x < d.w; x++)
			if (m[x])
				to[d.x + x] = gfx_blend(to[d.x + x], color, m[x]);
	}
}
