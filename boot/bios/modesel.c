/* Choosing a video mode and reading an EDID's preferred timing: pure
 * functions over the data vbe.c collects (see vbe.h). */
#include "vbe.h"

static int better(const struct limine_video_mode *a, const struct limine_video_mode *b,
                  uint32_t bpp)
{
	int a_exact = a->bpp == bpp, b_exact = b->bpp == bpp;
	if (a_exact != b_exact)
		return a_exact;
	uint64_t a_area = a->width * a->height, b_area = b->width * b->height;
	if (a_area != b_area)
		return a_area > b_area;
	return a->bpp > b->bpp;
}

long vbe_pick(const struct vbe_mode *modes, size_t count, uint32_t width, uint32_t height,
              uint32_t bpp)
{
	long best = -1;
	for (size_t i = 0; i < count; i++) {
		const struct limine_video_mode *m = &modes[i].m;
		if (m->width > width || m->height > height)
			continue;
		if (best < 0 || better(m, &modes[best].m, bpp))
			best = (long)i;
	}
	return best;
}

void vbe_edid_preferred(const uint8_t edid[128], uint32_t *width, uint32_t *height)
{
	static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	uint8_t sum = 0;
	*width = *height = 0;
	for (int i = 0; i < 128; i++)
		sum = (uint8_t)(sum + edid[i]);
	for (int i = 0; i < 8; i++)
		if (edid[i] != header[i])
			return;
	if (sum != 0)
		return;
	const uint8_t *d = edid + 54; /* first detailed timing descriptor */
	if (d[0] == 0 && d[1] == 0)
		return; /* a display descriptor, not a timing */
	*width = d[2] | (uint32_t)(d[4] & 0xf0) << 4;
	*height = d[5] | (uint32_t)(d[7] & 0xf0) << 4;
}
