/* lib/term: the VT100 subset against screens written out by hand (what a
 * VT100 / xterm shows for the same bytes: ECMA-48 and DEC's VT100 User
 * Guide), scrolling, wrapping, UTF-8 split across writes, replies, keys,
 * and the drawing of a cell with DejaVu Sans Mono. */
#include <font/font.h>
#include <stdlib.h>
#include <term/draw.h>
#include <term/term.h>
#include <ui/event.h>

#include "../htest.h"

static struct term_cell cells[TERM_COLS_MAX * TERM_ROWS_MAX];

static struct term *fresh(int cols, int rows)
{
	static struct term t;
	HT_ASSERT(term_init(&t, cells, cols, rows));
	return &t;
}

static void w(struct term *t, const char *s)
{
	term_write(t, s, strlen(s));
}

/* Row y as text (code points below 0x80; others as '?'), trailing blanks cut. */
static const char *row(const struct term *t, int y)
{
	static char buf[TERM_COLS_MAX + 1];
	int n = 0;
	for (int x = 0; x < t->cols; x++) {
		uint32_t cp = term_cell(t, x, y)->cp;
		buf[n++] = cp < 0x80 ? (char)cp : '?';
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	return buf;
}

HTEST(text_crlf_and_controls)
{
	struct term *t = fresh(10, 4);
	w(t, "ab\r\ncd\bX\tY");
	HT_EXPECT_STREQ(row(t, 0), "ab");
	HT_EXPECT_STREQ(row(t, 1), "cX      Y"); /* BS back over d, HT to column 8 */
	HT_EXPECT_EQ(t->x, 9);
	w(t, "\n"); /* LF alone: down, same column */
	HT_EXPECT_EQ(t->y, 2);
	HT_EXPECT_EQ(t->x, 9);
	w(t, "\a\x7f"); /* BEL and DEL: nothing */
	HT_EXPECT_EQ(t->x, 9);
}

HTEST(cursor_moves_are_clamped_and_one_based)
{
	struct term *t = fresh(20, 10);
	w(t, "\033[5;7H");
	HT_EXPECT_EQ(t->y, 4);
	HT_EXPECT_EQ(t->x, 6);
	w(t, "\033[2A\033[3C");
	HT_EXPECT_EQ(t->y, 2);
	HT_EXPECT_EQ(t->x, 9);
	w(t, "\033[99B\033[99D"); /* clamped to the screen */
	HT_EXPECT_EQ(t->y, 9);
	HT_EXPECT_EQ(t->x, 0);
	w(t, "\033[H");
	HT_EXPECT_EQ(t->y, 0);
	HT_EXPECT_EQ(t->x, 0);
	w(t, "\033[0;0f\033[12G"); /* 0 counts as 1 */
	HT_EXPECT_EQ(t->x, 11);
	w(t, "\033[3E");
	HT_EXPECT_EQ(t->y, 3);
	HT_EXPECT_EQ(t->x, 0);
}

HTEST(erase_in_line_and_display)
{
	struct term *t = fresh(8, 3);
	w(t, "abcdefgh\r\nijklmnop\r\nqrstuvwx");
	w(t, "\033[2;4H\033[K");
	HT_EXPECT_STREQ(row(t, 1), "ijk");
	w(t, "\033[1;3H\033[1K");
	HT_EXPECT_STREQ(row(t, 0), "   defgh");
	w(t, "\033[3;5H\033[2K");
	HT_EXPECT_STREQ(row(t, 2), "");
	w(t, "\033[1;5H\033[J");
	HT_EXPECT_STREQ(row(t, 0), "   d");
	HT_EXPECT_STREQ(row(t, 1), "");
	w(t, "\033[2J");
	HT_EXPECT_STREQ(row(t, 0), "");
	HT_EXPECT_EQ(t->x, 4); /* erasing does not move the cursor */
}

HTEST(insert_and_delete_characters_and_lines)
{
	struct term *t = fresh(8, 4);
	w(t, "abcdef\033[1;3H\033[2@");
	HT_EXPECT_STREQ(row(t, 0), "ab  cdef");
	w(t, "\033[3P");
	HT_EXPECT_STREQ(row(t, 0), "abdef");
	w(t, "\033[2X");
	HT_EXPECT_STREQ(row(t, 0), "ab  f");
	w(t, "\033[2;1Hline2\r\nline3\r\nline4\033[2;1H\033[L");
	HT_EXPECT_STREQ(row(t, 1), "");
	HT_EXPECT_STREQ(row(t, 2), "line2");
	HT_EXPECT_STREQ(row(t, 3), "line3"); /* line4 pushed off */
	w(t, "\033[2M");
	HT_EXPECT_STREQ(row(t, 1), "line3");
	HT_EXPECT_STREQ(row(t, 2), "");
}

HTEST(sgr_colours_and_attributes)
{
	struct term *t = fresh(10, 2);
	w(t, "\033[1;31;42mA\033[0mB\033[7;94;103mC\033[27;39;49mD\033[mE");
	const struct term_cell *a = term_cell(t, 0, 0), *b = term_cell(t, 1, 0),
	                       *c = term_cell(t, 2, 0), *d = term_cell(t, 3, 0);
	HT_EXPECT_EQ(a->fg, 1);
	HT_EXPECT_EQ(a->bg, 2);
	HT_EXPECT_EQ(a->attr, TERM_BOLD);
	HT_EXPECT_EQ(b->fg, TERM_FG_DEFAULT);
	HT_EXPECT_EQ(b->bg, TERM_BG_DEFAULT);
	HT_EXPECT_EQ(b->attr, 0);
	HT_EXPECT_EQ(c->fg, 12);
	HT_EXPECT_EQ(c->bg, 11);
	HT_EXPECT_EQ(c->attr, TERM_REVERSE);
	HT_EXPECT_EQ(d->fg, TERM_FG_DEFAULT);
	HT_EXPECT_EQ(d->attr, 0);
	/* erased cells take the pen's background (ECMA-48 / xterm) */
	w(t, "\033[44m\033[2;1H\033[K");
	HT_EXPECT_EQ(term_cell(t, 5, 1)->bg, 4);
}

HTEST(wrapping_is_deferred_at_the_last_column)
{
	struct term *t = fresh(5, 3);
	w(t, "abcde");
	HT_EXPECT_EQ(t->x, 4); /* still on the last column, wrap pending */
	HT_EXPECT_EQ(t->y, 0);
	HT_EXPECT(t->wrap_pending);
	w(t, "\r"); /* CR cancels the pending wrap */
	HT_EXPECT_EQ(t->y, 0);
	w(t, "\033[1;5Hef");
	HT_EXPECT_STREQ(row(t, 0), "abcde");
	HT_EXPECT_STREQ(row(t, 1), "f");
	w(t, "\033[?7l\033[3;1Hvwxyz12"); /* no auto-wrap: the last column is overwritten */
	HT_EXPECT_STREQ(row(t, 2), "vwxy2");
	HT_EXPECT_EQ(t->y, 2);
}

HTEST(scrolling_at_the_bottom_and_in_a_region)
{
	struct term *t = fresh(4, 3);
	w(t, "1\r\n2\r\n3\r\n4");
	HT_EXPECT_STREQ(row(t, 0), "2");
	HT_EXPECT_STREQ(row(t, 2), "4");
	HT_EXPECT_EQ(t->scrolled, 1);
	w(t, "abcdefgh"); /* wraps at the bottom: two more lines scroll */
	HT_EXPECT_STREQ(row(t, 0), "4abc");
	HT_EXPECT_STREQ(row(t, 1), "defg");
	HT_EXPECT_STREQ(row(t, 2), "h");
	HT_EXPECT_EQ(t->scrolled, 3);

	t = fresh(4, 5);
	w(t, "top\r\nA\r\nB\r\nC\r\nbot");
	w(t, "\033[2;4r"); /* rows 2..4 scroll; the cursor goes home */
	HT_EXPECT_EQ(t->y, 0);
	w(t, "\033[4;1H\nD");
	HT_EXPECT_STREQ(row(t, 0), "top");
	HT_EXPECT_STREQ(row(t, 1), "B");
	HT_EXPECT_STREQ(row(t, 3), "D");
	HT_EXPECT_STREQ(row(t, 4), "bot");
	w(t, "\033[2;1H\033M"); /* reverse index at the top margin */
	HT_EXPECT_STREQ(row(t, 1), "");
	HT_EXPECT_STREQ(row(t, 2), "B");
	HT_EXPECT_STREQ(row(t, 4), "bot");
	HT_EXPECT_EQ(t->scrolled, 0); /* the region does not start at the top */
}

HTEST(save_restore_reset_and_report)
{
	struct term *t = fresh(20, 5);
	w(t, "\033[3;4H\033[31m\0337\033[H\033[0mx\0338y");
	HT_EXPECT_EQ(term_cell(t, 3, 2)->cp, 'y');
	HT_EXPECT_EQ(term_cell(t, 3, 2)->fg, 1); /* the pen came back too */
	w(t, "\033[5;12H\033[6n");
	char r[TERM_REPLY];
	size_t n = term_take_reply(t, r, sizeof r);
	HT_ASSERT(n == 7);
	HT_EXPECT(memcmp(r, "\033[5;12R", 7) == 0);
	HT_EXPECT_EQ(term_take_reply(t, r, sizeof r), 0);
	w(t, "\033[?25l");
	HT_EXPECT(!t->cursor_shown);
	w(t, "\033c");
	HT_EXPECT(t->cursor_shown);
	HT_EXPECT_STREQ(row(t, 2), "");
	HT_EXPECT_EQ(t->x, 0);
}

HTEST(utf8_split_across_writes_and_bad_bytes)
{
	struct term *t = fresh(10, 2);
	const char *s = "\xc3\xa9\xe2\x82\xac"; /* é € */
	term_write(t, s, 1);
	HT_EXPECT_EQ(t->x, 0);
	term_write(t, s + 1, 3);
	HT_EXPECT_EQ(term_cell(t, 0, 0)->cp, 0xe9);
	term_write(t, s + 4, 1);
	HT_EXPECT_EQ(term_cell(t, 1, 0)->cp, 0x20ac);
	w(t, "\xff\xc3(\xed\xa0\x80"); /* bad byte; a cut sequence; a surrogate */
	HT_EXPECT_EQ(term_cell(t, 2, 0)->cp, 0xfffd);
	HT_EXPECT_EQ(term_cell(t, 3, 0)->cp, 0xfffd);
	HT_EXPECT_EQ(term_cell(t, 4, 0)->cp, '(');
	HT_EXPECT_EQ(term_cell(t, 5, 0)->cp, 0xfffd);
}

HTEST(unknown_and_broken_sequences_are_consumed)
{
	struct term *t = fresh(10, 2);
	w(t, "\033[?1049h\033(Bok\033[99;99;99;99;99;99;99;99;99;99m!\033[12\nz$");
	HT_EXPECT_STREQ(row(t, 0), "ok!");
	HT_EXPECT_EQ(term_cell(t, 2, 0)->fg, TERM_FG_DEFAULT);
	/* a control inside a sequence is carried out, the sequence goes on
	 * (ECMA-48 5.5): LF moves down, CSI 12 z is unknown, '$' is text */
	HT_EXPECT_STREQ(row(t, 1), "   $");
	w(t, "\033[3\030A\033[1\033[2CB"); /* CAN cancels; ESC starts anew */
	HT_EXPECT_STREQ(row(t, 1), "   $A  B");
}

HTEST(keys_encode_as_a_vt100_sends_them)
{
	char b[8];
	struct ui_event e = ui_key(UI_KEY_UP, 0);
	HT_ASSERT(term_key(&e, b) == 3);
	HT_EXPECT(memcmp(b, "\033[A", 3) == 0);
	e = ui_key(UI_KEY_DELETE, 0);
	HT_ASSERT(term_key(&e, b) == 4);
	HT_EXPECT(memcmp(b, "\033[3~", 4) == 0);
	e = ui_key(UI_KEY_ENTER, 0);
	HT_EXPECT(term_key(&e, b) == 1 && b[0] == '\r');
	e = ui_key(UI_KEY_BACKSPACE, 0);
	HT_EXPECT(term_key(&e, b) == 1 && b[0] == 0x7f);
	e = ui_key(UI_KEY_CHAR, 'C');
	e.mods = UI_MOD_CTRL;
	HT_EXPECT(term_key(&e, b) == 1 && b[0] == 3);
	e = ui_key(UI_KEY_CHAR, 0x20ac);
	HT_ASSERT(term_key(&e, b) == 3);
	HT_EXPECT(memcmp(b, "\xe2\x82\xac", 3) == 0);
	e.down = 0;
	HT_EXPECT_EQ(term_key(&e, b), 0);
}

/* ---- drawing ---- */

static void *h_alloc(size_t n, void *c)
{
	(void)c;
	return malloc(n);
}

static void h_free(void *p, void *c)
{
	(void)c;
	free(p);
}

static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	void *p = malloc(*size);
	if (p && fread(p, 1, *size, f) != *size) {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/* DejaVu Sans Mono advances every glyph 1233 of 2048 units, its hhea
 * ascent 1901, descent -483 (fonts-dejavu-core's file; ttx shows them):
 * at 16 px a cell is round(16 / 2384 * 1233) = 8 wide.  An 'X' at (2, 1)
 * puts ink in that cell only; the cursor cell is filled with the
 * foreground; a redraw touches only dirty rows. */
HTEST(cells_are_drawn_where_the_grid_says)
{
	size_t size;
	void *data = slurp("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", &size);
	HT_ASSERT(data);
	static struct font f;
	const struct font_alloc a = {h_alloc, h_free, NULL};
	HT_ASSERT(font_open(&f, data, size, &a) == ERR_OK);
	struct term_look l;
	term_look_init(&l, &f, 16);
	HT_EXPECT_EQ(l.cell_w, 8);
	int cols, rows;
	term_look_grid(&l, 80, 60, &cols, &rows);
	HT_EXPECT_EQ(cols, 10);
	HT_EXPECT_EQ(rows, 60 / l.cell_h);

	static uint32_t px[80 * 80];
	struct gfx_surface s;
	HT_ASSERT(gfx_surface_init(&s, px, 80, 80, 80));
	term_look_grid(&l, 80, 80, &cols, &rows);
	HT_ASSERT(rows >= 4);
	struct term *t = fresh(cols, rows);
	w(t, "\033[2;3HX\033[4;1H");
	struct gfx_rect r = term_draw(t, &l, &s, 0, 0, true);
	HT_EXPECT_EQ(r.w, 80);
	uint32_t bg = l.palette[TERM_BG_DEFAULT], fg = l.palette[TERM_FG_DEFAULT];
	int ink_in = 0, ink_out = 0;
	for (int y = 0; y < 2 * l.cell_h; y++)
		for (int x = 0; x < 80; x++) {
			bool in = x >= 16 && x < 24 && y >= l.cell_h;
			if (px[y * 80 + x] != bg)
				in ? ink_in++ : ink_out++;
		}
	HT_EXPECT(ink_in > 10);
	HT_EXPECT_EQ(ink_out, 0);
	HT_EXPECT_EQ(px[(3 * l.cell_h + 2) * 80 + 3], fg); /* the cursor block at (0, 3) */
	/* nothing changed: only the cursor's row is redrawn */
	r = term_draw(t, &l, &s, 0, 0, false);
	HT_EXPECT_EQ(r.y, 3 * l.cell_h);
	HT_EXPECT_EQ(r.h, l.cell_h);
	font_close(&f);
	free(data);
}

HTEST_MAIN("term")
