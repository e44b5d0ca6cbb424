/* The PS/2 driver's input streams as a source of ui_events (input.h). */
#include <rt/input.h>
#include <rt/rt.h>

#include "input.h"

/* A key that types no character: its ui_key (scan code set 1, 0x100 |
 * code after 0xe0: IBM PC/AT Technical Reference), UI_KEY_NONE if the
 * desktop has no use for it (modifiers, function keys). */
static enum ui_key special_key(uint16_t code)
{
	static const struct {
		uint16_t code;
		enum ui_key key;
	} keys[] = {{0x01, UI_KEY_ESCAPE},    {0x0e, UI_KEY_BACKSPACE}, {0x0f, UI_KEY_TAB},
	            {0x1c, UI_KEY_ENTER},     {0x11c, UI_KEY_ENTER},    {0x147, UI_KEY_HOME},
	            {0x148, UI_KEY_UP},       {0x149, UI_KEY_PAGEUP},   {0x14b, UI_KEY_LEFT},
	            {0x14d, UI_KEY_RIGHT},    {0x14f, UI_KEY_END},      {0x150, UI_KEY_DOWN},
	            {0x151, UI_KEY_PAGEDOWN}, {0x153, UI_KEY_DELETE}};

	for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].code == code)
			return keys[i].key;
	return UI_KEY_NONE;
}

static uint32_t ui_mods(uint8_t mods)
{
	return (mods & RT_INPUT_MOD_SHIFT ? UI_MOD_SHIFT : 0) |
	       (mods & RT_INPUT_MOD_CTRL ? UI_MOD_CTRL : 0) |
	       (mods & RT_INPUT_MOD_ALT ? UI_MOD_ALT : 0);
}

static uint32_t button_bit(uint16_t code)
{
	return code == RT_INPUT_BUTTON_LEFT     ? UI_BUTTON_LEFT
	       : code == RT_INPUT_BUTTON_RIGHT  ? UI_BUTTON_RIGHT
	       : code == RT_INPUT_BUTTON_MIDDLE ? UI_BUTTON_MIDDLE
	                                        : 0;
}

static int32_t clamp(int32_t v, int32_t max)
{
	return v < 0 ? 0 : v > max ? max : v;
}

bool input_translate(struct input_stream *s, const struct rt_input_event *r, struct ui_event *ev)
{
	switch (r->kind) {
	case RT_INPUT_KEY: {
		if (!r->down) /* windows act on presses (and repeats) only */
			return false;
		enum ui_key k = special_key(r->code);
		unsigned char ch = (unsigned char)r->ch;
		if (k == UI_KEY_NONE && (r->mods & RT_INPUT_MOD_CTRL) && ch >= 1 && ch <= 26)
			ch = (unsigned char)('a' + ch -
			                     1); /* Ctrl-S: the letter, with UI_MOD_CTRL */
		else if (k == UI_KEY_NONE && ch < 0x20)
			return false;
		*ev = k != UI_KEY_NONE ? ui_key(k, 0) : ui_key(UI_KEY_CHAR, ch);
		ev->mods = ui_mods(r->mods);
		return true;
	}
	case RT_INPUT_MOTION:
		s->x = clamp(s->x + r->dx, s->width - 1);
		s->y = clamp(s->y + r->dy, s->height - 1);
		*ev = ui_pointer(s->x, s->y, s->buttons, -r->dz); /* dz away, wheel towards */
		return true;
	case RT_INPUT_BUTTON: {
		uint32_t b = button_bit(r->code);
		if (!b)
			return false;
		s->buttons = r->down ? s->buttons | b : s->buttons & ~b;
		*ev = ui_pointer(s->x, s->y, s->buttons, 0);
		return true;
	}
	default: return false;
	}
}

static bool stream_next(struct input_source *src, uint64_t now_ms, struct ui_event *ev)
{
	struct input_stream *s = (struct input_stream *)src;
	struct urpc_msg m;
	size_t n;

	(void)now_ms;
	for (;;) {
		while (s->at < s->n)
			if (input_translate(s, &s->rec[s->at++], ev))
				return true;
		if (rt_chan_recv(&s->ch, &m))
			return false;
		s->at = s->n = 0;
		if (rt_input_events(&m, s->rec, RT_INPUT_PER_MSG, &n))
			rt_printf("desktop: a message from the input driver is not events\n");
		else
			s->n = (unsigned)n;
	}
}

static bool stream_done(const struct input_source *src)
{
	(void)src;
	return false;
}

static uint64_t stream_due(const struct input_source *src, uint64_t now_ms)
{
	(void)src, (void)now_ms;
	return UINT64_MAX;
}

enum err input_stream_init(struct input_stream *s, int32_t width, int32_t height)
{
	*s = (struct input_stream){.src = {stream_next, stream_done, stream_due},
	                           .width = width,
	                           .height = height,
	                           .x = width / 2,
	                           .y = height / 2};
	return rt_input_subscribe(RT_INPUT_KEYBOARD | RT_INPUT_MOUSE, &s->ch);
}
