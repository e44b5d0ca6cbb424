/* Transport helpers; see xcore.h. */
#include "xcore.h"

enum err xcore_send_wait(const struct xcore *x, unsigned to, uint16_t type, const void *payload,
                         size_t len)
{
	for (;;) {
		enum err e = x->send(x->ctx, to, type, payload, len);
		if (e != ERR_FULL)
			return e;
		x->poll(x->ctx);
	}
}
