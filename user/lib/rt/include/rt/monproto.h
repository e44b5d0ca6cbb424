/* The monitors' protocol (user/monitor, user/README.md "Monitors"):
 * messages on channels (rt/chan.h) between a monitor and its clients
 * (init) and between the monitors of two cores.
 *
 * Every monitor is linked with every other: for each pair of cores the
 * lower core's monitor makes a channel frame of its memory and both meet
 * through their CPU drivers once (MON_INTRODUCE / MON_ACCEPT), getting the
 * frame and each other's notification.  A client gets a channel frame and
 * the monitor's notification from the monitor that spawned it
 * (SLOT_MON_CHAN, SLOT_MON_NOTIFY) and has a notification of its own
 * (SLOT_NOTIFY).
 *
 * Spawning on core N: the client sends MON_SPAWN (a boot module's name,
 * the core, a budget) to its monitor, followed by the program's arguments
 * in MON_ARGS messages (a lib/typed message of its argument schema's type,
 * rt_args_encode: checked by the client against the schema in the tile
 * before it asks, and by the spawn that builds it); a request for another
 * core goes on to that core's monitor as MON_SPAWN with the image's size,
 * followed by the arguments in MON_ARGS and the image in MON_IMAGE
 * messages; the monitor that spawned the program
 * answers MON_SPAWNED (the error, or the child's id), and MON_ENDED when
 * it stops (its exit code), which travel back to the client; then the
 * child's memory is back in that monitor's share.
 *
 * Channels between two programs (rt/chan.h): the client names a channel
 * in both programs' MON_SPAWN (chan, the other's core, the side).  The
 * monitor of side 0 makes the frame (its core's memory) and lays the
 * channel out; each monitor sends the other its program's notification,
 * side 0's also the frame (MON_SEND: the CPU drivers carry the caps and
 * vouch for them; tag = chan << 1 | 1 for a notification, | 0 for the
 * frame); each puts what its program needs in the program's
 * SLOT_CHAN_FRAME and SLOT_CHAN_PEER and signals it RT_CHAN_BIT_GIVEN.
 * On one core the monitor pairs them itself.
 *
 * Cores: a client's MON_CORES asks every monitor for a MON_CORE about its
 * core; the client's own monitor answers first (count: how many answers
 * come, itself and every core it is linked with) and passes the request
 * on to the other monitors, whose answers it relays to the client.
 *
 * Statistics (a system monitor, `top`): a client's MON_STATS asks every
 * monitor for a MON_STAT about its core, each followed by MON_STAT_LINK
 * rows, one per other core (links says how many); as with MON_CORES the
 * client's own monitor answers first (count: how many MON_STATs come) and
 * relays the others' answers.  Every figure is a counter since the core
 * started: a rate is the difference of two samples over the difference of
 * their cycles, at hz (the consumer computes it).  The CPU driver's
 * counters come from MON_STATS (tessera/caps.h, kernel/README.md
 * "Counters"); the monitor counts the messages of its own channels.
 */
#ifndef RT_MONPROTO_H
#define RT_MONPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/urpc.h>

/* Notification bits.  A monitor's: bit c, core c's monitor (its channel,
 * or its CPU driver's MON_INTRODUCE); MON_BIT_CLIENT, a client's channel;
 * MON_BIT_CHILD, a child of this monitor stopped.  A client's:
 * CLIENT_BIT_MON, its monitor's channel; CLIENT_BIT_CHILD, a child it
 * spawned itself stopped. */
#define MON_BIT_CLIENT   (1ull << 63)
#define MON_BIT_CHILD    (1ull << 62)
#define MON_MAX_CORES    62
#define CLIENT_BIT_MON   (1ull << 0)
#define CLIENT_BIT_CHILD (1ull << 1)

enum mon_type {
	MON_SPAWN = 1, /* struct mon_spawn */
	MON_IMAGE,     /* image bytes, in order: URPC_PAYLOAD_MAX per message but the last */
	MON_SPAWNED,   /* struct mon_spawned */
	MON_ENDED,     /* struct mon_ended */
	MON_KILL,      /* struct mon_kill: stop it and take its memory back (MON_ENDED, code -1) */
	MON_ARGS,      /* arguments bytes, in order: URPC_PAYLOAD_MAX per message but the last */
	MON_CORES,     /* no payload: every online core's MON_CORE, please */
	MON_CORE,      /* struct mon_core */
	MON_STATS,     /* no payload: every online core's MON_STAT, please */
	MON_STAT,      /* struct mon_stat, then its links' MON_STAT_LINK */
	MON_STAT_LINK, /* struct mon_stat_link */
};

#define MON_NAME 28

/* flags */
#define MON_SPAWN_CHAN 1u /* it gets a channel (chan, peer, side) */
#define MON_SPAWN_SIDE 2u /* ... as side 1 (else 0) */
#define MON_SPAWN_LOG  4u /* it is offered the log */

#define MON_ARGS_MAX 1024u /* bytes of arguments (PROG_ARGS_BYTES) */

struct mon_spawn {
	uint32_t req;         /* the sender's number for it, in the answers */
	uint32_t core;        /* where it runs */
	uint32_t budget_bits; /* its SLOT_UNTYPED: 2^budget_bits bytes */
	uint32_t size;        /* monitor to monitor: the image's bytes that follow;
	                       * from a client 0: the boot module name */
	uint32_t flags;       /* MON_SPAWN_* */
	uint16_t chan;        /* the channel's number (the client's, nonzero) */
	uint16_t peer;        /* the core of the program on its other side */
	uint16_t args_size;   /* its arguments' bytes that follow (MON_ARGS), at most
	                       * MON_ARGS_MAX; 0: its schema's defaults */
	uint16_t reserved;
	char name[MON_NAME]; /* NUL-terminated */
};

struct mon_spawned {
	uint32_t req;
	int32_t err;    /* enum err */
	uint64_t child; /* core << 32 | the number its monitor gave it: the core
	                 * it runs on (for a core that is not online, the
	                 * (core mod n)th of the n cores online at boot) */
};

struct mon_ended {
	uint64_t child;
	int32_t code; /* its exit code; 128 + a vector: a fault; -1 gone */
	uint32_t reserved;
};

struct mon_kill {
	uint64_t child;
};

/* One core, as its monitor sees it. */
struct mon_core {
	uint32_t core;
	uint32_t apic;     /* its local APIC id (CPUID) */
	uint32_t count;    /* the first answer: how many answers come in all */
	uint32_t programs; /* programs its monitor started that run */
	uint64_t memory;   /* the RAM its CPU driver was given (untyped), bytes */
	uint64_t free;     /* ... of it no program or monitor holds */
};

/* One core's counters, as its CPU driver and monitor count them. */
struct mon_stat {
	uint16_t core;
	uint16_t count;    /* the first answer: how many MON_STATs come in all */
	uint16_t links;    /* MON_STAT_LINKs that follow from this core */
	uint16_t programs; /* programs its monitor started that run */
	uint64_t cycles;   /* its cycle counter when it answered */
	uint64_t idle;     /* cycles it spent halted since start (busy: the rest) */
	uint64_t start;    /* the cycle count its CPU driver started counting at */
	uint64_t hz;       /* the cycle counter's frequency */
	uint64_t memory;   /* as mon_core */
	uint64_t free;
};

/* Messages between core and peer since they started, from core's side:
 * its CPU driver's over their kernel channel, its monitor's over the
 * monitors' channel. */
struct mon_stat_link {
	uint16_t core;
	uint16_t peer;
	uint32_t reserved;
	uint64_t kernel_sent, kernel_received;
	uint64_t monitor_sent, monitor_received;
};

_Static_assert(sizeof(struct mon_core) == 32, "rt/monproto.h: mon_core");
_Static_assert(sizeof(struct mon_stat) == URPC_PAYLOAD_MAX, "rt/monproto.h: mon_stat");
_Static_assert(offsetof(struct mon_stat, cycles) == 8, "rt/monproto.h: mon_stat");
_Static_assert(sizeof(struct mon_stat_link) == 40, "rt/monproto.h: mon_stat_link");
_Static_assert(sizeof(struct mon_spawn) <= URPC_PAYLOAD_MAX, "one message");
_Static_assert(offsetof(struct mon_spawn, args_size) == 24, "rt/monproto.h: mon_spawn");
_Static_assert(sizeof(struct mon_spawned) <= URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct mon_ended) <= URPC_PAYLOAD_MAX, "one message");

#endif
