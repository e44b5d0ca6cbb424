/* ps2: the PS/2 keyboard driver (user/README.md, "Drivers").  It holds the
 * i8042's data port 0x60, status port 0x64 and the keyboard's line, IRQ 1
 * (edge-triggered: never masked, so it empties the controller on every
 * wake-up, status bit 0 "output buffer full", bit 5 "from the mouse").
 * Each key event is printed:
 *
 *   ps2: key 0x1e down 'a' mods shift
 */
#include <rt/device.h>
#include <rt/image.h>
#include <rt/rt.h>

#include "keymap.h"

#define DATA      0x60
#define STATUS    0x64
#define ST_OUTPUT 0x01 /* a byte waits in 0x60 */
#define ST_AUX    0x20 /* ... and it is the mouse's */
#define IRQ_BIT   1

static struct rt_capref data, status, irq;

static void print(const struct key_event *ev)
{
	char ch[8] = "";

	if (ev->ch > ' ' && ev->ch < 127)
		ch[0] = ' ', ch[1] = '\'', ch[2] = ev->ch, ch[3] = '\'';
	rt_printf("ps2: key %#x %s%s mods%s%s%s%s\n", ev->code, ev->down ? "down" : "up", ch,
	          ev->mods & KEY_MOD_SHIFT ? " shift" : "", ev->mods & KEY_MOD_CTRL ? " ctrl" : "",
	          ev->mods & KEY_MOD_ALT ? " alt" : "", ev->mods & KEY_MOD_CAPS ? " caps" : "");
}

/* Takes every byte the controller holds. */
static void drain(struct key_decoder *d)
{
	struct key_event ev;
	uint32_t st;

	while ((st = rt_in(status, STATUS, 1)) & ST_OUTPUT) {
		uint8_t b = (uint8_t)rt_in(data, DATA, 1);
		if (!(st & ST_AUX) && key_decode(d, b, &ev))
			print(&ev);
	}
}

int main(void)
{
	struct prog_cap info;
	struct key_decoder dec = {0};
	struct cap_results_notify_wait w;

	if (rt_named_cap("port60", &data, &info) || rt_named_cap("port64", &status, &info) ||
	    rt_named_cap("irq1", &irq, &info)) {
		rt_printf("ps2: the controller's caps are missing\n");
		return 1;
	}
	enum err e = invoke_irq_bind(irq.addr, irq.depth, rt_cap(SLOT_NOTIFY), rt_depth(), IRQ_BIT,
	                             NULL);
	if (e) {
		rt_printf("ps2: IRQ 1 not bound: %s\n", err_str(e));
		return 2;
	}
	rt_printf("ps2: keyboard ready (IRQ 1)\n");
	for (;;) {
		drain(&dec);
		invoke_irq_ack(irq.addr, irq.depth, NULL);
		invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &w);
	}
}
