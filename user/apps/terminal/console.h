/* The terminal's console: the byte stream between the terminal and the
 * program it runs.  Keys go in (console_input: what term_key made of
 * them), text comes out (console_output: UTF-8 and VT100 sequences for
 * lib/term).  This is the one place a shell attaches: its console stream
 * (an rt/chan channel, user/shell) will be a second implementation of
 * these three functions.  Until then a line echo stands in: it echoes
 * what is typed (Backspace erases), and answers each line. */
#ifndef TERMINAL_CONSOLE_H
#define TERMINAL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_LINE 128
#define CONSOLE_OUT  1024

struct console {
	char line[CONSOLE_LINE];
	size_t len;
	char out[CONSOLE_OUT]; /* bytes for the terminal, not yet taken */
	size_t out_len;
	bool in_escape; /* skipping a key's escape sequence */
};

/* The stream's start: a greeting and the prompt. */
void console_init(struct console *c);
/* Bytes from the terminal (keys). */
void console_input(struct console *c, const char *b, size_t n);
/* Takes up to max bytes for the terminal; their count. */
size_t console_output(struct console *c, char *out, size_t max);

#endif
