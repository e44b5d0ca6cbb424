/* init's channel to the file service (user/fs/fsproto.h): the file
 * requests of its control clients passed on, as they are, each client's
 * under a tag of its own (FS_CLIENT: its place among init's clients), so
 * the service keeps every client's handles apart and a client can name
 * only its own; a client that ends has its handles closed (FS_FORGET)
 * before its place is given again.  The service answers in order, so a
 * queue of who asked routes each answer back. */
#include <rt/mem.h>
#include <string/mem.h>

#include "../fs/fsproto.h"
#include "control.h"

#define FS_WAIT 32 /* file requests on their way to the service */
#define RW      (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

_Static_assert(CLIENTS <= FS_CLIENTS, "a tag for every control client");

/* The file service's channel (init side 0) and who waits for an answer. */
static struct {
	bool made, up;
	struct rt_chan ch;
	struct rt_capref frame;
	struct program *p;
	bool tagged;  /* tag was said last */
	uint32_t tag; /* ... and is */
	struct {
		uint8_t who;
		uint32_t gen;
	} q[FS_WAIT];
	unsigned head, len;
} files;

enum err control_files_grants(struct spawn_grant g[2])
{
	uint64_t off, va;
	unsigned bits;
	enum err e = files.made ? ERR_BUSY
	                        : control_make_chan(&files.ch, &files.frame, &off, &bits, &va);

	if (e)
		return e;
	files.made = true;
	g[0] = (struct spawn_grant){files.frame, SLOT_MON_CHAN, RW};
	g[1] = (struct spawn_grant){rt_root_ref(SLOT_NOTIFY), SLOT_MON_NOTIFY, CAP_RIGHT_WRITE};
	return ERR_OK;
}

void control_files_started(struct program *p)
{
	files.ch.peer = spawn_slot(&p->c, SLOT_NOTIFY);
	files.p = p;
	files.up = true;
}

struct rt_chan *control_files_chan(void)
{
	return files.up && files.p->state == RUNNING ? &files.ch : NULL;
}

static void fs_refuse(struct client *c, enum err e)
{
	struct fs_reply r = {.err = e};

	control_send(c, FS_REPLY, &r, sizeof r);
}

/* The tag of the requests that follow, said when it changes (fsproto.h:
 * a client's place; FS_CLIENTS of them). */
static enum err tag(struct client *c)
{
	struct fs_client t = {.tag = control_ref(c) - 1};

	if (files.tagged && files.tag == t.tag)
		return ERR_OK;
	enum err e = rt_chan_send(&files.ch, FS_CLIENT, &t, sizeof t);
	files.tagged = !e;
	files.tag = t.tag;
	return e;
}

void files_forget(struct client *c)
{
	struct fs_client t = {.tag = control_ref(c) - 1};

	if (!c->filed || !control_files_chan())
		return;
	c->filed = false;
	if (!rt_chan_send(&files.ch, FS_FORGET, &t, sizeof t) && files.tag == t.tag)
		files.tagged = false;
}

/* A file request: to the file service, the client queued for its answer;
 * UNSUPPORTED none running (it did not start, found no disk, or ended).
 * A rename is two messages and one answer: its halves are passed on
 * together, so no other client's request comes between them (a first
 * half alone is refused, and its late second half dropped). */
void files_ask(struct client *c, const struct urpc_msg *m)
{
	struct urpc_msg second;
	bool rename = m->type == FS_RENAME;
	enum err e = ERR_OK;

	if (rename && c->renaming) {
		c->renaming = false;
		return;
	}
	if (rename) {
		e = rt_chan_recv(&c->ch, &second);
		c->renaming = e == ERR_EMPTY;
		if (!e && second.type != FS_RENAME) {
			c->held = second; /* the next request: served after this refusal */
			c->has_held = true;
		}
		e = e || second.type != FS_RENAME ? ERR_INVAL : ERR_OK;
	}
	if (!e && !control_files_chan())
		e = ERR_UNSUPPORTED;
	if (!e && files.len == FS_WAIT)
		e = ERR_BUSY;
	if (!e)
		e = tag(c);
	if (!e)
		e = rt_chan_send(&files.ch, m->type, m->payload, m->len);
	if (!e && rename)
		e = rt_chan_send(&files.ch, second.type, second.payload, second.len);
	if (e) {
		fs_refuse(c, e);
		return;
	}
	c->filed = true;
	unsigned at = (files.head + files.len++) % FS_WAIT;
	files.q[at].who = (uint8_t)control_ref(c);
	files.q[at].gen = c->gen;
}

/* The file service's answers (FS_REPLY, and FS_DATA, FS_DISK_INFO and
 * FS_DISK_PART before it), to whoever asked. */
void files_poll(void)
{
	struct urpc_msg m;

	while (control_files_chan() && rt_chan_recv(&files.ch, &m) == ERR_OK) {
		if (!files.len || m.type < FS_DATA || m.type > FS_DISK_PART)
			continue;
		struct client *c = control_client(files.q[files.head].who, files.q[files.head].gen);
		control_send(c, m.type, m.payload, m.len);
		if (m.type == FS_REPLY) {
			files.head = (files.head + 1) % FS_WAIT;
			files.len--;
		}
	}
}
