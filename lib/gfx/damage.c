/* Damage rectangles and damage-only composition (damage.h). */
#include "damage.h"

void gfx_damage_init(struct gfx_damage *d, struct gfx_rect bounds)
{
	d->bounds = bounds;
	d->n = 0;
}

void gfx_damage_clear(struct gfx_damage *d)
{
	d->n = 0;
}

static struct gfx_rect take(struct gfx_damage *d, unsigned i)
{
	struct gfx_rect r = d->r[i];
	d->r[i] = d->r[--d->n];
	return r;
}

/* Unites cur with every rectangle it touches, until none does. */
static struct gfx_rect absorb(struct gfx_damage *d, struct gfx_rect cur)
{
	for (unsigned i = 0; i < d->n;) {
		if (gfx_rect_touch(d->r[i], cur)) {
			cur = gfx_rect_union(cur, take(d, i));
			i = 0;
		} else {
			i++;
		}
	}
	return cur;
}

/* The rectangle whose union with cur adds the least area. */
static unsigned cheapest(const struct gfx_damage *d, struct gfx_rect cur)
{
	unsigned best = 0;
	int64_t best_cost = 0;

	for (unsigned i = 0; i < d->n; i++) {
		int64_t cost = gfx_rect_area(gfx_rect_union(d->r[i], cur)) -
		               gfx_rect_area(d->r[i]) - gfx_rect_area(cur);
		if (i == 0 || cost < best_cost)
			best = i, best_cost = cost;
	}
	return best;
}

void gfx_damage_add(struct gfx_damage *d, struct gfx_rect r)
{
	struct gfx_rect cur = gfx_rect_intersect(r, d->bounds);

	if (gfx_rect_empty(cur))
		return;
	cur = absorb(d, cur);
	while (d->n == GFX_DAMAGE_MAX) {
		cur = gfx_rect_union(cur, take(d, cheapest(d, cur)));
		cur = absorb(d, cur);
	}
	d->r[d->n++] = cur;
}

int64_t gfx_damage_area(const struct gfx_damage *d)
{
	int64_t a = 0;
	for (unsigned i = 0; i < d->n; i++)
		a += gfx_rect_area(d->r[i]);
	return a;
}

void gfx_compose(struct gfx_surface *back, uint32_t background, const struct gfx_layer *l, size_t n,
                 const struct gfx_damage *d)
{
	for (unsigned i = 0; i < d->n; i++) {
		gfx_surface_clip(back, d->r[i]);
		gfx_fill(back, d->r[i], background);
		for (size_t k = 0; k < n; k++) {
			if (!l[k].s) {
				struct gfx_rect r = gfx_rect(l[k].x, l[k].y, l[k].w, l[k].h);
				if (GFX_ALPHA(l[k].color) == 255)
					gfx_fill(back, r, l[k].color);
				else
					gfx_fill_blend(back, r, l[k].color);
				continue;
			}
			struct gfx_rect all = gfx_rect(0, 0, l[k].s->width, l[k].s->height);
			if (l[k].blend)
				gfx_blit_blend(back, l[k].x, l[k].y, l[k].s, all);
			else
				gfx_blit(back, l[k].x, l[k].y, l[k].s, all);
		}
	}
	gfx_surface_unclip(back);
}

int64_t gfx_present(struct gfx_surface *front, const struct gfx_surface *back,
                    const struct gfx_damage *d)
{
	int64_t copied = 0;
	struct gfx_rect saved = front->clip;

	for (unsigned i = 0; i < d->n; i++) {
		struct gfx_rect r = gfx_rect_intersect(
		        d->r[i],
		        gfx_rect(0, 0, back->width < front->width ? back->width : front->width,
		                 back->height < front->height ? back->height : front->height));
		front->clip = r;
		gfx_blit(front, r.x, r.y, back, r);
		copied += gfx_rect_area(r);
	}
	front->clip = saved;
	return copied;
}
