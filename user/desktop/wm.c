/* Windows, composition and pointer handling (wm.h). */
#include "wm.h"

#include <rt/heap.h>
#include <string/mem.h>

#include "taskbar.h"

#define DESKTOP_BG   0xff2b3a4a
#define BORDER_COLOR 0xff0e1116
#define BAR_FOCUS    0xff3d6fa8
#define BAR_IDLE     0xff5b6470
#define BAR_TEXT     0xffffffff
#define CLOSE_COLOR  0xffc8504a
#define OUTLINE      0xc0ffffff
#define TITLE_SIZE   14

/* The arrow: X black, . white, blank clear. */
static const char *const arrow[] = {"X",          "XX",         "X.X",         "X..X",
                                    "X...X",      "X....X",     "X.....X",     "X......X",
                                    "X.......X",  "X........X", "X.........X", "X......XXXXX",
                                    "X...X..X",   "X..XX..X",   "X.X  X..X",   "XX   X..X",
                                    "X     X..X", "      X..X", "       XX"};
#define CURSOR_W 12
#define CURSOR_H 19
static uint32_t cursor_px[CURSOR_W * CURSOR_H];

struct wm_window *wm_window(struct wm *wm, int id)
{
	for (int i = 0; i < WM_WINDOWS; i++)
		if (wm->win[i].used && wm->win[i].id == id)
			return &wm->win[i];
	return NULL;
}

struct gfx_rect wm_outer(const struct wm_window *w)
{
	return gfx_rect(w->r.x - WM_BORDER, w->r.y - WM_TITLE_H - WM_BORDER, w->r.w + 2 * WM_BORDER,
	                w->r.h + WM_TITLE_H + 2 * WM_BORDER);
}

struct gfx_rect wm_close_box(const struct wm_window *w)
{
	return gfx_rect(w->r.x + w->r.w - WM_TITLE_H + 4, w->r.y - WM_TITLE_H + 4, WM_TITLE_H - 8,
	                WM_TITLE_H - 8);
}

void wm_damage(struct wm *wm, struct gfx_rect r)
{
	gfx_damage_add(&wm->damage, r);
}

int wm_focus(const struct wm *wm)
{
	return wm->nz ? wm->win[wm->z[wm->nz - 1]].id : -1;
}

/* The title bar: its colour by focus, the title, the close box. */
static void draw_bar(struct wm *wm, struct wm_window *w)
{
	struct gfx_surface *s = &w->bar.s;
	bool focus = wm_focus(wm) == w->id;
	struct font_metrics m;

	font_metrics(wm->font, TITLE_SIZE, &m);
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), focus ? BAR_FOCUS : BAR_IDLE);
	gfx_surface_clip(s, gfx_rect(0, 0, s->width - WM_TITLE_H, s->height));
	font_draw(wm->font, s, TITLE_SIZE, 8, (WM_TITLE_H - m.ascent - m.descent) / 2 + m.ascent,
	          w->title, strlen(w->title), BAR_TEXT);
	gfx_surface_unclip(s);
	struct gfx_rect c = wm_close_box(w);
	c.x -= w->r.x;
	c.y -= w->r.y - WM_TITLE_H;
	gfx_fill(s, c, CLOSE_COLOR);
	for (int i = 3; i < c.w - 3; i++) { /* an X */
		gfx_fill(s, gfx_rect(c.x + i, c.y + i, 2, 1), BAR_TEXT);
		gfx_fill(s, gfx_rect(c.x + c.w - 2 - i, c.y + i, 2, 1), BAR_TEXT);
	}
	wm_damage(wm, gfx_rect(w->r.x, w->r.y - WM_TITLE_H, w->r.w, WM_TITLE_H));
}

static void make_cursor(struct wm *wm)
{
	for (int y = 0; y < CURSOR_H; y++)
		for (int x = 0; x < CURSOR_W; x++) {
			char c = x < (int)strlen(arrow[y]) ? arrow[y][x] : ' ';
			cursor_px[y * CURSOR_W + x] = c == 'X'   ? 0xff000000
			                              : c == '.' ? 0xffffffff
			                                         : 0;
		}
	gfx_surface_init(&wm->cursor, cursor_px, CURSOR_W, CURSOR_H, CURSOR_W);
}

enum err wm_init(struct wm *wm, struct gfx_surface *front, struct font *font)
{
	memset(wm, 0, sizeof *wm);
	wm->front = front;
	wm->font = font;
	wm->next_id = 1;
	wm->px = front->width / 2;
	wm->py = front->height / 2;
	uint32_t *px = malloc((size_t)front->width * (size_t)front->height * 4);
	if (!px)
		return ERR_NOMEM;
	gfx_surface_init(&wm->back, px, front->width, front->height, (uint32_t)front->width);
	gfx_damage_init(&wm->damage, gfx_rect(0, 0, front->width, front->height));
	wm_damage(wm, wm->damage.bounds);
	make_cursor(wm);
	return ERR_OK;
}

/* Both surfaces of w for its client size; the client draws. */
static enum err surfaces(struct wm *wm, struct wm_window *w)
{
	enum err e = frame_surface_new(&w->client, w->r.w, w->r.h);
	if (!e)
		e = frame_surface_new(&w->bar, w->r.w, WM_TITLE_H);
	if (e) {
		frame_surface_free(&w->client);
		return e;
	}
	w->c.draw(w->c.ctx, &w->client.s);
	draw_bar(wm, w);
	wm_damage(wm, wm_outer(w));
	return ERR_OK;
}

static void redraw_bars(struct wm *wm)
{
	for (int i = 0; i < wm->nz; i++)
		draw_bar(wm, &wm->win[wm->z[i]]);
	if (wm->taskbar)
		taskbar_update(wm->taskbar);
}

int wm_open(struct wm *wm, const char *title, struct gfx_rect r, const struct wm_client *c)
{
	for (int i = 0; i < WM_WINDOWS; i++) {
		struct wm_window *w = &wm->win[i];
		if (w->used)
			continue;
		r.w = r.w < WM_MIN_W ? WM_MIN_W : r.w;
		r.h = r.h < WM_MIN_H ? WM_MIN_H : r.h;
		*w = (struct wm_window){.used = true, .id = wm->next_id, .r = r, .c = *c};
		mem_strlcpy(w->title, title, sizeof w->title);
		if (surfaces(wm, w)) {
			w->used = false;
			return -1;
		}
		wm->z[wm->nz++] = i;
		redraw_bars(wm);
		return wm->next_id++;
	}
	return -1;
}

/* w's place in the stack, -1 if none. */
static int z_of(const struct wm *wm, const struct wm_window *w)
{
	for (int k = 0; k < wm->nz; k++)
		if (&wm->win[wm->z[k]] == w)
			return k;
	return -1;
}

void wm_close(struct wm *wm, int id)
{
	struct wm_window *w = wm_window(wm, id);
	if (!w)
		return;
	int k = z_of(wm, w);
	memmove(&wm->z[k], &wm->z[k + 1], (size_t)(wm->nz - k - 1) * sizeof wm->z[0]);
	wm->nz--;
	wm_damage(wm, wm_outer(w));
	if (w->c.closed)
		w->c.closed(w->c.ctx);
	frame_surface_free(&w->client);
	frame_surface_free(&w->bar);
	frame_surface_free(&w->retired);
	w->used = false;
	redraw_bars(wm);
}

void wm_raise(struct wm *wm, int id)
{
	struct wm_window *w = wm_window(wm, id);
	int k = w ? z_of(wm, w) : -1;
	if (k < 0 || k == wm->nz - 1)
		return;
	int i = wm->z[k];
	memmove(&wm->z[k], &wm->z[k + 1], (size_t)(wm->nz - k - 1) * sizeof wm->z[0]);
	wm->z[wm->nz - 1] = i;
	wm_damage(wm, wm_outer(w));
	redraw_bars(wm);
}

void wm_move(struct wm *wm, int id, int32_t x, int32_t y)
{
	struct wm_window *w = wm_window(wm, id);
	if (!w)
		return;
	wm_damage(wm, wm_outer(w));
	/* the title bar stays reachable: below the top, above the taskbar */
	int32_t ymax = wm->back.height - WM_TASKBAR_H - 4;
	w->r.x = x;
	w->r.y = y < WM_TITLE_H + WM_BORDER ? WM_TITLE_H + WM_BORDER : y > ymax ? ymax : y;
	wm_damage(wm, wm_outer(w));
}

enum err wm_resize(struct wm *wm, int id, int32_t width, int32_t height)
{
	struct wm_window *w = wm_window(wm, id);
	if (!w)
		return ERR_NOENT;
	struct frame_surface old_client = w->client, old_bar = w->bar;
	struct gfx_rect old = w->r;
	wm_damage(wm, wm_outer(w));
	w->r.w = width < WM_MIN_W ? WM_MIN_W : width;
	w->r.h = height < WM_MIN_H ? WM_MIN_H : height;
	enum err e = surfaces(wm, w);
	if (e) { /* no memory for the new size: the old stays */
		w->r = old;
		w->client = old_client;
		w->bar = old_bar;
		return e;
	}
	frame_surface_free(&old_bar);
	if (w->c.keep_old) {
		frame_surface_free(&w->retired);
		w->retired = old_client;
	} else {
		frame_surface_free(&old_client);
	}
	return ERR_OK;
}

void wm_retired_free(struct wm *wm, int id)
{
	struct wm_window *w = wm_window(wm, id);
	if (w)
		frame_surface_free(&w->retired);
}

void wm_redraw(struct wm *wm, int id)
{
	struct wm_window *w = wm_window(wm, id);
	if (!w)
		return;
	w->c.draw(w->c.ctx, &w->client.s);
	wm_damage(wm, w->r);
}

/* The outline of a resize in progress: four thin fill layers. */
static size_t outline_layers(const struct wm *wm, struct gfx_layer *l)
{
	struct gfx_rect o = wm->outline;
	if (wm->drag != WM_DRAG_RESIZE || gfx_rect_empty(o))
		return 0;
	const struct gfx_rect r[4] = {{o.x, o.y, o.w, 2},
	                              {o.x, o.y + o.h - 2, o.w, 2},
	                              {o.x, o.y, 2, o.h},
	                              {o.x + o.w - 2, o.y, 2, o.h}};
	for (int i = 0; i < 4; i++)
		l[i] = (struct gfx_layer){
		        .x = r[i].x, .y = r[i].y, .w = r[i].w, .h = r[i].h, .color = OUTLINE};
	return 4;
}

int64_t wm_compose(struct wm *wm)
{
	struct gfx_layer l[3 * WM_WINDOWS + 8];
	size_t n = 0;

	if (wm->damage.n == 0)
		return 0;
	for (int k = 0; k < wm->nz; k++) {
		const struct wm_window *w = &wm->win[wm->z[k]];
		struct gfx_rect o = wm_outer(w);
		l[n++] = (struct gfx_layer){
		        .x = o.x, .y = o.y, .w = o.w, .h = o.h, .color = BORDER_COLOR};
		l[n++] = (struct gfx_layer){.s = &w->bar.s, .x = w->r.x, .y = w->r.y - WM_TITLE_H};
		l[n++] = (struct gfx_layer){.s = &w->client.s, .x = w->r.x, .y = w->r.y};
	}
	if (wm->taskbar)
		taskbar_layers(wm->taskbar, l, &n);
	n += outline_layers(wm, l + n);
	l[n++] = (struct gfx_layer){.s = &wm->cursor, .x = wm->px, .y = wm->py, .blend = true};
	gfx_compose(&wm->back, DESKTOP_BG, l, n, &wm->damage);
	int64_t copied = gfx_present(wm->front, &wm->back, &wm->damage);
	gfx_damage_clear(&wm->damage);
	wm->frames++;
	wm->pixels += (uint64_t)copied;
	return copied;
}
