/* Statistics for a system monitor (rt/monproto.h, MON_STATS): this core's
 * counters from its CPU driver (MON_STATS on the monitor cap) and the
 * messages of this monitor's own channels to the other monitors (rt_chan
 * counts them). */
#include <rt/rt.h>
#include <tessera/caps.h>

#include "monitor.h"

/* The other cores online at boot: the ones a link row is about. */
static uint64_t others(void)
{
	return mon.bi->online & ((1ull << MON_MAX_CORES) - 1) & ~(1ull << mon.core);
}

/* This core's MON_STAT (count: MON_STATs in all), then a MON_STAT_LINK
 * per other core, to ch. */
static void answer(struct rt_chan *ch, unsigned count)
{
	struct cap_results_mon_stats k = {0};
	struct mon_core c = serve_core(count);
	uint64_t rest = others();
	enum err e = invoke_mon_stats(SLOT_MONITOR, rt_depth(), mon.core, &k);

	if (e)
		rt_printf("monitor: core %u: MON_STATS: %s\n", mon.core, err_str(e));
	struct mon_stat s = {.core = (uint16_t)mon.core,
	                     .count = (uint16_t)count,
	                     .links = (uint16_t)__builtin_popcountll(rest),
	                     .programs = (uint16_t)c.programs,
	                     .cycles = k.cycles,
	                     .idle = k.idle,
	                     .start = k.start,
	                     .hz = k.hz,
	                     .memory = c.memory,
	                     .free = c.free};
	if (rt_chan_send(ch, MON_STAT, &s, sizeof s))
		return;
	for (unsigned p = 0; rest; p++) {
		if (!(rest >> p & 1))
			continue;
		rest &= ~(1ull << p);
		struct mon_stat_link l = {.core = (uint16_t)mon.core, .peer = (uint16_t)p};
		if (!invoke_mon_stats(SLOT_MONITOR, rt_depth(), p, &k)) {
			l.kernel_sent = k.sent;
			l.kernel_received = k.received;
		}
		if (mon.peer[p].linked) {
			l.monitor_sent = mon.peer[p].ch.sent;
			l.monitor_received = mon.peer[p].ch.received;
		}
		if (rt_chan_send(ch, MON_STAT_LINK, &l, sizeof l))
			return;
	}
}

void stats_asked(struct rt_chan *ch, bool client)
{
	unsigned linked = 0;

	if (client)
		for (unsigned c = 0; c < MON_MAX_CORES; c++)
			if (mon.peer[c].linked &&
			    !rt_chan_send(&mon.peer[c].ch, MON_STATS, NULL, 0))
				linked++;
	answer(ch, 1 + linked);
}
