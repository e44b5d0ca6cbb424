/* The shell's channels: the console driver's byte stream (rt/consproto.h,
 * the channel its spawner made: init between it and the serial driver,
 * the desktop's terminal between the two of them; rt_chan_given) and
 * init's requests (rt/initproto.h): the channel init gave in SLOT_MON_CHAN
 * (the serial shell's startup entry names `init`), else one asked of
 * init's service `control` (a shell the terminal started).  The shell
 * waits on its notification for both at once, so typed bytes are taken
 * while a command waits for init: a Ctrl-C among them cancels the
 * command. */
#include <rt/consproto.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <rt/service.h>
#include <string/mem.h>

#include "sh.h"

#define RW     (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define IN_MAX 1024
#define CTRL_C 0x03

static struct rt_chan cons, init;
static bool has_init, ready;
static uint8_t in[IN_MAX];
static size_t in_head, in_len;
static char out[URPC_PAYLOAD_MAX];
static size_t out_len;
static unsigned stale; /* requests given up: their answers up to INIT_DONE are dropped */
static bool watching;  /* a line's output: its first new line is timed */

static enum err attach_init(void)
{
	struct cap_results_identify id;
	uint64_t at;

	if (invoke_identify(SLOT_MON_CHAN, rt_depth(), &id) || id.type != CAP_FRAME)
		return ERR_NOENT;
	at = rt_map_area(1);
	enum err e = at ? rt_map(rt_root_ref(SLOT_MON_CHAN), at, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&init, (void *)(uintptr_t)at, 1, false, rt_root_ref(SLOT_NOTIFY),
		                 rt_root_ref(SLOT_MON_NOTIFY), CLIENT_BIT_MON);
	return e;
}

/* Until init says the channel is in the CNode (other bits kept). */
static enum err control_ready(void)
{
	for (;;) {
		struct cap_results_notify_wait r;
		enum err e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &r);
		if (e)
			return e;
		if (r.bits & ~INIT_CONTROL_BIT_READY)
			rt_chan_stash(r.bits & ~INIT_CONTROL_BIT_READY);
		if (r.bits & INIT_CONTROL_BIT_READY)
			return ERR_OK;
	}
}

/* A channel of its own from init's service `control`: a CNode with the
 * shell's notification, init puts the frame in it (rt/initproto.h). */
static enum err attach_control(void)
{
	static const uint64_t w[5] = {INIT_CONTROL_CONNECT, 0, 0, 0, 0};
	struct rt_service control;
	struct rt_capref box;
	uint64_t off, at;
	unsigned bits;
	enum err e = rt_service_find("control", &control);

	if (e)
		return e;
	e = rt_memory()
	            ? rt_retype_slot(rt_memory(), CAP_CNODE, INIT_CONTROL_BITS, &box, &off, &bits)
	            : ERR_NOMEM;
	if (!e)
		e = rt_mint(rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_NOTIFY),
		            rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE | CAP_RIGHT_GRANT);
	if (!e)
		e = rt_service_call(&control, box, w);
	if (!e)
		e = control_ready();
	at = e ? 0 : rt_map_area(1);
	if (!e)
		e = at ? rt_map(rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_FRAME), at, RW)
		       : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&init, (void *)(uintptr_t)at, 1, false, rt_root_ref(SLOT_NOTIFY),
		                 control.wake, CLIENT_BIT_MON);
	return e;
}

enum err con_init(void)
{
	enum err e = rt_chan_given(&cons);

	if (e)
		return e;
	e = attach_init();
	if (e == ERR_NOENT)
		e = attach_control();
	has_init = !e;
	if (e && e != ERR_NOENT)
		rt_printf("shell: no channel to init: %s\n", err_str(e));
	return ERR_OK;
}

void con_flush(void)
{
	if (out_len && rt_chan_send(&cons, CONS_OUT, out, out_len))
		rt_printf("shell: the console is gone\n");
	out_len = 0;
}

void con_watch_line(void)
{
	watching = true;
}

void con_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; watching && i < n; i++)
		if (s[i] == '\n') {
			sh_now.first = rt_cycles();
			watching = false;
		}
	while (n) {
		size_t k = sizeof out - out_len < n ? sizeof out - out_len : n;
		memcpy(out + out_len, s, k);
		out_len += k, s += k, n -= k;
		if (out_len == sizeof out)
			con_flush();
	}
}

/* Typed bytes waiting on the console channel into in[]; whether a Ctrl-C
 * was among them (it and what came before it are dropped then). */
static bool take_input(void)
{
	struct urpc_msg m;
	bool cancel = false;

	while (rt_chan_recv(&cons, &m) == ERR_OK) {
		if (m.type == CONS_SIZE && m.len == sizeof(struct cons_size)) {
			struct cons_size z;
			memcpy(&z, m.payload, sizeof z);
			if (z.cols >= 20) /* tables fit the terminal */
				sh_out.width = z.cols;
		}
		if (m.type != CONS_IN)
			continue;
		for (unsigned i = 0; i < m.len; i++) {
			if (m.payload[i] == CTRL_C)
				cancel = true;
			if (in_head + in_len == IN_MAX && in_head) {
				memmove(in, in + in_head, in_len);
				in_head = 0;
			}
			if (in_head + in_len < IN_MAX)
				in[in_head + in_len++] = m.payload[i];
		}
	}
	return cancel;
}

/* The next message from init that is not a stale answer or INIT_READY. */
static bool init_message(struct urpc_msg *m)
{
	while (has_init && rt_chan_recv(&init, m) == ERR_OK) {
		if (m->type == INIT_READY) {
			ready = true;
			continue;
		}
		if (stale) {
			stale -= m->type == INIT_DONE;
			continue;
		}
		return true;
	}
	return false;
}

static void wait_both(void)
{
	struct rt_chan *chans[2] = {&cons, &init};

	rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, has_init ? 2 : 1);
}

uint8_t con_getc(void)
{
	struct urpc_msg m;

	con_flush();
	for (;;) {
		take_input();
		if (in_len) {
			in_len--;
			return in[in_head++];
		}
		while (init_message(&m))
			; /* nothing is asked while the shell waits for a key */
		wait_both();
	}
}

void con_wait_ready(void)
{
	struct urpc_msg m;

	while (!ready && has_init) {
		take_input();
		if (in_len)
			return;
		while (init_message(&m))
			;
		if (!ready)
			wait_both();
	}
}

enum err con_ask(uint16_t type, const void *payload, size_t len)
{
	if (!has_init)
		return ERR_NOENT;
	con_flush();
	return rt_chan_send(&init, type, payload, len);
}

enum err con_answer(struct urpc_msg *m)
{
	for (;;) {
		if (init_message(m))
			return ERR_OK;
		if (take_input()) {
			/* drop what was typed up to the Ctrl-C */
			in_head = in_len = 0;
			stale++;
			return ERR_INVAL;
		}
		wait_both();
	}
}

bool con_cancelled(void *ctx)
{
	bool typed = take_input();

	(void)ctx;
	/* typed ahead with the line (already taken in) counts too */
	for (size_t i = 0; !typed && i < in_len; i++)
		typed = in[in_head + i] == CTRL_C;
	if (typed)
		in_head = in_len = 0; /* what was typed up to the Ctrl-C is dropped */
	return typed;
}

void con_abandon(void)
{
	stale++;
}
