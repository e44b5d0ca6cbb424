/* The user benchmark programs' shared part; see bench.h. */
#include "bench.h"

#include <rt/rt.h>

uint64_t bench_deadline(unsigned seconds)
{
	return rt_cycles() + seconds * rt_cycles_hz();
}

bool bench_wait_for(volatile uint64_t *v, uint64_t want)
{
	uint64_t deadline = 0;

	for (unsigned spins = 0; __atomic_load_n(v, __ATOMIC_ACQUIRE) != want; spins++) {
		if (spins % BENCH_SPINS)
			continue;
		if (!deadline)
			deadline = bench_deadline(BENCH_WAIT_S);
		else if (rt_cycles() > deadline)
			return false;
	}
	return true;
}

bool bench_pings(volatile uint64_t *ping, volatile uint64_t *pong, uint64_t *bounces, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++, (*bounces)++) {
		__atomic_store_n(ping, 2 * *bounces + 1, __ATOMIC_RELEASE);
		if (!bench_wait_for(pong, 2 * *bounces + 2))
			return false;
	}
	return true;
}

int bench_fail(int check, uint64_t detail)
{
	struct benchpage *p = bench_page();

	if (!p->check) {
		p->check = (uint64_t)check;
		p->detail = detail;
	}
	return check;
}

int bench_measure(const struct bench_op *op, int check)
{
	struct bench_figure *f = &bench_page()->fig[op->fig];

	for (unsigned r = 0; r <= BENCH_ROUNDS; r++) {
		if (op->prepare && !op->prepare(op->ops))
			return bench_fail(check, r);
		uint64_t t0 = rt_cycles();
		bool ok = op->run(op->ops);
		uint64_t t1 = rt_cycles();
		if (!ok)
			return bench_fail(check, r);
		if (r > 0) /* round 0 warms caches and TLBs up */
			f->cycles[r - 1] = t1 - t0;
	}
	f->ops = op->ops;
	return 0;
}

bool bench_bare(volatile uint64_t *want, volatile uint64_t *have, uint64_t at)
{
	uint64_t deadline = bench_deadline(10);

	*want = at;
	while (*have != at) {
		if (*have == BENCH_REFUSED || rt_cycles() > deadline)
			return false;
		rt_yield(); /* the kernel answers between two of our runs */
	}
	return true;
}
