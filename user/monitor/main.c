/* The monitor of one core: the first program on it, started by the core's
 * CPU driver with the core's whole initial capability space.  It will
 * carry the cross-core work (spawning on other cores, moving capabilities);
 * for now it reports what it holds. */
#include <rt/rt.h>

static const struct bootinfo *bootinfo(void)
{
	return (const struct bootinfo *)(uintptr_t)BOOTINFO_VA;
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	struct cap_results_identify root;

	if (bi->magic != BOOTINFO_MAGIC) {
		rt_printf("monitor: no boot information\n");
		return 1;
	}
	enum err e = invoke_identify(rt_cap(SLOT_ROOT), rt_depth(), &root);
	rt_printf("monitor: core %u up: %u untyped caps (%llu MiB), root CNode of %llu slots (%s), "
	          "%u modules\n",
	          bi->core, bi->untyped_count, (unsigned long long)(bi->untyped_bytes >> 20),
	          e ? 0ull : 1ull << (root.size_bits - CAP_SLOT_BITS), err_str(e), bi->nmodules);
	return 0;
}
