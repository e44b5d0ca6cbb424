/* Input events, in the one form the compositor delivers them to windows
 * and widgets take them: key presses with the character they type, and
 * pointer moves, buttons and wheel.  The PS/2 drivers' event streams are
 * translated to these by the compositor's input source (user/desktop). */
#ifndef LIB_UI_EVENT_H
#define LIB_UI_EVENT_H

#include <stdint.h>

enum ui_event_type {
	UI_EV_NONE,
	UI_EV_KEY,     /* key, cp, mods, down */
	UI_EV_POINTER, /* x, y, buttons, wheel */
};

/* Keys that are not text (cp is then 0); UI_KEY_CHAR carries text in cp. */
enum ui_key {
	UI_KEY_NONE,
	UI_KEY_CHAR,
	UI_KEY_ENTER,
	UI_KEY_BACKSPACE,
	UI_KEY_DELETE,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_PAGEUP,
	UI_KEY_PAGEDOWN,
	UI_KEY_ESCAPE,
	UI_KEY_TAB,
};

#define UI_MOD_SHIFT 1u
#define UI_MOD_CTRL  2u
#define UI_MOD_ALT   4u

#define UI_BUTTON_LEFT   1u
#define UI_BUTTON_RIGHT  2u
#define UI_BUTTON_MIDDLE 4u

struct ui_event {
	uint16_t type;    /* enum ui_event_type */
	uint16_t key;     /* enum ui_key */
	uint32_t cp;      /* UI_KEY_CHAR: the Unicode code point typed */
	uint32_t mods;    /* UI_MOD_* held */
	uint32_t down;    /* key: 1 pressed (or repeated), 0 released */
	int32_t x, y;     /* pointer: position (the receiver's coordinates) */
	uint32_t buttons; /* pointer: UI_BUTTON_* held after this event */
	int32_t wheel;    /* pointer: wheel steps, positive towards the user */
};

static inline struct ui_event ui_key(enum ui_key key, uint32_t cp)
{
	return (struct ui_event){.type = UI_EV_KEY, .key = (uint16_t)key, .cp = cp, .down = 1};
}

static inline struct ui_event ui_pointer(int32_t x, int32_t y, uint32_t buttons, int32_t wheel)
{
	return (struct ui_event){
	        .type = UI_EV_POINTER, .x = x, .y = y, .buttons = buttons, .wheel = wheel};
}

#endif
