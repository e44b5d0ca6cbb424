/* `make bench-desktop`: full-screen composition (lib/gfx gfx_compose of a
 * desktop-like scene into a back buffer, then gfx_present to a front
 * buffer) at 1024 x 768 and 1920 x 1080, against a plain copy of the same
 * framebuffer (memcpy) in the same run; the ratio is what counts.  Host
 * memory stands in for the framebuffer (the guest's is uncached device
 * memory: its copies cost more, compositing the same). */
#include <gfx/damage.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 15

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v)
{
	qsort(v, ROUNDS, sizeof *v, cmp);
	return v[ROUNDS / 2];
}

/* Four windows (border, title bar, client), a taskbar and a cursor. */
static size_t scene(struct gfx_layer *l, struct gfx_surface *win, struct gfx_surface *bar,
                    struct gfx_surface *cursor, int32_t w, int32_t h)
{
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		int32_t x = 40 + i * w / 5, y = 60 + i * h / 10;
		l[n++] = (struct gfx_layer){.x = x - 1,
		                            .y = y - 25,
		                            .w = win->width + 2,
		                            .h = win->height + 26,
		                            .color = 0xff0e1116};
		l[n++] = (struct gfx_layer){.s = bar, .x = x, .y = y - 24};
		l[n++] = (struct gfx_layer){.s = win, .x = x, .y = y};
	}
	l[n++] = (struct gfx_layer){.x = 0, .y = h - 32, .w = w, .h = 32, .color = 0xff161b22};
	l[n++] = (struct gfx_layer){.s = cursor, .x = w / 2, .y = h / 2, .blend = true};
	return n;
}

static uint32_t *pixels(size_t n, uint32_t v)
{
	uint32_t *p = malloc(n * 4);
	if (!p) {
		fprintf(stderr, "bench-desktop: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		p[i] = v + (uint32_t)i * 7;
	return p;
}

static void run(int32_t w, int32_t h)
{
	size_t n = (size_t)w * (size_t)h;
	uint32_t *front = pixels(n, 0), *back = pixels(n, 1), *wp = pixels(640 * 480, 2),
	         *bp = pixels(640 * 24, 3), *cp = pixels(12 * 19, 0x80000000u);
	struct gfx_surface fs, bs, win, bar, cursor;
	struct gfx_layer l[16];
	struct gfx_damage d;
	uint64_t compose[ROUNDS], copy[ROUNDS];

	gfx_surface_init(&fs, front, w, h, (uint32_t)w);
	gfx_surface_init(&bs, back, w, h, (uint32_t)w);
	gfx_surface_init(&win, wp, 640, 480, 640);
	gfx_surface_init(&bar, bp, 640, 24, 640);
	gfx_surface_init(&cursor, cp, 12, 19, 12);
	size_t nl = scene(l, &win, &bar, &cursor, w, h);
	gfx_damage_init(&d, gfx_rect(0, 0, w, h));
	for (int r = 0; r < ROUNDS; r++) {
		gfx_damage_add(&d, d.bounds);
		uint64_t t0 = now_ns();
		gfx_compose(&bs, 0xff2b3a4a, l, nl, &d);
		gfx_present(&fs, &bs, &d);
		compose[r] = now_ns() - t0;
		gfx_damage_clear(&d);
		t0 = now_ns();
		memcpy(front, back, n * 4);
		copy[r] = now_ns() - t0;
		__asm__ volatile("" : : "r"(front) : "memory"); /* the copy is not dropped */
	}
	uint64_t c = median(compose), m = median(copy);
	printf("bench-desktop: %4dx%-4d full-screen composition %8.3f ms  plain copy %7.3f ms  "
	       "ratio %.2f\n",
	       w, h, c / 1e6, m / 1e6, m ? (double)c / (double)m : 0.0);
	free(front);
	free(back);
	free(wp);
	free(bp);
	free(cp);
}

int main(void)
{
	run(1024, 768);
	run(1920, 1080);
	return 0;
}
