/* A well-behaved program: says hello through its log cap, checks what its
 * own capability space holds, and ends with a code its spawner checks. */
#include <rt/rt.h>

int main(void)
{
	struct cap_results_identify disp, root;

	if (invoke_identify(rt_cap(SLOT_DISPATCHER), rt_depth(), &disp) ||
	    disp.type != CAP_DISPATCHER)
		return 2;
	if (invoke_identify(rt_cap(SLOT_ROOT), rt_depth(), &root) || root.type != CAP_CNODE)
		return 3;
	rt_printf("hello from user space on core %u\n", rt_frame()->core);
	return 42;
}
