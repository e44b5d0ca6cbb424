/* ps2: the PS/2 keyboard and mouse driver (user/README.md, "Drivers" and
 * "Input").  It holds the i8042's data port 0x60, status port 0x64, the
 * keyboard's line IRQ 1 and the mouse's IRQ 12 (both edge-triggered:
 * never masked, so it empties the controller on every wake-up; status bit
 * 5 says a byte is the mouse's), and serves the service "input": the
 * keyboard's and the mouse's events as streams of records (rt/input.h) to
 * every subscriber, over a channel each, never waiting for one. */
#include <rt/device.h>
#include <rt/image.h>
#include <rt/input.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "i8042.h"
#include "keymap.h"
#include "mouse.h"

#define KBD_BIT   (1ull << 1)
#define MOUSE_BIT (1ull << 12)
#define MAX_SUBS  8
#define RW        (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct sub {
	struct rt_chan ch;
	unsigned streams;
	uint32_t seq; /* records made for it so far */
	uint64_t dropped;
	struct rt_input_event pend[RT_INPUT_PER_MSG];
	unsigned npend;
};

static struct i8042 ctl;
static struct rt_capref irq1, irq12, input_ep, slot;
static bool serving, mouse, wheel;
static struct sub subs[MAX_SUBS];
static unsigned nsubs;
static struct key_decoder keys;
static struct mouse_decoder rodent;
static uint8_t held; /* mouse buttons held */

/* Sends what s has pending if its ring has room; else it is dropped. */
static void flush(struct sub *s)
{
	if (!s->npend)
		return;
	if (urpc_room(&s->ch.p.tx))
		rt_chan_send(&s->ch, RT_INPUT_MSG_EVENTS, s->pend, s->npend * sizeof s->pend[0]);
	else
		s->dropped += s->npend;
	s->npend = 0;
}

/* ev to every subscriber of stream. */
static void publish(unsigned stream, struct rt_input_event ev)
{
	for (unsigned i = 0; i < nsubs; i++) {
		struct sub *s = &subs[i];
		if (!(s->streams & stream))
			continue;
		ev.seq = ++s->seq;
		s->pend[s->npend++] = ev;
		if (s->npend == RT_INPUT_PER_MSG)
			flush(s);
	}
}

static void key(uint8_t byte)
{
	struct key_event k;

	if (key_decode(&keys, byte, &k))
		publish(RT_INPUT_KEYBOARD, (struct rt_input_event){.kind = RT_INPUT_KEY,
		                                                   .code = k.code,
		                                                   .down = k.down,
		                                                   .mods = k.mods,
		                                                   .ch = k.ch});
}

/* A packet: its move (screen sense: dy down, dz away from the user), then
 * each button that changed. */
static void pointer(uint8_t byte)
{
	static const uint8_t bits[] = {MOUSE_LEFT, MOUSE_RIGHT, MOUSE_MIDDLE};
	static const uint16_t codes[] = {RT_INPUT_BUTTON_LEFT, RT_INPUT_BUTTON_RIGHT,
	                                 RT_INPUT_BUTTON_MIDDLE};
	struct mouse_packet p;

	if (!mouse_decode(&rodent, byte, &p))
		return;
	if (p.dx || p.dy || p.dz)
		publish(RT_INPUT_MOUSE, (struct rt_input_event){.kind = RT_INPUT_MOTION,
		                                                .dx = p.dx,
		                                                .dy = (int16_t)-p.dy,
		                                                .dz = (int16_t)-p.dz});
	for (unsigned i = 0; i < 3; i++)
		if ((p.buttons ^ held) & bits[i])
			publish(RT_INPUT_MOUSE,
			        (struct rt_input_event){.kind = RT_INPUT_BUTTON,
			                                .code = codes[i],
			                                .down = !!(p.buttons & bits[i])});
	held = p.buttons;
}

/* Takes every byte the controller holds, then sends what is pending. */
static void drain(void)
{
	uint32_t st;

	while ((st = rt_in(ctl.status, I8042_STATUS, 1)) & I8042_ST_OUTPUT) {
		uint8_t b = (uint8_t)rt_in(ctl.data, I8042_DATA, 1);
		if (st & I8042_ST_AUX)
			pointer(b);
		else
			key(b);
	}
	for (unsigned i = 0; i < nsubs; i++)
		flush(&subs[i]);
}

/* A subscription (rt/input.h): a channel in a frame of ours, a copy in
 * the subscriber's CNode (in slot), laid out, the subscriber told. */
static void subscribe(const struct rt_service_request *r, void *ctx)
{
	struct rt_capref frame, peer;
	uint64_t offset, va = 0;
	unsigned bits;
	struct sub *s = &subs[nsubs];
	enum err e = !(r->info & EP_INFO_CAP) || r->w[0] != RT_INPUT_SUBSCRIBE ? ERR_INVAL
	             : nsubs == MAX_SUBS                                       ? ERR_FULL
	                                                                       : ERR_OK;

	(void)ctx;
	if (!e)
		e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &frame, &offset, &bits);
	if (!e)
		e = rt_slot_alloc(&peer);
	if (!e)
		e = rt_copy(peer, rt_ref_in(slot, RT_INPUT_BITS, RT_INPUT_SLOT_NOTIFY));
	va = e ? 0 : rt_map_area(1);
	if (!e)
		e = va ? rt_map(frame, va, RW) : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(&s->ch, (void *)(uintptr_t)va, 0, true, rt_root_ref(SLOT_NOTIFY),
		                 peer, RT_CHAN_BIT_PEER);
	if (!e)
		e = rt_copy(rt_ref_in(slot, RT_INPUT_BITS, RT_INPUT_SLOT_FRAME), frame);
	if (!e)
		e = invoke_notify_signal(peer.addr, peer.depth, RT_INPUT_BIT_READY, NULL);
	if (!e) {
		s->streams = (unsigned)r->w[1];
		nsubs++;
		rt_printf("ps2: subscriber %u (%s%s)\n", nsubs,
		          s->streams & RT_INPUT_KEYBOARD ? "keyboard" : "",
		          s->streams & RT_INPUT_MOUSE ? (s->streams & 1 ? ", mouse" : "mouse")
		                                      : "");
	} else {
		rt_printf("ps2: a subscription refused: %s\n", err_str(e));
	}
	if (r->info & EP_INFO_CAP)
		rt_delete(slot);
}

/* The controller's caps, the mouse on, both lines bound. */
static int setup(void)
{
	struct prog_cap info;
	enum err e;

	if (rt_named_cap("port60", &ctl.data, &info) ||
	    rt_named_cap("port64", &ctl.status, &info) || rt_named_cap("irq1", &irq1, &info)) {
		rt_printf("ps2: the controller's caps are missing\n");
		return 1;
	}
	mouse = rt_named_cap("irq12", &irq12, &info) == ERR_OK;
	e = mouse ? i8042_mouse_on(&ctl, &wheel) : ERR_NOENT;
	if (mouse && e)
		rt_printf("ps2: no mouse: %s\n", err_str(e));
	mouse = mouse && !e;
	rodent.size = wheel ? 4 : 3;
	e = invoke_irq_bind(irq1.addr, irq1.depth, rt_cap(SLOT_NOTIFY), rt_depth(), KBD_BIT, NULL);
	if (!e && mouse)
		e = invoke_irq_bind(irq12.addr, irq12.depth, rt_cap(SLOT_NOTIFY), rt_depth(),
		                    MOUSE_BIT, NULL);
	if (e) {
		rt_printf("ps2: interrupt lines not bound: %s\n", err_str(e));
		return 2;
	}
	serving = !rt_service_endpoint("input", &input_ep) && !rt_slot_alloc(&slot);
	rt_printf("ps2: keyboard ready (IRQ 1)%s%s%s\n", mouse ? ", mouse ready (IRQ 12" : "",
	          mouse ? (wheel ? ", wheel)" : ")") : "", serving ? "; serving input" : "");
	return 0;
}

int main(void)
{
	struct cap_results_notify_wait w = {0};
	int r = setup();

	if (r)
		return r;
	for (;;) {
		if (serving) /* before the device: a subscriber misses no later event */
			rt_service_take(input_ep, slot, w.bits, subscribe, NULL);
		drain();
		invoke_irq_ack(irq1.addr, irq1.depth, NULL);
		if (mouse)
			invoke_irq_ack(irq12.addr, irq12.depth, NULL);
		invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &w);
	}
}
