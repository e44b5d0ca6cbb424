/* Linking monitors; see monlink.h.  What a core received from each other
 * core is kept here, by value, until its monitor accepts it. */
#include "monlink.h"

#include <tessera/msg.h>

#include "cap/cnode.h"
#include "cap/mdb.h"
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
/* frames of this core's sent by value (MON_SEND): pinned until every core
 * that got one lets it go (MON_RELEASE) */
#define MONLINK_PINS 64
static struct {
	struct cte *cte;
	uint64_t base;
	unsigned holders;
} pins[MONLINK_PINS];
/* releases to send at the top level: the owner core and the frame */
static struct {
	unsigned owner;
	uint64_t base;
} releases[MONLINK_PINS];
static unsigned nreleases;
/* caps sent by each core's monitor (MON_SEND), oldest first */
static struct {
	struct msg_mon_cap q[MON_INBOX];
	unsigned head, n;
} inbox[SMP_MAX_CORES];

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

/* The cap MON_SEND may send: a frame of this core's memory, its original
 * in the root CNode (pinned here), or a notification of this core's. */
static enum err sendable(const struct cte *root, struct cte *c, uint64_t depth)
{
	if (!(c->cap.rights & CAP_RIGHT_GRANT))
		return ERR_PERM;
	if (c->cap.type == CAP_NOTIFY)
		return c->cap.count ? ERR_UNSUPPORTED : ERR_OK;
	if (c->cap.type != CAP_FRAME)
		return ERR_TYPE;
	if (!mine(c->cap.base, 1ull << c->cap.size_bits))
		return ERR_UNSUPPORTED;
	if (depth != root->cap.size_bits - CAP_SLOT_BITS || !cap_is_original(c))
		return ERR_TYPE;
	return ERR_OK;
}

enum err monlink_send(struct cte *root, struct cte *slot, const uint64_t *a)
{
	struct cte *c;

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (!other_online(a[0]))
		return ERR_RANGE;
	enum err e = find(root, a[1], a[2], CAP_RIGHT_READ, &c);
	if (!e && !cap_slot_live(c))
		e = ERR_EMPTY;
	if (!e)
		e = sendable(root, c, a[2]);
	if (e)
		return e;
	unsigned pin = MONLINK_PINS;
	for (unsigned i = 0; c->cap.type == CAP_FRAME && i < MONLINK_PINS; i++)
		if (pins[i].cte == c || (!pins[i].cte && pin == MONLINK_PINS))
			pin = i;
	if (c->cap.type == CAP_FRAME && pin == MONLINK_PINS)
		return ERR_FULL;
	if (c->cap.type == CAP_FRAME && !cap_pin(c))
		return ERR_TYPE;
	struct msg_mon_cap m = {.tag = a[3],
	                        .base = c->cap.base,
	                        .rights = c->cap.rights,
	                        .type = c->cap.type,
	                        .size_bits = c->cap.size_bits};
	e = msgloop_send((unsigned)a[0], MSG_MON_CAP, &m, sizeof m,
	                 ktime_deadline(MONLINK_SEND_MS));
	if (!e && c->cap.type == CAP_FRAME) {
		pins[pin].cte = c;
		pins[pin].base = c->cap.base;
		pins[pin].holders++;
	}
	return e;
}

enum err monlink_recv(struct cte *root, struct cte *slot, const uint64_t *a,
                      struct cap_invocation_result *res)
{
	struct cte *dest;
	uint64_t c = a[0];

	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (!other_online(c))
		return ERR_RANGE;
	if (!inbox[c].n)
		return ERR_EMPTY;
	enum err e = find(root, a[1], a[2], CAP_RIGHT_WRITE, &dest);
	if (e)
		return e;
	if (cap_slot_live(dest))
		return ERR_EXIST;
	const struct msg_mon_cap *m = &inbox[c].q[inbox[c].head];
	/* a root made by value: the memory is the other core's, nothing is
	 * zeroed or checked for reachability here (its CPU driver vouched) */
	dest->cap = (struct cap){.type = m->type,
	                         .size_bits = m->size_bits,
	                         .flags = m->type == CAP_FRAME ? CTE_REMOTE : 0,
	                         .rights = m->rights,
	                         .base = m->base,
	                         .count = c + 1};
	res->value[0] = m->type;
	res->value[1] = m->tag;
	inbox[c].head = (inbox[c].head + 1) % MON_INBOX;
	inbox[c].n--;
	return ERR_OK;
}

/* A cap another core's monitor sent. */
static void on_cap(unsigned from, const struct urpc_msg *m)
{
	struct msg_mon_cap c;

	if (from >= SMP_MAX_CORES || msg_decode_mon_cap(m, &c) ||
	    (c.type != CAP_FRAME && c.type != CAP_NOTIFY) ||
	    (c.type == CAP_FRAME && c.size_bits != CAP_PAGE_BITS && c.size_bits != 21) ||
	    (c.type == CAP_NOTIFY && c.size_bits != CAP_NOTIFY_BITS) ||
	    (c.base & ((1ull << c.size_bits) - 1)) || (c.rights & ~cap_type_rights(c.type))) {
		log_printf("monlink: malformed MON_CAP from core %u\n", from);
		return;
	}
	if (inbox[from].n == MON_INBOX) {
		log_printf("monlink: core %u's monitor sent more than %u caps not taken: one "
		           "dropped\n",
		           from, MON_INBOX);
		return;
	}
	inbox[from].q[(inbox[from].head + inbox[from].n) % MON_INBOX] = c;
	inbox[from].n++;
	if (monitor_notify)
		notify_signal_here(monitor_notify, 1ull << from);
}

void monlink_removed(const struct cap *cap)
{
	if (cap->type != CAP_FRAME || !(cap->flags & CTE_REMOTE) || !cap->count)
		return;
	if (nreleases == MONLINK_PINS) {
		log_printf("monlink: frame %#llx of core %llu let go, too many at once: it stays "
		           "pinned there\n",
		           (unsigned long long)cap->base, (unsigned long long)cap->count - 1);
		return;
	}
	releases[nreleases].owner = (unsigned)(cap->count - 1);
	releases[nreleases++].base = cap->base;
}

void monlink_flush(void)
{
	while (nreleases) {
		struct msg_mon_release r = {.base = releases[nreleases - 1].base};
		unsigned owner = releases[nreleases - 1].owner;
		nreleases--;
		if (msgloop_send(owner, MSG_MON_RELEASE, &r, sizeof r,
		                 ktime_deadline(MONLINK_SEND_MS)))
			log_printf("monlink: core %u not told that frame %#llx is let go\n", owner,
			           (unsigned long long)r.base);
	}
}

/* Another core no longer has a cap for a frame of this core's. */
static void on_release(unsigned from, const struct urpc_msg *m)
{
	struct msg_mon_release r;

	if (from >= SMP_MAX_CORES || msg_decode_mon_release(m, &r))
		return;
	for (unsigned i = 0; i < MONLINK_PINS; i++) {
		if (!pins[i].cte || pins[i].base != r.base)
			continue;
		if (--pins[i].holders == 0) {
			cap_unpin(pins[i].cte);
			pins[i].cte = NULL;
		}
		if (monitor_notify) /* it may take the frame back now */
			notify_signal_here(monitor_notify, 1ull << from);
		return;
	}
	log_printf("monlink: core %u let go of frame %#llx, which was not sent to it\n", from,
	           (unsigned long long)r.base);
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
	msgloop_register(MSG_MON_CAP, on_cap, MSGLOOP_TOP);
	msgloop_register(MSG_MON_RELEASE, on_release, MSGLOOP_TOP);
}
