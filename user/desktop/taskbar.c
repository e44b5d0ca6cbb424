/* The taskbar: launcher, window buttons, clock (taskbar.h). */
#include "taskbar.h"

#include <fmt/fmt.h>
#include <font/font.h>
#include <string/mem.h>

#include "wm.h"

#define BAR_BG       0xff161b22
#define BAR_FG       0xffe6edf3
#define LAUNCH_BG    0xff2f81f7
#define WIN_BG       0xff30363d
#define WIN_FOCUS_BG 0xff4a5563
#define TEXT_SIZE    14
#define LAUNCH_W     96
#define WIN_W        150
#define CLOCK_W      120
#define MENU_W       200

static int baseline(const struct taskbar *t, int32_t top, int32_t h)
{
	struct font_metrics m;
	font_metrics(t->theme.font, TEXT_SIZE, &m);
	return top + (h - m.ascent - m.descent) / 2 + m.ascent;
}

static void label(struct taskbar *t, struct gfx_rect r, uint32_t bg, const char *text)
{
	struct gfx_surface *s = &t->bar.s;
	gfx_fill(s, r, bg);
	gfx_surface_clip(s, gfx_rect(r.x + 4, r.y, r.w - 8, r.h));
	font_draw(t->theme.font, s, TEXT_SIZE, r.x + 8, baseline(t, r.y, r.h), text, strlen(text),
	          BAR_FG);
	gfx_surface_unclip(s);
}

static struct gfx_rect clock_rect(const struct taskbar *t)
{
	return gfx_rect(t->r.w - CLOCK_W, 0, CLOCK_W, t->r.h);
}

static void draw_clock(struct taskbar *t, uint64_t s)
{
	char text[32];
	fmt_snprintf(text, sizeof text, "up %02llu:%02llu:%02llu", (unsigned long long)(s / 3600),
	             (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
	label(t, clock_rect(t), BAR_BG, text);
	struct gfx_rect c = clock_rect(t);
	wm_damage(t->wm, gfx_rect(t->r.x + c.x, t->r.y + c.y, c.w, c.h));
}

void taskbar_update(struct taskbar *t)
{
	struct wm *wm = t->wm;
	struct gfx_surface *s = &t->bar.s;

	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), BAR_BG);
	label(t, gfx_rect(4, 4, LAUNCH_W, t->r.h - 8), LAUNCH_BG, "Tessera");
	int32_t x = LAUNCH_W + 12;
	for (int k = 0; k < wm->nz && x + WIN_W < t->r.w - CLOCK_W; k++, x += WIN_W + 4) {
		const struct wm_window *w = &wm->win[wm->z[k]];
		label(t, gfx_rect(x, 4, WIN_W, t->r.h - 8), k == wm->nz - 1 ? WIN_FOCUS_BG : WIN_BG,
		      w->title);
	}
	draw_clock(t, t->shown_s);
	wm_damage(wm, t->r);
}

static void draw_menu(struct taskbar *t)
{
	struct gfx_surface *s = &t->menu.s;
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), t->theme.bg);
	ui_panel_draw(&t->menu_panel, s, &t->theme);
	gfx_frame(s, gfx_rect(0, 0, s->width, s->height), t->theme.edge);
	wm_damage(t->wm, t->menu_r);
}

enum err taskbar_init(struct taskbar *t, struct wm *wm, const struct taskbar_app *apps, int n)
{
	struct font_metrics m;
	memset(t, 0, sizeof *t);
	t->wm = wm;
	t->apps = apps;
	t->napps = n < TASKBAR_APPS ? n : TASKBAR_APPS;
	t->theme = (struct ui_theme){wm->font,   TEXT_SIZE,  0xfff6f8fa, 0xff1f2328, 0xffe9ecef,
	                             0xff8c959f, 0xff2f81f7, 0xffffffff, 0xffffffff};
	t->r = gfx_rect(0, wm->back.height - WM_TASKBAR_H, wm->back.width, WM_TASKBAR_H);
	font_metrics(wm->font, TEXT_SIZE, &m);
	ui_panel_init(&t->menu_panel, m.line_height);
	for (int i = 0; i < t->napps; i++) {
		t->items[i] = (struct ui_widget){.kind = UI_BUTTON, .text = apps[i].name};
		ui_panel_add(&t->menu_panel, &t->items[i]);
	}
	int32_t h = 6 + t->napps * (m.line_height + 2 * UI_PAD + 6);
	t->menu_r = gfx_rect(4, t->r.y - h - 2, MENU_W, h);
	enum err e = frame_surface_new(&t->bar, t->r.w, t->r.h);
	if (!e)
		e = frame_surface_new(&t->menu, MENU_W, h);
	if (e)
		return e;
	ui_layout(&t->menu_panel, gfx_rect(0, 0, MENU_W, h), 6);
	wm->taskbar = t;
	taskbar_update(t);
	return ERR_OK;
}

void taskbar_layers(struct taskbar *t, struct gfx_layer *l, size_t *n)
{
	l[(*n)++] = (struct gfx_layer){.s = &t->bar.s, .x = t->r.x, .y = t->r.y};
	if (t->menu_open)
		l[(*n)++] = (struct gfx_layer){.s = &t->menu.s, .x = t->menu_r.x, .y = t->menu_r.y};
}

bool taskbar_hit(const struct taskbar *t, int32_t x, int32_t y)
{
	return gfx_rect_contains(t->r, x, y) ||
	       (t->menu_open && gfx_rect_contains(t->menu_r, x, y));
}

static void set_menu(struct taskbar *t, bool open)
{
	if (t->menu_open == open)
		return;
	t->menu_open = open;
	if (open)
		draw_menu(t);
	wm_damage(t->wm, t->menu_r);
}

/* A press on the bar: the launcher toggles the menu, a window button
 * raises its window. */
static void bar_press(struct taskbar *t, int32_t x)
{
	struct wm *wm = t->wm;
	if (x < LAUNCH_W + 4) {
		set_menu(t, !t->menu_open);
		return;
	}
	set_menu(t, false);
	int k = (x - LAUNCH_W - 12) / (WIN_W + 4);
	if (x >= LAUNCH_W + 12 && k < wm->nz)
		wm_raise(wm, wm->win[wm->z[k]].id);
}

void taskbar_event(struct taskbar *t, const struct ui_event *ev)
{
	bool pressed = (ev->buttons & UI_BUTTON_LEFT) && !(t->menu_panel.buttons & UI_BUTTON_LEFT);
	if (t->menu_open && gfx_rect_contains(t->menu_r, ev->x, ev->y)) {
		struct ui_event local = *ev;
		local.x -= t->menu_r.x;
		local.y -= t->menu_r.y;
		struct ui_action a = ui_panel_event(&t->menu_panel, &local);
		draw_menu(t);
		if (a.kind == UI_ACT_CLICK && a.widget < t->napps) {
			set_menu(t, false);
			t->apps[a.widget].open(t->wm);
		}
		return;
	}
	t->menu_panel.buttons = ev->buttons;
	if (pressed && gfx_rect_contains(t->r, ev->x, ev->y))
		bar_press(t, ev->x - t->r.x);
	else if (pressed)
		set_menu(t, false);
}

void taskbar_tick(struct taskbar *t, uint64_t now_ms)
{
	uint64_t s = now_ms / 1000;
	if (s == t->shown_s)
		return;
	t->shown_s = s;
	draw_clock(t, s);
}
