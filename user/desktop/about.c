/* "About Tessera": a few labels and a Close button (apps.h). */
#include <fmt/fmt.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <tessera/dispatcher.h>
#include <ui/ui.h>

#include "apps.h"

#define TEXT_SIZE 14

struct about {
	int id;
	struct wm *wm;
	struct ui_panel p;
	struct ui_widget lines[5], close;
	char core_line[64];
	struct ui_theme theme;
};

static struct about about;

static void draw(void *ctx, struct gfx_surface *s)
{
	struct about *a = ctx;
	ui_layout(&a->p, gfx_rect(0, 0, s->width, s->height), 6);
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), a->theme.bg);
	ui_panel_draw(&a->p, s, &a->theme);
}

static bool event(void *ctx, const struct ui_event *ev)
{
	struct about *a = ctx;
	struct ui_action act = ui_panel_event(&a->p, ev);
	if (act.kind == UI_ACT_CLICK) {
		wm_close(a->wm, a->id);
		return false;
	}
	return a->p.dirty;
}

static void closed(void *ctx)
{
	((struct about *)ctx)->id = 0;
}

void about_open(struct wm *wm)
{
	struct about *a = &about;
	struct font_metrics m;
	static const char *const text[] = {"Tessera: a multikernel operating system",
	                                   "Each core runs its own CPU driver; cores",
	                                   "share nothing but messages.",
	                                   "Text: stb_truetype with DejaVu Sans."};

	if (a->id) {
		wm_raise(wm, a->id);
		return;
	}
	memset(a, 0, sizeof *a);
	a->wm = wm;
	a->theme = (struct ui_theme){apps_font,  TEXT_SIZE,  0xffffffff, 0xff1f2328, 0xffe9ecef,
	                             0xff8c959f, 0xff2f81f7, 0xffffffff, 0xffffffff};
	font_metrics(apps_font, TEXT_SIZE, &m);
	ui_panel_init(&a->p, m.line_height);
	const struct disp_frame *f = rt_frame();
	fmt_snprintf(a->core_line, sizeof a->core_line, "This compositor runs on core %u.",
	             f ? f->core : 0);
	for (int i = 0; i < 5; i++) {
		a->lines[i] = (struct ui_widget){.kind = UI_LABEL,
		                                 .text = i < 4 ? text[i] : a->core_line};
		ui_panel_add(&a->p, &a->lines[i]);
	}
	a->close = (struct ui_widget){.kind = UI_BUTTON, .text = "Close"};
	ui_panel_add(&a->p, &a->close);
	const struct wm_client c = {draw, event, closed, a, false};
	a->id = wm_open(wm, "About Tessera", gfx_rect(560, 120, 360, 6 * (m.line_height + 14) + 8),
	                &c);
	if (a->id < 0)
		a->id = 0;
}
