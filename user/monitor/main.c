/* The monitor of one core: the first program on it, started by the core's
 * CPU driver with the core's whole initial capability space and a budget
 * for its runtime (SLOT_UNTYPED).  It will carry the cross-core work
 * (spawning on other cores, moving capabilities); for now it reports what
 * it holds, and on core 0 starts init: a share of the core's free untyped
 * (the largest aligned block, at most SHARE_MAX_BITS), half of it init's
 * budget, with the log and every boot module.  Then it parks: it stops
 * itself with code 0, its objects kept, until there are events for it to
 * wait for (endpoints and notifications); a monitor spinning in a yield
 * loop would keep its core from ever halting.  init runs on without it. */
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <tessera/caps.h>

#define SHARE_MAX_BITS 25 /* init's share: at most 32 MiB */
#define SHARE_MIN_BITS 22 /* ... and at least 4 MiB */

static struct rt_untyped share;

/* The largest size-aligned block (at most 2^SHARE_MAX_BITS) free in one
 * of the core's untyped caps: nothing was carved from them but the CPU
 * driver's part of one (bootinfo spawn_untyped, spawn_used). */
static bool pick_share(const struct bootinfo *bi, uint64_t *slot, uint64_t *offset, unsigned *bits)
{
	*bits = 0;
	for (uint32_t i = 0; i < bi->untyped_count; i++) {
		uint64_t s = bi->untyped_first + i;
		struct cap_results_identify id;
		if (invoke_identify(rt_cap(s), rt_depth(), &id) || id.type != CAP_UNTYPED ||
		    id.size_bits > 63)
			continue;
		uint64_t used = s == bi->spawn_untyped ? bi->spawn_used : 0;
		for (unsigned k = SHARE_MAX_BITS; k > *bits && k >= SHARE_MIN_BITS; k--) {
			uint64_t at = (used + (1ull << k) - 1) & ~((1ull << k) - 1);
			if (k <= id.size_bits && at + (1ull << k) <= 1ull << id.size_bits) {
				*slot = s, *offset = at, *bits = k;
				break;
			}
		}
	}
	return *bits != 0;
}

/* init's share as an untyped of its own, for spawn to carve from. */
static enum err make_share(const struct bootinfo *bi)
{
	struct rt_capref dest, cnode;
	uint64_t slot, offset, index;
	unsigned bits;

	if (!pick_share(bi, &slot, &offset, &bits))
		return ERR_NOMEM;
	enum err e = rt_slot_alloc(&dest);
	if (e)
		return e;
	rt_slot_where(dest, &cnode, &index);
	e = invoke_retype(rt_cap(slot), rt_depth(), CAP_UNTYPED, bits, offset, 1, cnode.addr,
	                  cnode.depth, index, NULL);
	if (!e)
		rt_untyped_init(&share, dest, bits);
	return e;
}

/* init from its module, with the startup description and every module. */
static void start_init(const struct bootinfo *bi)
{
	const struct bootinfo_module *init = rt_module("init"), *mods[BOOTINFO_MODULES];
	struct spawn_child c;
	struct rt_mapping map;
	enum err e;

	if (!init || !rt_module("startup")) {
		rt_printf("monitor: core 0: no %s module: init not started\n",
		          init ? "startup" : "init");
		return;
	}
	for (unsigned i = 0; i < rt_module_count(); i++)
		mods[i] = rt_module_at(i);
	e = make_share(bi);
	if (!e)
		e = rt_module_map(init, &map);
	if (e) {
		rt_printf("monitor: core 0: init not started: %s\n", err_str(e));
		return;
	}
	struct spawn_args a = {.name = "init",
	                       .image = map.data,
	                       .size = map.size,
	                       .budget_bits = share.bits - 1,
	                       .log = true,
	                       .modules = mods,
	                       .nmodules = rt_module_count(),
	                       .from = &share};
	e = spawn_start(&a, &c);
	rt_module_unmap(&map);
	if (e)
		rt_printf("monitor: core 0: init not started: %s\n", err_str(e));
	else
		rt_printf("monitor: core 0: init started with %llu MiB\n",
		          (unsigned long long)(1ull << a.budget_bits >> 20));
}

int main(void)
{
	const struct bootinfo *bi = rt_bootinfo();
	struct cap_results_identify root;

	if (!bi) {
		rt_printf("monitor: no boot information\n");
		return 1;
	}
	enum err e = invoke_identify(rt_cap(SLOT_ROOT), rt_depth(), &root);
	rt_printf("monitor: core %u up: %u untyped caps (%llu MiB), root CNode of %llu slots (%s), "
	          "%u modules\n",
	          bi->core, bi->untyped_count, (unsigned long long)(bi->untyped_bytes >> 20),
	          e ? 0ull : 1ull << (root.size_bits - CAP_SLOT_BITS), err_str(e), bi->nmodules);
	if (bi->core == 0)
		start_init(bi);
	return 0;
}
