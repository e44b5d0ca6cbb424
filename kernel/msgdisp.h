/* One core's message dispatch: the mechanism under every wait on the core
 * (msgloop.h is the kernel's instance over its channels).
 *
 * Handlers.  One per message type (tessera/msg.h), in a table indexed by
 * type, registered once at start.  A handler is either
 *   nested     it may run wherever the core dispatches, inside any wait;
 *   top-level  it runs only from the top-level loop (depth 0), never inside
 *              a wait: dispatched anywhere else, its message is deferred
 *              into a bounded FIFO and run when the loop is back at the top.
 * A top-level message also waits its turn behind older deferred ones, so
 * top-level messages run in the order they arrived.  Messages from one
 * sender are handled in order, except that a nested message may overtake
 * top-level ones deferred before it.
 *
 * Back-pressure, never loss.  The dispatcher looks at a channel's next
 * message before it takes it.  If that message would have to be deferred
 * and the queue is full, it stays in the ring and the channel is not read
 * (stalled) until the queue has room again; the other channels are still
 * served, and the sender eventually finds its ring full.
 *
 * Depth.  A wait that begins (msgdisp_enter) inside another wait's handler
 * nests; past MSGDISP_NEST_MAX waits deep, a poll reads nothing (a bound
 * on the stack, not a rule of any protocol).
 *
 * Pure: the channels are reached through peek/skip, so tests/host/msgdisp
 * runs it over real URPC rings.  All state is one core's.
 */
#ifndef KERNEL_MSGDISP_H
#define KERNEL_MSGDISP_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/msg.h>
#include <tessera/urpc.h>

#define MSGDISP_PEERS     64
#define MSGDISP_DEFER_MAX 16 /* deferred messages held at once */
#define MSGDISP_BATCH     8  /* messages taken from one channel per round */
#define MSGDISP_NEST_MAX  8  /* waits deep that still dispatch */

/* A handler: m is valid (known type, exact length) and only for the call. */
typedef void (*msgdisp_fn)(unsigned from, const struct urpc_msg *m);

struct msgdisp_item {
	unsigned from;
	struct urpc_msg m;
};

struct msgdisp {
	void *ctx;
	/* The next message from peer, left in its ring: OK, or CORRUPT (a line
	 * skip still takes); anything else (EMPTY) ends that channel's round. */
	enum err (*peek)(void *ctx, unsigned peer, struct urpc_msg *m);
	/* Takes the message peek showed. */
	void (*skip)(void *ctx, unsigned peer);
	/* A message no handler takes (unknown type, wrong length, no handler
	 * here, corrupt line), already taken from its ring.  May be NULL. */
	void (*reject)(unsigned from, const struct urpc_msg *m, enum err why);
	msgdisp_fn fn[MSG_TYPE_COUNT];
	bool top[MSG_TYPE_COUNT];
	struct msgdisp_item queue[MSGDISP_DEFER_MAX];
	unsigned head, len;                /* the deferred FIFO */
	unsigned depth;                    /* waits in progress */
	uint64_t held;                     /* channels their own code reads: not read here */
	uint64_t stalled;                  /* channels whose next message waits for queue room */
	uint64_t handled[MSG_TYPE_COUNT];  /* messages run, by type */
	uint64_t rejected[MSG_TYPE_COUNT]; /* refused, by type (0: unknown type) */
};

/* Static initialiser: transport, no handlers. */
#define MSGDISP_INIT(ctx_, peek_, skip_, reject_)                                    \
	{                                                                            \
		.ctx = (ctx_), .peek = (peek_), .skip = (skip_), .reject = (reject_) \
	}

/* Registers fn for type, top-level or nested.  INVAL for type 0, an unknown
 * type or no fn; EXIST when the type has another handler (the same one
 * again is OK). */
enum err msgdisp_register(struct msgdisp *d, uint16_t type, msgdisp_fn fn, bool top);

/* A wait begins / ends: dispatch in between is nested. */
void msgdisp_enter(struct msgdisp *d);
void msgdisp_leave(struct msgdisp *d);

/* One round over the channels in peers (not held, not stalled): takes up
 * to MSGDISP_BATCH messages from each and handles or defers them.  Returns
 * how many it took. */
unsigned msgdisp_poll(struct msgdisp *d, uint64_t peers);

/* At depth 0 only (else 0): runs every deferred message, oldest first, and
 * lets stalled channels be read again.  Returns how many ran. */
unsigned msgdisp_run_deferred(struct msgdisp *d);

/* A message the holder of its channel read itself: handled or deferred as
 * msgdisp_poll would.  FULL (nothing done; the caller keeps m) when it must
 * be deferred and the queue is full. */
enum err msgdisp_dispatch(struct msgdisp *d, unsigned from, const struct urpc_msg *m);

/* Of peers, the channels a poll would read now (where a sleeper watches). */
uint64_t msgdisp_readable(const struct msgdisp *d, uint64_t peers);

#endif
