/* A child for the spawn and init tests: it uses its heap (its budget,
 * SLOT_UNTYPED), checks that it holds nothing it was not given, and ends
 * with 0 (or the number of the check that failed). */
#include <rt/heap.h>
#include <rt/rt.h>
#include <string/mem.h>

int main(void)
{
	struct cap_results_identify id;
	uint8_t *p = malloc(64 * 1024);

	if (!p)
		return 1;
	memset(p, 0x5a, 64 * 1024);
	if (p[12345] != 0x5a)
		return 2;
	free(p);
	if (invoke_identify(rt_cap(SLOT_UNTYPED), rt_depth(), &id) || id.type != CAP_UNTYPED)
		return 3;
	if (!rt_args() || rt_bootinfo())
		return 4;
	/* nothing past its modules but what its own runtime made */
	if (invoke_identify(rt_cap(SLOT_BOOTINFO), rt_depth(), &id) != ERR_EMPTY)
		return 5;
	rt_printf("%s: ok on core %u\n", rt_args()->name, rt_frame()->core);
	return 0;
}
