/* Channels; see rt/chan.h.  Lost wake-ups are ruled out the Dekker way:
 * a side that goes to sleep sets its flag, fences, then looks for
 * messages; a sender publishes its message, fences, then looks at the
 * flag; so at least one of them sees the other.  The same holds for a
 * sender waiting for room (want_room) against a receiver that has taken
 * messages. */
#include <rt/chan.h>
#include <rt/mem.h>
#include <string/mem.h>
#include <tessera/caps.h>

static uint64_t stash;

static void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

enum err rt_chan_init(struct rt_chan *c, void *frame, unsigned side, bool fresh,
                      struct rt_capref self, struct rt_capref peer, uint64_t peer_bits)
{
	_Static_assert(RT_CHAN_FLAGS_AT >= 2 * (RT_CHAN_SLOTS + 1) * URPC_LINE_SIZE,
	               "the flags line is past both rings");
	enum err e;

	if (side > 1)
		return ERR_INVAL;
	if (fresh) {
		memset((uint8_t *)frame + RT_CHAN_FLAGS_AT, 0, sizeof(struct rt_chan_flags));
		e = urpc_pair_region_init(frame, RT_CHAN_SLOTS);
		if (e)
			return e;
	}
	e = urpc_pair_init(&c->p, frame, RT_CHAN_SLOTS, side);
	if (e)
		return e;
	c->flags = (struct rt_chan_flags *)(void *)((uint8_t *)frame + RT_CHAN_FLAGS_AT);
	c->side = side;
	c->self = self;
	c->sent = c->received = 0;
	c->peer = peer;
	c->peer_bits = peer_bits;
	return ERR_OK;
}

static enum err signal_peer(struct rt_chan *c)
{
	c->flags->signals[c->side]++;
	return invoke_notify_signal(c->peer.addr, c->peer.depth, c->peer_bits, NULL);
}

/* After sending: the other side hears of it if it sleeps. */
static enum err wake_reader(struct rt_chan *c)
{
	fence();
	return c->flags->sleeping[!c->side] ? signal_peer(c) : ERR_OK;
}

/* After taking messages: a sender waiting for room sees them gone. */
static enum err wake_writer(struct rt_chan *c)
{
	fence();
	if (!c->flags->want_room[!c->side])
		return ERR_OK;
	urpc_rx_flush(&c->p.rx);
	return signal_peer(c);
}

static enum err wait_bits(struct rt_capref self, uint64_t *bits)
{
	struct cap_results_notify_wait r = {0};
	enum err e = invoke_notify_wait(self.addr, self.depth, 0, &r);

	*bits = e ? 0 : r.bits;
	return e;
}

enum err rt_chan_send(struct rt_chan *c, uint16_t type, const void *payload, size_t len)
{
	enum err e;

	while ((e = urpc_send(&c->p.tx, type, payload, len)) == ERR_FULL) {
		uint64_t bits;
		c->flags->want_room[c->side] = 1;
		fence();
		if (!urpc_room(&c->p.tx)) {
			e = wake_reader(c); /* it may sleep on a full ring it never saw */
			if (!e)
				e = wait_bits(c->self, &bits);
			if (e) {
				c->flags->want_room[c->side] = 0;
				return e;
			}
			stash |= bits;
		}
		c->flags->want_room[c->side] = 0;
	}
	if (e)
		return e;
	c->flags->sent[c->side]++;
	c->sent++;
	return wake_reader(c);
}

enum err rt_chan_recv(struct rt_chan *c, struct urpc_msg *m)
{
	enum err e = urpc_recv(&c->p.rx, m);

	if (e == ERR_OK || e == ERR_CORRUPT) {
		c->received++;
		enum err w = wake_writer(c);
		if (!e)
			e = w;
	}
	return e;
}

bool rt_chan_pending(const struct rt_chan *c)
{
	return urpc_pending(&c->p.rx);
}

void rt_chan_stash(uint64_t bits)
{
	stash |= bits;
}

static void sleeping(struct rt_chan *const *chans, unsigned n, uint32_t v)
{
	for (unsigned i = 0; i < n; i++)
		chans[i]->flags->sleeping[chans[i]->side] = v;
}

uint64_t rt_chan_wait(struct rt_capref self, struct rt_chan *const *chans, unsigned n)
{
	uint64_t bits = stash;

	stash = 0;
	if (bits)
		return bits;
	for (unsigned i = 0; i < n; i++)
		urpc_rx_flush(&chans[i]->p.rx);
	sleeping(chans, n, 1);
	fence();
	bool ready = false;
	for (unsigned i = 0; i < n; i++) {
		if (chans[i]->flags->want_room[!chans[i]->side])
			signal_peer(chans[i]);
		ready |= rt_chan_pending(chans[i]);
	}
	if (!ready && wait_bits(self, &bits))
		bits = 0;
	sleeping(chans, n, 0);
	return bits;
}

static bool holds(uint64_t slot, unsigned type)
{
	struct cap_results_identify id;

	return !invoke_identify(slot, rt_depth(), &id) && id.type == type;
}

enum err rt_chan_given(struct rt_chan *c)
{
	const struct prog_args *a = rt_args();
	struct rt_capref self = rt_root_ref(SLOT_NOTIFY);
	uint64_t at;

	if (!a || !a->chan || a->chan > 2 || !holds(SLOT_NOTIFY, CAP_NOTIFY))
		return ERR_NOENT;
	while (!holds(SLOT_CHAN_FRAME, CAP_FRAME) || !holds(SLOT_CHAN_PEER, CAP_NOTIFY)) {
		uint64_t bits;
		enum err e = wait_bits(self, &bits);
		if (e)
			return e;
		stash |= bits & ~RT_CHAN_BIT_GIVEN;
	}
	at = rt_map_area(1);
	enum err e = at ? rt_map(rt_root_ref(SLOT_CHAN_FRAME), at, CAP_RIGHT_READ | CAP_RIGHT_WRITE)
	                : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(c, (void *)(uintptr_t)at, a->chan - 1, false, self,
		                 rt_root_ref(SLOT_CHAN_PEER), RT_CHAN_BIT_PEER);
	return e;
}
