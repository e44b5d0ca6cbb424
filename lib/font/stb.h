/* The slice of stb_truetype font.c uses, behind names of ours so that only
 * stb.c includes the third-party header. */
#ifndef LIB_FONT_STB_H
#define LIB_FONT_STB_H

#include <stddef.h>

#include "font.h"

/* The fontinfo, allocated with a; NULL if stb cannot read data. */
void *fstb_open(const void *data, size_t size, const struct font_alloc *a);
void fstb_close(void *info, const struct font_alloc *a);
void fstb_vmetrics(void *info, int *ascent, int *descent, int *line_gap);
float fstb_scale(void *info, float pixel_height);
int fstb_glyph_index(void *info, uint32_t cp);
/* advance in font units */
int fstb_advance(void *info, int glyph);
/* A coverage bitmap of the glyph (allocated with a; NULL if empty or no
 * memory), its size and offset from the pen. */
unsigned char *fstb_bitmap(void *info, float scale, int glyph, int *w, int *h, int *x0, int *y0);
void fstb_free_bitmap(unsigned char *b, const struct font_alloc *a);

#endif
