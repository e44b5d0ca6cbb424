/* Endpoint round trips between two programs on one core (make
 * bench-user): the client sends a request (EP_SEND) and waits for the
 * answer (EP_RECV); the server receives it and sends the answer.  Every
 * message is checked: the client's badge, the request's words, the answer
 * the request's first word plus one.  Both count BENCH_EP_TOTAL round
 * trips; the client times them.  Ends with 0 or the failed check (also in
 * the bench page). */
#include <rt/rt.h>

#include "bench.h"

static uint64_t sent; /* the client's requests so far */

static bool round_trips(uint64_t n)
{
	uint64_t d = rt_depth();
	struct cap_results_ep_recv m;

	for (uint64_t i = 0; i < n; i++, sent++) {
		if (invoke_ep_send(rt_cap(BENCH_SLOT_EP_REQ), d, 0, 0, sent, 1, 2, 3, ~sent, 0,
		                   NULL))
			return false;
		if (invoke_ep_recv(rt_cap(BENCH_SLOT_EP_REP), d, 0, 0, 0, &m) || m.w0 != sent + 1)
			return false;
	}
	return true;
}

static int serve(void)
{
	uint64_t d = rt_depth();
	struct cap_results_ep_recv m;

	for (uint64_t i = 0; i < BENCH_EP_TOTAL; i++) {
		enum err e = invoke_ep_recv(rt_cap(BENCH_SLOT_EP_REQ), d, 0, 0, 0, &m);
		if (e)
			return bench_fail(10, e);
		if (m.badge != BENCH_EP_BADGE || m.info != 0)
			return bench_fail(11, m.badge);
		if (m.w0 != i || m.w1 != 1 || m.w2 != 2 || m.w3 != 3 || m.w4 != ~i)
			return bench_fail(12, i);
		e = invoke_ep_send(rt_cap(BENCH_SLOT_EP_REP), d, 0, 0, m.w0 + 1, 0, 0, 0, 0, 0,
		                   NULL);
		if (e)
			return bench_fail(13, e);
	}
	return 0;
}

int main(void)
{
	static const struct bench_op trips = {BENCH_FIG_EP, BENCH_EP_OPS, NULL, round_trips};
	struct benchpage *p = bench_page();

	if (p->magic != BENCHPAGE_MAGIC)
		return bench_fail(1, p->magic);
	if (p->role == BENCH_ROLE_EP_SERVER)
		return serve();
	if (p->role != BENCH_ROLE_EP_CLIENT)
		return bench_fail(2, p->role);
	int e = bench_measure(&trips, 20);
	if (!e && sent != BENCH_EP_TOTAL)
		e = bench_fail(21, sent);
	return e;
}
