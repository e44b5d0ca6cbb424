/* The monitor's parts (user/monitor): main.c starts it and runs its loop,
 * link.c links it with the other cores' monitors, serve.c spawns programs
 * for clients and other monitors, chans.c gives programs channels to each
 * other, stats.c answers MON_STATS (rt/monproto.h). */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <rt/chan.h>
#include <rt/mem.h>
#include <rt/monproto.h>
#include <rt/spawn.h>

/* A channel of this monitor: to another core's monitor or to a client. */
struct mon_peer {
	bool linked;     /* peer: accepted, channel attached */
	bool introduced; /* peer: our MON_INTRODUCE went out */
	struct rt_chan ch;
	/* a spawn arriving from it: MON_SPAWN, its arguments (MON_ARGS), then
	 * from a peer its image (MON_IMAGE) */
	struct mon_spawn in;
	uint8_t *image;
	uint32_t got;
	uint32_t args_got;
	uint8_t args[MON_ARGS_MAX];
};

struct mon {
	const struct bootinfo *bi;
	unsigned core;
	struct rt_capref self;   /* SLOT_MON_NOTIFY */
	struct rt_untyped share; /* the core's memory for the programs it starts */
	struct mon_peer peer[MON_MAX_CORES];
	struct mon_peer client; /* init, on core 0 */
	bool has_client;
	unsigned linked; /* peers linked */
};

extern struct mon mon;

/* link.c: introduces this monitor to every core online at boot. */
void link_start(void);
/* Accepts what the cores in bits introduced; introduces itself back to
 * a core it did not know. */
void link_accept(uint64_t bits);

/* serve.c */
/* Reads and handles every message waiting on p (peer core `from`, or
 * the client: from = MON_MAX_CORES). */
void serve_poll(struct mon_peer *p, unsigned from);
/* Children that stopped: their end reported, their memory taken back. */
void serve_reap(void);
/* Requests waiting for a core's link: sent now that it is up. */
void serve_linked(unsigned core);
/* The number of children running. */
unsigned serve_children(void);
/* This core as MON_CORE (count: answers in all). */
struct mon_core serve_core(uint32_t count);

/* stats.c: MON_STATS from a client (passed on to every linked monitor,
 * whose answers serve.c relays) or a monitor: this core's MON_STAT and
 * MON_STAT_LINKs on ch. */
void stats_asked(struct rt_chan *ch, bool client);

/* chans.c: a child spawned with a channel (s->flags MON_SPAWN_CHAN); caps
 * another core's monitor sent (MON_RECV); a child gone. */
void chans_spawned(struct spawn_child *c, const struct mon_spawn *s);
void chans_recv(unsigned core);
void chans_gone(const struct spawn_child *c);
/* What gone programs' channels held: let go, taken back when free. */
void chans_reclaim(void);

#endif
