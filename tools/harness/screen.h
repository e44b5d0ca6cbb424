/* Screen checks for the boot matrix (expect screen:FILE): FILE names the
 * serial lines to wait for, then the checks a QEMU monitor `screendump`
 * taken at that moment must pass.  One check per line:
 *
 *   after TEXT              wait for a serial line containing TEXT, coming
 *                           after the line each earlier `after` matched (in
 *                           this order; at most SCREEN_MAX_AFTER)
 *   size W H                the screen is W x H pixels
 *   color X Y W H RRGGBB P  at least P% of the rectangle's pixels are within
 *                           SCREEN_TOLERANCE of the colour in every channel
 *   ink X Y W H RRGGBB N    at least N pixels of the rectangle differ from the
 *                           colour by more than SCREEN_INK in some channel
 *                           (text or shapes drawn on that background)
 *
 * '#' starts a comment.  Each check is one test result.
 */
#ifndef TOOLS_HARNESS_SCREEN_H
#define TOOLS_HARNESS_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#define SCREEN_MAX_AFTER  8
#define SCREEN_MAX_CHECKS 32
#define SCREEN_TOLERANCE  12
#define SCREEN_INK        48

enum screen_kind { SCREEN_SIZE, SCREEN_COLOR, SCREEN_INK_CHECK };

struct screen_check {
	enum screen_kind kind;
	int x, y, w, h;
	uint32_t rgb;
	int amount;     /* P (percent) or N (pixels) */
	char text[128]; /* the line as written, for the result's name */
};

struct screen_spec {
	char after[SCREEN_MAX_AFTER][128];
	int nafter;
	struct screen_check c[SCREEN_MAX_CHECKS];
	int n;
};

/* Parses a checks file's text; 0, or -1 with "FILE:LINE: ..." in err. */
int screen_parse(const char *text, const char *file, struct screen_spec *s, char *err, size_t size);
/* Reads and parses the file at path (same errors, or "cannot read"). */
int screen_load(const char *path, struct screen_spec *s, char *err, size_t size);

struct screen_image {
	int w, h;
	unsigned char *rgb; /* w * h * 3 bytes, row by row (malloc) */
};

/* Reads a binary PPM (P6, maxval 255); 0, or -1 with why in err. */
int screen_read_ppm(const char *path, struct screen_image *img, char *err, size_t size);
void screen_free(struct screen_image *img);

/* Runs c on img: 1 passed, 0 failed; what was measured goes to why. */
int screen_check(const struct screen_image *img, const struct screen_check *c, char *why,
                 size_t size);

/* Asks the QEMU monitor listening on the Unix socket sock for a
 * `screendump` to ppm and waits (at most timeout seconds) for it to
 * finish; 0, or -1 with why in err. */
int screen_dump(const char *sock, const char *ppm, double timeout, char *err, size_t size);

#endif
