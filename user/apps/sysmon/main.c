/* The system monitor: a window client (user/desktop/proto.h) that asks
 * init for every core's counters (MON_STATS, relayed from the monitors:
 * rt/initproto.h, rt/monproto.h) once a second (wclient_tick) and shows
 * the differences between two samples: per core its load (cycles not
 * halted over cycles) as a bar with a history graph and its free memory,
 * then a core x core table of messages a second (row: from, column: to;
 * the CPU drivers' and the monitors' messages over the links, as the
 * shell's top counts them).  The first figures also go to the log
 * ("sysmon: core 0 load 12%, ..."). */
#include <fmt/fmt.h>
#include <rt/initproto.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <wclient.h>
#include <wctl.h>

#define TEXT_SIZE 13
#define CORES     16 /* shown (the rest: "+N more") */
#define HISTORY   60 /* seconds of load kept */
#define ROW_H     40
#define BG        0xfff6f8fa
#define FG        0xff1f2328
#define DIM       0xff57606a
#define BAR_BG    0xffafb8c1
#define BAR       0xff2f81f7
#define GRAPH_BG  0xff0d1117
#define GRAPH     0xff3fb950

struct sample {
	bool have;
	struct mon_stat s;
	uint64_t sent[CORES]; /* to each peer: kernel + monitor messages */
};

static struct wclient c;
static struct wctl ctl;
static struct font font;
static struct sample then[CORES], now[CORES];
static uint8_t history[CORES][HISTORY]; /* load %, oldest first */
static uint32_t load[CORES], rate[CORES][CORES];
static unsigned ncores, samples;
static char problem[64];
static int line_h;

/* Every core's MON_STAT and links into t.  The error, or init's. */
static enum err sample(struct sample *t)
{
	struct urpc_msg m;
	enum err e = wctl_ask(&ctl, MON_STATS, NULL, 0);

	memset(t, 0, sizeof now);
	while (!e && !(e = wctl_answer(&ctl, &m))) {
		if (m.type == INIT_DONE && m.len == sizeof(struct init_done)) {
			struct init_done d;
			memcpy(&d, m.payload, sizeof d);
			return (enum err)d.err;
		}
		if (m.type == MON_STAT && m.len == sizeof(struct mon_stat)) {
			struct mon_stat st;
			memcpy(&st, m.payload, sizeof st);
			if (st.core < CORES)
				t[st.core].have = true, t[st.core].s = st;
		} else if (m.type == MON_STAT_LINK && m.len == sizeof(struct mon_stat_link)) {
			struct mon_stat_link l;
			memcpy(&l, m.payload, sizeof l);
			if (l.core < CORES && l.peer < CORES)
				t[l.core].sent[l.peer] = l.kernel_sent + l.monitor_sent;
		}
	}
	return e;
}

/* n events over cycles at hz: events a second. */
static uint32_t per_second(uint64_t n, uint64_t cycles, uint64_t hz)
{
	if (!cycles || !hz)
		return 0;
	return (uint32_t)(n <= UINT64_MAX / hz ? n * hz / cycles
	                                       : n / (cycles / hz ? cycles / hz : 1));
}

/* The figures between then and now. */
static void compute(void)
{
	ncores = 0;
	for (unsigned k = 0; k < CORES; k++) {
		const struct sample *a = &then[k], *b = &now[k];
		if (!a->have || !b->have)
			continue;
		ncores = k + 1;
		uint64_t cycles = b->s.cycles - a->s.cycles, idle = b->s.idle - a->s.idle;
		load[k] = cycles && idle <= cycles ? (uint32_t)((cycles - idle) * 100 / cycles) : 0;
		memmove(history[k], history[k] + 1, HISTORY - 1);
		history[k][HISTORY - 1] = (uint8_t)load[k];
		for (unsigned p = 0; p < CORES; p++)
			rate[k][p] = per_second(b->sent[p] - a->sent[p], cycles, b->s.hz);
	}
}

static void say_first(void)
{
	for (unsigned k = 0; k < ncores; k++) {
		uint64_t out = 0;
		for (unsigned p = 0; p < ncores; p++)
			out += rate[k][p];
		rt_printf("sysmon: core %u load %u%%, free %llu of %llu KiB, %llu messages/s out\n",
		          k, load[k], (unsigned long long)(now[k].s.free >> 10),
		          (unsigned long long)(now[k].s.memory >> 10), (unsigned long long)out);
	}
}

static void text(struct gfx_surface *s, int x, int y, uint32_t color, const char *t)
{
	font_draw(&font, s, TEXT_SIZE, x, y + line_h - 4, t, strlen(t), color);
}

/* One core's row: the load bar, the figures, the history graph. */
static void draw_core(struct gfx_surface *s, unsigned k, int y)
{
	char t[64];
	int bar_w = 160, gx = s->width - HISTORY * 2 - 12;

	fmt_snprintf(t, sizeof t, "core %u", k);
	text(s, 8, y, FG, t);
	gfx_fill(s, gfx_rect(64, y + 3, bar_w, 12), BAR_BG);
	gfx_fill(s,
	         gfx_rect(64, y + 3, (int32_t)(bar_w * (load[k] > 100 ? 100 : load[k]) / 100), 12),
	         BAR);
	fmt_snprintf(t, sizeof t, "%u%%", load[k]);
	text(s, 64 + bar_w + 6, y, FG, t);
	fmt_snprintf(t, sizeof t, "free %llu of %llu MiB, %u programs",
	             (unsigned long long)(now[k].s.free >> 20),
	             (unsigned long long)(now[k].s.memory >> 20), now[k].s.programs);
	text(s, 64, y + 18, DIM, t);
	gfx_fill(s, gfx_rect(gx, y + 2, HISTORY * 2, ROW_H - 6), GRAPH_BG);
	for (int i = 0; i < HISTORY; i++) {
		int32_t h = 1 + history[k][i] * (ROW_H - 9) / 100; /* 1: a baseline */
		gfx_fill(s, gfx_rect(gx + 2 * i, y + ROW_H - 5 - h, 2, h), GRAPH);
	}
}

/* Messages a second from each core (rows) to each other (columns). */
static void draw_links(struct gfx_surface *s, int y)
{
	char t[32];
	int cw = 64;

	text(s, 8, y, FG, "messages a second, from (row) to (column)");
	y += line_h + 4;
	for (unsigned p = 0; p < ncores && 72 + (int)p * cw < s->width; p++) {
		fmt_snprintf(t, sizeof t, "to %u", p);
		text(s, 72 + (int)p * cw, y, DIM, t);
	}
	for (unsigned k = 0; k < ncores; k++) {
		y += line_h + 2;
		fmt_snprintf(t, sizeof t, "from %u", k);
		text(s, 8, y, DIM, t);
		for (unsigned p = 0; p < ncores && 72 + (int)p * cw < s->width; p++) {
			fmt_snprintf(t, sizeof t, "%s", "-");
			if (p != k)
				fmt_snprintf(t, sizeof t, "%u", rate[k][p]);
			text(s, 72 + (int)p * cw, y, FG, t);
		}
	}
}

static void draw(void)
{
	struct gfx_surface *s = &c.s;
	int y = 8;

	gfx_fill(s, gfx_rect(0, 0, s->width, s->height), BG);
	if (problem[0])
		text(s, 8, y, FG, problem);
	else if (!samples)
		text(s, 8, y, DIM, "sampling...");
	for (unsigned k = 0; k < ncores && !problem[0] && samples > 1; k++, y += ROW_H)
		draw_core(s, k, y);
	if (!problem[0] && samples > 1)
		draw_links(s, y + 6);
	wclient_damage(&c, gfx_rect(0, 0, s->width, s->height));
}

static void tick(void)
{
	enum err e = sample(now);

	problem[0] = 0;
	if (e) {
		fmt_snprintf(problem, sizeof problem, "no statistics: %s",
		             ctl.up ? err_str(e) : "no channel to init");
		if (samples != ~0u)
			rt_printf("sysmon: %s\n", problem);
		samples = ~0u; /* said once */
		return;
	}
	if (samples == ~0u)
		samples = 0;
	if (samples++) {
		compute();
		if (samples == 2)
			say_first();
	}
	memcpy(then, now, sizeof then);
}

int main(void)
{
	struct ui_event ev;
	struct font_metrics m;
	enum err e = wclient_font(&font, "DejaVuSans.ttf");

	if (e) {
		rt_printf("sysmon: no font: %s\n", err_str(e));
		return 1;
	}
	font_metrics(&font, TEXT_SIZE, &m);
	line_h = m.line_height;
	tick();
	e = wclient_open(&c, "Monitor", 480, 380);
	if (e) {
		rt_printf("sysmon: not a window client: %s\n", err_str(e));
		return 1;
	}
	wclient_tick(&c, 1000000);
	for (;;) {
		switch (wclient_next(&c, &ev)) {
		case WCLIENT_SURFACE: draw(); break;
		case WCLIENT_EVENT: break;
		case WCLIENT_TICK:
			tick();
			draw();
			break;
		case WCLIENT_CLOSE: return 0;
		}
	}
}
