/* Spawning from user space (rt/spawn.h), from a pool: a block of this
 * program's budget retyped as an untyped of its own.  A child ends with
 * its code (hello: 42); one given a budget uses its heap (rt_child: 0);
 * one that faults ends with 128 + 14 (faulter); one that never ends is
 * killed (spinner); images that are not executables are refused.  After
 * every kill the pool is whole again: the allocator says nothing is in
 * use, and the kernel agrees (one untyped the size of the whole pool can
 * be retyped from it).  Ends with 0, or the number of the check that
 * failed (kernel/sched/rt_test.c gives it hello, rt_child, faulter and
 * spinner as modules). */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <tessera/caps.h>

#define POOL_BITS 20 /* 1 MiB */

static struct rt_untyped pool;

/* The pool: a block of our budget as an untyped. */
static enum err make_pool(void)
{
	struct rt_capref slot;
	uint64_t offset;
	struct rt_capref cnode;
	uint64_t index;
	enum err e = rt_untyped_alloc(rt_memory(), POOL_BITS, &offset);

	if (!e)
		e = rt_slot_alloc(&slot);
	if (e)
		return e;
	rt_slot_where(slot, &cnode, &index);
	e = invoke_retype(rt_memory()->cap.addr, rt_memory()->cap.depth, CAP_UNTYPED, POOL_BITS,
	                  offset, 1, cnode.addr, cnode.depth, index, NULL);
	if (!e)
		rt_untyped_init(&pool, slot, POOL_BITS);
	return e;
}

/* Whether the kernel sees nothing left in the pool: an untyped covering it
 * all can be made from it (then deleted again). */
static bool pool_whole(void)
{
	struct rt_capref slot, cnode;
	uint64_t index;

	if (pool.used || rt_slot_alloc(&slot))
		return false;
	rt_slot_where(slot, &cnode, &index);
	enum err e = invoke_retype(pool.cap.addr, pool.cap.depth, CAP_UNTYPED, POOL_BITS, 0, 1,
	                           cnode.addr, cnode.depth, index, NULL);
	if (!e)
		rt_delete(slot);
	rt_slot_free(slot);
	return !e;
}

/* Spawns module name with a budget of 2^bits (0: none). */
static enum err spawn(const char *name, unsigned bits, struct spawn_child *c)
{
	const struct bootinfo_module *m = rt_module(name);
	struct rt_mapping map;

	if (!m)
		return ERR_NOENT;
	enum err e = rt_module_map(m, &map);
	if (e)
		return e;
	struct spawn_args a = {.name = name,
	                       .image = map.data,
	                       .size = map.size,
	                       .budget_bits = bits,
	                       .log = true,
	                       .from = &pool};
	e = spawn_start(&a, c);
	rt_module_unmap(&map);
	return e;
}

/* Starts name, waits for it, takes it back: its code must be want. */
static int run(const char *name, unsigned bits, int want, int check)
{
	struct spawn_child c;

	if (spawn(name, bits, &c))
		return check;
	if (spawn_wait(&c) != want)
		return check + 1;
	if (spawn_kill(&c) || !pool_whole())
		return check + 2;
	return 0;
}

/* The spinner never ends: it counts in its frame until killed. */
static int kill_spinner(void)
{
	struct spawn_child c;

	if (spawn("spinner", 0, &c))
		return 10;
	while (c.frame->exit_code < 1000)
		rt_yield();
	if (spawn_ended(&c))
		return 11;
	if (spawn_kill(&c) || c.frame || !pool_whole())
		return 12;
	return 0;
}

/* Images that are not executables: refused, nothing taken. */
static int refuse(void)
{
	/* an x86_64 executable's header, and no program headers */
	static const uint8_t junk[256] = {0x7f, 'E', 'L',      'F',       2,
	                                  1,    1,   [16] = 2, [18] = 62, [20] = 1};
	const struct bootinfo_module *m = rt_module("hello");
	struct rt_mapping map;
	struct spawn_child c;
	struct spawn_args a = {.name = "junk", .image = junk, .size = sizeof junk, .from = &pool};

	if (spawn_start(&a, &c) != ERR_CORRUPT)
		return 13;
	if (!m || rt_module_map(m, &map))
		return 14;
	a.image = map.data;
	a.size = 100; /* cut short */
	enum err e = spawn_start(&a, &c);
	rt_module_unmap(&map);
	return e == ERR_CORRUPT && pool_whole() ? 0 : 15;
}

int main(void)
{
	int e = make_pool() ? 1 : 0;

	if (!e)
		e = run("hello", 0, 42, 2);
	if (!e)
		e = run("rt_child", 18, 0, 5);
	if (!e)
		e = run("faulter", 0, 128 + 14, 20);
	if (!e)
		e = kill_spinner();
	if (!e)
		e = refuse();
	rt_printf("rt_spawn: %s (check %d)\n", e ? "failed" : "ok", e);
	return e;
}
