/* This core's message loop: the one place where messages from other cores
 * are received and handled.  Every wait on the core is "dispatch until a
 * condition holds" (msgloop_wait); a send that finds the ring full
 * dispatches the same way while it waits (msgloop_send); the top-level
 * loop (msgloop_run) is what a core does when it has nothing else to do.
 * Each polls every channel of the core, to every peer, and hands each
 * message to the handler registered for its type (msgdisp.h: the table,
 * the deferred queue, back-pressure).
 *
 * Nesting rule.  Most handlers are *nested*: they answer a peer or record
 * a reply, so they must run inside waits (a core waiting for a shootdown
 * ack still acks others' shootdowns, or two cores wait for each other
 * forever).  A handler is *top-level* when it changes state that an
 * operation in progress on this core may be half-way through, or runs a
 * job of its own: CAP_TRANSFER (installs into the capability space; a
 * wait can sit inside a capability invocation, e.g. a revoke whose unmap
 * waits for shootdown acks, and decode/invoke assume nothing changes in
 * between) and CORE_RUN (a test case or the benchmark, which owns the core
 * until it returns).  A top-level message met in any wait is deferred and
 * runs when the stack is back in msgloop_run; the queue holds
 * MSGDISP_DEFER_MAX, beyond that the message stays in its ring.
 *
 * All state is this core's; the channels are the only thing shared.
 */
#ifndef KERNEL_MSGLOOP_H
#define KERNEL_MSGLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#include "msgdisp.h"

/* How long a handler's answer may wait for room in the ring. */
#define MSGLOOP_REPLY_MS 10000

enum msgloop_level {
	MSGLOOP_NESTED = 0, /* runs wherever messages are dispatched */
	MSGLOOP_TOP = 1,    /* runs only from msgloop_run */
};

/* Registers this core's handler for type, at start (the same handler again
 * is a no-op).  Panics when type has another: two owners of one message
 * is a broken invariant.  PING (answered with PONG) and PONG (counted) are
 * built in. */
void msgloop_register(uint16_t type, msgdisp_fn fn, enum msgloop_level level);

/* Dispatches until cond(arg) holds, sleeping while nothing arrives; cond is
 * checked first, so a wait that need not wait dispatches nothing.
 * TIMEOUT when the ktime deadline passes first. */
enum err msgloop_wait(bool (*cond)(void *arg), void *arg, uint64_t deadline);

/* A wait at the top level: the caller is not inside any operation (it is
 * where msgloop_run would be, e.g. the test runner between cases), so
 * top-level handlers run during it as well.  BUSY when called inside a
 * wait; TIMEOUT as msgloop_wait. */
enum err msgloop_wait_top(bool (*cond)(void *arg), void *arg, uint64_t deadline);

/* At the top level: runs the deferred top-level messages now (how many). */
unsigned msgloop_settle(void);

/* Sends one message to peer; while its ring is full, dispatches as a wait
 * does.  TIMEOUT at the deadline; chan_send's other errors. */
enum err msgloop_send(unsigned peer, uint16_t type, const void *payload, size_t len,
                      uint64_t deadline);

/* One round of a wait, without sleeping: the number of messages taken. */
unsigned msgloop_poll(void);

/* The top level, forever: deferred messages first, then every channel,
 * sleeping when there is nothing to do (msgloop_step, msgloop_idle). */
_Noreturn void msgloop_run(void);

/* At the top level: the deferred messages, or else one round over the
 * channels; whether anything was handled. */
bool msgloop_step(void);

/* Sleeps until a message or an interrupt arrives. */
void msgloop_idle(void);

/* Whether a message waits to be handled (on a channel read now, or
 * deferred while at the top level). */
bool msgloop_pending(void);

/* For code that reads channels itself (tests, the benchmark): the loop
 * leaves the channels of the cores in peers alone too, until
 * msgloop_unhold(the set held before, which this returns). */
uint64_t msgloop_hold(uint64_t peers);
void msgloop_unhold(uint64_t before);

/* A message such code read that is not its own: handled as a wait would.
 * FULL (not handled) when it would need the full deferred queue. */
enum err msgloop_dispatch(unsigned from, const struct urpc_msg *m);

/* Messages of type handled (run) and rejected (no handler here, wrong
 * length; type 0: unknown types and corrupt lines) on this core so far;
 * messages deferred now; PONGs received from peer. */
uint64_t msgloop_handled(uint16_t type);
uint64_t msgloop_rejected(uint16_t type);
unsigned msgloop_deferred(void);
unsigned msgloop_deferred_of(uint16_t type);
uint64_t msgloop_pongs(unsigned peer);

#endif
