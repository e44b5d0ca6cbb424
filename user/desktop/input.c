/* The scripted input source (input.h). */
#include "input.h"

static bool script_next(struct input_source *src, uint64_t now_ms, struct ui_event *ev)
{
	struct input_script *s = (struct input_script *)src;

	if (!s->started) {
		s->started = true;
		s->start_ms = now_ms;
	}
	if (s->next == s->n || now_ms - s->start_ms < s->steps[s->next].at_ms)
		return false;
	*ev = s->steps[s->next++].ev;
	return true;
}

static bool script_done(const struct input_source *src)
{
	const struct input_script *s = (const struct input_script *)src;
	return s->next == s->n;
}

static uint64_t script_due(const struct input_source *src, uint64_t now_ms)
{
	const struct input_script *s = (const struct input_script *)src;

	if (s->next == s->n)
		return UINT64_MAX;
	if (!s->started)
		return 0;
	uint64_t at = s->start_ms + s->steps[s->next].at_ms;
	return at > now_ms ? at - now_ms : 0;
}

void input_script_init(struct input_script *s, const struct input_step *steps, unsigned n)
{
	*s = (struct input_script){
	        .src = {script_next, script_done, script_due}, .steps = steps, .n = n};
}

/* ---- the demo script ---- */
#include <string/mem.h>

#include "taskbar.h"
#include "wm.h"

struct input_step demo_script[DEMO_SCRIPT_MAX];

struct builder {
	unsigned n;
	uint64_t t;
};

static void step(struct builder *b, uint64_t after_ms, struct ui_event ev)
{
	b->t += after_ms;
	if (b->n < DEMO_SCRIPT_MAX)
		demo_script[b->n++] = (struct input_step){b->t, ev};
}

static void click(struct builder *b, int32_t x, int32_t y)
{
	step(b, 150, ui_pointer(x, y, 0, 0));
	step(b, 100, ui_pointer(x, y, UI_BUTTON_LEFT, 0));
	step(b, 100, ui_pointer(x, y, 0, 0));
}

/* Presses at (x, y), moves to (x + dx, y + dy) in four steps, releases. */
static void drag(struct builder *b, int32_t x, int32_t y, int32_t dx, int32_t dy)
{
	step(b, 150, ui_pointer(x, y, 0, 0));
	step(b, 100, ui_pointer(x, y, UI_BUTTON_LEFT, 0));
	for (int i = 1; i <= 4; i++)
		step(b, 60, ui_pointer(x + dx * i / 4, y + dy * i / 4, UI_BUTTON_LEFT, 0));
	step(b, 100, ui_pointer(x + dx, y + dy, 0, 0));
}

/* The first window titled title, NULL if none. */
static struct wm_window *titled(struct wm *wm, const char *title)
{
	for (int i = 0; i < WM_WINDOWS; i++)
		if (wm->win[i].used && !strcmp(wm->win[i].title, title))
			return &wm->win[i];
	return NULL;
}

static void type(struct builder *b, const char *text)
{
	for (size_t i = 0; text[i]; i++)
		step(b, 30, ui_key(UI_KEY_CHAR, (unsigned char)text[i]));
	step(b, 30, ui_key(UI_KEY_ENTER, 0));
}

/* Opens the launcher and picks item i. */
static void launch(struct builder *b, const struct taskbar *t, int i)
{
	click(b, t->r.x + 40, t->r.y + t->r.h / 2);
	struct gfx_rect item = t->items[i].r;
	click(b, t->menu_r.x + item.x + item.w / 2, t->menu_r.y + item.y + item.h / 2);
}

unsigned demo_script_build(struct wm *wm, const struct taskbar *t)
{
	struct builder b = {0, 500};
	struct wm_window *term = titled(wm, "Terminal"), *demo = titled(wm, "Widgets");

	step(&b, 0, ui_pointer(wm->back.width / 2, wm->back.height / 3, 0, 0));
	/* the widget demo: focused by a click on its title bar (whichever
	 * client's window opened last), then a line into its list */
	if (demo) {
		click(&b, demo->r.x + 100, demo->r.y - WM_TITLE_H / 2);
		type(&b, "Hello, Tessera!");
	}
	/* the terminal: focused by a click on its title bar, then a line */
	if (term) {
		click(&b, term->r.x + 100, term->r.y - WM_TITLE_H / 2);
		type(&b, "cores");
	}
	/* the launcher's fourth item: About Tessera */
	launch(&b, t, 3);
	/* About opens at (560, 120): its title bar dragged to (160, 420) */
	drag(&b, 640, 120 - WM_TITLE_H / 2, -400, 300);
	/* the demo's grip dragged 60 left, 40 up: a new surface for its client */
	if (demo)
		drag(&b, demo->r.x + demo->r.w - 4, demo->r.y + demo->r.h - 4, -60, -40);
	/* the launcher's sixth item, the editor (a client starting: time for
	 * its window to open), and a line typed at the start of its file */
	launch(&b, t, 5);
	step(&b, 2500, ui_pointer(wm->back.width / 2, wm->back.height / 3, 0, 0));
	type(&b, "Hello from the editor");
	step(&b, 150, ui_pointer(580, 300, 0, 0));
	step(&b, 1500, ui_pointer(580, 300, 0, 0));
	return b.n;
}

/* A key with Ctrl held (the editor's shortcuts). */
static void ctrl(struct builder *b, uint32_t letter)
{
	struct ui_event ev = ui_key(UI_KEY_CHAR, letter);
	ev.mods = UI_MOD_CTRL;
	step(b, 100, ev);
}

/* Letters typed 30 ms apart (one prefix for Files' type-ahead), Enter. */
static void pick(struct builder *b, const char *prefix, uint64_t wait_ms)
{
	type(b, prefix);
	b->t += wait_ms; /* its answer: a listing, a window */
}

unsigned apps_script_build(struct wm *wm, const struct taskbar *t)
{
	struct builder b = {0, 500};

	step(&b, 0, ui_pointer(wm->back.width / 2, wm->back.height / 3, 0, 0));
	launch(&b, t, 0); /* Files: opens on the root's listing */
	b.t += 2500;
	pick(&b, "boot", 800);
	pick(&b, "modules", 800);
	pick(&b, "motd", 2500); /* the editor opens the file */
	type(&b, "Saved by the editor");
	ctrl(&b, 's');
	b.t += 1500;
	ctrl(&b, 'o');
	b.t += 1000;
	launch(&b, t, 1); /* the system monitor: two samples a second apart */
	step(&b, 3500, ui_pointer(300, 20, 0, 0));
	return b.n;
}
