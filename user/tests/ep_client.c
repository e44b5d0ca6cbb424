/* Sends EP_ROUNDS requests and waits for each answer; the first carries a
 * copy of its own dispatcher frame cap.  Ends with 0, or the check that
 * failed. */
#include <rt/rt.h>

#include "ep.h"

int main(void)
{
	uint64_t d = rt_depth(), start = rt_cycles();

	for (uint64_t i = 0; i < EP_ROUNDS; i++) {
		struct cap_results_ep_recv m;
		uint64_t xfer = i == 0 ? rt_cap(SLOT_DISP_FRAME) : 0, depth = i == 0 ? d : 0;
		if (invoke_ep_send(rt_cap(EP_REQUESTS), d, xfer, depth, i, 1, 2, 3, ~i, 0, NULL))
			return 20;
		if (invoke_ep_recv(rt_cap(EP_REPLIES), d, 0, 0, 0, &m))
			return 21;
		if (m.w0 != i + 1)
			return 22;
	}
	uint64_t cycles = rt_cycles() - start;
	rt_printf("ep_client: %u round trips, %llu cycles each\n", EP_ROUNDS,
	          (unsigned long long)(cycles / EP_ROUNDS));
	/* nobody answers any more: a non-blocking receive says so */
	struct cap_results_ep_recv m;
	if (invoke_ep_recv(rt_cap(EP_REPLIES), d, 0, 0, EP_NONBLOCK, &m) != ERR_EMPTY)
		return 23;
	return 0;
}
