/* lib/gfx: rectangles, fills, copies, blending, damage and composition,
 * against pixels worked out by hand (the arithmetic is in the comments). */
#include <gfx/damage.h>
#include <gfx/gfx.h>

#include "../htest.h"

#define SENTINEL 0x12345678u

static void fill_all(uint32_t *p, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		p[i] = v;
}

static int rect_eq(struct gfx_rect a, int x, int y, int w, int h)
{
	return a.x == x && a.y == y && a.w == w && a.h == h;
}

HTEST(rectangles)
{
	HT_EXPECT(rect_eq(gfx_rect_intersect(gfx_rect(0, 0, 10, 10), gfx_rect(5, -3, 10, 5)), 5, 0,
	                  5, 2));
	HT_EXPECT(gfx_rect_empty(gfx_rect_intersect(gfx_rect(0, 0, 4, 4), gfx_rect(4, 0, 4, 4))));
	HT_EXPECT(
	        rect_eq(gfx_rect_union(gfx_rect(1, 2, 3, 4), gfx_rect(-1, 5, 2, 6)), -1, 2, 5, 9));
	HT_EXPECT(rect_eq(gfx_rect_union(gfx_rect(0, 0, 0, 9), gfx_rect(3, 3, 1, 1)), 3, 3, 1, 1));
	HT_EXPECT(gfx_rect_touch(gfx_rect(0, 0, 4, 4), gfx_rect(4, 1, 2, 2)));  /* shared edge */
	HT_EXPECT(!gfx_rect_touch(gfx_rect(0, 0, 4, 4), gfx_rect(4, 4, 2, 2))); /* corner only */
	HT_EXPECT(!gfx_rect_touch(gfx_rect(0, 0, 4, 4), gfx_rect(5, 0, 2, 2)));
	HT_EXPECT(gfx_rect_contains(gfx_rect(2, 2, 3, 3), 4, 4));
	HT_EXPECT(!gfx_rect_contains(gfx_rect(2, 2, 3, 3), 5, 4));
	HT_EXPECT_EQ(gfx_rect_area(gfx_rect(0, 0, -3, 5)), 0);
}

HTEST(surface_refuses_bad_geometry)
{
	struct gfx_surface s;
	uint32_t px[4];
	HT_EXPECT(!gfx_surface_init(&s, NULL, 2, 2, 2));
	HT_EXPECT(!gfx_surface_init(&s, px, 0, 2, 2));
	HT_EXPECT(!gfx_surface_init(&s, px, 3, 1, 2));
	HT_EXPECT(gfx_surface_init(&s, px, 2, 2, 2));
}

/* An 8 x 6 surface with a stride of 10: the two padding pixels of each
 * row must never be written. */
HTEST(fill_clips_to_surface_and_clip_rect)
{
	uint32_t px[60];
	struct gfx_surface s;
	fill_all(px, 60, SENTINEL);
	HT_ASSERT(gfx_surface_init(&s, px, 8, 6, 10));
	gfx_fill(&s, gfx_rect(-2, -1, 5, 3), 0xff112233); /* covers x 0..2, y 0..1 */
	gfx_surface_clip(&s, gfx_rect(6, 4, 10, 10));     /* x 6..7, y 4..5 */
	gfx_fill(&s, gfx_rect(0, 0, 100, 100), 0xffabcdef);
	for (int y = 0; y < 6; y++)
		for (int x = 0; x < 10; x++) {
			uint32_t want = SENTINEL;
			if (x <= 2 && y <= 1)
				want = 0xff112233;
			if (x >= 6 && x <= 7 && y >= 4)
				want = 0xffabcdef;
			HT_EXPECT_EQ(px[y * 10 + x], want);
		}
}

HTEST(blend_rounds_as_documented)
{
	/* 0x80 red over opaque blue: a = (128 * 255 + 127) / 255 = 128;
	 * red (255 * 128 + 0 * 127 + 127) / 255 = 128, green 0,
	 * blue (0 * 128 + 255 * 127 + 127) / 255 = 127 */
	HT_EXPECT_EQ(gfx_blend(0xff0000ff, 0x80ff0000, 255), 0xff80007f);
	/* coverage scales alpha: 255 alpha, coverage 64 -> a = 64; white over
	 * black: (255 * 64 + 127) / 255 = 64 */
	HT_EXPECT_EQ(gfx_blend(0xff000000, 0xffffffff, 64), 0xff404040);
	HT_EXPECT_EQ(gfx_blend(0xff010203, 0x00ffffff, 255), 0xff010203);
	HT_EXPECT_EQ(gfx_blend(0xff010203, 0xff0a0b0c, 255), 0xff0a0b0c);
}

HTEST(blit_clips_source_and_destination)
{
	uint32_t dpx[16], spx[9];
	struct gfx_surface d, s;
	fill_all(dpx, 16, SENTINEL);
	for (int i = 0; i < 9; i++)
		spx[i] = 0xff000000u | (uint32_t)i;
	HT_ASSERT(gfx_surface_init(&d, dpx, 4, 4, 4));
	HT_ASSERT(gfx_surface_init(&s, spx, 3, 3, 3));
	/* source rectangle (1, -1, 3, 3) to (-1, 2): only source (1..2, 0..1)
	 * exists, landing at (-1..0, 3..4); on the surface only source (2, 0)
	 * -> (0, 3), pixel 12 */
	gfx_blit(&d, -1, 2, &s, gfx_rect(1, -1, 3, 3));
	for (int i = 0; i < 16; i++)
		HT_EXPECT_EQ(dpx[i], i == 12 ? 0xff000002u : SENTINEL);
	/* a plain copy to (2, 0): source (0..1, 0..2) -> (2..3, 0..2) */
	gfx_blit(&d, 2, 0, &s, gfx_rect(0, 0, 3, 3));
	HT_EXPECT_EQ(dpx[2], 0xff000000u);
	HT_EXPECT_EQ(dpx[3], 0xff000001u);
	HT_EXPECT_EQ(dpx[4 + 2], 0xff000003u);
	HT_EXPECT_EQ(dpx[8 + 3], 0xff000007u);
	HT_EXPECT_EQ(dpx[12 + 2], SENTINEL);
}

HTEST(blit_blend_and_mask)
{
	uint32_t dpx[4] = {0xff000000, 0xff000000, 0xff000000, 0xff000000};
	uint32_t spx[2] = {0x80ffffff, 0x00ff0000};
	const uint8_t mask[4] = {0, 255, 128, 64};
	struct gfx_surface d, s;
	HT_ASSERT(gfx_surface_init(&d, dpx, 2, 2, 2));
	HT_ASSERT(gfx_surface_init(&s, spx, 2, 1, 2));
	gfx_mask(&d, 0, 0, mask, 2, 2, 2, 0xffffffff);
	/* coverage 128: (255 * 128 + 127) / 255 = 128; 64 -> 64 */
	HT_EXPECT_EQ(dpx[0], 0xff000000u);
	HT_EXPECT_EQ(dpx[1], 0xffffffffu);
	HT_EXPECT_EQ(dpx[2], 0xff808080u);
	HT_EXPECT_EQ(dpx[3], 0xff404040u);
	/* half white over (0x80, 0x80, 0x80): (255 * 128 + 128 * 127 + 127) /
	 * 255 = 49023 / 255 = 192; a transparent pixel leaves 0x40 alone */
	gfx_blit_blend(&d, 0, 1, &s, gfx_rect(0, 0, 2, 1));
	HT_EXPECT_EQ(dpx[2], 0xffc0c0c0u);
	HT_EXPECT_EQ(dpx[3], 0xff404040u);
}

HTEST(mask_clips)
{
	uint32_t px[4] = {0xff000000, 0xff000000, 0xff000000, 0xff000000};
	const uint8_t mask[9] = {1, 2, 3, 4, 5, 6, 7, 8, 255};
	struct gfx_surface d;
	HT_ASSERT(gfx_surface_init(&d, px, 2, 2, 2));
	/* placed at (-1, -1): mask (1..2, 1..2) -> pixels (0..1, 0..1); only
	 * the 255 at mask (2, 2) lands on pixel (1, 1) at full strength */
	gfx_mask(&d, -1, -1, mask, 3, 3, 3, 0xff00ff00);
	HT_EXPECT_EQ(px[3], 0xff00ff00u);
	/* mask 5 at (0, 0): green (255 * 5 + 127) / 255 = 5 */
	HT_EXPECT_EQ(px[0], 0xff000500u);
}

static int has_rect(const struct gfx_damage *d, int x, int y, int w, int h)
{
	for (unsigned i = 0; i < d->n; i++)
		if (rect_eq(d->r[i], x, y, w, h))
			return 1;
	return 0;
}

HTEST(damage_merges_what_touches)
{
	struct gfx_damage d;
	gfx_damage_init(&d, gfx_rect(0, 0, 100, 50));
	gfx_damage_add(&d, gfx_rect(0, 0, 10, 10));
	gfx_damage_add(&d, gfx_rect(10, 0, 5, 5)); /* shares an edge */
	HT_EXPECT_EQ(d.n, 1);
	HT_EXPECT(has_rect(&d, 0, 0, 15, 10));
	gfx_damage_add(&d, gfx_rect(20, 20, 5, 5));
	gfx_damage_add(&d, gfx_rect(15, 10, 3, 3)); /* corner only: separate */
	HT_EXPECT_EQ(d.n, 3);
	/* (8, 8)-(22, 22) overlaps all three: one rectangle (0, 0)-(25, 25) */
	gfx_damage_add(&d, gfx_rect(8, 8, 14, 14));
	HT_EXPECT_EQ(d.n, 1);
	HT_EXPECT(has_rect(&d, 0, 0, 25, 25));
	/* clipped to the bounds; empty adds nothing */
	gfx_damage_add(&d, gfx_rect(90, 40, 50, 50));
	gfx_damage_add(&d, gfx_rect(5, 5, 0, 9));
	HT_EXPECT_EQ(d.n, 2);
	HT_EXPECT(has_rect(&d, 90, 40, 10, 10));
	HT_EXPECT_EQ(gfx_damage_area(&d), 625 + 100);
}

HTEST(damage_stays_bounded_and_covers)
{
	struct gfx_damage d;
	gfx_damage_init(&d, gfx_rect(0, 0, 200, 10));
	/* 20 single pixels at x = 0, 10, ..., 190: 16 kept, then merges */
	for (int i = 0; i < 20; i++)
		gfx_damage_add(&d, gfx_rect(i * 10, 5, 1, 1));
	HT_EXPECT(d.n <= GFX_DAMAGE_MAX);
	for (int i = 0; i < 20; i++) {
		int covered = 0;
		for (unsigned k = 0; k < d.n; k++)
			covered += gfx_rect_contains(d.r[k], i * 10, 5);
		HT_EXPECT_EQ(covered, 1);
	}
	/* merging neighbours 10 apart costs 9 pixels each: 4 merges of the 20
	 * cheapest kind leave 16 rectangles and 20 + 4 * 9 pixels */
	HT_EXPECT_EQ(d.n, 16);
	HT_EXPECT_EQ(gfx_damage_area(&d), 56);
	for (unsigned a = 0; a < d.n; a++)
		for (unsigned b = a + 1; b < d.n; b++)
			HT_EXPECT(!gfx_rect_touch(d.r[a], d.r[b]));
}

/* A 4 x 4 back surface, black background, an opaque red 2 x 2 layer at
 * (1, 1) and a half-white 1 x 1 layer at (2, 2); damage (0, 0, 3, 3). */
HTEST(compose_redraws_only_damage)
{
	uint32_t back[16], front[16], red[4], half[1] = {0x80ffffff};
	struct gfx_surface b, f, r, h;
	struct gfx_damage d;
	fill_all(back, 16, SENTINEL);
	fill_all(front, 16, 0xff0000ff);
	fill_all(red, 4, 0xffff0000);
	HT_ASSERT(gfx_surface_init(&b, back, 4, 4, 4));
	HT_ASSERT(gfx_surface_init(&f, front, 4, 4, 4));
	HT_ASSERT(gfx_surface_init(&r, red, 2, 2, 2));
	HT_ASSERT(gfx_surface_init(&h, half, 1, 1, 1));
	const struct gfx_layer l[] = {{.s = &r, .x = 1, .y = 1},
	                              {.s = &h, .x = 2, .y = 2, .blend = true}};
	gfx_damage_init(&d, gfx_rect(0, 0, 4, 4));
	gfx_damage_add(&d, gfx_rect(0, 0, 3, 3));
	gfx_compose(&b, 0xff000000, l, 2, &d);
	/* (2, 2): white at a = 128 over red: red (255 * 128 + 255 * 127 + 127)
	 * / 255 = 255, green and blue (255 * 128 + 127) / 255 = 128 */
	static const uint32_t want[16] = {0xff000000, 0xff000000, 0xff000000, SENTINEL,  /* row 0 */
	                                  0xff000000, 0xffff0000, 0xffff0000, SENTINEL,  /* row 1 */
	                                  0xff000000, 0xffff0000, 0xffff8080, SENTINEL,  /* row 2 */
	                                  SENTINEL,   SENTINEL,   SENTINEL,   SENTINEL}; /* row 3 */
	for (int i = 0; i < 16; i++)
		HT_EXPECT_EQ(back[i], want[i]);
	HT_EXPECT(rect_eq(b.clip, 0, 0, 4, 4));
	HT_EXPECT_EQ(gfx_present(&f, &b, &d), 9);
	for (int i = 0; i < 16; i++)
		HT_EXPECT_EQ(front[i], (i % 4 == 3 || i >= 12) ? 0xff0000ffu : want[i]);
}

/* A fill layer: opaque green (1, 0, 2, 1), then 0x40 black over all of
 * a 3 x 1 back: (255 * 0 + c * (255 - 64) + 127) / 255 over white gives
 * (255 * 191 + 127) / 255 = 191; over green's 255 also 191, its 0s stay 0. */
HTEST(compose_fill_layers)
{
	uint32_t back[3];
	struct gfx_surface b;
	struct gfx_damage d;
	HT_ASSERT(gfx_surface_init(&b, back, 3, 1, 3));
	const struct gfx_layer l[] = {{NULL, 1, 0, false, 2, 1, 0xff00ff00},
	                              {NULL, 0, 0, false, 3, 1, 0x40000000}};
	gfx_damage_init(&d, gfx_rect(0, 0, 3, 1));
	gfx_damage_add(&d, gfx_rect(0, 0, 3, 1));
	gfx_compose(&b, 0xffffffff, l, 2, &d);
	HT_EXPECT_EQ(back[0], 0xffbfbfbfu);
	HT_EXPECT_EQ(back[1], 0xff00bf00u);
	HT_EXPECT_EQ(back[2], 0xff00bf00u);
}

HTEST_MAIN("gfx")
