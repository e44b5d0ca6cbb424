/* Services between programs of core 0; see rt/service.h. */
#include <rt/image.h>
#include <rt/service.h>
#include <rt/thread.h>

#define TAKE_YIELDS 8 /* yields a woken server gives a caller before giving up */

enum err rt_service_find(const char *name, struct rt_service *s)
{
	struct rt_capref cnode;
	struct prog_cap info;

	if (rt_named_cap(name, &cnode, &info) || info.type != CAP_CNODE)
		return ERR_NOENT;
	s->ep = rt_ref_in(cnode, RT_SERVICE_BITS, RT_SERVICE_EP);
	s->wake = rt_ref_in(cnode, RT_SERVICE_BITS, RT_SERVICE_WAKE);
	return ERR_OK;
}

enum err rt_service_call(const struct rt_service *s, struct rt_capref xfer, const uint64_t w[5])
{
	enum err e = invoke_notify_signal(s->wake.addr, s->wake.depth, RT_SERVICE_BIT, NULL);

	if (e)
		return e;
	return invoke_ep_send(s->ep.addr, s->ep.depth, xfer.addr, xfer.depth, w[0], w[1], w[2],
	                      w[3], w[4], 0, NULL);
}

enum err rt_service_endpoint(const char *name, struct rt_capref *ep)
{
	struct prog_cap info;

	return rt_named_cap(name, ep, &info) || info.type != CAP_ENDPOINT ? ERR_NOENT : ERR_OK;
}

enum err rt_service_recv(struct rt_capref ep, struct rt_capref slot, bool block,
                         struct rt_service_request *r)
{
	struct cap_results_ep_recv res;
	enum err e = invoke_ep_recv(ep.addr, ep.depth, slot.addr, slot.depth,
	                            block ? 0 : EP_NONBLOCK, &res);

	if (e)
		return e;
	*r = (struct rt_service_request){.w = {res.w0, res.w1, res.w2, res.w3, res.w4},
	                                 .badge = res.badge,
	                                 .info = res.info};
	return ERR_OK;
}

unsigned rt_service_take(struct rt_capref ep, struct rt_capref slot, uint64_t woken,
                         void (*fn)(const struct rt_service_request *r, void *ctx), void *ctx)
{
	struct rt_service_request r;
	unsigned n = 0, yields = woken & RT_SERVICE_BIT ? TAKE_YIELDS : 0;

	for (;;) {
		enum err e = rt_service_recv(ep, slot, false, &r);
		if (e == ERR_OK) {
			fn(&r, ctx);
			n++;
			continue;
		}
		if (e != ERR_EMPTY || n || !yields)
			return n;
		yields--;
		rt_thread_yield();
	}
}
