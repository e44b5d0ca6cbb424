/* The line editor: one byte in at a time, what to draw written to out.
 * Escape sequences: ESC [ A..D H F, ESC [ N ~ (1 7 home, 4 8 end, 3
 * delete), ESC O A..D H F; anything else after ESC is dropped. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

#define CANDS_MAX 64

static void put(struct shell_edit *e, const char *s, size_t n)
{
	e->out->write(e->out->ctx, s, n);
}

static void puts_(struct shell_edit *e, const char *s)
{
	put(e, s, strlen(s));
}

/* The whole line again, the cursor put back where it is. */
static void redraw(struct shell_edit *e)
{
	char back[16];
	puts_(e, "\r");
	puts_(e, e->prompt);
	put(e, e->line, e->len);
	puts_(e, "\x1b[K");
	if (e->cur < e->len) {
		fmt_snprintf(back, sizeof back, "\x1b[%zuD", e->len - e->cur);
		puts_(e, back);
	}
}

void shell_edit_init(struct shell_edit *e, const struct shell_out *out, const struct shell *sh,
                     const char *prompt)
{
	memset(e, 0, sizeof *e);
	e->out = out;
	e->sh = sh;
	e->prompt = prompt;
}

void shell_edit_start(struct shell_edit *e)
{
	e->len = e->cur = 0;
	e->line[0] = 0;
	e->browse = e->nhist;
	e->esc = 0;
	puts_(e, e->prompt);
}

static void insert(struct shell_edit *e, const char *s, size_t n)
{
	if (e->len + n >= SHELL_LINE_MAX)
		n = SHELL_LINE_MAX - 1 - e->len;
	memmove(e->line + e->cur + n, e->line + e->cur, e->len - e->cur);
	memcpy(e->line + e->cur, s, n);
	e->len += n;
	e->cur += n;
	e->line[e->len] = 0;
}

static void erase(struct shell_edit *e, size_t at, size_t n)
{
	memmove(e->line + at, e->line + at + n, e->len - at - n);
	e->len -= n;
	e->line[e->len] = 0;
	if (e->cur > at)
		e->cur = e->cur >= at + n ? e->cur - n : at;
}

static void set_line(struct shell_edit *e, const char *s)
{
	e->len = e->cur = strnlen(s, SHELL_LINE_MAX - 1);
	memcpy(e->line, s, e->len);
	e->line[e->len] = 0;
	redraw(e);
}

/* Up (-1) and down (+1) through the history; the edited line is kept. */
static void browse(struct shell_edit *e, int dir)
{
	if ((dir < 0 && e->browse == 0) || (dir > 0 && e->browse >= e->nhist))
		return;
	if (e->browse == e->nhist)
		memcpy(e->saved, e->line, e->len + 1);
	e->browse = (uint32_t)((int)e->browse + dir);
	set_line(e, e->browse == e->nhist ? e->saved : e->hist[e->browse]);
}

static void remember(struct shell_edit *e)
{
	if (!e->len || (e->nhist && !strcmp(e->hist[e->nhist - 1], e->line)))
		return;
	if (e->nhist == SHELL_HIST_MAX) {
		memmove(e->hist[0], e->hist[1], (SHELL_HIST_MAX - 1) * sizeof e->hist[0]);
		e->nhist--;
	}
	memcpy(e->hist[e->nhist++], e->line, e->len + 1);
}

/* Tab: one candidate is put in; several put in what they share, or are
 * listed when they share nothing more. */
static void complete(struct shell_edit *e)
{
	struct shell_cand c[CANDS_MAX];
	size_t start;
	uint32_t n = e->sh ? shell_complete(e->sh, e->line, e->cur, c, CANDS_MAX, &start) : 0;
	if (n == 0) {
		puts_(e, "\a");
		return;
	}
	size_t typed = e->cur - start, common = strlen(c[0].name);
	for (uint32_t i = 1; i < n && i < CANDS_MAX; i++) {
		size_t k = 0;
		while (k < common && c[i].name[k] == c[0].name[k])
			k++;
		common = k;
	}
	if (n == 1) {
		insert(e, c[0].name + typed, common - typed);
		if (!c[0].dir)
			insert(e, c[0].arg ? "=" : " ", 1);
	} else if (common > typed) {
		insert(e, c[0].name + typed, common - typed);
	} else {
		puts_(e, "\r\n");
		for (uint32_t i = 0; i < n && i < CANDS_MAX; i++) {
			puts_(e, i ? "  " : "");
			puts_(e, c[i].name);
			puts_(e, c[i].arg ? "=" : "");
		}
		puts_(e, "\r\n");
	}
	redraw(e);
}

static void move(struct shell_edit *e, size_t to)
{
	if (to + 1 == e->cur) {
		puts_(e, "\x1b[D");
	} else if (to == e->cur + 1) {
		puts_(e, "\x1b[C");
	} else if (to != e->cur) {
		e->cur = to;
		redraw(e);
	}
	e->cur = to;
}

/* The key an escape sequence ends with (final byte, and its number). */
static void escape_key(struct shell_edit *e, char final, char arg)
{
	if (final == '~')
		final = arg == '1' || arg == '7'   ? 'H'
		        : arg == '4' || arg == '8' ? 'F'
		        : arg == '3'               ? 'X'
		                                   : 0;
	switch (final) {
	case 'A': browse(e, -1); break;
	case 'B': browse(e, 1); break;
	case 'C':
		if (e->cur < e->len)
			move(e, e->cur + 1);
		break;
	case 'D':
		if (e->cur > 0)
			move(e, e->cur - 1);
		break;
	case 'H': move(e, 0); break;
	case 'F': move(e, e->len); break;
	case 'X':
		if (e->cur < e->len) {
			erase(e, e->cur, 1);
			redraw(e);
		}
		break;
	default: break;
	}
}

/* Bytes of an escape sequence; true while one is being read. */
static bool escape(struct shell_edit *e, uint8_t b)
{
	switch (e->esc) {
	case 0:
		if (b != 0x1b)
			return false;
		e->esc = 1;
		return true;
	case 1:
		e->esc = b == '[' ? 2 : b == 'O' ? 3 : 0;
		e->esc_arg = 0;
		return true;
	case 2:
		if (b >= '0' && b <= '9') {
			e->esc_arg = e->esc_arg ? 'x' : (char)b;
			return true;
		}
		e->esc = 0;
		escape_key(e, (char)b, e->esc_arg);
		return true;
	default:
		e->esc = 0;
		escape_key(e, (char)b, 0);
		return true;
	}
}

static enum shell_edit_event control(struct shell_edit *e, uint8_t b)
{
	switch (b) {
	case '\r':
	case '\n':
		puts_(e, "\r\n");
		remember(e);
		e->browse = e->nhist;
		return SHELL_EDIT_LINE;
	case 0x03:
		puts_(e, "^C\r\n");
		e->len = e->cur = 0;
		e->line[0] = 0;
		return SHELL_EDIT_CANCEL;
	case 0x04:
		if (!e->len)
			return SHELL_EDIT_EOF;
		escape_key(e, '~', '3');
		break;
	case 0x7f:
	case 0x08:
		if (e->cur > 0) {
			erase(e, e->cur - 1, 1);
			redraw(e);
		}
		break;
	case 0x01: escape_key(e, 'H', 0); break;
	case 0x05: escape_key(e, 'F', 0); break;
	case 0x02: escape_key(e, 'D', 0); break;
	case 0x06: escape_key(e, 'C', 0); break;
	case 0x10: browse(e, -1); break;
	case 0x0e: browse(e, 1); break;
	case 0x0b:
		erase(e, e->cur, e->len - e->cur);
		redraw(e);
		break;
	case 0x15:
		erase(e, 0, e->cur);
		redraw(e);
		break;
	case '\t': complete(e); break;
	default: break;
	}
	return SHELL_EDIT_NONE;
}

enum shell_edit_event shell_edit_feed(struct shell_edit *e, uint8_t b)
{
	bool cr = e->after_cr;
	e->after_cr = b == '\r';
	if (b == '\n' && cr)
		return SHELL_EDIT_NONE; /* the second half of CR LF */
	if (escape(e, b))
		return SHELL_EDIT_NONE;
	if (b >= 0x20 && b < 0x7f) {
		char c = (char)b;
		size_t len = e->len;
		bool at_end = e->cur == e->len;
		insert(e, &c, 1);
		if (e->len == len)
			puts_(e, "\a"); /* full */
		else if (at_end)
			put(e, &c, 1);
		else
			redraw(e);
		return SHELL_EDIT_NONE;
	}
	return control(e, b);
}
