/* 2-D graphics on 32-bit pixel surfaces: rectangles, fills, copies and
 * alpha blending, every operation clipped to the surface and its clip
 * rectangle.  Freestanding: no allocation, no OS calls (host tests,
 * user space).
 *
 * Pixels are 0xAARRGGBB in a uint32_t (the x8r8g8b8 layout of a 32-bpp
 * linear framebuffer, alpha in the byte the framebuffer ignores).  Alpha is
 * straight (not premultiplied): 255 opaque, 0 transparent.
 */
#ifndef LIB_GFX_GFX_H
#define LIB_GFX_GFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GFX_ALPHA(p) ((uint32_t)(p) >> 24)
#define GFX_RED(p)   (((uint32_t)(p) >> 16) & 0xff)
#define GFX_GREEN(p) (((uint32_t)(p) >> 8) & 0xff)
#define GFX_BLUE(p)  ((uint32_t)(p)&0xff)
#define GFX_ARGB(a, r, g, b)                                                            \
	((uint32_t)(a) << 24 | ((uint32_t)(r)&0xff) << 16 | ((uint32_t)(g)&0xff) << 8 | \
	 ((uint32_t)(b)&0xff))
#define GFX_RGB(r, g, b) GFX_ARGB(0xff, r, g, b)

/* A rectangle: [x, x + w) x [y, y + h); empty when w or h is <= 0. */
struct gfx_rect {
	int32_t x, y, w, h;
};

/* width x height pixels, row r at pixels + r * stride (stride >= width,
 * in pixels); operations touch only pixels inside clip, which lies inside
 * the surface. */
struct gfx_surface {
	uint32_t *pixels;
	int32_t width, height;
	uint32_t stride;
	struct gfx_rect clip;
};

static inline struct gfx_rect gfx_rect(int32_t x, int32_t y, int32_t w, int32_t h)
{
	return (struct gfx_rect){x, y, w, h};
}

bool gfx_rect_empty(struct gfx_rect r);
/* The overlap of a and b (empty if none: w = h = 0). */
struct gfx_rect gfx_rect_intersect(struct gfx_rect a, struct gfx_rect b);
/* The smallest rectangle holding both (an empty one counts for nothing). */
struct gfx_rect gfx_rect_union(struct gfx_rect a, struct gfx_rect b);
bool gfx_rect_contains(struct gfx_rect r, int32_t x, int32_t y);
/* Whether they overlap or share an edge (merging them costs no area). */
bool gfx_rect_touch(struct gfx_rect a, struct gfx_rect b);
int64_t gfx_rect_area(struct gfx_rect r);

/* A surface over caller-owned memory; clip = the whole surface.  INVAL
 * (false) for a null buffer, non-positive size or stride < width. */
bool gfx_surface_init(struct gfx_surface *s, uint32_t *pixels, int32_t width, int32_t height,
                      uint32_t stride);
/* Sets the clip to r inside the surface; gfx_surface_unclip resets it. */
void gfx_surface_clip(struct gfx_surface *s, struct gfx_rect r);
void gfx_surface_unclip(struct gfx_surface *s);
/* The pixel at (x, y), or 0 outside the surface. */
uint32_t gfx_get(const struct gfx_surface *s, int32_t x, int32_t y);

/* One channel of src over dst with coverage a (0..255), rounded:
 * (src * a + dst * (255 - a) + 127) / 255. */
static inline uint32_t gfx_mix(uint32_t src, uint32_t dst, uint32_t a)
{
	return (src * a + dst * (255 - a) + 127) / 255;
}
/* src (its own alpha times coverage/255) over an opaque dst; opaque result. */
uint32_t gfx_blend(uint32_t dst, uint32_t src, uint32_t coverage);

/* Sets every pixel of r to color (no blending). */
void gfx_fill(struct gfx_surface *s, struct gfx_rect r, uint32_t color);
/* Blends color (by its alpha) over every pixel of r. */
void gfx_fill_blend(struct gfx_surface *s, struct gfx_rect r, uint32_t color);
/* A 1-pixel frame just inside r. */
void gfx_frame(struct gfx_surface *s, struct gfx_rect r, uint32_t color);
/* Copies src's rectangle from (sr.x, sr.y) to (dx, dy) of dst; opaque. */
void gfx_blit(struct gfx_surface *dst, int32_t dx, int32_t dy, const struct gfx_surface *src,
              struct gfx_rect sr);
/* The same, blending each source pixel by its alpha. */
void gfx_blit_blend(struct gfx_surface *dst, int32_t dx, int32_t dy, const struct gfx_surface *src,
                    struct gfx_rect sr);
/* Blends color over dst through an 8-bit coverage mask (w x h bytes, row
 * stride mstride) placed at (dx, dy): anti-aliased text and shapes. */
void gfx_mask(struct gfx_surface *dst, int32_t dx, int32_t dy, const uint8_t *mask, int32_t w,
              int32_t h, int32_t mstride, uint32_t color);

#endif
