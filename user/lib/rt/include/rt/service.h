/* Services between programs on core 0 (user/README.md, "Services"): a
 * program init starts with `serves = [NAME]` receives requests on an
 * endpoint init made for NAME (its manifest: `cap NAME endpoint r`); a
 * program whose startup entry names NAME in caps gets a CNode NAME of two
 * slots to call it with (its manifest: `cap NAME cnode r`): the endpoint,
 * to send on (WRITE and GRANT, so a request can carry a cap), and the
 * server's notification (WRITE), to wake it.
 *
 * A call wakes the server (RT_SERVICE_BIT on its notification), then sends
 * on the endpoint, which returns once the server has taken the message.  A
 * server that waits for nothing else (pci) receives blocking; one that
 * also waits on its notification (ps2: interrupts) takes requests without
 * blocking at each wake-up (rt_service_take), and when it was woken with
 * RT_SERVICE_BIT but found none, yields a few times first, so a caller
 * between its wake and its send gets to send (or its request is taken at
 * the next wake-up). */
#ifndef RT_SERVICE_H
#define RT_SERVICE_H

#include <stdint.h>
#include <tessera/caps.h>

#include "rt.h"

#define RT_SERVICE_BITS 1 /* the caller's CNode: 2 slots */
#define RT_SERVICE_EP   0
#define RT_SERVICE_WAKE 1
#define RT_SERVICE_BIT  (1ull << 62) /* what a call signals the server with */

struct rt_service {
	struct rt_capref ep, wake;
};

/* A request as the server receives it: the caller's words and the cap it
 * sent (in the slot the server named; EP_INFO_CAP in info if it came). */
struct rt_service_request {
	uint64_t w[5];
	uint64_t badge, info;
};

/* The service NAME this program was given to call.  NOENT not given (or
 * not a CNode). */
enum err rt_service_find(const char *name, struct rt_service *s);

/* Wakes the server and sends w[0..5) and the cap xfer (depth 0: none; it
 * needs GRANT), returning once the server took it. */
enum err rt_service_call(const struct rt_service *s, struct rt_capref xfer, const uint64_t w[5]);

/* Server: the endpoint NAME it receives on.  NOENT not given. */
enum err rt_service_endpoint(const char *name, struct rt_capref *ep);

/* Server: the next request, a cap in it put into slot (an empty slot of
 * ours; depth 0: none wanted); blocking, or not (EMPTY none now). */
enum err rt_service_recv(struct rt_capref ep, struct rt_capref slot, bool block,
                         struct rt_service_request *r);

/* Server that waits on its notification: every request waiting now, each
 * handed to fn with slot (emptied by fn or left for the next), taken
 * without blocking; woken is what its wait returned (RT_SERVICE_BIT: a
 * caller may be between its wake and its send, so it yields before giving
 * up).  Returns how many it took. */
unsigned rt_service_take(struct rt_capref ep, struct rt_capref slot, uint64_t woken,
                         void (*fn)(const struct rt_service_request *r, void *ctx), void *ctx);

#endif
