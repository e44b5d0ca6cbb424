/* The file browser: a window client (user/desktop/proto.h) listing a
 * directory of the boot disk through the file service (wctl.h: init
 * passes the requests on): the path, a list of the entries (name, a
 * directory's "/", a file's size) and a status line.  Enter or a
 * double-click opens the selected entry: a directory here, a file in the
 * editor (the desktop launches it with the path, WIN_MSG_LAUNCH);
 * Backspace or ".." goes to the parent; letters typed in a row select
 * the next entry that starts with them.  Every listing goes to the log too
 * ("files: /boot 3 entries: EFI ..."). */
#include <fmt/fmt.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <ui/ui.h>
#include <wclient.h>
#include <wctl.h>

#define TEXT_SIZE   14
#define ENTRIES_MAX 256
#define PATH_MAX    128
#define DOUBLE_MS   500
#define TYPE_MS     1500
#define FAT_DIR     0x10u /* FAT_ATTR_DIR */

struct entry {
	char name[FS_REPLY_NAME + 1];
	bool dir;
	uint32_t size;
};

static struct wclient c;
static struct wctl ctl;
static struct font font;
static struct ui_theme theme;
static struct ui_panel panel;
static struct ui_widget where, list, status;
static struct entry ents[ENTRIES_MAX + 1]; /* [0] ".." below the root */
static char texts[ENTRIES_MAX + 1][FS_REPLY_NAME + 24];
static const char *items[ENTRIES_MAX + 1];
static int nents;
static char cwd[PATH_MAX] = "/";
static char status_line[96];
static int last_row = -1;
static uint64_t last_ms;
static char prefix[FS_REPLY_NAME]; /* type-ahead */
static size_t prefix_n;
static uint64_t prefix_ms;

static uint64_t now_ms(void)
{
	uint64_t hz = rt_cycles_hz();
	return hz ? rt_cycles() / (hz / 1000) : 0;
}

static void entry_text(int i)
{
	const struct entry *e = &ents[i];
	if (e->dir)
		fmt_snprintf(texts[i], sizeof texts[i], "%s/", e->name);
	else
		fmt_snprintf(texts[i], sizeof texts[i], "%s    %u bytes", e->name, e->size);
	items[i] = texts[i];
}

/* The log line: the path, the count and the names (as many as fit). */
static void log_listing(int first, int n)
{
	char line[256];
	size_t at = (size_t)fmt_snprintf(line, sizeof line, "files: %s %d entries:", cwd, n);
	for (int i = first; i < nents && at + 2 < sizeof line; i++)
		at += (size_t)fmt_snprintf(line + at, sizeof line - at, " %s", ents[i].name);
	rt_printf("%s\n", line);
}

/* Reads cwd's entries into ents (after ".." below the root). */
static void list_dir(void)
{
	uint32_t h;
	int first = strcmp(cwd, "/") ? 1 : 0;
	enum err e = wctl_walk(&ctl, cwd, FS_R_WALK, &h);
	bool walked = !e;

	nents = first;
	if (first)
		ents[0] = (struct entry){"..", true, 0};
	for (uint32_t cursor = 0; !e && nents < ENTRIES_MAX + first;) {
		struct fs_req_path q = {.dir = h, .arg = cursor};
		struct fs_reply r;
		e = wctl_fs(&ctl, FS_LIST, &q, &r, NULL, 0, NULL);
		if (e)
			break;
		struct entry *en = &ents[nents++];
		memcpy(en->name, r.name, FS_REPLY_NAME);
		en->name[strnlen(r.name, FS_REPLY_NAME)] = 0;
		en->dir = r.attr & FAT_DIR;
		en->size = r.size;
		cursor = r.cursor;
	}
	if (walked)
		wctl_close(&ctl, h);
	if (walked && e == ERR_NOENT)
		e = ERR_OK; /* NOENT from FS_LIST: the end of the directory */
	for (int i = 0; i < nents; i++)
		entry_text(i);
	list.nitems = nents;
	list.selected = nents ? 0 : -1;
	prefix_n = 0; /* type-ahead starts again */
	list.top = 0;
	if (e) {
		fmt_snprintf(status_line, sizeof status_line, "%s: %s", cwd,
		             ctl.up ? wctl_why(e) : "no channel to init");
		rt_printf("files: %s\n", status_line);
	} else {
		fmt_snprintf(status_line, sizeof status_line, "%d entries", nents - first);
		log_listing(first, nents - first);
	}
}

static void parent(void)
{
	char *slash = cwd;
	if (!strcmp(cwd, "/"))
		return;
	for (char *s = cwd; *s; s++)
		if (*s == '/')
			slash = s;
	slash[slash == cwd ? 1 : 0] = 0;
	list_dir();
}

/* Asks the desktop to open path in the editor. */
static void edit(const char *path)
{
	struct win_launch l = {0};

	if (strlen(path) >= sizeof l.path) {
		fmt_snprintf(status_line, sizeof status_line, "%s: too long a path for the editor",
		             path);
		return;
	}
	mem_strlcpy(l.program, "editor", sizeof l.program);
	mem_strlcpy(l.path, path, sizeof l.path);
	rt_chan_send(&c.ch, WIN_MSG_LAUNCH, &l, sizeof l);
	fmt_snprintf(status_line, sizeof status_line, "%s: opened in the editor", path);
	rt_printf("files: %s opened in the editor\n", path);
}

/* Opens the selected entry. */
static void open_selected(void)
{
	char path[PATH_MAX];
	if (list.selected < 0 || list.selected >= nents)
		return;
	const struct entry *e = &ents[list.selected];
	if (!strcmp(e->name, "..")) {
		parent();
		return;
	}
	size_t n = (size_t)fmt_snprintf(path, sizeof path, "%s%s%s", cwd,
	                                strcmp(cwd, "/") ? "/" : "", e->name);
	if (n >= sizeof path) {
		fmt_snprintf(status_line, sizeof status_line, "too long a path");
		return;
	}
	if (!e->dir) {
		edit(path);
		return;
	}
	mem_strlcpy(cwd, path, sizeof cwd);
	list_dir();
}

static char lower(uint32_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : (char)ch;
}

/* Type-ahead: letters typed less than TYPE_MS apart make a prefix; the
 * first entry from the selected one on that starts with it is selected. */
static void select_prefix(uint32_t ch)
{
	size_t n = prefix_n;
	uint64_t now = now_ms();

	if (now - prefix_ms > TYPE_MS || n + 1 >= sizeof prefix)
		n = 0;
	prefix_ms = now;
	prefix[n++] = lower(ch);
	prefix_n = n;
	for (int k = 0; k < nents; k++) {
		int i = (list.selected + k + nents) % nents;
		size_t j = 0;
		while (j < n && lower((uint8_t)ents[i].name[j]) == prefix[j])
			j++;
		if (j == n) {
			list.selected = i;
			if (i < list.top)
				list.top = i;
			if (list.rows > 0 && i >= list.top + list.rows)
				list.top = i - list.rows + 1;
			return;
		}
	}
}

static void draw(void)
{
	struct gfx_surface *s = &c.s;
	ui_layout(&panel, gfx_rect(0, 0, s->width, s->height), 8);
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), theme.bg);
	ui_panel_draw(&panel, s, &theme);
	panel.dirty = false;
	wclient_damage(&c, gfx_rect(0, 0, s->width, s->height));
}

/* A press on the list's row: the second on the same row soon after opens. */
static void pointer(const struct ui_event *ev)
{
	bool press = (ev->buttons & UI_BUTTON_LEFT) && !(panel.buttons & UI_BUTTON_LEFT);
	int row = -1;
	if (press && gfx_rect_contains(list.r, ev->x, ev->y))
		row = list.top + (ev->y - list.r.y - 1) / panel.line_h;
	ui_panel_event(&panel, ev);
	if (row < 0 || row >= nents)
		return;
	uint64_t now = now_ms();
	if (row == last_row && now - last_ms < DOUBLE_MS) {
		last_row = -1;
		open_selected();
		return;
	}
	last_row = row;
	last_ms = now;
}

static void event(const struct ui_event *ev)
{
	if (ev->type == UI_EV_POINTER) {
		pointer(ev);
	} else if (ev->type == UI_EV_KEY && ev->down) {
		if (ev->key == UI_KEY_ENTER)
			open_selected();
		else if (ev->key == UI_KEY_BACKSPACE)
			parent();
		else if (ev->key == UI_KEY_CHAR && !(ev->mods & (UI_MOD_CTRL | UI_MOD_ALT)))
			select_prefix(ev->cp);
		else
			ui_panel_event(&panel, ev);
	}
	draw();
}

static void setup(void)
{
	struct font_metrics m;
	theme = (struct ui_theme){&font,      TEXT_SIZE,  0xfff6f8fa, 0xff1f2328, 0xffe9ecef,
	                          0xff8c959f, 0xff2f81f7, 0xffffffff, 0xffffffff};
	font_metrics(&font, TEXT_SIZE, &m);
	ui_panel_init(&panel, m.line_height);
	where = (struct ui_widget){.kind = UI_LABEL, .text = cwd};
	list = (struct ui_widget){.kind = UI_LIST, .items = items, .flex = 1};
	status = (struct ui_widget){.kind = UI_LABEL, .text = status_line};
	ui_panel_add(&panel, &where);
	ui_panel_add(&panel, &list);
	ui_panel_add(&panel, &status);
	panel.focus = 1; /* the list takes the arrows */
}

int main(void)
{
	struct ui_event ev;
	enum err e = wclient_font(&font, "DejaVuSans.ttf");

	if (e) {
		rt_printf("files: no font: %s\n", err_str(e));
		return 1;
	}
	setup();
	e = wctl_open(&ctl);
	if (e)
		rt_printf("files: no channel to init: %s\n", err_str(e));
	list_dir();
	e = wclient_open(&c, "Files", 360, 420);
	if (e) {
		rt_printf("files: not a window client: %s\n", err_str(e));
		return 1;
	}
	for (;;) {
		switch (wclient_next(&c, &ev)) {
		case WCLIENT_SURFACE: draw(); break;
		case WCLIENT_EVENT: event(&ev); break;
		case WCLIENT_TICK: break;
		case WCLIENT_CLOSE: return 0;
		}
	}
}
