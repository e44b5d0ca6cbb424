/* A terminal emulator: the VT100 subset a shell and its line editor use
 * (ECMA-48 control functions as DEC's VT100 and xterm interpret them),
 * on a grid of cells in caller memory.  Bytes in (term_write: UTF-8
 * text, C0 controls, ESC and CSI sequences), cells out, with a dirty mark
 * per row for drawing (term_draw, lib/term/draw.c) and replies (a cursor
 * position report) queued for the program.  Freestanding: no allocation.
 *
 * Controls: BS, HT (stops every 8 columns), LF VT FF (down, scrolling at
 * the bottom margin; LF alone does not return: the stream's end adds CR),
 * CR, BEL (ignored).  ESC 7 / ESC 8 save and restore the cursor, ESC D
 * index, ESC M reverse index, ESC E next line, ESC c reset.  CSI: A B C D
 * (moves), E F (lines down/up to column 1), G (column), H f (position),
 * J (erase in display 0/1/2), K (erase in line 0/1/2), L M (insert and
 * delete lines), @ P (insert and delete characters), X (erase
 * characters), m (SGR: 0, 1, 7, 22, 27, 30-37, 39, 40-47, 49, 90-97,
 * 100-107), r (scrolling region), s u (save, restore), n (6: report the
 * cursor as CSI row;col R); CSI ? 7 h/l (auto-wrap), CSI ? 25 h/l (the
 * cursor shown).  Anything else is consumed and ignored.
 *
 * Wrapping: a character written in the last column leaves the cursor
 * there with a wrap pending; the next printable character goes to the
 * start of the next line (scrolling if need be), as on a VT100.
 */
#ifndef LIB_TERM_TERM_H
#define LIB_TERM_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_COLS_MAX 240
#define TERM_ROWS_MAX 100
#define TERM_PARAMS   8
#define TERM_REPLY    32

/* Colours: 0-15 the ANSI palette (8-15 bright), then the defaults. */
#define TERM_FG_DEFAULT 16
#define TERM_BG_DEFAULT 17
#define TERM_COLORS     18

#define TERM_BOLD    1u
#define TERM_REVERSE 2u

struct term_cell {
	uint32_t cp; /* code point; ' ' when blank */
	uint8_t fg, bg, attr;
};

enum term_state { TERM_GROUND, TERM_ESC, TERM_CSI, TERM_IGNORE };

struct term {
	struct term_cell *cells; /* rows x cols, row-major (caller memory) */
	int cols, rows;
	int x, y;          /* the cursor, 0-based */
	bool wrap_pending; /* the last column was written */
	bool autowrap, cursor_shown;
	int top, bottom;      /* the scrolling region, rows [top, bottom] */
	struct term_cell pen; /* colours and attributes of new text (cp unused) */
	struct {
		int x, y;
		struct term_cell pen;
	} saved;
	/* the parser */
	enum term_state state;
	bool private_mode; /* CSI ? */
	int params[TERM_PARAMS], nparams;
	uint32_t utf8_cp;
	int utf8_need;
	/* rows changed since the last term_clean */
	bool dirty[TERM_ROWS_MAX];
	/* bytes for the program (replies), and how many lines scrolled off */
	char reply[TERM_REPLY];
	size_t reply_len;
	uint64_t scrolled;
	int drawn_x, drawn_y; /* where term_draw last drew the cursor (-1: nowhere) */
};

/* A terminal of cols x rows (clamped to 1..TERM_*_MAX) over cells (at
 * least cols x rows), cleared, the cursor home.  False if cells is NULL. */
bool term_init(struct term *t, struct term_cell *cells, int cols, int rows);
/* Clears the screen and the modes (ESC c). */
void term_reset(struct term *t);
/* Interprets n bytes (sequences may be split across calls). */
void term_write(struct term *t, const void *bytes, size_t n);
/* The cell at (x, y); NULL outside. */
const struct term_cell *term_cell(const struct term *t, int x, int y);
/* Forgets the dirty marks (after drawing). */
void term_clean(struct term *t);
/* Takes up to max bytes of queued replies; their count. */
size_t term_take_reply(struct term *t, char *out, size_t max);

struct ui_event;
/* The bytes a key sends to the program (VT100: arrows CSI A..D, Home CSI
 * H, End CSI F, Delete CSI 3 ~, Page Up/Down CSI 5/6 ~, Enter CR,
 * Backspace DEL, Tab HT, Escape ESC, Ctrl+letter its C0 code, text as
 * UTF-8); 0 for a release or a key that sends nothing.  out: 8 bytes. */
size_t term_key(const struct ui_event *ev, char out[8]);

#endif
