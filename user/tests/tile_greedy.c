/* A program that asks for little and looks for more (its manifest,
 * tile_greedy.manifest: the log and an endpoint "allowed" it may only send
 * on).  Its spawner (tile_spawn.c) offers much more: a budget, modules, an
 * endpoint "secret" and a notification "bell", "allowed" with every right.
 * It must find exactly what its manifest names: every other slot of its
 * root CNode empty, "allowed" with WRITE only, no budget, no modules, no
 * "secret".  Ends with 0, or the number of the check that failed. */
#include <rt/image.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <tessera/caps.h>

static bool own(uint64_t slot, uint64_t allowed)
{
	return slot == SLOT_ROOT || slot == SLOT_DISPATCHER || slot == SLOT_VSPACE ||
	       slot == SLOT_DISP_FRAME || slot == SLOT_LOG || slot == SLOT_IMAGE ||
	       slot == SLOT_ARGS || slot == allowed;
}

int main(void)
{
	struct rt_capref ep;
	struct prog_cap info;
	struct cap_results_identify id;

	if (rt_named_cap("allowed", &ep, &info))
		return 1;
	/* every slot of its root: its own objects, the log, "allowed"; nothing
	 * else (before the runtime takes any slot for itself) */
	for (uint64_t s = 0; s < 256; s++) {
		enum err e = invoke_identify(rt_cap(s), rt_depth(), &id);
		if (own(s, info.slot) != (e == ERR_OK)) {
			rt_printf("tile_greedy: slot %llu: %s\n", (unsigned long long)s,
			          err_str(e));
			return 2;
		}
	}
	if (invoke_identify(ep.addr, ep.depth, &id) || id.type != CAP_ENDPOINT ||
	    id.rights != CAP_RIGHT_WRITE || info.rights != CAP_RIGHT_WRITE)
		return 3;
	if (rt_named_cap("secret", &ep, &info) != ERR_NOENT ||
	    rt_named_cap("bell", &ep, &info) != ERR_NOENT)
		return 4;
	if (rt_module_count() != 0 || rt_args()->ncaps != 1)
		return 5;
	/* no budget: its slot is empty, nothing can be retyped from it */
	if (invoke_retype(rt_cap(SLOT_UNTYPED), rt_depth(), CAP_FRAME, 12, 0, 1, rt_cap(SLOT_ROOT),
	                  rt_depth(), 200, NULL) != ERR_EMPTY)
		return 6;
	/* sending on "allowed" is what it may do (nobody listens: it would
	 * block, so only the rights are looked at: it cannot receive) */
	if (invoke_ep_recv(rt_cap(info.slot), rt_depth(), rt_cap(SLOT_ROOT), rt_depth(), 1, NULL) !=
	    ERR_PERM)
		return 7;
	rt_printf("tile_greedy: only what its manifest names\n");
	return 0;
}
