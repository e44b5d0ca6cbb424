/* The widget demo, a window client (user/desktop/proto.h): a menu, a
 * label, a text field with a button that adds its text to a list, and a
 * scroll view of numbered lines, drawn with lib/ui on its window's
 * surface. */
#include <fmt/fmt.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <ui/ui.h>
#include <wclient.h>

#define TEXT_SIZE 14
#define ITEMS_MAX 32
#define LINES     40

struct demo {
	struct wclient c;
	struct font font;
	struct ui_panel p;
	struct ui_widget menu, label, field, add, list, scroll;
	char item_text[ITEMS_MAX][UI_FIELD_MAX];
	const char *items[ITEMS_MAX];
	int nitems;
	struct ui_theme theme;
};

static struct demo demo;
static const char *const menu_items[] = {"Clear the list", "Close"};

static void lines(void *ctx, struct gfx_surface *s, struct gfx_rect view, int offset)
{
	struct demo *d = ctx;
	struct font_metrics m;
	font_metrics(d->theme.font, TEXT_SIZE, &m);
	for (int i = 0; i < LINES; i++) {
		int top = view.y + i * m.line_height - offset;
		if (top + m.line_height < view.y || top > view.y + view.h)
			continue;
		char text[64];
		fmt_snprintf(text, sizeof text, "Line %d: every core runs its own kernel", i + 1);
		font_draw(d->theme.font, s, TEXT_SIZE, view.x + 6, top + m.ascent, text,
		          strlen(text), d->theme.fg);
	}
}

/* Everything, at the surface's size; then the desktop hears of it. */
static void draw(struct demo *d)
{
	struct gfx_surface *s = &d->c.s;
	ui_layout(&d->p, gfx_rect(0, 0, s->width, s->height), 8);
	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), d->theme.bg);
	ui_panel_draw(&d->p, s, &d->theme);
	/* the resize grip: three short diagonals in the corner */
	for (int i = 0; i < 3; i++)
		for (int k = 0; k <= 2 + 3 * i; k++)
			gfx_fill(s,
			         gfx_rect(s->width - 4 - k, s->height - 4 - (2 + 3 * i) + k, 1, 1),
			         d->theme.edge);
	d->p.dirty = false;
	wclient_damage(&d->c, gfx_rect(0, 0, s->width, s->height));
}

static void add_item(struct demo *d)
{
	if (d->field.len == 0 || d->nitems == ITEMS_MAX)
		return;
	mem_strlcpy(d->item_text[d->nitems], d->field.buf, UI_FIELD_MAX);
	d->items[d->nitems] = d->item_text[d->nitems];
	d->nitems++;
	d->list.nitems = d->nitems;
	d->list.selected = d->nitems - 1;
	ui_scroll_by(&d->list, d->nitems);
	ui_field_set(&d->field, "");
}

/* An event; false when the demo should end. */
static bool event(struct demo *d, const struct ui_event *ev)
{
	struct ui_action a = ui_panel_event(&d->p, ev);

	if ((a.kind == UI_ACT_CLICK && a.widget == 3) || a.kind == UI_ACT_SUBMIT)
		add_item(d);
	if (a.kind == UI_ACT_MENU && a.item == 0) {
		d->nitems = d->list.nitems = 0;
		d->list.selected = -1;
	}
	if (a.kind == UI_ACT_MENU && a.item == 1)
		return false;
	if (d->p.dirty)
		draw(d);
	return true;
}

static void build(struct demo *d)
{
	struct font_metrics m;
	static const char *const first[] = {"Core 0: monitor, init", "Core 1: counter"};

	d->theme = (struct ui_theme){&d->font,   TEXT_SIZE,  0xfff6f8fa, 0xff1f2328, 0xffe9ecef,
	                             0xff8c959f, 0xff2f81f7, 0xffffffff, 0xffffffff};
	font_metrics(&d->font, TEXT_SIZE, &m);
	ui_panel_init(&d->p, m.line_height);
	for (int i = 0; i < 2; i++) {
		mem_strlcpy(d->item_text[i], first[i], UI_FIELD_MAX);
		d->items[i] = d->item_text[i];
	}
	d->nitems = 2;
	d->menu = (struct ui_widget){
	        .kind = UI_MENU, .text = "Edit", .items = menu_items, .nitems = 2};
	d->label =
	        (struct ui_widget){.kind = UI_LABEL, .text = "Type a line, then Add (or Enter):"};
	d->field = (struct ui_widget){.kind = UI_FIELD};
	d->add = (struct ui_widget){.kind = UI_BUTTON, .text = "Add"};
	d->list = (struct ui_widget){
	        .kind = UI_LIST, .items = d->items, .nitems = 2, .rows = 4, .selected = 0};
	d->scroll = (struct ui_widget){.kind = UI_SCROLL,
	                               .content_h = LINES * m.line_height,
	                               .flex = 1,
	                               .draw_content = lines,
	                               .ctx = d};
	struct ui_widget *all[] = {&d->menu, &d->label, &d->field, &d->add, &d->list, &d->scroll};
	for (int i = 0; i < 6; i++)
		ui_panel_add(&d->p, all[i]);
	d->p.focus = 2;
}

int main(void)
{
	struct demo *d = &demo;
	struct ui_event ev;

	enum err e = wclient_font(&d->font, "DejaVuSans.ttf");
	if (e) {
		rt_printf("widgets: no font: %s\n", err_str(e));
		return 1;
	}
	build(d);
	e = wclient_open(&d->c, "Widgets", 380, 400);
	if (e) {
		rt_printf("widgets: not a window client: %s\n", err_str(e));
		return 1;
	}
	for (;;) {
		switch (wclient_next(&d->c, &ev)) {
		case WCLIENT_SURFACE: draw(d); break;
		case WCLIENT_EVENT:
			if (!event(d, &ev))
				return 0;
			break;
		case WCLIENT_TICK: break;
		case WCLIENT_CLOSE: return 0;
		}
	}
}
