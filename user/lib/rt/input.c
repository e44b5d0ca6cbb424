/* A subscriber's side of the input streams; see rt/input.h. */
#include <rt/input.h>
#include <rt/mem.h>
#include <string/mem.h>

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

/* Until the driver says the channel is there. */
static enum err ready(void)
{
	for (;;) {
		struct cap_results_notify_wait r;
		enum err e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &r);
		if (e)
			return e;
		if (r.bits & ~RT_INPUT_BIT_READY)
			rt_chan_stash(r.bits & ~RT_INPUT_BIT_READY);
		if (r.bits & RT_INPUT_BIT_READY)
			return ERR_OK;
	}
}

enum err rt_input_subscribe(unsigned streams, struct rt_chan *c)
{
	struct rt_service input;
	struct rt_capref cnode;
	uint64_t offset, va;
	unsigned bits;
	enum err e = rt_service_find("input", &input);

	if (e)
		return e;
	if (!rt_memory())
		return ERR_NOMEM;
	e = rt_retype_slot(rt_memory(), CAP_CNODE, RT_INPUT_BITS, &cnode, &offset, &bits);
	if (!e)
		e = rt_mint(rt_ref_in(cnode, RT_INPUT_BITS, RT_INPUT_SLOT_NOTIFY),
		            rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE | CAP_RIGHT_GRANT);
	const uint64_t w[5] = {RT_INPUT_SUBSCRIBE, streams, 0, 0, 0};
	if (!e)
		e = rt_service_call(&input, cnode, w);
	if (!e)
		e = ready();
	va = e ? 0 : rt_map_area(1);
	if (!e)
		e = va ? rt_map(rt_ref_in(cnode, RT_INPUT_BITS, RT_INPUT_SLOT_FRAME), va, RW)
		       : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(c, (void *)(uintptr_t)va, 1, false, rt_root_ref(SLOT_NOTIFY),
		                 (struct rt_capref){0}, 0);
	return e;
}

enum err rt_input_events(const struct urpc_msg *m, struct rt_input_event *out, size_t max,
                         size_t *n)
{
	*n = 0;
	if (m->type != RT_INPUT_MSG_EVENTS || m->len % sizeof *out)
		return ERR_CORRUPT;
	for (size_t at = 0; at < m->len && *n < max; at += sizeof *out)
		memcpy(&out[(*n)++], m->payload + at, sizeof *out);
	return ERR_OK;
}
