/* The terminal's end of the shell's console stream (console.h). */
#include "console.h"

#include <rt/consproto.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>

#define RW          (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define SHELL_BITS  21 /* its budget: 2 MiB (user/shell/shell.manifest) */
#define SHELL_PRIOR (DISP_PRIORITIES - 1)

static void say(struct console *c, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof c->pending - c->pending_len)
		n = sizeof c->pending - c->pending_len;
	memcpy(c->pending + c->pending_len, s, n);
	c->pending_len += n;
}

/* The channel's frame (the terminal's memory) laid out, its caps in the
 * shell's slots, and the shell told (rt/chan.h, rt_chan_given). */
static enum err link(struct console *c)
{
	struct rt_capref note = spawn_slot(&c->shell, SLOT_NOTIFY);
	uint64_t off, va = rt_map_area(1);
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &c->frame, &off, &bits);

	if (!e)
		e = va ? rt_map(c->frame, va, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&c->ch, (void *)(uintptr_t)va, 0, true, rt_root_ref(SLOT_NOTIFY),
		                 note, RT_CHAN_BIT_PEER);
	if (!e)
		e = rt_copy(spawn_slot(&c->shell, SLOT_CHAN_FRAME), c->frame);
	if (!e)
		e = rt_mint(spawn_slot(&c->shell, SLOT_CHAN_PEER), rt_root_ref(SLOT_NOTIFY),
		            CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_notify_signal(note.addr, note.depth, RT_CHAN_BIT_GIVEN, NULL);
	return e;
}

/* The shell from its module, with every module of ours and `control`. */
static enum err spawn_shell(struct console *c)
{
	const struct bootinfo_module *m = rt_module("shell"), *mods[BOOTINFO_MODULES];
	struct spawn_cap control = {"control", {0}};
	struct prog_cap info;
	struct rt_mapping map;
	unsigned n = rt_module_count() < BOOTINFO_MODULES ? rt_module_count() : BOOTINFO_MODULES;
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e)
		return e;
	for (unsigned i = 0; i < n; i++)
		mods[i] = rt_module_at(i);
	bool has_control = !rt_named_cap("control", &control.cap, &info);
	struct spawn_args a = {.name = "shell",
	                       .image = map.data,
	                       .size = map.size,
	                       .budget_bits = SHELL_BITS,
	                       .log = true,
	                       .priority = SHELL_PRIOR,
	                       .modules = mods,
	                       .nmodules = n,
	                       .caps = &control,
	                       .ncaps = has_control,
	                       .notify = true,
	                       .chan = 2,
	                       .end_notify = rt_root_ref(SLOT_NOTIFY),
	                       .end_bits = CONSOLE_ENDED};
	e = spawn_start(&a, &c->shell);
	rt_module_unmap(&map);
	if (e)
		return e;
	e = link(c);
	if (e)
		spawn_kill(&c->shell);
	return e;
}

enum err console_init(struct console *c)
{
	*c = (struct console){0};
	enum err e = spawn_shell(c);

	if (e) {
		rt_printf("terminal: no shell: %s\n", err_str(e));
		say(c, "No shell: ");
		say(c, err_str(e));
		say(c, "\r\n");
		return e;
	}
	c->up = true;
	return ERR_OK;
}

struct rt_chan *console_chan(struct console *c)
{
	return c->up ? &c->ch : NULL;
}

void console_size(struct console *c, int cols, int rows)
{
	struct cons_size s = {(uint16_t)cols, (uint16_t)rows};

	if (c->up)
		rt_chan_send(&c->ch, CONS_SIZE, &s, sizeof s);
}

void console_input(struct console *c, const char *b, size_t n)
{
	while (c->up && n) {
		size_t k = n < URPC_PAYLOAD_MAX ? n : URPC_PAYLOAD_MAX;
		rt_chan_send(&c->ch, CONS_IN, b, k);
		b += k, n -= k;
	}
}

/* The output's text, a line at a time, to the log (escape sequences and
 * carriage returns left out). */
static void log_bytes(struct console *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (c->in_escape) { /* ESC [ ... final byte */
			c->in_escape = !(ch >= 0x40 && ch <= 0x7e && ch != '[');
		} else if (ch == 0x1b) {
			c->in_escape = true;
		} else if (ch == '\n') {
			rt_printf("terminal: out: %.*s\n", (int)c->line_len, c->line);
			c->line_len = 0;
		} else if (ch == '\b') {
			c->line_len -= c->line_len > 0;
		} else if (ch >= 0x20 && c->line_len < CONSOLE_LINE) {
			c->line[c->line_len++] = (char)ch;
		}
	}
}

/* The shell's next output message into pending ("\n" as "\r\n"). */
static bool take(struct console *c)
{
	struct urpc_msg m;

	if (!c->up || c->pending_len || rt_chan_recv(&c->ch, &m))
		return false; /* pending holds one message's bytes, "\r" added */
	if (m.type != CONS_OUT)
		return true;
	log_bytes(c, (const char *)m.payload, m.len);
	for (unsigned i = 0; i < m.len; i++) {
		if (m.payload[i] == '\n')
			c->pending[c->pending_len++] = '\r';
		c->pending[c->pending_len++] = (char)m.payload[i];
	}
	return true;
}

size_t console_output(struct console *c, char *out, size_t max)
{
	if (c->up && !c->ended && spawn_ended(&c->shell)) {
		c->ended = true;
		rt_printf("terminal: the shell ended with %d\n", spawn_code(&c->shell));
		say(c, "\r\n[the shell ended]\r\n");
	}
	while (!c->pending_len && take(c))
		;
	size_t n = c->pending_len < max ? c->pending_len : max;
	memcpy(out, c->pending, n);
	memmove(c->pending, c->pending + n, c->pending_len - n);
	c->pending_len -= n;
	return n;
}
