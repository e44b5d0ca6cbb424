/* The window protocol between the desktop (the compositor) and a client
 * program in a window of its own (user/README.md, "Window clients").
 *
 * The desktop spawns the client on its own core with a channel (rt/chan.h:
 * the desktop side 0, the client side 1) and a named cap "surface": a
 * CNode of 2^WIN_CNODE_BITS slots that both hold.  The window's pixels are
 * frames of the desktop's budget; the desktop puts copies of them in the
 * CNode, in one of two banks (slots [bank * WIN_BANK_SLOTS, ...)), and
 * tells the client where: the client maps them and draws.  After a resize
 * the new surface goes in the other bank; when the client has drawn on it
 * (a DAMAGE of the new serial) it no longer touches the old one, so the
 * desktop deletes the old bank's copies (which unmaps them in the client)
 * and frees the old frames.
 *
 *   client -> desktop  WIN_MSG_OPEN     title and the client size it wants
 *   desktop -> client  WIN_MSG_SURFACE  serial, size, stride, bank, frames
 *   client -> desktop  WIN_MSG_DAMAGE   serial drawn on, a rectangle
 *   desktop -> client  WIN_MSG_EVENT    a ui_event in client coordinates
 *   desktop -> client  WIN_MSG_CLOSE    the window was closed: end now
 *   client -> desktop  WIN_MSG_LAUNCH   start a program that takes a path
 *                                       (the editor) with that path; no
 *                                       answer: its window opens, or the
 *                                       desktop's log says why not
 *
 * A client that ends or breaks the protocol loses its window (and the
 * desktop kills it: everything it had goes back to the desktop's budget).
 */
#ifndef DESKTOP_PROTO_H
#define DESKTOP_PROTO_H

#include <stdint.h>
#include <tessera/urpc.h>
#include <ui/event.h>

#define WIN_CNODE_BITS 11 /* 2048 slots: two banks of 1024 frames */
#define WIN_BANK_SLOTS 1024u
#define WIN_MAX_PIXELS (WIN_BANK_SLOTS * 4096u / 4u) /* a client area's most pixels */
#define WIN_TITLE      32

enum win_msg {
	WIN_MSG_OPEN = 0x5701,
	WIN_MSG_SURFACE,
	WIN_MSG_DAMAGE,
	WIN_MSG_EVENT,
	WIN_MSG_CLOSE,
	WIN_MSG_LAUNCH,
};

#define WIN_PROGRAM 16 /* a launched program's name, NUL included */
#define WIN_PATH    40 /* its path, NUL included */

struct win_open {
	char title[WIN_TITLE]; /* NUL-terminated unless all used */
	int32_t w, h;
};

struct win_surface {
	uint32_t serial;
	int32_t w, h;
	uint32_t stride; /* pixels */
	uint32_t bank;   /* 0 or 1: the first slot is bank * WIN_BANK_SLOTS */
	uint32_t frames; /* 4 KiB frames, one after another */
	uint32_t cnode_bits;
};

struct win_damage {
	uint32_t serial;
	int32_t x, y, w, h;
};

/* The desktop starts `program` (one it offers to launch with a path)
 * with the command line --path PATH (its argument schema's). */
struct win_launch {
	char program[WIN_PROGRAM]; /* NUL-terminated */
	char path[WIN_PATH];       /* NUL-terminated, absolute */
};

_Static_assert(sizeof(struct win_launch) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct win_open) <= URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct win_surface) == 28, "one message");
_Static_assert(sizeof(struct win_damage) == 20, "one message");
_Static_assert(sizeof(struct ui_event) == 32 && sizeof(struct ui_event) <= URPC_PAYLOAD_MAX,
               "an event is one message");

#endif
