/* The text editor: a window client (user/desktop/proto.h) with a File
 * menu (open, save), the multi-line text field of lib/ui (ui/text.h) and
 * a status line.  Its file is --path (editor_args.schema; the file
 * browser launches it with one), read and written through the file
 * service (file.h).  Ctrl-S saves and Ctrl-O opens again, where a key
 * with Ctrl comes with its letter. */
#include <editor_args.h>
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <ui/text.h>
#include <ui/ui.h>
#include <wclient.h>

#include "file.h"

#define TEXT_SIZE 14
#define TEXT_MAX  16384

static struct wclient c;
static struct font font;
static struct ui_theme theme;
static struct ui_panel bar;
static struct ui_widget menu, status;
static struct ui_text text;
static char bytes[TEXT_MAX];
static char status_line[96];
static int line_h;
static struct editor_args args;
static const char *path;
static char menu_text[2][64];
static const char *const menu_items[] = {menu_text[0], menu_text[1], "Close"};

/* The status line and the log: what was done to the file. */
static void say(const char *what, enum err e, size_t len, bool module)
{
	if (e)
		fmt_snprintf(status_line, sizeof status_line, "%s %s: %s", what, path,
		             editor_file_why(e));
	else
		fmt_snprintf(status_line, sizeof status_line, "%s %s: %zu bytes%s", what, path, len,
		             module ? " (boot module, read-only)" : "");
	rt_printf("editor: %s\n", status_line);
}

static void open_file(void)
{
	size_t len = 0;
	bool module;
	enum err e = editor_file_open(path, bytes, sizeof bytes, &len, &module);
	if (!e)
		ui_text_set(&text, bytes, len);
	say("open", e, len, module);
}

static void save_file(void)
{
	say("save", editor_file_save(path, text.buf, text.len), text.len, false);
}

/* Ctrl-S, Ctrl-O: true if ev was one. */
static bool shortcut(const struct ui_event *ev)
{
	if (ev->type != UI_EV_KEY || !(ev->mods & UI_MOD_CTRL) || ev->key != UI_KEY_CHAR)
		return false;
	if (ev->cp == 's')
		save_file();
	else if (ev->cp == 'o')
		open_file();
	else
		return false;
	return true;
}

/* The text area: between the menu and the status line. */
static struct gfx_rect text_rect(void)
{
	int32_t top = menu.r.y + menu.r.h + 4;
	return gfx_rect(8, top, c.s.width - 16, status.r.y - 4 - top);
}

static void draw(void)
{
	struct gfx_surface *s = &c.s;
	ui_layout(&bar, gfx_rect(0, 0, s->width, s->height), 8);
	status.r.y = s->height - 8 - status.r.h; /* the status line at the bottom */
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), theme.bg);
	ui_text_draw(&text, s, text_rect(), line_h, &theme, !menu.open);
	ui_panel_draw(&bar, s, &theme);
	bar.dirty = false;
	wclient_damage(&c, gfx_rect(0, 0, s->width, s->height));
}

/* An event; false when the editor should end. */
static bool event(const struct ui_event *ev)
{
	if (shortcut(ev)) {
		draw();
		return true;
	}
	if (ev->type == UI_EV_KEY && !menu.open) {
		if (ui_text_key(&text, ev))
			draw();
		return true;
	}
	struct ui_action a = ui_panel_event(&bar, ev);
	if (a.kind == UI_ACT_MENU && a.item == 0)
		open_file();
	if (a.kind == UI_ACT_MENU && a.item == 1)
		save_file();
	if (a.kind == UI_ACT_MENU && a.item == 2)
		return false;
	if (bar.dirty || a.kind != UI_ACT_NONE)
		draw();
	return true;
}

int main(void)
{
	struct ui_event ev;
	struct font_metrics m;
	enum err e;
	const char *base;

	RT_ARGS(editor_args, &args);
	path = args.path;
	base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	fmt_snprintf(menu_text[0], sizeof menu_text[0], "Open %s", base);
	fmt_snprintf(menu_text[1], sizeof menu_text[1], "Save %s", base);
	e = wclient_font(&font, "DejaVuSans.ttf");

	if (e) {
		rt_printf("editor: no font: %s\n", err_str(e));
		return 1;
	}
	theme = (struct ui_theme){&font,      TEXT_SIZE,  0xfff6f8fa, 0xff1f2328, 0xffe9ecef,
	                          0xff8c959f, 0xff2f81f7, 0xffffffff, 0xffffffff};
	font_metrics(&font, TEXT_SIZE, &m);
	line_h = m.line_height;
	ui_panel_init(&bar, line_h);
	menu = (struct ui_widget){
	        .kind = UI_MENU, .text = "File", .items = menu_items, .nitems = 3};
	status = (struct ui_widget){.kind = UI_LABEL, .text = status_line};
	ui_panel_add(&bar, &menu);
	ui_panel_add(&bar, &status);
	bar.focus = -1;
	ui_text_init(&text, bytes, sizeof bytes);
	open_file();
	e = wclient_open(&c, "Editor", 420, 220);
	if (e) {
		rt_printf("editor: not a window client: %s\n", err_str(e));
		return 1;
	}
	for (;;) {
		switch (wclient_next(&c, &ev)) {
		case WCLIENT_SURFACE: draw(); break;
		case WCLIENT_EVENT:
			if (!event(&ev))
				return 0;
			break;
		case WCLIENT_TICK: break;
		case WCLIENT_CLOSE: return 0;
		}
	}
}
