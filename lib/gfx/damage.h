/* Damage: the parts of a surface that changed since it was last shown, as
 * a few disjoint rectangles, and the composition that redraws and shows
 * only those (double buffering: the scene is drawn into a back surface in
 * RAM, and only damaged pixels are copied to the front, the framebuffer).
 */
#ifndef LIB_GFX_DAMAGE_H
#define LIB_GFX_DAMAGE_H

#include "gfx.h"

#define GFX_DAMAGE_MAX 16

/* Rectangles inside bounds that neither overlap nor share an edge. */
struct gfx_damage {
	struct gfx_rect bounds;
	struct gfx_rect r[GFX_DAMAGE_MAX];
	unsigned n;
};

void gfx_damage_init(struct gfx_damage *d, struct gfx_rect bounds);
void gfx_damage_clear(struct gfx_damage *d);
/* Adds r (clipped to bounds): merged with every rectangle it overlaps or
 * touches; when all GFX_DAMAGE_MAX are in use, with the one whose union
 * with it grows the damaged area least. */
void gfx_damage_add(struct gfx_damage *d, struct gfx_rect r);
/* The pixels the rectangles cover. */
int64_t gfx_damage_area(const struct gfx_damage *d);

/* A layer of the scene: a surface placed with its corner at (x, y),
 * opaque or blended by its pixels' alpha; or, without a surface, the
 * rectangle (x, y, w, h) filled with color (blended by its alpha). */
struct gfx_layer {
	const struct gfx_surface *s;
	int32_t x, y;
	bool blend;
	int32_t w, h;
	uint32_t color;
};

/* Redraws every damaged rectangle of back: the background colour, then the
 * layers bottom (l[0]) to top.  back's clip is whole again afterwards. */
void gfx_compose(struct gfx_surface *back, uint32_t background, const struct gfx_layer *l, size_t n,
                 const struct gfx_damage *d);

/* Copies the damaged rectangles of back to the same place of front (a
 * surface of the same size); returns the pixels copied. */
int64_t gfx_present(struct gfx_surface *front, const struct gfx_surface *back,
                    const struct gfx_damage *d);

#endif
