/* The terminal: a window client (user/desktop/proto.h) showing lib/term's
 * screen in DejaVu Sans Mono, running a shell (user/shell) on a console
 * stream of its own (console.h): keys become VT100 bytes for the shell,
 * and what the shell writes goes to the terminal.  The grid follows the
 * window's size (the screen is cleared on a resize: there is no reflow),
 * and the shell hears of it (tables fit the width). */
#include <rt/heap.h>
#include <rt/rt.h>
#include <term/draw.h>
#include <term/term.h>
#include <wclient.h>

#include "console.h"

#define TEXT_SIZE 14
#define PAD       4

static struct wclient c;
static struct font font;
static struct term t;
static struct term_look look;
static struct console con;
static struct term_cell *cells;

/* A grid for the surface's size; everything drawn. */
static void fit(void)
{
	int cols, rows;
	term_look_grid(&look, c.s.width - 2 * PAD, c.s.height - 2 * PAD, &cols, &rows);
	if (!cells || cols != t.cols || rows != t.rows) {
		free(cells);
		cells = calloc((size_t)cols * (size_t)rows, sizeof *cells);
		if (!cells || !term_init(&t, cells, cols, rows))
			return;
		console_size(&con, cols, rows);
	}
	gfx_fill(&c.s, gfx_rect(0, 0, c.s.width, c.s.height), look.palette[TERM_BG_DEFAULT]);
	term_draw(&t, &look, &c.s, PAD, PAD, true);
	wclient_damage(&c, gfx_rect(0, 0, c.s.width, c.s.height));
}

/* The stream's output into the terminal, and the terminal's replies back. */
static void pump(void)
{
	char b[256];
	size_t n;
	while ((n = console_output(&con, b, sizeof b)) > 0)
		term_write(&t, b, n);
	while ((n = term_take_reply(&t, b, sizeof b)) > 0)
		console_input(&con, b, n);
}

static void redraw(void)
{
	struct gfx_rect r = term_draw(&t, &look, &c.s, PAD, PAD, false);
	if (!gfx_rect_empty(r))
		wclient_damage(&c, r);
}

int main(void)
{
	struct ui_event ev;
	enum err e = wclient_font(&font, "DejaVuSansMono.ttf");

	if (e) {
		rt_printf("terminal: no font: %s\n", err_str(e));
		return 1;
	}
	term_look_init(&look, &font, TEXT_SIZE);
	e = wclient_open(&c, "Terminal", 64 * look.cell_w + 2 * PAD, 18 * look.cell_h + 2 * PAD);
	if (e) {
		rt_printf("terminal: not a window client: %s\n", err_str(e));
		return 1;
	}
	console_init(&con); /* the shell; its failure is shown in the window */
	wclient_watch(&c, console_chan(&con), CONSOLE_ENDED);
	for (;;) {
		enum wclient_what what;
		if (!wclient_wait(&c, &ev, &what)) { /* the shell wrote, or ended */
			pump();
			redraw();
			continue;
		}
		switch (what) {
		case WCLIENT_SURFACE:
			fit();
			pump();
			redraw();
			break;
		case WCLIENT_EVENT: {
			char k[8];
			size_t n = term_key(&ev, k);
			if (n) {
				console_input(&con, k, n);
				pump();
				redraw();
			}
			break;
		}
		case WCLIENT_TICK: break;
		case WCLIENT_CLOSE: return 0;
		}
	}
}
