/* The desktop: the compositor (user/README.md, README "Desktop").  Started
 * by init (user/init/startup.conf), it maps the framebuffer, loads DejaVu
 * Sans, opens the taskbar, starts its first clients (the terminal, which
 * runs a shell, and the widget demo: programs in windows of their own,
 * remote.h), then loops: input events to the windows, the clients'
 * messages, the clock, composition of the damage, and sleep
 * (NOTIFY_TIMER and rt_chan_wait) until the next input, a client's
 * message or the clock's next second.  Input comes from the PS/2
 * driver's streams (the service `input`, input.h); with --demo
 * (desktop_args.schema: the test image's startup) from the scripted demo
 * instead. */
#include <desktop_args.h>
#include <rt/args.h>
#include <rt/heap.h>
#include <rt/invoke.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "apps.h"
#include "input.h"
#include "platform.h"
#include "remote.h"
#include "taskbar.h"
#include "wm.h"

#define FONT_FILE "DejaVuSans.ttf"

struct font *apps_font;
static struct font font;
static struct gfx_surface front;
static struct wm wm;
static struct taskbar taskbar;

static void widgets_open(struct wm *w)
{
	remote_spawn(w, "widgets", 616, 60);
}

/* Each from the launcher a little below and right of the last (the
 * first, opened at start, is at (24, 48)). */
static void terminal_open(struct wm *w)
{
	static int32_t n;

	n = n % 8 + 1;
	remote_spawn(w, "terminal", 24 + 32 * n, 48 + 32 * n);
}

static void editor_open(struct wm *w)
{
	remote_spawn(w, "editor", 580, 490);
}

static void files_open(struct wm *w)
{
	remote_spawn(w, "files", 320, 64);
}

static void sysmon_open(struct wm *w)
{
	remote_spawn(w, "sysmon", 540, 300);
}

/* Programs a client may start with a path (WIN_MSG_LAUNCH): the editor,
 * each a little below and right of the last. */
void apps_launch(struct wm *w, const char *asker, const char *program, const char *path)
{
	static int32_t n;
	const char *const argv[] = {"--path", path};

	if (strcmp(program, "editor")) {
		rt_printf("desktop: %s asked for %s: not one launched with a path\n", asker,
		          program);
		return;
	}
	rt_printf("desktop: %s opens %s in the editor\n", asker, path);
	n = n % 6 + 1;
	remote_spawn_argv(w, program, 40 + 24 * n, 400 + 24 * n, argv, 2);
}

/* The new programs first: the others keep their places above the bar
 * (the menu grows upwards). */
static const struct taskbar_app apps[] = {
        {"Files", files_open},         {"Monitor", sysmon_open},    {"Widgets", widgets_open},
        {"About Tessera", about_open}, {"Terminal", terminal_open}, {"Editor", editor_open}};

#define TIMER_BIT (1ull << 6)

/* The desktop's notification is signalled in ms milliseconds (at least 1). */
static void arm_timer(uint64_t ms)
{
	ms = ms < 1 ? 1 : ms > 60000 ? 60000 : ms;
	invoke_notify_timer(remote_self.addr, remote_self.depth, ms * 1000, TIMER_BIT, NULL);
}

static void sleep_ms(uint64_t ms)
{
	arm_timer(ms);
	rt_chan_wait(remote_self, NULL, 0);
}

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
	e = remote_init();
	if (e) {
		rt_printf("desktop: no notification: %s\n", err_str(e));
		return e;
	}
	rt_printf("desktop: framebuffer %dx%d, font %s (%zu bytes)\n", front.width, front.height,
	          FONT_FILE, size);
	e = wm_init(&wm, &front, &font);
	if (!e)
		e = taskbar_init(&taskbar, &wm, apps, sizeof apps / sizeof apps[0]);
	if (e)
		rt_printf("desktop: no memory for the screen: %s\n", err_str(e));
	return e;
}

/* Starts the clients the desktop opens with and waits (up to 20 s) for
 * their windows: the script is built from where they are. */
static void open_clients(void)
{
	static const struct {
		const char *name;
		int32_t x, y;
	} first[] = {{"terminal", 24, 48}, {"widgets", 616, 60}};
	unsigned started;

	for (unsigned i = 0; i < sizeof first / sizeof first[0]; i++)
		remote_spawn(&wm, first[i].name, first[i].x, first[i].y);
	uint64_t t0 = platform_ms();
	while (remote_open_count(&started) < started && platform_ms() - t0 < 20000) {
		if (!remote_poll(&wm))
			sleep_ms(10);
		wm_compose(&wm);
	}
}

/* The input source: the demo script if asked for (*live NULL), else the
 * driver's streams (*live their channel), or none if there are none. */
static struct input_source *input_open(bool demo, bool apps, struct rt_chan **live)
{
	static struct input_stream stream;
	static struct input_script script;
	enum err e = demo ? ERR_OK : input_stream_init(&stream, front.width, front.height);

	*live = NULL;
	if (demo) {
		rt_printf("desktop: input from the demo script\n");
		input_script_init(&script, demo_script,
		                  apps ? apps_script_build(&wm, &taskbar)
		                       : demo_script_build(&wm, &taskbar));
		return &script.src;
	}
	if (!e) {
		rt_printf("desktop: input from the keyboard and the mouse\n");
		*live = &stream.ch;
		return &stream.src;
	}
	rt_printf("desktop: no input: %s\n",
	          e == ERR_NOENT ? "no service input given" : err_str(e));
	input_script_init(&script, demo_script, 0); /* nothing comes */
	return &script.src;
}

/* How long the clients must be quiet before the script counts as done. */
#define SETTLE_MS 500u

int main(void)
{
	static struct desktop_args args;
	struct ui_event ev;
	bool told = false;
	uint64_t told_at = 0; /* when script done was last said */
	struct rt_chan *chans[REMOTES + 1];

	RT_ARGS(desktop_args, &args);
	if (start())
		return 1;
	wm_compose(&wm);
	open_clients();
	uint64_t hz = rt_cycles_hz(); /* the cycle counter starts at the machine's reset */
	rt_printf("desktop: up: %d windows, taskbar, cursor, %llu ms after reset\n", wm.nz,
	          (unsigned long long)(hz ? rt_cycles() / (hz / 1000) : 0));
	struct rt_chan *live;
	struct input_source *in = input_open(args.demo, args.apps, &live);
	uint64_t heard = 0; /* when a client last said something */
	for (;;) {
		uint64_t now = platform_ms();
		while (in->next(in, now, &ev))
			wm_input(&wm, &ev);
		if (remote_poll(&wm))
			heard = now;
		taskbar_tick(&taskbar, now);
		wm_compose(&wm);
		/* done once the script is and the clients have settled: their
		 * answers to its last events drawn (SETTLE_MS without a message);
		 * said again each time they settle after speaking again (a shell
		 * answering late), so a test can wait for the last one */
		bool settling = args.demo && in->done(in) && (!told || heard > told_at);
		if (settling && now - heard >= SETTLE_MS) {
			told = true;
			told_at = now;
			uint64_t full = wm.frames * (uint64_t)front.width * (uint64_t)front.height;
			rt_printf(
			        "desktop: script done: %d windows, %llu frames, %llu pixels copied "
			        "(%llu%% of full-screen copies)\n",
			        wm.nz, (unsigned long long)wm.frames, (unsigned long long)wm.pixels,
			        (unsigned long long)(full ? wm.pixels * 100 / full : 0));
		}
		/* asleep until the next input, a client's message or the clock */
		uint64_t due = in->due(in, now), tick = 1000 - now % 1000;
		settling = args.demo && in->done(in) && (!told || heard > told_at);
		if (settling && now - heard < SETTLE_MS && SETTLE_MS - (now - heard) < tick)
			tick = SETTLE_MS - (now - heard);
		arm_timer(due < tick ? due : tick);
		unsigned n = remote_chans(chans, REMOTES);
		if (live)
			chans[n++] = live;
		rt_chan_wait(remote_self, chans, n);
	}
}
