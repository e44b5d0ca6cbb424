/* Spawning from user space (make bench-user): per operation, bench_nop
 * (a boot module it was given, mapped once) becomes a new program on this
 * core (spawn_start), runs to its end (spawn_wait: its exit code must be
 * BENCH_NOP_CODE) and is taken apart again (spawn_kill: every object and
 * the memory back in the budget, so the next spawn reuses it).  Ends with
 * 0 or the failed check (also in the bench page); check 20: a spawn after
 * the first kept some of the budget (not counting the heap's pages). */
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

/* The budget in use but for the heap's and stacks' pages (mapped on
 * first touch, rt/mem.h). */
static uint64_t budget_kept(void)
{
	return rt_memory()->used - rt_fault_pages() * RT_PAGE;
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
	/* One spawn first: what the runtime keeps after it (the scratch page's
	 * slot and tables) is made once.  Then no spawn may keep any of the
	 * budget but the pages the heap grew by (the copies of the image are
	 * malloc'd; the heap keeps its pages for reuse, and first fit does not
	 * always reuse the same ones): every object and block is back. */
	if (!spawns(1))
		return bench_fail(4, 0);
	uint64_t kept = budget_kept();
	int r = bench_measure(&op, 10);
	if (!r && budget_kept() != kept)
		r = bench_fail(20, budget_kept() - kept);
	return r;
}
