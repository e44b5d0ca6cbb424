/* The text editor: a window client (user/desktop/proto.h) with a File
 * menu (open, save), the multi-line text field of lib/ui (ui/text.h) and
 * a status line.  Files come and go through file.h. */
#include <fmt/fmt.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <ui/text.h>
#include <ui/ui.h>
#include <wclient.h>

#include "file.h"

#define TEXT_SIZE 14
#define FILE_NAME "motd.txt"
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
static const char *const menu_items[] = {"Open " FILE_NAME, "Save " FILE_NAME, "Close"};

static void say(const char *what, enum err e)
{
	fmt_snprintf(status_line, sizeof status_line, "%s %s: %s", what, FILE_NAME,
	             e ? err_str(e) : "done");
}

static void open_file(void)
{
	size_t len;
	enum err e = editor_file_open(FILE_NAME, bytes, sizeof bytes, &len);
	if (!e)
		ui_text_set(&text, bytes, len);
	say("open", e);
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
	if (ev->type == UI_EV_KEY && !menu.open) {
		if (ui_text_key(&text, ev))
			draw();
		return true;
	}
	struct ui_action a = ui_panel_event(&bar, ev);
	if (a.kind == UI_ACT_MENU && a.item == 0)
		open_file();
	if (a.kind == UI_ACT_MENU && a.item == 1)
		say("save", editor_file_save(FILE_NAME, text.buf, text.len));
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
	enum err e = wclient_font(&font, "DejaVuSans.ttf");

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
