/* lib/font on DejaVu Sans (fonts-dejavu-core): widths against the font's
 * advance widths read here by a parser of our own (hhea, hmtx, cmap format
 * 4, loca and glyf headers; the TrueType spec, Apple's "TrueType Reference
 * Manual" and Microsoft's OpenType "Font file" chapters), ink where the
 * glyph's outline box says, coverage in range, the cache, UTF-8, and the
 * math stb_truetype runs on against libm. */
#include <font/fmath.h>
#include <font/font.h>
#include <math.h>
#include <stdint.h>

#include "../htest.h"

#define FONT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static unsigned char *font_data;
static size_t font_size;

static void load(void)
{
	if (font_data)
		return;
	FILE *f = fopen(FONT_PATH, "rb");
	if (!f) {
		printf("# %s: cannot open (fonts-dejavu-core)\n", FONT_PATH);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	font_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	font_data = malloc(font_size);
	if (!font_data || fread(font_data, 1, font_size, f) != font_size)
		exit(1);
	fclose(f);
}

/* ---- the independent reader: big-endian fields at byte offsets ---- */
static unsigned u16(size_t at)
{
	return (unsigned)font_data[at] << 8 | font_data[at + 1];
}

static int s16(size_t at)
{
	return (int16_t)u16(at);
}

static uint32_t u32(size_t at)
{
	return (uint32_t)u16(at) << 16 | u16(at + 2);
}

/* The offset of table tag in the table directory (12-byte header, then
 * 16-byte records: tag, checksum, offset, length). */
static size_t table(const char *tag)
{
	unsigned n = u16(4);
	for (unsigned i = 0; i < n; i++) {
		size_t rec = 12 + 16 * (size_t)i;
		if (memcmp(font_data + rec, tag, 4) == 0)
			return u32(rec + 8);
	}
	printf("# no table %s\n", tag);
	exit(1);
}

/* cmap: the Windows Unicode BMP subtable (platform 3, encoding 1), format 4. */
static unsigned glyph_of(unsigned cp)
{
	size_t cmap = table("cmap"), sub = 0;
	for (unsigned i = 0; i < u16(cmap + 2); i++) {
		size_t rec = cmap + 4 + 8 * (size_t)i;
		if (u16(rec) == 3 && u16(rec + 2) == 1)
			sub = cmap + u32(rec + 4);
	}
	if (!sub || u16(sub) != 4)
		exit(1);
	unsigned segs = u16(sub + 6) / 2;
	size_t ends = sub + 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs,
	       ranges = deltas + 2 * segs;
	for (unsigned s = 0; s < segs; s++) {
		if (cp > u16(ends + 2 * s) || cp < u16(starts + 2 * s))
			continue;
		unsigned ro = u16(ranges + 2 * s), delta = u16(deltas + 2 * s);
		if (ro == 0)
			return (cp + delta) & 0xffff;
		size_t at = ranges + 2 * s + ro + 2 * (cp - u16(starts + 2 * s));
		unsigned g = u16(at);
		return g ? (g + delta) & 0xffff : 0;
	}
	return 0;
}

static unsigned advance_of(unsigned glyph)
{
	size_t hhea = table("hhea"), hmtx = table("hmtx");
	unsigned n = u16(hhea + 34);
	return u16(hmtx + 4 * (glyph < n ? glyph : n - 1));
}

static double px_per_unit(int size)
{
	size_t hhea = table("hhea");
	return (double)size / (s16(hhea + 4) - s16(hhea + 6));
}

/* glyf header of a glyph: xMin, yMin, xMax, yMax (font units, y up). */
static void glyph_box(unsigned glyph, int box[4])
{
	size_t head = table("head"), loca = table("loca"), glyf = table("glyf");
	size_t off = s16(head + 50) ? u32(loca + 4 * glyph) : 2 * (size_t)u16(loca + 2 * glyph);
	for (int i = 0; i < 4; i++)
		box[i] = s16(glyf + off + 2 + 2 * i);
}

/* ---- the font under test, on malloc ---- */
static void *h_alloc(size_t n, void *ctx)
{
	(*(int *)ctx)++;
	return malloc(n);
}

static void h_free(void *p, void *ctx)
{
	(*(int *)ctx)--;
	free(p);
}

static int live;
static const struct font_alloc heap = {h_alloc, h_free, &live};

static void open_font(struct font *f)
{
	load();
	HT_ASSERT(font_open(f, font_data, font_size, &heap) == ERR_OK);
}

static int expected_width(const char *s, int size)
{
	long units = 0;
	for (size_t i = 0; s[i];) {
		size_t at = i;
		uint32_t cp = font_utf8_next(s, strlen(s), &i);
		HT_EXPECT(i > at);
		units += advance_of(glyph_of(cp));
	}
	return (int)lround(px_per_unit(size) * (double)units);
}

HTEST(widths_are_the_fonts_advances)
{
	struct font *f = malloc(sizeof *f);
	open_font(f);
	const char *texts[] = {"Hello, Tessera!", "Grüße aus Zürich — 42 €", "iiii WWWW", ""};
	const int sizes[] = {9, 13, 20, 37};
	for (size_t t = 0; t < 4; t++)
		for (size_t k = 0; k < 4; k++)
			HT_EXPECT_EQ(font_width(f, sizes[k], texts[t], strlen(texts[t])),
			             expected_width(texts[t], sizes[k]));
	/* not trivially proportional to the byte count */
	HT_EXPECT(font_width(f, 20, "iiii", 4) * 2 < font_width(f, 20, "WWWW", 4));
	font_close(f);
	HT_EXPECT_EQ(live, 0);
	free(f);
}

HTEST(metrics_scale_with_size)
{
	struct font *f = malloc(sizeof *f);
	struct font_metrics m;
	open_font(f);
	size_t hhea = table("hhea");
	font_metrics(f, 30, &m);
	HT_EXPECT_EQ(m.ascent, lround(s16(hhea + 4) * px_per_unit(30)));
	HT_EXPECT_EQ(m.descent, lround(-s16(hhea + 6) * px_per_unit(30)));
	HT_EXPECT(m.ascent + m.descent >= 29 && m.ascent + m.descent <= 31);
	HT_EXPECT(m.line_height >= m.ascent + m.descent);
	font_close(f);
	free(f);
}

/* "H" at 40 px drawn black on white at pen (10, 50): its ink must fill
 * the outline's box scaled to pixels (within a pixel of anti-aliasing),
 * the middle of its left stem fully, and nothing outside. */
HTEST(ink_lies_in_the_outline_box)
{
	enum { W = 80, H = 70 };
	static uint32_t px[W * H];
	struct font *f = malloc(sizeof *f);
	struct gfx_surface s;
	int box[4];
	open_font(f);
	for (size_t i = 0; i < W * H; i++)
		px[i] = 0xffffffff;
	HT_ASSERT(gfx_surface_init(&s, px, W, H, W));
	int end = font_draw(f, &s, 40, 10, 50, "H", 1, 0xff000000);
	HT_EXPECT_EQ(end, 10 + expected_width("H", 40));
	glyph_box(glyph_of('H'), box);
	double k = px_per_unit(40);
	double x0 = 10 + box[0] * k, x1 = 10 + box[2] * k, y0 = 50 - box[3] * k,
	       y1 = 50 - box[1] * k;
	int ink = 0, full = 0, partial = 0, outside = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			uint32_t v = GFX_BLUE(px[y * W + x]);
			if (v == 255)
				continue;
			ink++;
			full += v == 0;
			partial += v > 0;
			if (x < x0 - 1 || x + 1 > x1 + 1 || y < y0 - 1 || y + 1 > y1 + 1)
				outside++;
		}
	HT_EXPECT_EQ(outside, 0);
	/* the stems and bar cover a good part of the box, and the edges are
	 * anti-aliased */
	HT_EXPECT(ink > (x1 - x0) * (y1 - y0) / 4);
	HT_EXPECT(full > 0);
	HT_EXPECT(partial > 0);
	/* the left stem starts at xMin: a pixel 2 px right of it, half way up,
	 * is solid */
	HT_EXPECT_EQ(px[(int)((y0 + y1) / 2) * W + (int)x0 + 2], 0xff000000u);
	font_close(f);
	free(f);
}

HTEST(glyph_coverage_is_in_range_and_cached)
{
	struct font *f = malloc(sizeof *f);
	open_font(f);
	const struct font_glyph *g = font_glyph(f, 24, 'a');
	HT_ASSERT(g && g->bitmap && g->w > 0 && g->h > 0);
	int lo = 0, hi = 0, mid = 0;
	for (int i = 0; i < g->w * g->h; i++) {
		lo += g->bitmap[i] == 0;
		hi += g->bitmap[i] == 255;
		mid += g->bitmap[i] > 0 && g->bitmap[i] < 255;
	}
	HT_EXPECT(lo > 0 && mid > 0 && hi > 0);
	HT_EXPECT_EQ(g->advance, advance_of(glyph_of('a')));
	/* a space has an advance and no bitmap */
	const struct font_glyph *sp = font_glyph(f, 24, ' ');
	HT_ASSERT(sp);
	HT_EXPECT(sp->bitmap == NULL && sp->advance == (int)advance_of(glyph_of(' ')));
	uint64_t misses = f->misses;
	font_width(f, 24, "aaa  a", 6);
	HT_EXPECT_EQ(f->misses, misses);
	HT_EXPECT(f->hits >= 6);
	font_close(f);
	HT_EXPECT_EQ(live, 0);
	free(f);
}

HTEST(fit_counts_whole_code_points)
{
	struct font *f = malloc(sizeof *f);
	open_font(f);
	const char *s = "aé€b";
	size_t n = strlen(s);
	HT_EXPECT_EQ(font_fit(f, 20, s, n, 1000), n);
	HT_EXPECT_EQ(font_fit(f, 20, s, n, 0), 0);
	/* exactly the width of "aé" fits "aé" (3 bytes), not into the € */
	HT_EXPECT_EQ(font_fit(f, 20, s, n, expected_width("aé", 20)), 3);
	HT_EXPECT_EQ(font_fit(f, 20, s, n, expected_width("aé€", 20) - 1), 3);
	font_close(f);
	free(f);
}

HTEST(utf8_decoding)
{
	const char s[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"         /* A é € 😀 */
	                 "\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82"; /* bad */
	/* then one U+FFFD per byte not part of a valid sequence: the overlong
	 * C0 80 (2), the surrogate ED A0 80 (3), U+110000 F4 90 80 80 (4) and
	 * the truncated E2 82 (2) */
	uint32_t want[15] = {0x41, 0xe9, 0x20ac, 0x1f600};
	for (int n = 4; n < 15; n++)
		want[n] = 0xfffd;
	size_t i = 0, k = 0, len = sizeof s - 1;
	while (i < len && k < 15) {
		uint32_t cp = font_utf8_next(s, len, &i);
		HT_EXPECT_EQ(cp, want[k]);
		k++;
	}
	HT_EXPECT_EQ(i, len);
	HT_EXPECT_EQ(k, 15);
}

HTEST(refuses_what_is_not_a_font)
{
	struct font f;
	unsigned char junk[64];
	memset(junk, 'x', sizeof junk);
	HT_EXPECT(font_open(&f, junk, sizeof junk, &heap) == ERR_CORRUPT);
	HT_EXPECT(font_open(&f, junk, 4, &heap) == ERR_CORRUPT);
	HT_EXPECT(font_open(&f, NULL, 0, &heap) == ERR_CORRUPT);
	HT_EXPECT_EQ(live, 0);
}

HTEST(math_matches_libm)
{
	const double xs[] = {0.001, 0.3, 1, 2.5, 17, 1234.5678, 1e-7, 3000};
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		double x = xs[i];
		HT_EXPECT(fabs(fmath_sqrt(x) - sqrt(x)) <= 1e-12 * sqrt(x));
		HT_EXPECT(fabs(fmath_pow(x, 1.0 / 3) - cbrt(x)) <= 1e-10 * cbrt(x));
		HT_EXPECT(fabs(fmath_cos(x) - cos(x)) <= 1e-9);
		HT_EXPECT(fmath_floor(-x) == floor(-x) && fmath_ceil(x) == ceil(x));
		HT_EXPECT(fabs(fmath_fmod(x, 0.7) - fmod(x, 0.7)) <= 1e-9);
	}
	for (double x = -1; x <= 1; x += 0.125)
		HT_EXPECT(fabs(fmath_acos(x) - acos(x)) <= 1e-10);
}

HTEST_MAIN("font")
