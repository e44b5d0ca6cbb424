/* init's control clients as its relays see them (control.c serves the
 * channels; files.c passes their file requests on to the file service,
 * each tagged with its client). */
#ifndef INIT_CONTROL_H
#define INIT_CONTROL_H

#include "init.h"

#define CLIENTS 8 /* control channels at once */

struct client {
	bool used, up;
	bool service; /* asked through `control` (else: the startup entry's) */
	bool filed;   /* it asked the file service something (files_forget) */
	uint32_t gen; /* told apart from an earlier client in the same place */
	struct rt_chan ch;
	struct rt_capref frame, peer; /* init's frame; the client's notification */
	uint64_t frame_off, va;
	unsigned frame_bits;
	struct program *prog; /* the startup entry it is (or NULL) */
	bool cores_wanted;    /* MON_CORES asked while another client's was out */
	bool stats_wanted;    /* MON_STATS likewise */
	bool ready_sent;
	bool renaming; /* a lone FS_RENAME half refused: its second half is dropped */
	bool has_held; /* a request taken early (after a lone rename half) */
	struct urpc_msg held;
	/* a spawn being received: the request, then its arguments */
	struct init_spawn spawn;
	uint32_t args_got;
	uint8_t args[MON_ARGS_MAX];
};

/* c's place (index + 1), and the client at a place with its generation
 * (NULL: it ended meanwhile). */
unsigned control_ref(const struct client *c);
struct client *control_client(unsigned who, uint32_t gen);
/* A channel in a new frame of init's budget, mapped here (init side 0;
 * its peer named once known). */
enum err control_make_chan(struct rt_chan *ch, struct rt_capref *frame, uint64_t *off,
                           unsigned *bits, uint64_t *va);
/* To a client: nothing if it has ended. */
void control_send(struct client *c, uint16_t type, const void *payload, size_t len);

/* files.c: a file request of c (user/fs/fsproto.h), passed on tagged with
 * c's place; the file service's answers, to whoever asked; a client that
 * ended: its handles closed there. */
void files_ask(struct client *c, const struct urpc_msg *m);
void files_poll(void);
void files_forget(struct client *c);

#endif
