/* The line echo that stands in for a shell (console.h). */
#include "console.h"

#include <string/mem.h>

#define PROMPT "\033[1;32mtessera\033[0m> "

static void emit(struct console *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n && c->out_len < CONSOLE_OUT; i++)
		c->out[c->out_len++] = s[i];
}

static void emits(struct console *c, const char *s)
{
	emit(c, s, strlen(s));
}

void console_init(struct console *c)
{
	*c = (struct console){0};
	emits(c, "Tessera terminal (VT100). No shell is attached yet:\r\n"
	         "lines are echoed back.\r\n" PROMPT);
}

/* A whole line typed: the answer, then the prompt. */
static void line_done(struct console *c)
{
	emits(c, "\r\n");
	if (c->len) {
		emits(c, "\033[36m");
		if (c->len > 5 && !memcmp(c->line, "echo ", 5))
			emit(c, c->line + 5, c->len - 5);
		else
			emit(c, c->line, c->len);
		emits(c, "\033[0m\r\n");
	}
	c->len = 0;
	emits(c, PROMPT);
}

void console_input(struct console *c, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)b[i];
		if (c->in_escape) { /* ESC [ ... final: a key we do not edit with */
			if (ch >= 0x40 && ch <= 0x7e && ch != '[')
				c->in_escape = false;
		} else if (ch == 0x1b) {
			c->in_escape = true;
		} else if (ch == '\r') {
			line_done(c);
		} else if (ch == 0x7f || ch == '\b') {
			if (c->len) {
				do /* a whole UTF-8 sequence */
					c->len--;
				while (c->len && ((unsigned char)c->line[c->len] & 0xc0) == 0x80);
				emits(c, "\b \b");
			}
		} else if (ch >= 0x20 && c->len < CONSOLE_LINE - 1) {
			c->line[c->len++] = (char)ch;
			emit(c, (const char *)&ch, 1);
		}
	}
}

size_t console_output(struct console *c, char *out, size_t max)
{
	size_t n = c->out_len < max ? c->out_len : max;
	memcpy(out, c->out, n);
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
	return n;
}
