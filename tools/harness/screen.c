/* Screen checks: the checks file, PPM screendumps from QEMU's monitor,
 * and the pixel checks (screen.h). */
#include "screen.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "files.h"

/* The whole file (malloc, NUL after it) and its size; NULL and errno. */
static unsigned char *read_bytes(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *d = NULL;
	size_t n = 0, cap = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? 2 * cap : 1 << 20;
			unsigned char *bigger = realloc(d, cap);
			if (!bigger)
				abort();
			d = bigger;
		}
		size_t got = fread(d + n, 1, 65536, f);
		n += got;
		if (got < 65536)
			break;
	}
	fclose(f);
	d[n] = 0;
	*size = n;
	return d;
}

/* One check line (after its keyword) into c; NULL or what is wrong. */
static const char *parse_check(const char *kw, const char *rest, struct screen_check *c)
{
	char color[16], extra[8];
	if (strcmp(kw, "size") == 0) {
		c->kind = SCREEN_SIZE;
		if (sscanf(rest, "%d %d %7s", &c->w, &c->h, extra) != 2 || c->w <= 0 || c->h <= 0)
			return "size W H";
		return NULL;
	}
	if (strcmp(kw, "color") == 0)
		c->kind = SCREEN_COLOR;
	else if (strcmp(kw, "ink") == 0)
		c->kind = SCREEN_INK_CHECK;
	else
		return "a line is after TEXT, size W H, color X Y W H RRGGBB PERCENT or ink X Y W "
		       "H "
		       "RRGGBB COUNT";
	if (sscanf(rest, "%d %d %d %d %15s %d %7s", &c->x, &c->y, &c->w, &c->h, color, &c->amount,
	           extra) != 6)
		return c->kind == SCREEN_COLOR ? "color X Y W H RRGGBB PERCENT"
		                               : "ink X Y W H RRGGBB COUNT";
	char *end;
	unsigned long v = strtoul(color, &end, 16);
	if (strlen(color) != 6 || *end || v > 0xffffff)
		return "the colour must be 6 hex digits RRGGBB";
	c->rgb = (uint32_t)v;
	if (c->x < 0 || c->y < 0 || c->w <= 0 || c->h <= 0)
		return "the rectangle needs X, Y >= 0 and W, H > 0";
	if (c->amount < 0 || (c->kind == SCREEN_COLOR && c->amount > 100))
		return c->kind == SCREEN_COLOR ? "PERCENT must be 0..100" : "COUNT must be >= 0";
	return NULL;
}

/* A line without its comment and surrounding blanks, in place. */
static char *trim(char *s)
{
	char *hash = strchr(s, '#');
	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int screen_parse(const char *text, const char *file, struct screen_spec *s, char *err, size_t size)
{
	int line = 0;
	memset(s, 0, sizeof *s);
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512], kw[16];
		line++;
		snprintf(buf, sizeof buf, "%.*s", (int)len, p);
		p += len + (eol != NULL);
		char *l = trim(buf);
		const char *msg = NULL;
		if (!*l)
			continue;
		size_t k = strcspn(l, " \t");
		snprintf(kw, sizeof kw, "%.*s", (int)(k < sizeof kw ? k : sizeof kw - 1), l);
		const char *rest = l + k + strspn(l + k, " \t");
		if (strcmp(kw, "after") == 0) {
			if (!*rest)
				msg = "after needs the text of a serial line";
			else if (s->nafter == SCREEN_MAX_AFTER)
				msg = "too many after lines";
			else
				snprintf(s->after[s->nafter++], sizeof s->after[0], "%s", rest);
		} else if (s->n == SCREEN_MAX_CHECKS) {
			msg = "too many checks";
		} else {
			struct screen_check *c = &s->c[s->n];
			msg = parse_check(kw, rest, c);
			snprintf(c->text, sizeof c->text, "%s", l);
			s->n += msg == NULL;
		}
		if (msg) {
			snprintf(err, size, "%s:%d: %s", file, line, msg);
			return -1;
		}
	}
	if (s->nafter == 0 || s->n == 0) {
		snprintf(err, size, "%s: needs at least one after line and one check", file);
		return -1;
	}
	return 0;
}

int screen_load(const char *path, struct screen_spec *s, char *err, size_t size)
{
	char *text = files_read(path);
	if (!text) {
		snprintf(err, size, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	int r = screen_parse(text, path, s, err, size);
	free(text);
	return r;
}

/* The next number of a PPM header at *p (comments skipped), or -1. */
static long header_number(const unsigned char *d, size_t n, size_t *p)
{
	while (*p < n && (isspace(d[*p]) || d[*p] == '#')) {
		if (d[*p] == '#')
			while (*p < n && d[*p] != '\n')
				(*p)++;
		else
			(*p)++;
	}
	long v = -1;
	while (*p < n && isdigit(d[*p]) && v < 100000)
		v = (v < 0 ? 0 : v * 10) + (d[(*p)++] - '0');
	return v;
}

int screen_read_ppm(const char *path, struct screen_image *img, char *err, size_t size)
{
	size_t n = 0, p = 2;
	unsigned char *d = read_bytes(path, &n);
	memset(img, 0, sizeof *img);
	if (!d) {
		snprintf(err, size, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	long w = n > 2 && d[0] == 'P' && d[1] == '6' ? header_number(d, n, &p) : -1;
	long h = w > 0 ? header_number(d, n, &p) : -1, max = h > 0 ? header_number(d, n, &p) : -1;
	if (w <= 0 || h <= 0 || max != 255 || p >= n || !isspace(d[p])) {
		snprintf(err, size, "%s: not a binary PPM (P6, maxval 255)", path);
		free(d);
		return -1;
	}
	p++;
	if (n - p < (size_t)(w * h * 3)) {
		snprintf(err, size, "%s: %zu bytes of pixels, %ld x %ld needs %ld", path, n - p, w,
		         h, w * h * 3);
		free(d);
		return -1;
	}
	img->w = (int)w, img->h = (int)h;
	img->rgb = malloc((size_t)(w * h * 3));
	if (!img->rgb)
		abort();
	memcpy(img->rgb, d + p, (size_t)(w * h * 3));
	free(d);
	return 0;
}

void screen_free(struct screen_image *img)
{
	free(img->rgb);
	img->rgb = NULL;
}

/* The largest channel difference between pixel px and rgb. */
static int distance(const unsigned char *px, uint32_t rgb)
{
	int d = 0;
	for (int i = 0; i < 3; i++) {
		int v = (int)(rgb >> (16 - 8 * i) & 0xff) - px[i];
		d = abs(v) > d ? abs(v) : d;
	}
	return d;
}

int screen_check(const struct screen_image *img, const struct screen_check *c, char *why,
                 size_t size)
{
	if (c->kind == SCREEN_SIZE) {
		snprintf(why, size, "the screen is %d x %d", img->w, img->h);
		return img->w == c->w && img->h == c->h;
	}
	if (c->x + c->w > img->w || c->y + c->h > img->h) {
		snprintf(why, size, "the rectangle is not inside the %d x %d screen", img->w,
		         img->h);
		return 0;
	}
	long near = 0, far = 0, all = (long)c->w * c->h;
	for (int y = c->y; y < c->y + c->h; y++)
		for (int x = c->x; x < c->x + c->w; x++) {
			int d = distance(img->rgb + ((size_t)y * (size_t)img->w + (size_t)x) * 3,
			                 c->rgb);
			near += d <= SCREEN_TOLERANCE;
			far += d > SCREEN_INK;
		}
	if (c->kind == SCREEN_COLOR) {
		snprintf(why, size, "%ld of %ld pixels (%ld%%) are within %d of %06x", near, all,
		         near * 100 / all, SCREEN_TOLERANCE, c->rgb);
		return near * 100 >= (long)c->amount * all;
	}
	snprintf(why, size, "%ld of %ld pixels differ from %06x by more than %d", far, all, c->rgb,
	         SCREEN_INK);
	return far >= c->amount;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the monitor said so far, and how many prompts were in it. */
struct monitor_talk {
	char text[65536];
	size_t len;
};

static int prompts(const struct monitor_talk *t)
{
	int n = 0;
	for (const char *q = t->text; (q = strstr(q, "(qemu) ")); q += 7)
		n++;
	return n;
}

/* Reads from fd until "(qemu) " has appeared `want` times in all it said,
 * or the deadline. */
static int await_prompts(int fd, int want, struct monitor_talk *t, double deadline)
{
	while (prompts(t) < want) {
		double left = deadline - seconds();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0 || t->len + 1 >= sizeof t->text ||
		    poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			return -1;
		ssize_t n = read(fd, t->text + t->len, sizeof t->text - 1 - t->len);
		if (n <= 0)
			return -1;
		t->len += (size_t)n;
		t->text[t->len] = '\0';
	}
	return 0;
}

int screen_dump(const char *sock, const char *ppm, double timeout, char *err, size_t size)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	double deadline = seconds() + timeout;
	static struct monitor_talk talk;
	int fd = -1;

	if (strlen(sock) >= sizeof a.sun_path) {
		snprintf(err, size, "monitor socket path too long: %s", sock);
		return -1;
	}
	strcpy(a.sun_path, sock);
	while ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
	       connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		fd = -1;
		if (seconds() > deadline)
			break;
		usleep(100000);
	}
	if (fd < 0) {
		snprintf(err, size, "cannot connect to QEMU's monitor at %s: %s", sock,
		         strerror(errno));
		return -1;
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "screendump %s\n", ppm);
	unlink(ppm);
	talk.len = 0;
	talk.text[0] = '\0';
	int r = await_prompts(fd, 1, &talk, deadline);
	if (!r)
		r = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd) ? 0 : -1;
	if (!r)
		r = await_prompts(fd, 2, &talk, deadline);
	close(fd);
	if (r || access(ppm, R_OK) != 0) {
		snprintf(err, size, "QEMU's monitor did not write the screendump %s within %.0f s",
		         ppm, timeout);
		return -1;
	}
	return 0;
}
