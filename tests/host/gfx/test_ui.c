/* lib/ui: layout, hit testing, event routing and text field editing, with
 * the geometry worked out by hand in the comments; one drawing check on
 * DejaVu Sans. */
#include <font/font.h>
#include <ui/ui.h>

#include "../htest.h"

static const char *const menu_items[] = {"New", "Open", "Quit"};
static const char *const list_items[] = {"a", "b", "c", "d", "e", "f"};

struct scene {
	struct ui_panel p;
	struct ui_widget menu, label, field, button, list, scroll;
};

/* line_h 16 (a line box of 16 + 2 * 4 = 24), area 200 x 300, pad 5:
 *   menu   y 5   h 24      label y 34  h 24     field y 63 h 24
 *   button y 92  h 24      list  y 121 h 4 * 16 + 2 = 66
 *   scroll y 192 h 300 - (5 + 4 * 29 + 71 + 5) = 103 (flex)
 * every one x 5, w 190. */
static void build(struct scene *s)
{
	memset(s, 0, sizeof *s);
	ui_panel_init(&s->p, 16);
	s->menu = (struct ui_widget){
	        .kind = UI_MENU, .text = "File", .items = menu_items, .nitems = 3};
	s->label = (struct ui_widget){.kind = UI_LABEL, .text = "Name"};
	s->field = (struct ui_widget){.kind = UI_FIELD};
	s->button = (struct ui_widget){.kind = UI_BUTTON, .text = "OK"};
	s->list = (struct ui_widget){
	        .kind = UI_LIST, .items = list_items, .nitems = 6, .rows = 4, .selected = -1};
	s->scroll = (struct ui_widget){.kind = UI_SCROLL, .content_h = 400, .flex = 1};
	struct ui_widget *all[] = {&s->menu,   &s->label, &s->field,
	                           &s->button, &s->list,  &s->scroll};
	for (int i = 0; i < 6; i++)
		HT_ASSERT(ui_panel_add(&s->p, all[i]));
	ui_layout(&s->p, gfx_rect(0, 0, 200, 300), 5);
}

static int rect_is(struct gfx_rect r, int x, int y, int w, int h)
{
	return r.x == x && r.y == y && r.w == w && r.h == h;
}

static struct ui_action click(struct scene *s, int x, int y)
{
	struct ui_event down = ui_pointer(x, y, UI_BUTTON_LEFT, 0), up = ui_pointer(x, y, 0, 0);
	struct ui_action a = ui_panel_event(&s->p, &down), b = ui_panel_event(&s->p, &up);
	return a.kind != UI_ACT_NONE ? a : b;
}

static struct ui_action key(struct scene *s, enum ui_key k, uint32_t cp)
{
	struct ui_event e = ui_key(k, cp);
	return ui_panel_event(&s->p, &e);
}

HTEST(column_layout)
{
	struct scene s;
	build(&s);
	HT_EXPECT(rect_is(s.menu.r, 5, 5, 190, 24));
	HT_EXPECT(rect_is(s.label.r, 5, 34, 190, 24));
	HT_EXPECT(rect_is(s.field.r, 5, 63, 190, 24));
	HT_EXPECT(rect_is(s.button.r, 5, 92, 190, 24));
	HT_EXPECT(rect_is(s.list.r, 5, 121, 190, 66));
	HT_EXPECT(rect_is(s.scroll.r, 5, 192, 190, 103));
	HT_EXPECT_EQ(s.list.rows, 4);
}

HTEST(hit_testing)
{
	struct scene s;
	build(&s);
	HT_EXPECT_EQ(ui_hit(&s.p, 10, 40), 1);
	HT_EXPECT_EQ(ui_hit(&s.p, 100, 100), 3);
	HT_EXPECT_EQ(ui_hit(&s.p, 194, 294), 5);
	HT_EXPECT_EQ(ui_hit(&s.p, 195, 100), -1); /* x 195 is past 5 + 190 */
	HT_EXPECT_EQ(ui_hit(&s.p, 10, 30), -1);   /* the gap between menu and label */
	HT_EXPECT_EQ(ui_hit(&s.p, 2, 2), -1);
}

HTEST(buttons_click_on_release_inside)
{
	struct scene s;
	build(&s);
	struct ui_action a = click(&s, 100, 100);
	HT_EXPECT(a.kind == UI_ACT_CLICK && a.widget == 3);
	struct ui_event down = ui_pointer(100, 100, UI_BUTTON_LEFT, 0),
	                up = ui_pointer(10, 40, 0, 0);
	ui_panel_event(&s.p, &down);
	HT_EXPECT(s.button.pressed);
	a = ui_panel_event(&s.p, &up);
	HT_EXPECT(a.kind == UI_ACT_NONE && !s.button.pressed);
	HT_EXPECT_EQ(s.p.focus, 3);
	a = key(&s, UI_KEY_ENTER, 0);
	HT_EXPECT(a.kind == UI_ACT_CLICK && a.widget == 3);
}

/* The menu's items drop below its title: item k at y 29 + 24 k, over the
 * label and field, and take the pointer while open. */
HTEST(menus_open_choose_and_close)
{
	struct scene s;
	build(&s);
	HT_EXPECT(click(&s, 10, 10).kind == UI_ACT_NONE);
	HT_ASSERT(s.menu.open);
	HT_EXPECT(rect_is(ui_menu_item_rect(&s.p, &s.menu, 1), 5, 53, 190, 24));
	HT_EXPECT_EQ(ui_hit(&s.p, 10, 40), 0);
	struct ui_event move = ui_pointer(10, 80, 0, 0);
	ui_panel_event(&s.p, &move);
	HT_EXPECT_EQ(s.menu.hover, 2);
	struct ui_action a = click(&s, 10, 58);
	HT_EXPECT(a.kind == UI_ACT_MENU && a.widget == 0 && a.item == 1);
	HT_EXPECT(!s.menu.open);
	/* open, then a click elsewhere (the button below the items, which end
	 * at y 101) only closes it: the button is not clicked */
	click(&s, 10, 10);
	HT_EXPECT(click(&s, 100, 110).kind == UI_ACT_NONE);
	HT_EXPECT(!s.menu.open);
	click(&s, 10, 10);
	key(&s, UI_KEY_ESCAPE, 0);
	HT_EXPECT(!s.menu.open);
}

/* List rows are 16 high from y 122: y 157 is row (157 - 122) / 16 = 2. */
HTEST(lists_select_and_scroll)
{
	struct scene s;
	build(&s);
	struct ui_action a = click(&s, 50, 157);
	HT_EXPECT(a.kind == UI_ACT_SELECT && a.widget == 4 && a.item == 2);
	HT_EXPECT_EQ(s.p.focus, 4);
	for (int i = 0; i < 3; i++)
		a = key(&s, UI_KEY_DOWN, 0);
	HT_EXPECT(a.kind == UI_ACT_SELECT && a.item == 5);
	HT_EXPECT_EQ(s.list.top, 2); /* row 5 shown as the last of 4 */
	HT_EXPECT(key(&s, UI_KEY_DOWN, 0).kind == UI_ACT_NONE);
	key(&s, UI_KEY_HOME, 0);
	HT_EXPECT(s.list.selected == 0 && s.list.top == 0);
	struct ui_event wheel = ui_pointer(50, 150, 0, 5);
	ui_panel_event(&s.p, &wheel);
	HT_EXPECT_EQ(s.list.top, 2); /* clamped to 6 - 4 */
}

/* content 400 in a view of 103: offset at most 297; a wheel step is
 * 3 lines = 48 px; the thumb is 103 * 103 / 400 = 26 high at
 * (103 - 26) * 48 / 297 = 12, on the right 10 px of the view. */
HTEST(scroll_views)
{
	struct scene s;
	build(&s);
	HT_EXPECT(gfx_rect_empty(gfx_rect_intersect(ui_scroll_thumb(&s.scroll), s.list.r)));
	struct ui_event wheel = ui_pointer(50, 250, 0, 1);
	ui_panel_event(&s.p, &wheel);
	HT_EXPECT_EQ(s.scroll.offset, 48);
	HT_EXPECT(rect_is(ui_scroll_thumb(&s.scroll), 185, 204, 10, 26));
	wheel.wheel = 100;
	ui_panel_event(&s.p, &wheel);
	HT_EXPECT_EQ(s.scroll.offset, 297);
	wheel.wheel = -1000;
	ui_panel_event(&s.p, &wheel);
	HT_EXPECT_EQ(s.scroll.offset, 0);
}

HTEST(tab_moves_focus_through_focusable_widgets)
{
	struct scene s;
	build(&s);
	const int order[] = {2, 3, 4, 5, 2};
	for (int i = 0; i < 5; i++) {
		key(&s, UI_KEY_TAB, 0);
		HT_EXPECT_EQ(s.p.focus, order[i]);
	}
}

HTEST(text_field_editing)
{
	struct scene s;
	build(&s);
	click(&s, 50, 70);
	HT_ASSERT(s.p.focus == 2);
	const uint32_t typed[] = {'h', 0xe9, 'l', 'l', 'o'};
	struct ui_action a;
	for (int i = 0; i < 5; i++)
		a = key(&s, UI_KEY_CHAR, typed[i]);
	HT_EXPECT(a.kind == UI_ACT_CHANGE && a.widget == 2);
	HT_EXPECT_STREQ(s.field.buf, "h\xc3\xa9llo");
	HT_EXPECT_EQ(s.field.cursor, 6);
	key(&s, UI_KEY_LEFT, 0);
	key(&s, UI_KEY_LEFT, 0);
	key(&s, UI_KEY_BACKSPACE, 0); /* the first l */
	HT_EXPECT_STREQ(s.field.buf, "h\xc3\xa9lo");
	HT_EXPECT_EQ(s.field.cursor, 3);
	key(&s, UI_KEY_LEFT, 0); /* over é: two bytes */
	HT_EXPECT_EQ(s.field.cursor, 1);
	key(&s, UI_KEY_DELETE, 0);
	HT_EXPECT_STREQ(s.field.buf, "hlo");
	key(&s, UI_KEY_HOME, 0);
	HT_EXPECT(key(&s, UI_KEY_BACKSPACE, 0).kind == UI_ACT_NONE);
	key(&s, UI_KEY_END, 0);
	HT_EXPECT(key(&s, UI_KEY_DELETE, 0).kind == UI_ACT_NONE);
	HT_EXPECT(key(&s, UI_KEY_CHAR, 0x07).kind == UI_ACT_NONE);   /* a control character */
	HT_EXPECT(key(&s, UI_KEY_CHAR, 0xd800).kind == UI_ACT_NONE); /* a surrogate */
	a = key(&s, UI_KEY_ENTER, 0);
	HT_EXPECT(a.kind == UI_ACT_SUBMIT && a.widget == 2);
	/* full: 127 bytes and the NUL; a 2-byte character no longer fits */
	for (int i = 0; i < 200; i++)
		key(&s, UI_KEY_CHAR, 'x');
	HT_EXPECT_EQ(s.field.len, UI_FIELD_MAX - 1);
	key(&s, UI_KEY_BACKSPACE, 0);
	HT_EXPECT(key(&s, UI_KEY_CHAR, 0xe9).kind == UI_ACT_NONE);
	HT_EXPECT(key(&s, UI_KEY_CHAR, 'y').kind == UI_ACT_CHANGE);
	HT_EXPECT_EQ(strlen(s.field.buf), UI_FIELD_MAX - 1);
	/* set truncates at a code point */
	char big[300];
	memset(big, 'a', sizeof big);
	big[126] = (char)0xc3, big[127] = (char)0xa9, big[299] = 0;
	ui_field_set(&s.field, big);
	HT_EXPECT_EQ(s.field.len, 126);
}

static void *h_alloc(size_t n, void *ctx)
{
	(void)ctx;
	return malloc(n);
}

static void h_free(void *p, void *ctx)
{
	(void)ctx;
	free(p);
}

/* Drawn on DejaVu Sans: the button's edge colour on its frame, its face
 * inside, and text ink in the label's box only left of its text's width. */
HTEST(drawing_puts_things_where_the_layout_says)
{
	static unsigned char font_data[1 << 20];
	FILE *ff = fopen("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "rb");
	HT_ASSERT(ff);
	size_t n = fread(font_data, 1, sizeof font_data, ff);
	fclose(ff);
	static struct font f;
	static const struct font_alloc heap = {h_alloc, h_free, NULL};
	HT_ASSERT(font_open(&f, font_data, n, &heap) == ERR_OK);
	static uint32_t px[200 * 300];
	struct gfx_surface surf;
	HT_ASSERT(gfx_surface_init(&surf, px, 200, 300, 200));
	struct scene s;
	build(&s);
	struct ui_theme t = {&f,         13,         0xffeeeeee, 0xff000000, 0xffcccccc,
	                     0xff555555, 0xff3366cc, 0xffffffff, 0xffffffff};
	gfx_fill(&surf, gfx_rect(0, 0, 200, 300), t.bg);
	ui_panel_draw(&s.p, &surf, &t);
	HT_EXPECT_EQ(gfx_get(&surf, 5, 92), t.edge);
	HT_EXPECT_EQ(gfx_get(&surf, 194, 115), t.edge);
	HT_EXPECT_EQ(gfx_get(&surf, 150, 100), t.face);
	int text_w = font_width(&f, 13, "Name", 4), ink = 0, stray = 0;
	for (int y = 34; y < 58; y++)
		for (int x = 5; x < 195; x++)
			if (gfx_get(&surf, x, y) != t.bg) {
				ink++;
				stray += x >= 5 + UI_PAD + text_w + 1;
			}
	HT_EXPECT(ink > 20);
	HT_EXPECT_EQ(stray, 0);
	HT_EXPECT(!s.p.dirty);
	font_close(&f);
}

HTEST_MAIN("ui")
