/* One cache line bounced between two user programs on cores 0 and 1
 * (make bench-user), through a frame the bench kernel mapped into both at
 * BENCH_SHARED_VA: the floor under any cross-core user channel.  The ping
 * side (core 0) writes 2k + 1 and waits for 2k + 2; the pong side (core 1)
 * waits for 2k + 1 and writes 2k + 2, each in its own line, so every value
 * is checked by the wait itself.  Both poll, never block; a wait gives up
 * after WAIT_S seconds.  The ping side times it.  Ends with 0 or the
 * failed check (also in the bench page). */
#include <rt/rt.h>

#include "bench.h"

#define WAIT_S 60
#define SPINS  4096 /* polls between two looks at the clock */

static struct bench_shared *const shared = (struct bench_shared *)(uintptr_t)BENCH_SHARED_VA;
static uint64_t bounces; /* the ping side's so far */

/* Waits until *v holds want; false after WAIT_S. */
static bool wait_for(volatile uint64_t *v, uint64_t want)
{
	uint64_t deadline = 0;

	for (unsigned spins = 0; __atomic_load_n(v, __ATOMIC_ACQUIRE) != want; spins++) {
		if (spins % SPINS)
			continue;
		if (!deadline)
			deadline = bench_deadline(WAIT_S);
		else if (rt_cycles() > deadline)
			return false;
	}
	return true;
}

static bool pings(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++, bounces++) {
		__atomic_store_n(&shared->ping, 2 * bounces + 1, __ATOMIC_RELEASE);
		if (!wait_for(&shared->pong, 2 * bounces + 2))
			return false;
	}
	return true;
}

static int pong(void)
{
	__atomic_store_n(&shared->pong, 1, __ATOMIC_RELEASE); /* ready */
	for (uint64_t k = 0; k < BENCH_LINE_TOTAL; k++) {
		if (!wait_for(&shared->ping, 2 * k + 1))
			return bench_fail(10, k);
		__atomic_store_n(&shared->pong, 2 * k + 2, __ATOMIC_RELEASE);
	}
	return 0;
}

int main(void)
{
	static const struct bench_op op = {BENCH_FIG_LINE, BENCH_LINE_OPS, NULL, pings};
	struct benchpage *p = bench_page();

	if (p->magic != BENCHPAGE_MAGIC)
		return bench_fail(1, p->magic);
	if (p->role == BENCH_ROLE_LINE_PONG)
		return pong();
	if (p->role != BENCH_ROLE_LINE_PING)
		return bench_fail(2, p->role);
	if (!wait_for(&shared->pong, 1))
		return bench_fail(3, shared->pong);
	int e = bench_measure(&op, 20);
	if (!e && bounces != BENCH_LINE_TOTAL)
		e = bench_fail(21, bounces);
	/* The slot for issue 10's cross-core user channel round trip
	 * (BENCH_FIG_URPC), between these same two programs: once user/lib/rt
	 * has a channel API, both roles set one up in the shared frame after
	 * the bounces and time its round trips here, the pong side answering. */
	return e;
}
