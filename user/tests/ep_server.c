/* Answers EP_ROUNDS requests on an endpoint with the request's first word
 * plus one; the first request brings a cap (the client's dispatcher frame),
 * which must arrive in EP_CAP_SLOT.  Ends with 0, or the check that failed. */
#include <rt/rt.h>

#include "ep.h"

int main(void)
{
	uint64_t d = rt_depth();

	for (uint64_t i = 0; i < EP_ROUNDS; i++) {
		struct cap_results_ep_recv m;
		enum err e = invoke_ep_recv(rt_cap(EP_REQUESTS), d, rt_cap(EP_CAP_SLOT), d, 0, &m);
		if (e)
			return 10;
		if (m.badge != EP_BADGE)
			return 11;
		if (m.w0 != i || m.w4 != ~i)
			return 12;
		if (i == 0 && m.info != EP_INFO_CAP)
			return 13;
		if (i > 0 && m.info != 0)
			return 14;
		e = invoke_ep_send(rt_cap(EP_REPLIES), d, 0, 0, m.w0 + 1, 0, 0, 0, 0, 0, NULL);
		if (e)
			return 15;
	}
	struct cap_results_identify id;
	if (invoke_identify(rt_cap(EP_CAP_SLOT), d, &id) || id.type != CAP_FRAME)
		return 16;
	rt_printf("ep_server: %u requests answered\n", EP_ROUNDS);
	return 0;
}
