/* The desktop: the compositor (user/README.md, README "Desktop").  Started
 * by core 0's monitor beside init, it maps the framebuffer, loads DejaVu
 * Sans, opens the taskbar and the widget demo, then loops: input events
 * to the windows, the clock, composition of the damage, a yield (it runs
 * at the lowest priority: only when no other program wants the core).
 * Input comes from a scripted source until the PS/2 drivers' streams plug
 * into input.h. */
#include <rt/heap.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "apps.h"
#include "input.h"
#include "platform.h"
#include "taskbar.h"
#include "wm.h"

#define FONT_FILE "DejaVuSans.ttf"

struct font *apps_font;
static struct font font;
static struct gfx_surface front;
static struct wm wm;
static struct taskbar taskbar;

static const struct taskbar_app apps[] = {{"Widgets", demo_open}, {"About Tessera", about_open}};

static void *heap_alloc(size_t n, void *ctx)
{
	(void)ctx;
	return malloc(n);
}

static void heap_free(void *p, void *ctx)
{
	(void)ctx;
	free(p);
}

static enum err start(void)
{
	const void *data;
	size_t size;
	static const struct font_alloc heap = {heap_alloc, heap_free, NULL};
	enum err e = platform_framebuffer(&front);

	if (e) {
		rt_printf("desktop: no framebuffer: %s\n", err_str(e));
		return e;
	}
	e = platform_font(FONT_FILE, &data, &size);
	if (!e)
		e = font_open(&font, data, size, &heap);
	if (e) {
		rt_printf("desktop: font %s: %s\n", FONT_FILE, err_str(e));
		return e;
	}
	apps_font = &font;
	rt_printf("desktop: framebuffer %dx%d, font %s (%zu bytes)\n", front.width, front.height,
	          FONT_FILE, size);
	e = wm_init(&wm, &front, &font);
	if (!e)
		e = taskbar_init(&taskbar, &wm, apps, 2);
	if (e)
		rt_printf("desktop: no memory for the screen: %s\n", err_str(e));
	return e;
}

int main(void)
{
	struct input_script script;
	struct ui_event ev;
	bool told = false;

	if (start())
		return 1;
	demo_open(&wm);
	wm_compose(&wm);
	rt_printf("desktop: up: %d window, taskbar, cursor\n", wm.nz);
	unsigned n = demo_script_build(&wm, &taskbar);
	input_script_init(&script, demo_script, n);
	for (;;) {
		uint64_t now = platform_ms();
		while (script.src.next(&script.src, now, &ev))
			wm_input(&wm, &ev);
		taskbar_tick(&taskbar, now);
		wm_compose(&wm);
		if (!told && script.src.done(&script.src)) {
			told = true;
			uint64_t full = wm.frames * (uint64_t)front.width * (uint64_t)front.height;
			rt_printf(
			        "desktop: script done: %d windows, %llu frames, %llu pixels copied "
			        "(%llu%% of full-screen copies)\n",
			        wm.nz, (unsigned long long)wm.frames, (unsigned long long)wm.pixels,
			        (unsigned long long)(full ? wm.pixels * 100 / full : 0));
		}
		rt_yield();
	}
}
