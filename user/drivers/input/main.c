/* inputmon: subscribes to the keyboard and the mouse (the service
 * "input", rt/input.h) and prints every event, one line each:
 *
 *   input: key 0x1e down 'a' mods -
 *   input: key 0x2a down mods shift
 *   input: move 10 -5 wheel 0
 *   input: button left down
 *
 * and, when records went missing (its ring was full), how many. */
#include <rt/input.h>
#include <rt/rt.h>

static void print(const struct rt_input_event *ev)
{
	static const char *const buttons[] = {"?", "left", "right", "middle"};
	char ch[8] = "";

	switch (ev->kind) {
	case RT_INPUT_KEY:
		if (ev->ch > ' ' && ev->ch < 127)
			ch[0] = ' ', ch[1] = '\'', ch[2] = ev->ch, ch[3] = '\'';
		rt_printf("input: key %#x %s%s mods%s%s%s%s%s\n", ev->code,
		          ev->down ? "down" : "up", ch, ev->mods ? "" : " -",
		          ev->mods & RT_INPUT_MOD_SHIFT ? " shift" : "",
		          ev->mods & RT_INPUT_MOD_CTRL ? " ctrl" : "",
		          ev->mods & RT_INPUT_MOD_ALT ? " alt" : "",
		          ev->mods & RT_INPUT_MOD_CAPS ? " caps" : "");
		break;
	case RT_INPUT_MOTION:
		rt_printf("input: move %d %d wheel %d\n", ev->dx, ev->dy, ev->dz);
		break;
	case RT_INPUT_BUTTON:
		rt_printf("input: button %s %s\n", buttons[ev->code < 4 ? ev->code : 0],
		          ev->down ? "down" : "up");
		break;
	default: rt_printf("input: a record of kind %u\n", ev->kind);
	}
}

int main(void)
{
	struct rt_chan c;
	struct rt_chan *chans[1] = {&c};
	struct rt_input_event ev[RT_INPUT_PER_MSG];
	uint32_t seen = 0;
	enum err e = rt_input_subscribe(RT_INPUT_KEYBOARD | RT_INPUT_MOUSE, &c);

	if (e) {
		rt_printf("inputmon: not subscribed: %s\n", err_str(e));
		return 1;
	}
	rt_printf("inputmon: subscribed to the keyboard and the mouse\n");
	for (;;) {
		struct urpc_msg m;
		size_t n;
		while (rt_chan_recv(&c, &m) == ERR_OK) {
			if (rt_input_events(&m, ev, RT_INPUT_PER_MSG, &n)) {
				rt_printf("inputmon: a message of type %#x, not events\n", m.type);
				continue;
			}
			for (size_t i = 0; i < n; i++) {
				if (ev[i].seq != seen + 1)
					rt_printf("input: %u records dropped\n",
					          ev[i].seq - seen - 1);
				seen = ev[i].seq;
				print(&ev[i]);
			}
		}
		rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, 1);
	}
}
