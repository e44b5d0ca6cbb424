/* The terminal's state machine (term.h): bytes to cells. */
#include "term.h"
#include <string/utf8.h>

#include <ui/event.h>

static struct term_cell blank(const struct term *t)
{
	return (struct term_cell){' ', t->pen.fg, t->pen.bg, 0};
}

static struct term_cell *at(struct term *t, int x, int y)
{
	return &t->cells[y * t->cols + x];
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Blanks cells [x0, x1) of row y. */
static void erase(struct term *t, int y, int x0, int x1)
{
	struct term_cell b = blank(t);
	for (int x = x0; x < x1; x++)
		*at(t, x, y) = b;
	t->dirty[y] = true;
}

/* Moves rows [top, bottom] up by n (n > 0) or down by -n, blanking what
 * comes in. */
static void scroll(struct term *t, int top, int bottom, int n)
{
	int h = bottom - top + 1;
	n = clamp(n, -h, h);
	if (n > 0) {
		for (int y = top; y + n <= bottom; y++)
			for (int x = 0; x < t->cols; x++)
				*at(t, x, y) = *at(t, x, y + n);
		for (int y = bottom - n + 1; y <= bottom; y++)
			erase(t, y, 0, t->cols);
		if (top == 0)
			t->scrolled += (uint64_t)n;
	} else if (n < 0) {
		for (int y = bottom; y + n >= top; y--)
			for (int x = 0; x < t->cols; x++)
				*at(t, x, y) = *at(t, x, y + n);
		for (int y = top; y < top - n; y++)
			erase(t, y, 0, t->cols);
	}
	for (int y = top; y <= bottom; y++)
		t->dirty[y] = true;
}

/* Down a line; at the bottom margin the region scrolls. */
static void line_feed(struct term *t)
{
	t->wrap_pending = false;
	if (t->y == t->bottom)
		scroll(t, t->top, t->bottom, 1);
	else if (t->y < t->rows - 1)
		t->y++;
}

static void reverse_index(struct term *t)
{
	t->wrap_pending = false;
	if (t->y == t->top)
		scroll(t, t->top, t->bottom, -1);
	else if (t->y > 0)
		t->y--;
}

static void put(struct term *t, uint32_t cp)
{
	if (t->wrap_pending && t->autowrap) {
		t->x = 0;
		line_feed(t);
	}
	struct term_cell *c = at(t, t->x, t->y);
	*c = t->pen;
	c->cp = cp;
	t->dirty[t->y] = true;
	if (t->x == t->cols - 1)
		t->wrap_pending = true;
	else
		t->x++;
}

bool term_init(struct term *t, struct term_cell *cells, int cols, int rows)
{
	if (!cells)
		return false;
	*t = (struct term){.cells = cells,
	                   .cols = clamp(cols, 1, TERM_COLS_MAX),
	                   .rows = clamp(rows, 1, TERM_ROWS_MAX),
	                   .drawn_x = -1,
	                   .drawn_y = -1};
	term_reset(t);
	return true;
}

void term_reset(struct term *t)
{
	t->pen = (struct term_cell){' ', TERM_FG_DEFAULT, TERM_BG_DEFAULT, 0};
	t->x = t->y = 0;
	t->wrap_pending = false;
	t->autowrap = t->cursor_shown = true;
	t->top = 0;
	t->bottom = t->rows - 1;
	t->saved.x = t->saved.y = 0;
	t->saved.pen = t->pen;
	t->state = TERM_GROUND;
	t->utf8_need = 0;
	for (int y = 0; y < t->rows; y++)
		erase(t, y, 0, t->cols);
}

const struct term_cell *term_cell(const struct term *t, int x, int y)
{
	if (x < 0 || y < 0 || x >= t->cols || y >= t->rows)
		return NULL;
	return &t->cells[y * t->cols + x];
}

void term_clean(struct term *t)
{
	for (int y = 0; y < t->rows; y++)
		t->dirty[y] = false;
}

size_t term_take_reply(struct term *t, char *out, size_t max)
{
	size_t n = t->reply_len < max ? t->reply_len : max;
	for (size_t i = 0; i < n; i++)
		out[i] = t->reply[i];
	for (size_t i = n; i < t->reply_len; i++)
		t->reply[i - n] = t->reply[i];
	t->reply_len -= n;
	return n;
}

static void reply_char(struct term *t, char c)
{
	if (t->reply_len < TERM_REPLY)
		t->reply[t->reply_len++] = c;
}

static void reply_num(struct term *t, int v)
{
	char d[12];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 12);
	while (n)
		reply_char(t, d[--n]);
}

static void save_cursor(struct term *t)
{
	t->saved.x = t->x;
	t->saved.y = t->y;
	t->saved.pen = t->pen;
}

static void restore_cursor(struct term *t)
{
	t->x = clamp(t->saved.x, 0, t->cols - 1);
	t->y = clamp(t->saved.y, 0, t->rows - 1);
	t->pen = t->saved.pen;
	t->wrap_pending = false;
}

/* ---- escape sequences ---- */

static void esc_final(struct term *t, unsigned char c)
{
	t->state = TERM_GROUND;
	switch (c) {
	case '[':
		t->state = TERM_CSI;
		t->private_mode = false;
		t->nparams = 0;
		for (int i = 0; i < TERM_PARAMS; i++)
			t->params[i] = -1;
		break;
	case '7': save_cursor(t); break;
	case '8': restore_cursor(t); break;
	case 'D': line_feed(t); break;
	case 'M': reverse_index(t); break;
	case 'E':
		t->x = 0;
		line_feed(t);
		break;
	case 'c': term_reset(t); break;
	default:
		/* ESC followed by an intermediate (ESC ( B): skip the next byte */
		if (c >= 0x20 && c <= 0x2f)
			t->state = TERM_IGNORE;
		break;
	}
}

/* Parameter i, or def when absent or 0 (moves count at least 1). */
static int param(const struct term *t, int i, int def)
{
	int v = i < t->nparams ? t->params[i] : -1;
	return v <= 0 ? def : v;
}

static void sgr(struct term *t)
{
	if (t->nparams == 0)
		t->nparams = 1; /* CSI m is CSI 0 m */
	for (int i = 0; i < t->nparams; i++) {
		int p = t->params[i] < 0 ? 0 : t->params[i];
		if (p == 0)
			t->pen = (struct term_cell){' ', TERM_FG_DEFAULT, TERM_BG_DEFAULT, 0};
		else if (p == 1)
			t->pen.attr |= TERM_BOLD;
		else if (p == 7)
			t->pen.attr |= TERM_REVERSE;
		else if (p == 22)
			t->pen.attr &= (uint8_t)~TERM_BOLD;
		else if (p == 27)
			t->pen.attr &= (uint8_t)~TERM_REVERSE;
		else if (p >= 30 && p <= 37)
			t->pen.fg = (uint8_t)(p - 30);
		else if (p == 39)
			t->pen.fg = TERM_FG_DEFAULT;
		else if (p >= 40 && p <= 47)
			t->pen.bg = (uint8_t)(p - 40);
		else if (p == 49)
			t->pen.bg = TERM_BG_DEFAULT;
		else if (p >= 90 && p <= 97)
			t->pen.fg = (uint8_t)(p - 90 + 8);
		else if (p >= 100 && p <= 107)
			t->pen.bg = (uint8_t)(p - 100 + 8);
	}
}

static void erase_display(struct term *t, int mode)
{
	if (mode == 0) {
		erase(t, t->y, t->x, t->cols);
		for (int y = t->y + 1; y < t->rows; y++)
			erase(t, y, 0, t->cols);
	} else if (mode == 1) {
		for (int y = 0; y < t->y; y++)
			erase(t, y, 0, t->cols);
		erase(t, t->y, 0, t->x + 1);
	} else if (mode == 2) {
		for (int y = 0; y < t->rows; y++)
			erase(t, y, 0, t->cols);
	}
}

static void erase_line(struct term *t, int mode)
{
	if (mode == 0)
		erase(t, t->y, t->x, t->cols);
	else if (mode == 1)
		erase(t, t->y, 0, t->x + 1);
	else if (mode == 2)
		erase(t, t->y, 0, t->cols);
}

/* Inserts (n > 0) or deletes (n < 0) blank cells at the cursor. */
static void shift_chars(struct term *t, int n)
{
	int y = t->y, w = t->cols - t->x;
	n = clamp(n, -w, w);
	if (n > 0) {
		for (int x = t->cols - 1; x - n >= t->x; x--)
			*at(t, x, y) = *at(t, x - n, y);
		erase(t, y, t->x, t->x + n);
	} else if (n < 0) {
		for (int x = t->x; x - n < t->cols; x++)
			*at(t, x, y) = *at(t, x - n, y);
		erase(t, y, t->cols + n, t->cols);
	}
	t->dirty[y] = true;
}

static void set_region(struct term *t)
{
	int top = param(t, 0, 1) - 1, bottom = param(t, 1, t->rows) - 1;
	if (top >= bottom || bottom >= t->rows)
		return;
	t->top = top;
	t->bottom = bottom;
	t->x = t->y = 0;
	t->wrap_pending = false;
}

static void private_mode(struct term *t, bool on)
{
	for (int i = 0; i < t->nparams; i++) {
		if (t->params[i] == 7)
			t->autowrap = on;
		else if (t->params[i] == 25)
			t->cursor_shown = on;
	}
}

/* Cursor moves of a CSI sequence; false if final is not one. */
static bool csi_move(struct term *t, unsigned char final)
{
	int n = param(t, 0, 1);
	switch (final) {
	case 'A': t->y = clamp(t->y - n, t->y >= t->top ? t->top : 0, t->rows - 1); break;
	case 'B': t->y = clamp(t->y + n, 0, t->y <= t->bottom ? t->bottom : t->rows - 1); break;
	case 'C': t->x = clamp(t->x + n, 0, t->cols - 1); break;
	case 'D': t->x = clamp(t->x - n, 0, t->cols - 1); break;
	case 'E': t->x = 0, t->y = clamp(t->y + n, 0, t->rows - 1); break;
	case 'F': t->x = 0, t->y = clamp(t->y - n, 0, t->rows - 1); break;
	case 'G': t->x = clamp(n - 1, 0, t->cols - 1); break;
	case 'H':
	case 'f':
		t->y = clamp(param(t, 0, 1) - 1, 0, t->rows - 1);
		t->x = clamp(param(t, 1, 1) - 1, 0, t->cols - 1);
		break;
	default: return false;
	}
	t->wrap_pending = false;
	return true;
}

static void csi_final(struct term *t, unsigned char final)
{
	t->state = TERM_GROUND;
	if (t->private_mode) {
		if (final == 'h' || final == 'l')
			private_mode(t, final == 'h');
		return;
	}
	if (csi_move(t, final))
		return;
	int p0 = t->nparams ? (t->params[0] < 0 ? 0 : t->params[0]) : 0;
	int n = param(t, 0, 1);
	switch (final) {
	case 'J': erase_display(t, p0); break;
	case 'K': erase_line(t, p0); break;
	case 'L':
		if (t->y >= t->top && t->y <= t->bottom)
			scroll(t, t->y, t->bottom, -n);
		break;
	case 'M':
		if (t->y >= t->top && t->y <= t->bottom)
			scroll(t, t->y, t->bottom, n);
		break;
	case '@': shift_chars(t, n); break;
	case 'P': shift_chars(t, -n); break;
	case 'X': erase(t, t->y, t->x, clamp(t->x + n, 0, t->cols)); break;
	case 'm': sgr(t); break;
	case 'r': set_region(t); break;
	case 's': save_cursor(t); break;
	case 'u': restore_cursor(t); break;
	case 'n':
		if (p0 == 6) {
			reply_char(t, '\033');
			reply_char(t, '[');
			reply_num(t, t->y + 1);
			reply_char(t, ';');
			reply_num(t, t->x + 1);
			reply_char(t, 'R');
		}
		break;
	default: break;
	}
}

static void csi_byte(struct term *t, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		if (t->nparams == 0)
			t->nparams = 1;
		int *p = &t->params[t->nparams - 1];
		*p = (*p < 0 ? 0 : *p) * 10 + (c - '0');
		if (*p > 9999)
			*p = 9999;
	} else if (c == ';') {
		if (t->nparams == 0)
			t->nparams = 1;
		if (t->nparams < TERM_PARAMS)
			t->nparams++;
	} else if (c == '?' && t->nparams == 0) {
		t->private_mode = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		csi_final(t, c);
	} else if (c > 0x7e) {
		t->state = TERM_GROUND; /* not a sequence after all */
	}
}

static void control(struct term *t, unsigned char c)
{
	switch (c) {
	case '\b':
		if (t->x > 0)
			t->x--;
		t->wrap_pending = false;
		break;
	case '\t':
		t->x = clamp((t->x / 8 + 1) * 8, 0, t->cols - 1);
		t->wrap_pending = false;
		break;
	case '\n':
	case '\v':
	case '\f': line_feed(t); break;
	case '\r':
		t->x = 0;
		t->wrap_pending = false;
		break;
	case 0x1b: t->state = TERM_ESC; break;
	default: break; /* BEL, NUL and the rest: nothing */
	}
}

/* One byte of text: UTF-8 decoding (a bad sequence puts U+FFFD). */
static void text(struct term *t, unsigned char c)
{
	if (t->utf8_need) {
		if ((c & 0xc0) == 0x80) {
			t->utf8_cp = t->utf8_cp << 6 | (c & 0x3f);
			if (--t->utf8_need == 0) {
				uint32_t cp = t->utf8_cp;
				put(t,
				    (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff ? 0xfffd : cp);
			}
			return;
		}
		t->utf8_need = 0;
		put(t, 0xfffd);
	}
	if (c < 0x80)
		put(t, c);
	else if (c >= 0xc2 && c < 0xe0)
		t->utf8_cp = c & 0x1f, t->utf8_need = 1;
	else if (c >= 0xe0 && c < 0xf0)
		t->utf8_cp = c & 0x0f, t->utf8_need = 2;
	else if (c >= 0xf0 && c < 0xf5)
		t->utf8_cp = c & 0x07, t->utf8_need = 3;
	else
		put(t, 0xfffd);
}

void term_write(struct term *t, const void *bytes, size_t n)
{
	const unsigned char *b = bytes;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		if (t->state != TERM_GROUND && c < 0x20) {
			/* inside a sequence: CAN and SUB cancel it, ESC starts
			 * another, other controls act and it goes on (ECMA-48 5.5) */
			if (c == 0x18 || c == 0x1a)
				t->state = TERM_GROUND;
			else
				control(t, c);
		} else if (t->state == TERM_ESC) {
			esc_final(t, c);
		} else if (t->state == TERM_CSI) {
			csi_byte(t, c);
		} else if (t->state == TERM_IGNORE) {
			t->state = TERM_GROUND;
		} else if (c < 0x20 || c == 0x7f) {
			if (t->utf8_need) {
				t->utf8_need = 0;
				put(t, 0xfffd);
			}
			if (c != 0x7f)
				control(t, c);
		} else {
			text(t, c);
		}
	}
}

/* ---- keys ---- */

static size_t csi_key(char out[8], const char *tail)
{
	size_t n = 0;
	out[n++] = '\033';
	out[n++] = '[';
	while (*tail && n < 8)
		out[n++] = *tail++;
	return n;
}

size_t term_key(const struct ui_event *ev, char out[8])
{
	if (ev->type != UI_EV_KEY || !ev->down)
		return 0;
	switch (ev->key) {
	case UI_KEY_CHAR:
		if ((ev->mods & UI_MOD_CTRL) && ev->cp < 0x80) {
			uint32_t c = ev->cp | 0x20; /* either case */
			if (c >= 'a' && c <= 'z') {
				out[0] = (char)(c - 'a' + 1);
				return 1;
			}
		}
		return utf8_encode(ev->cp, out);
	case UI_KEY_ENTER: out[0] = '\r'; return 1;
	case UI_KEY_BACKSPACE: out[0] = 0x7f; return 1;
	case UI_KEY_TAB: out[0] = '\t'; return 1;
	case UI_KEY_ESCAPE: out[0] = 0x1b; return 1;
	case UI_KEY_UP: return csi_key(out, "A");
	case UI_KEY_DOWN: return csi_key(out, "B");
	case UI_KEY_RIGHT: return csi_key(out, "C");
	case UI_KEY_LEFT: return csi_key(out, "D");
	case UI_KEY_HOME: return csi_key(out, "H");
	case UI_KEY_END: return csi_key(out, "F");
	case UI_KEY_DELETE: return csi_key(out, "3~");
	case UI_KEY_PAGEUP: return csi_key(out, "5~");
	case UI_KEY_PAGEDOWN: return csi_key(out, "6~");
	default: return 0;
	}
}
