/* How memory management reaches other cores: the SMP layer's URPC channels
 * (tessera/urpc.h), seen through two calls so the protocols above them
 * (mm/shootdown.h, mm/memx.h) are pure and run on the host against
 * simulated cores.
 */
#ifndef KERNEL_MM_XCORE_H
#define KERNEL_MM_XCORE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

struct xcore {
	void *ctx;
	unsigned self;   /* this core's index */
	unsigned ncores; /* cores that may be addressed: 0 .. ncores - 1 */
	/* Sends one message (tessera/msg.h type and payload) to core `to`
	 * without blocking: FULL when its channel has no free slot. */
	enum err (*send)(void *ctx, unsigned to, uint16_t type, const void *payload, size_t len);
	/* Receives and dispatches every message that has arrived (in the
	 * kernel, one round of this core's message loop).  Never blocks. */
	void (*poll)(void *ctx);
};

/* Sends one message, polling (and so serving other cores) while the
 * peer's channel is full. */
enum err xcore_send_wait(const struct xcore *x, unsigned to, uint16_t type, const void *payload,
                         size_t len);

#endif
