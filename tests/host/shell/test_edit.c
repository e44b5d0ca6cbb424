/* lib/shell: the line editor fed keys as a terminal sends them (escape
 * sequences included), and tab completion from the fixtures' signatures.
 * Expected lines and drawn output are written by hand. */
#include <stdio.h>

#include "../htest.h"
#include "util.h"

static char drawn[8192];
static size_t drawn_len;

static void draw(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (drawn_len + n < sizeof drawn) {
		memcpy(drawn + drawn_len, s, n);
		drawn_len += n;
		drawn[drawn_len] = 0;
	}
}

static const struct shell_out out = {draw, NULL, 80};
static struct shell_edit ed;

/* A fresh editor (over a fresh shell) with its prompt drawn. */
static void start(void)
{
	shell_edit_init(&ed, &out, t_shell(), "> ");
	shell_edit_start(&ed);
	drawn_len = 0;
	drawn[0] = 0;
}

/* Feeds keys; returns the events other than NONE, one letter each
 * (L line, C cancel, E end), in order. */
static const char *feed(const char *keys)
{
	static char events[64];
	size_t n = 0;
	for (; *keys; keys++) {
		enum shell_edit_event e = shell_edit_feed(&ed, (uint8_t)*keys);
		if (e != SHELL_EDIT_NONE && n + 1 < sizeof events)
			events[n++] = e == SHELL_EDIT_LINE     ? 'L'
			              : e == SHELL_EDIT_CANCEL ? 'C'
			                                       : 'E';
	}
	events[n] = 0;
	return events;
}

HTEST(typing_and_enter)
{
	start();
	HT_EXPECT_STREQ(feed("ps\r"), "L");
	HT_EXPECT_STREQ(ed.line, "ps");
	HT_EXPECT_STREQ(drawn, "ps\r\n");
}

HTEST(left_then_insert_redraws)
{
	start();
	feed("ps\x1b[Dx");
	HT_EXPECT_STREQ(ed.line, "pxs");
	HT_EXPECT_EQ(ed.cur, 2);
	HT_EXPECT_STREQ(drawn, "ps\x1b[D\r> pxs\x1b[K\x1b[1D");
}

HTEST(home_end_in_every_spelling)
{
	start();
	feed("abc\x1b[Hx\x1b[Fy");
	HT_EXPECT_STREQ(ed.line, "xabcy");
	feed("\x1b[1~1\x1b[4~4\x1bOH7\x1bOF8\x01"
	     "a\x05"
	     "e");
	HT_EXPECT_STREQ(ed.line, "a71xabcy48e");
	feed("\x1b[D\x1b[D\x02\x06\x06z");
	HT_EXPECT_STREQ(ed.line, "a71xabcy48ze");
}

HTEST(backspace_delete_kill)
{
	start();
	feed("abcd\x7f");
	HT_EXPECT_STREQ(ed.line, "abc");
	HT_EXPECT_STREQ(drawn, "abcd\r> abc\x1b[K");
	feed("\x1b[D\x1b[3~");
	HT_EXPECT_STREQ(ed.line, "ab");
	feed("\x1b[D\x08");
	HT_EXPECT_STREQ(ed.line, "b");
	feed("xyz\x1b[D\x0b");
	HT_EXPECT_STREQ(ed.line, "xy");
	feed("\x1b[D\x15");
	HT_EXPECT_STREQ(ed.line, "y");
	HT_EXPECT_EQ(ed.cur, 0);
	feed("\x04");
	HT_EXPECT_STREQ(ed.line, "");
}

HTEST(history_up_and_down)
{
	start();
	HT_EXPECT_STREQ(feed("ps\r"), "L");
	shell_edit_start(&ed);
	HT_EXPECT_STREQ(feed("mem\r"), "L");
	shell_edit_start(&ed);
	feed("x\x1b[A");
	HT_EXPECT_STREQ(ed.line, "mem");
	feed("\x1b[A");
	HT_EXPECT_STREQ(ed.line, "ps");
	feed("\x1b[A");
	HT_EXPECT_STREQ(ed.line, "ps");
	feed("\x1b[B");
	HT_EXPECT_STREQ(ed.line, "mem");
	feed("\x1b[B");
	HT_EXPECT_STREQ(ed.line, "x");
	feed("\x10\x10\x0e");
	HT_EXPECT_STREQ(ed.line, "mem");
	HT_EXPECT_STREQ(feed("\r"), "L"); /* the same line again: kept once */
	HT_EXPECT_EQ(ed.nhist, 2);
}

HTEST(ctrl_c_ctrl_d_and_crlf)
{
	start();
	HT_EXPECT_STREQ(feed("abc\x03"), "C");
	HT_EXPECT_STREQ(ed.line, "");
	HT_EXPECT_STREQ(drawn, "abc^C\r\n");
	shell_edit_start(&ed);
	HT_EXPECT_STREQ(feed("a\x04"), "");
	HT_EXPECT_STREQ(feed("\x1b[D\x04\x04"), "E");
	shell_edit_start(&ed);
	HT_EXPECT_STREQ(feed("ps\r\nmem\r\n"), "LL");
	HT_EXPECT_STREQ(ed.line, "psmem"); /* not restarted between */
}

HTEST(unknown_escapes_are_dropped)
{
	start();
	feed("a\x1b[Zb\x1bxc\x1b[99~d");
	HT_EXPECT_STREQ(ed.line, "abcd");
}

/* Tab on line: the line after it. */
static const char *tab(const char *line)
{
	start();
	feed(line);
	feed("\t");
	return ed.line;
}

HTEST(complete_commands_and_arguments)
{
	HT_EXPECT_STREQ(tab("sp"), "spawn ");
	HT_EXPECT_STREQ(tab("ps | so"), "ps | sort ");
	HT_EXPECT_STREQ(tab("spawn x co"), "spawn x core=");
	HT_EXPECT_STREQ(tab("ps sta"), "ps state=");
	HT_EXPECT_STREQ(tab("ps st"), "ps st"); /* state= and stopped */
	HT_EXPECT_STREQ(tab("ps state=r"), "ps state=running ");
	HT_EXPECT_STREQ(tab("ps w"), "ps waiting ");
	HT_EXPECT_STREQ(tab("help wh"), "help where ");
}

HTEST(complete_lists_several)
{
	HT_EXPECT_STREQ(tab("s"), "s");
	HT_EXPECT_STREQ(drawn, "s\r\nspawn  sort\r\n\r> s\x1b[K");
	HT_EXPECT_STREQ(tab("ps "), "ps ");
	HT_EXPECT_STREQ(drawn, "ps \r\nstate=  running  waiting  stopped\r\n\r> ps \x1b[K");
	HT_EXPECT_STREQ(tab("re"), "reverse ");
	HT_EXPECT_STREQ(tab("co"), "cores ");
	HT_EXPECT_STREQ(tab("ps | where x"), "ps | where x");
	HT_EXPECT_STREQ(drawn, "ps | where x\a");
}

HTEST(complete_shared_prefix_then_functions)
{
	struct shell *sh = t_shell();
	struct shell_cand c[8];
	size_t at;
	struct shell_plan *plan;
	struct shell_error err;
	const char *defs = "fn fast() { 1 }\nfn faster() { 2 }";
	HT_ASSERT(shell_compile(sh, defs, strlen(defs), &plan, &err) == ERR_OK);
	HT_EXPECT_EQ(shell_complete(sh, "mem; fa", 7, c, 8, &at), 2);
	HT_EXPECT_EQ(at, 5);
	HT_EXPECT_STREQ(c[0].name, "fast");
	HT_EXPECT_STREQ(c[1].name, "faster");
	HT_EXPECT_EQ(shell_complete(sh, "spawn \"a b\" me", 14, c, 8, &at), 1);
	HT_EXPECT_STREQ(c[0].name, "memory");
	HT_EXPECT(c[0].arg);
	shell_edit_init(&ed, &out, sh, "> ");
	shell_edit_start(&ed);
	feed("fa\t");
	HT_EXPECT_STREQ(ed.line, "fast");
}

/* A file tree for path completion (as README "Files" lays out the ESP):
 * /EFI, /boot, /boot/modules with two files; the directories asked. */
static char asked[8][64];
static unsigned nasked;

static uint32_t tree(void *ctx, const char *dir, char (*names)[SHELL_ENTRY_MAX], bool *dirs,
                     uint32_t max)
{
	static const struct {
		const char *dir, *name;
		bool is_dir;
	} all[] = {{"/", "EFI", true},
	           {"/", "boot", true},
	           {"/boot", "modules", true},
	           {"/boot", "limine.conf", false},
	           {"/boot/modules", "motd.txt", false},
	           {"/boot/modules", "monitor", false}};
	uint32_t n = 0;
	(void)ctx;
	if (nasked < 8)
		snprintf(asked[nasked++], sizeof asked[0], "%s", dir);
	for (size_t i = 0; i < sizeof all / sizeof all[0] && n < max; i++)
		if (!strcmp(all[i].dir, dir)) {
			snprintf(names[n], SHELL_ENTRY_MAX, "%s", all[i].name);
			dirs[n++] = all[i].is_dir;
		}
	return n;
}

HTEST(complete_paths_from_the_host)
{
	struct shell *sh = t_shell();
	struct shell_cand c[8];
	size_t at;

	nasked = 0;
	HT_EXPECT_EQ(shell_complete(sh, "cat /bo", 7, c, 8, &at), 0); /* no lister yet */
	shell_set_paths(sh, tree, NULL);
	HT_EXPECT_EQ(shell_complete(sh, "cat /bo", 7, c, 8, &at), 1);
	HT_EXPECT_EQ(at, 4);
	HT_EXPECT_STREQ(c[0].name, "/boot/");
	HT_EXPECT(c[0].dir);
	HT_EXPECT_STREQ(asked[0], "/");
	HT_EXPECT_EQ(shell_complete(sh, "ls path=/boot/modules/mo", 24, c, 8, &at), 2);
	HT_EXPECT_EQ(at, 8);
	HT_EXPECT_STREQ(asked[1], "/boot/modules");
	HT_EXPECT_STREQ(c[0].name, "/boot/modules/motd.txt");
	HT_EXPECT(!c[0].dir);
	HT_EXPECT_EQ(nasked, 2);
	HT_EXPECT_EQ(shell_complete(sh, "cores", 5, c, 8, &at), 1); /* not a path: not asked */
	HT_EXPECT_EQ(nasked, 2);
	shell_edit_init(&ed, &out, sh, "> ");
	shell_edit_start(&ed);
	feed("cat /b\tm\tmot\t");
	HT_EXPECT_STREQ(ed.line, "cat /boot/modules/motd.txt ");
	feed("\x15"); /* Ctrl-U */
	drawn_len = 0;
	feed("ls /boot/modules/mo\t");
	HT_EXPECT_STREQ(ed.line, "ls /boot/modules/mo");
	HT_EXPECT(strstr(drawn, "/boot/modules/motd.txt  /boot/modules/monitor") != NULL);
}

HTEST_MAIN("shell_edit")
