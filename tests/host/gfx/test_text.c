/* lib/ui's multi-line text field (text.h): editing, moving by lines and
 * columns (code points), the buffer's limit, scrolling; every expected
 * text and position worked out by hand. */
#include <ui/text.h>

#include "../htest.h"

static char buf[64];
static struct ui_text t;

static void key(enum ui_key k, uint32_t cp)
{
	struct ui_event e = ui_key(k, cp);
	ui_text_key(&t, &e);
}

static void type(const char *s)
{
	for (; *s; s++)
		key(*s == '\n' ? UI_KEY_ENTER : UI_KEY_CHAR, (unsigned char)*s);
}

static bool is(const char *s)
{
	return t.len == strlen(s) && memcmp(t.buf, s, t.len) == 0;
}

HTEST(typing_makes_lines)
{
	ui_text_init(&t, buf, sizeof buf);
	HT_EXPECT_EQ(ui_text_lines(&t), 1);
	type("ab\ncd\n");
	HT_EXPECT(is("ab\ncd\n"));
	HT_EXPECT_EQ(ui_text_lines(&t), 3);
	int col;
	HT_EXPECT_EQ(ui_text_line_of(&t, t.cursor, &col), 2);
	HT_EXPECT_EQ(col, 0);
	HT_EXPECT_EQ(ui_text_offset(&t, 1, 1), 4);  /* 'd' */
	HT_EXPECT_EQ(ui_text_offset(&t, 1, 99), 5); /* clamped to the line's end */
	HT_EXPECT_EQ(ui_text_offset(&t, 9, 0), 6);  /* clamped to the text */
}

HTEST(backspace_and_delete_join_lines)
{
	ui_text_init(&t, buf, sizeof buf);
	HT_ASSERT(ui_text_set(&t, "ab\ncd", 5));
	t.cursor = 3; /* start of "cd" */
	key(UI_KEY_BACKSPACE, 0);
	HT_EXPECT(is("abcd"));
	HT_EXPECT_EQ(t.cursor, 2);
	key(UI_KEY_DELETE, 0);
	HT_EXPECT(is("abd"));
	t.cursor = 3;
	key(UI_KEY_DELETE, 0); /* at the end: nothing */
	HT_EXPECT(is("abd"));
	t.cursor = 0;
	key(UI_KEY_BACKSPACE, 0);
	HT_EXPECT(is("abd"));
}

HTEST(up_and_down_keep_the_column)
{
	ui_text_init(&t, buf, sizeof buf);
	HT_ASSERT(ui_text_set(&t, "hello\nhi\nworld", 14));
	t.cursor = 4; /* hell|o: column 4 */
	key(UI_KEY_DOWN, 0);
	HT_EXPECT_EQ(t.cursor, 8); /* "hi" has 2 columns: its end */
	key(UI_KEY_DOWN, 0);
	HT_EXPECT_EQ(t.cursor, 13); /* back to column 4 on "world" */
	key(UI_KEY_DOWN, 0);
	HT_EXPECT_EQ(t.cursor, 13); /* the last line: stays */
	key(UI_KEY_UP, 0);
	key(UI_KEY_UP, 0);
	HT_EXPECT_EQ(t.cursor, 4);
	key(UI_KEY_END, 0);
	HT_EXPECT_EQ(t.cursor, 5);
	key(UI_KEY_HOME, 0);
	HT_EXPECT_EQ(t.cursor, 0);
	key(UI_KEY_LEFT, 0);
	HT_EXPECT_EQ(t.cursor, 0);
	key(UI_KEY_RIGHT, 0);
	HT_EXPECT_EQ(t.cursor, 1);
}

HTEST(utf8_moves_and_deletes_whole_code_points)
{
	ui_text_init(&t, buf, sizeof buf);
	key(UI_KEY_CHAR, 0xe9);   /* é: 2 bytes */
	key(UI_KEY_CHAR, 0x20ac); /* €: 3 bytes */
	key(UI_KEY_CHAR, 'x');
	HT_EXPECT(is("\xc3\xa9\xe2\x82\xac"
	             "x"));
	int col;
	ui_text_line_of(&t, t.cursor, &col);
	HT_EXPECT_EQ(col, 3);
	key(UI_KEY_LEFT, 0);
	key(UI_KEY_LEFT, 0);
	HT_EXPECT_EQ(t.cursor, 2);
	key(UI_KEY_DELETE, 0);
	HT_EXPECT(is("\xc3\xa9x"));
	key(UI_KEY_BACKSPACE, 0);
	HT_EXPECT(is("x"));
	key(UI_KEY_CHAR, 0xd800); /* a surrogate is no character */
	HT_EXPECT(is("x"));
}

HTEST(the_buffer_limit_refuses_and_keeps_the_text)
{
	char small[4];
	ui_text_init(&t, small, sizeof small);
	type("abcd");
	HT_EXPECT(is("abcd"));
	type("e");
	HT_EXPECT(is("abcd"));
	HT_EXPECT(!ui_text_set(&t, "abcde", 5));
	HT_EXPECT(is("abcd"));
	key(UI_KEY_BACKSPACE, 0);
	key(UI_KEY_CHAR, 0x20ac); /* 3 bytes into 1 free: refused */
	HT_EXPECT(is("abc"));
}

HTEST(page_keys_move_by_the_rows_shown)
{
	static char big[256];
	ui_text_init(&t, big, sizeof big);
	type("0\n1\n2\n3\n4\n5\n6\n7\n8\n9");
	t.rows = 4;
	t.cursor = 0;
	key(UI_KEY_PAGEDOWN, 0);
	HT_EXPECT_EQ(ui_text_line_of(&t, t.cursor, NULL), 3);
	key(UI_KEY_PAGEDOWN, 0);
	key(UI_KEY_PAGEDOWN, 0);
	key(UI_KEY_PAGEDOWN, 0);
	HT_EXPECT_EQ(ui_text_line_of(&t, t.cursor, NULL), 9);
	key(UI_KEY_PAGEUP, 0);
	HT_EXPECT_EQ(ui_text_line_of(&t, t.cursor, NULL), 6);
}

HTEST_MAIN("ui_text")
