/* The console protocol: a byte stream each way between a console driver
 * (user/drivers/serial, or the desktop's terminal, user/apps/terminal)
 * and its one client (the shell) over a channel (rt/chan.h).  Bytes are as a terminal sends and
 * takes them: keys as VT100/xterm sequences in, text with escape sequences out; a "\n" out is
 * written as "\r\n" (a terminal's ONLCR).  Ctrl-C is the byte 0x03 like
 * any other; the client decides what it means. */
#ifndef RT_CONSPROTO_H
#define RT_CONSPROTO_H

#include <stdint.h>
#include <tessera/urpc.h>

enum cons_type {
	CONS_IN = 0x4300, /* driver -> client: 1..URPC_PAYLOAD_MAX bytes typed */
	CONS_OUT,         /* client -> driver: 1..URPC_PAYLOAD_MAX bytes to write */
	CONS_SIZE,        /* driver -> client: struct cons_size, whenever it changes */
};

/* The terminal's size in character cells, from a driver that knows it (a
 * serial line does not: its client assumes 80 columns). */
struct cons_size {
	uint16_t cols, rows;
};
_Static_assert(sizeof(struct cons_size) <= URPC_PAYLOAD_MAX, "one message");

#endif
