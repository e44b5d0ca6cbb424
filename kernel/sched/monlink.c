/* Linking monitors; see monlink.h.  What a core received from each other
 * core is kept here, by value, until its monitor accepts it. */
#include "monlink.h"

#include <tessera/msg.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "core.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"
#include "notify.h"

#define MONLINK_SEND_MS 10000

static struct {
	bool have;
	struct msg_mon_hello h;
} from_core[SMP_MAX_CORES];
static uint64_t monitor_notify;

void monlink_set_notify(uint64_t pa)
{
	monitor_notify = pa;
}

static enum err find(const struct cte *root, uint64_t addr, uint64_t depth, uint32_t need,
                     struct cte **out)
{
	uint32_t rights;
	enum err e = cap_lookup(capboot_env(), root, addr, depth, out, &rights);

	if (e)
		return e;
	return (rights & need) == need ? ERR_OK : ERR_PERM;
}

static bool other_online(uint64_t core)
{
	return core < SMP_MAX_CORES && core != core_self() && (core_online() >> core & 1);
}

/* This core's memory: what its HHDM maps writable (env->reachable). */
static bool mine(uint64_t pa, uint64_t size)
{
	const struct cap_env *env = capboot_env();
	return env->reachable(env->ctx, pa, size);
}

enum err monlink_introduce(struct cte *root, struct cte *slot, const uint64_t *a)
{
	struct msg_mon_hello h = {0};
	struct cte *frame = NULL, *note;

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (!other_online(a[0]))
		return ERR_RANGE;
	enum err e = a[2] ? find(root, a[1], a[2], CAP_RIGHT_READ, &frame) : ERR_OK;
	if (!e)
		e = find(root, a[3], a[4], CAP_RIGHT_READ, &note);
	if (e)
		return e;
	if (frame && (!cap_slot_live(frame) || frame->cap.type != CAP_FRAME ||
	              frame->cap.size_bits != CAP_PAGE_BITS))
		return ERR_TYPE;
	if (frame && !mine(frame->cap.base, 1ull << frame->cap.size_bits))
		return ERR_UNSUPPORTED;
	if (!cap_slot_live(note) || note->cap.type != CAP_NOTIFY || note->cap.count)
		return ERR_TYPE;
	/* the frame must be its object's original, in the root CNode (which a
	 * monitor's is kept by the kernel): pinned, nothing destroys it */
	if (frame && (a[2] != root->cap.size_bits - CAP_SLOT_BITS || !cap_is_original(frame)))
		return ERR_TYPE;
	if (frame && !cap_pin(frame))
		return ERR_EXIST;
	if (frame) {
		h.frame = frame->cap.base;
		h.frame_bits = frame->cap.size_bits;
	}
	h.notify = note->cap.base;
	return msgloop_send((unsigned)a[0], MSG_MON_HELLO, &h, sizeof h,
	                    ktime_deadline(MONLINK_SEND_MS));
}

enum err monlink_accept(struct cte *root, struct cte *slot, const uint64_t *a,
                        struct cap_invocation_result *res)
{
	struct cte *fslot = NULL, *nslot;
	uint64_t c = a[0];

	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (!other_online(c))
		return ERR_RANGE;
	if (!from_core[c].have)
		return ERR_EMPTY;
	const struct msg_mon_hello *h = &from_core[c].h;
	enum err e = h->frame_bits ? find(root, a[1], a[2], CAP_RIGHT_WRITE, &fslot) : ERR_OK;
	if (!e)
		e = find(root, a[3], a[4], CAP_RIGHT_WRITE, &nslot);
	if (e)
		return e;
	if ((fslot && cap_slot_live(fslot)) || cap_slot_live(nslot) || fslot == nslot)
		return ERR_EXIST;
	/* roots made by value: nothing is zeroed, nothing checked for
	 * reachability (the memory is the other core's) */
	if (fslot)
		fslot->cap = (struct cap){.type = CAP_FRAME,
		                          .size_bits = (uint8_t)h->frame_bits,
		                          .rights = CAP_RIGHT_READ | CAP_RIGHT_WRITE,
		                          .base = h->frame};
	nslot->cap = (struct cap){.type = CAP_NOTIFY,
	                          .size_bits = CAP_NOTIFY_BITS,
	                          .rights = CAP_RIGHT_WRITE,
	                          .base = h->notify,
	                          .count = c + 1};
	res->value[0] = h->frame_bits;
	res->value[1] = h->frame_bits != 0;
	from_core[c].have = false;
	return ERR_OK;
}

/* Another core's monitor introduced itself. */
static void on_hello(unsigned from, const struct urpc_msg *m)
{
	struct msg_mon_hello h;

	if (from >= SMP_MAX_CORES || msg_decode_mon_hello(m, &h) ||
	    (h.frame_bits && h.frame_bits != CAP_PAGE_BITS)) {
		log_printf("monlink: malformed MON_HELLO from core %u\n", from);
		return;
	}
	from_core[from].h = h;
	from_core[from].have = true;
	if (monitor_notify)
		notify_signal_here(monitor_notify, 1ull << from);
}

void monlink_register(void)
{
	msgloop_register(MSG_MON_HELLO, on_hello, MSGLOOP_TOP);
}
