/* pingpong: the two sides of a channel its spawner gave it (rt/chan.h),
 * usually on two cores.  Side 0 sends --rounds messages
 * (pingpong_args.schema; both sides are given the same), each a sequence
 * number and six words derived from it, and waits for each answer; side 1
 * answers each with every word transformed, then both end.  Both sleep on
 * their notification while the channel is empty, so every round trip
 * wakes the other side (across cores: a signal the CPU drivers carry, and
 * an interrupt).  Every answer is checked; the exit code counts the bad
 * ones. */
#include <pingpong_args.h>
#include <rt/args.h>
#include <rt/chan.h>
#include <rt/rt.h>
#include <string/mem.h>

#define ASK    1
#define ANSWER 2
#define DONE   3

struct payload {
	uint64_t seq;
	uint64_t w[6];
};

static uint64_t word(uint64_t seq, unsigned i)
{
	return (seq + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)i << 56;
}

static struct rt_capref self;
static unsigned waits;
static struct pingpong_args args;

/* The next message, sleeping while there is none. */
static enum err next(struct rt_chan *c, struct urpc_msg *m)
{
	struct rt_chan *one[1] = {c};
	enum err e;

	while ((e = rt_chan_recv(c, m)) == ERR_EMPTY) {
		rt_chan_wait(self, one, 1);
		waits++;
	}
	return e;
}

static int ping(struct rt_chan *c)
{
	unsigned bad = 0;

	for (uint64_t seq = 0; seq < args.rounds; seq++) {
		struct payload p = {.seq = seq};
		struct urpc_msg m;
		for (unsigned i = 0; i < 6; i++)
			p.w[i] = word(seq, i);
		enum err e = rt_chan_send(c, ASK, &p, sizeof p);
		if (!e)
			e = next(c, &m);
		if (e) {
			rt_printf("pingpong: round %llu: %s\n", (unsigned long long)seq,
			          err_str(e));
			return 1;
		}
		memcpy(&p, m.payload, sizeof p);
		bool ok = m.type == ANSWER && m.len == sizeof p && p.seq == seq;
		for (unsigned i = 0; i < 6; i++)
			ok &= p.w[i] == ~word(seq, i);
		bad += !ok;
	}
	rt_chan_send(c, DONE, NULL, 0);
	rt_printf("pingpong: side 0 on core %u: %llu round trips, %u answers wrong, %u sleeps\n",
	          rt_frame()->core, (unsigned long long)args.rounds, bad, waits);
	return bad > 125 ? 125 : (int)bad;
}

static int pong(struct rt_chan *c)
{
	unsigned answered = 0;

	for (;;) {
		struct urpc_msg m;
		struct payload p;
		enum err e = next(c, &m);
		if (e || m.type == DONE) {
			rt_printf("pingpong: side 1 on core %u: %u answered%s%s\n",
			          rt_frame()->core, answered, e ? ", then " : "",
			          e ? err_str(e) : "");
			return e || answered != args.rounds ? 1 : 0;
		}
		memcpy(&p, m.payload, sizeof p);
		for (unsigned i = 0; i < 6; i++)
			p.w[i] = ~p.w[i];
		if (m.type != ASK || rt_chan_send(c, ANSWER, &p, sizeof p))
			return 2;
		answered++;
	}
}

int main(void)
{
	struct rt_chan c;

	RT_ARGS(pingpong_args, &args);
	enum err e = rt_chan_given(&c);

	if (e) {
		rt_printf("pingpong: no channel: %s\n", err_str(e));
		return 1;
	}
	self = rt_root_ref(SLOT_NOTIFY);
	return c.side == 0 ? ping(&c) : pong(&c);
}
