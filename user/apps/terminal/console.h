/* The terminal's console: the byte stream between the terminal and the
 * shell it runs (rt/consproto.h), the terminal being the console driver,
 * as user/drivers/serial is on COM1.  console_init spawns the shell (the
 * boot module `shell`, from the terminal's budget, with the service
 * `control` handed on so it reaches init, and every module) and joins
 * them with a channel of the terminal's memory.  Keys go in
 * (console_input: what term_key made of them), text comes out
 * (console_output: UTF-8 and VT100 sequences for lib/term, "\n" as
 * "\r\n"); each whole line of output also goes to the log (without its
 * escape sequences: what tests read). */
#ifndef TERMINAL_CONSOLE_H
#define TERMINAL_CONSOLE_H

#include <rt/chan.h>
#include <rt/spawn.h>
#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_LINE  160
#define CONSOLE_ENDED (1ull << 7) /* the terminal's notification: the shell stopped */

struct console {
	bool up, ended;
	struct rt_chan ch;
	struct spawn_child shell;
	struct rt_capref frame;
	char pending[URPC_PAYLOAD_MAX * 2]; /* output not yet taken */
	size_t pending_len;
	char line[CONSOLE_LINE]; /* the output line being logged */
	size_t line_len;
	bool in_escape;
};

/* Starts the shell on a channel of its own.  Its errors (said on the log
 * and in the terminal by console_output). */
enum err console_init(struct console *c);
/* The channel to wait on with the window's (NULL: no shell). */
struct rt_chan *console_chan(struct console *c);
/* The terminal's size in cells (CONS_SIZE to the shell). */
void console_size(struct console *c, int cols, int rows);
/* Bytes from the terminal (keys). */
void console_input(struct console *c, const char *b, size_t n);
/* Takes up to max bytes for the terminal; their count (0: none now). */
size_t console_output(struct console *c, char *out, size_t max);

#endif
