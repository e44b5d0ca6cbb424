/* This core's message loop over its channels; see msgloop.h. */
#include "msgloop.h"

#include <tessera/msg.h>

#include "chan.h"
#include "fault.h"
#include "ktime.h"
#include "log.h"
#include "panic.h"

static enum err loop_peek(void *ctx, unsigned peer, struct urpc_msg *m)
{
	return chan_peek(peer, m);
}

static void loop_skip(void *ctx, unsigned peer)
{
	chan_skip(peer);
}

static void loop_reject(unsigned from, const struct urpc_msg *m, enum err why)
{
	log_printf("msgloop: %s message (type %u) from core %u dropped: %s\n",
	           msg_type_name(m->type), m->type, from, err_str(why));
}

static void on_ping(unsigned from, const struct urpc_msg *m);
static void on_pong(unsigned from, const struct urpc_msg *m);

static struct msgdisp disp = {
        .peek = loop_peek,
        .skip = loop_skip,
        .reject = loop_reject,
        .fn = {[MSG_PING] = on_ping, [MSG_PONG] = on_pong},
};
static uint64_t pongs[MSGDISP_PEERS];

/* A liveness probe: the answer echoes it. */
static void on_ping(unsigned from, const struct urpc_msg *m)
{
	if (msgloop_send(from, MSG_PONG, m->payload, m->len, ktime_deadline(MSGLOOP_REPLY_MS)))
		log_printf("msgloop: no room to answer core %u's PING\n", from);
}

static void on_pong(unsigned from, const struct urpc_msg *m)
{
	pongs[from]++;
}

void msgloop_register(uint16_t type, msgdisp_fn fn, enum msgloop_level level)
{
	enum err e = msgdisp_register(&disp, type, fn, level == MSGLOOP_TOP);

	if (e)
		panic("msgloop: handler for %s not registered: %s", msg_type_name(type),
		      err_str(e));
}

/* A sleeper's watch: the channels a poll would read. */
static uint64_t readable(void)
{
	return msgdisp_readable(&disp, chan_peers());
}

/* One round over every channel (and, in the test kernel, the held-back
 * messages that are due: fault.h). */
static unsigned round_once(void)
{
	if (fault_tick)
		fault_tick();
	return msgdisp_poll(&disp, chan_peers());
}

unsigned msgloop_poll(void)
{
	msgdisp_enter(&disp);
	unsigned n = round_once();
	msgdisp_leave(&disp);
	return n;
}

/* Dispatches until cond holds or the deadline passes; at depth 0 (a
 * top-level wait) deferred messages run too. */
static enum err wait_rounds(bool (*cond)(void *arg), void *arg, uint64_t deadline)
{
	while (!cond(arg)) {
		if (ktime_passed(deadline))
			return ERR_TIMEOUT;
		if (msgdisp_run_deferred(&disp))
			continue;
		if (!round_once() && !cond(arg))
			chan_sleep(readable());
	}
	return ERR_OK;
}

enum err msgloop_wait(bool (*cond)(void *arg), void *arg, uint64_t deadline)
{
	msgdisp_enter(&disp);
	enum err e = wait_rounds(cond, arg, deadline);
	msgdisp_leave(&disp);
	return e;
}

enum err msgloop_wait_top(bool (*cond)(void *arg), void *arg, uint64_t deadline)
{
	if (disp.depth)
		return ERR_BUSY;
	return wait_rounds(cond, arg, deadline);
}

unsigned msgloop_settle(void)
{
	return disp.depth ? 0 : msgdisp_run_deferred(&disp);
}

enum err msgloop_send(unsigned peer, uint16_t type, const void *payload, size_t len,
                      uint64_t deadline)
{
	enum err e;

	while ((e = chan_send(peer, type, payload, len)) == ERR_FULL) {
		if (ktime_passed(deadline))
			return ERR_TIMEOUT;
		if (!msgloop_poll())
			chan_sleep(readable());
	}
	return e;
}

bool msgloop_step(void)
{
	if (disp.depth)
		return false;
	if (msgdisp_run_deferred(&disp))
		return true;
	return round_once() != 0;
}

void msgloop_idle(void)
{
	chan_sleep(readable());
}

bool msgloop_pending(void)
{
	uint64_t r = readable();

	for (unsigned p = 0; p < MSGDISP_PEERS; p++)
		if ((r >> p & 1) && chan_pending(p))
			return true;
	return disp.depth == 0 && disp.len;
}

_Noreturn void msgloop_run(void)
{
	for (;;)
		if (!msgloop_step())
			msgloop_idle();
}

uint64_t msgloop_hold(uint64_t peers)
{
	uint64_t before = disp.held;

	disp.held |= peers;
	return before;
}

void msgloop_unhold(uint64_t before)
{
	disp.held = before;
}

enum err msgloop_dispatch(unsigned from, const struct urpc_msg *m)
{
	msgdisp_enter(&disp);
	enum err e = msgdisp_dispatch(&disp, from, m);
	msgdisp_leave(&disp);
	return e;
}

uint64_t msgloop_handled(uint16_t type)
{
	return type < MSG_TYPE_COUNT ? disp.handled[type] : 0;
}

uint64_t msgloop_rejected(uint16_t type)
{
	return type < MSG_TYPE_COUNT ? disp.rejected[type] : 0;
}

unsigned msgloop_deferred(void)
{
	return disp.len;
}

uint64_t msgloop_pongs(unsigned peer)
{
	return peer < MSGDISP_PEERS ? pongs[peer] : 0;
}

unsigned msgloop_deferred_of(uint16_t type)
{
	unsigned n = 0;

	for (unsigned i = 0; i < disp.len; i++)
		n += disp.queue[(disp.head + i) % MSGDISP_DEFER_MAX].m.type == type;
	return n;
}
