/* Spawning from user space (make bench-user): per operation, bench_nop
 * (a boot module it was given, mapped once) becomes a new program on this
 * core (spawn_start), runs to its end (spawn_wait: its exit code must be
 * BENCH_NOP_CODE) and is taken apart again (spawn_kill: every object and
 * the memory back in the budget, so the next spawn reuses it).  Ends with
 * 0 or the failed check (also in the bench page). */
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>

#include "bench.h"

static struct rt_mapping image;

static bool spawns(uint64_t n)
{
	struct spawn_args a = {.name = "bench_nop", .image = image.data, .size = image.size};
	struct spawn_child c;

	for (uint64_t i = 0; i < n; i++) {
		if (spawn_start(&a, &c))
			return false;
		int code = spawn_wait(&c);
		if (spawn_kill(&c) || code != BENCH_NOP_CODE)
			return false;
	}
	return true;
}

int main(void)
{
	static const struct bench_op op = {BENCH_FIG_SPAWN, BENCH_SPAWN_OPS, NULL, spawns};
	struct benchpage *p = bench_page();
	const struct bootinfo_module *m = rt_module("bench_nop");

	if (p->magic != BENCHPAGE_MAGIC || p->role != BENCH_ROLE_SPAWN)
		return bench_fail(1, p->role);
	if (!m || !rt_memory())
		return bench_fail(2, 0);
	enum err e = rt_module_map(m, &image);
	if (e)
		return bench_fail(3, e);
	uint64_t used = rt_memory()->used;
	int r = bench_measure(&op, 10);
	if (!r && rt_memory()->used != used) /* every spawn gave everything back */
		r = bench_fail(20, rt_memory()->used - used);
	return r;
}
