/* Channels between two programs, on one core or on two (user-level URPC,
 * Barrelfish's cross-core transport, include/tessera/urpc.h): one 4 KiB
 * frame both map, holding a ring of cache-line messages each way and a
 * line of flags, and a notification per side that the other signals when
 * it sent to a side that sleeps (the CPU drivers carry a signal for
 * another core's notification, with an interrupt that wakes that core).
 *
 * Frame layout (offsets in the frame):
 *   0 ..              the URPC pair: RT_CHAN_SLOTS lines + an ack line,
 *                     twice (side 0 sends on the first, side 1 on the second)
 *   RT_CHAN_FLAGS_AT  struct rt_chan_flags: per side, whether it sleeps
 *                     (waits on its notification) or waits for room
 * Messages are urpc messages: a 16-bit type and up to 56 bytes.
 *
 * Waiting blocks the whole program (its dispatcher), every thread: the
 * loops that use channels are single-threaded (monitors, init).  Bits a
 * wait takes from the notification that were not the channel's are kept
 * for the next rt_chan_wait (rt_chan_stash).
 */
#ifndef RT_CHAN_H
#define RT_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#include "rt.h"

#define RT_CHAN_SLOTS    16u
#define RT_CHAN_FLAGS_AT 4032u /* the frame's last line */

struct rt_chan_flags {
	volatile uint32_t sleeping[2];   /* side s waits on its notification */
	volatile uint32_t want_room[2];  /* side s waits for its ring to drain */
	volatile uint64_t sent[2];       /* messages side s has sent (statistics) */
	volatile uint64_t signals[2];    /* signals side s sent to the other */
	uint8_t unused[64 - 8 - 8 - 32]; /* pad to the line */
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct rt_chan_flags) == 64, "one cache line");

struct rt_chan {
	struct urpc_pair p;
	struct rt_chan_flags *flags;
	unsigned side;
	struct rt_capref peer; /* the other side's notification (WRITE) */
	uint64_t peer_bits;    /* what to signal it with */
	struct rt_capref self; /* this side's notification (READ), for waits */
	/* messages this side sent and took (this program's own count, not the
	 * frame's, which the other side could write; rt_chan_init zeroes) */
	uint64_t sent, received;
};

/* Attaches side `side` (0 or 1) of the channel in the frame mapped at
 * frame; fresh: this side lays the frame out first (exactly one side
 * does, before the other attaches).  INVAL side or a frame not laid out. */
enum err rt_chan_init(struct rt_chan *c, void *frame, unsigned side, bool fresh,
                      struct rt_capref self, struct rt_capref peer, uint64_t peer_bits);

/* Sends a message (len at most URPC_PAYLOAD_MAX), waking the other side
 * if it sleeps; while the ring is full it waits for the other side to
 * take messages.  RANGE len; CORRUPT the frame was scribbled on; a
 * signal's error. */
enum err rt_chan_send(struct rt_chan *c, uint16_t type, const void *payload, size_t len);

/* The next message, if any (EMPTY none); wakes a sender waiting for room. */
enum err rt_chan_recv(struct rt_chan *c, struct urpc_msg *m);

/* Whether a message waits. */
bool rt_chan_pending(const struct rt_chan *c);

/* Sleeps on the notification self until one of the n channels has a
 * message or any bits arrive; returns the bits it took (0 if a message
 * was already there), and those stashed by earlier waits. */
uint64_t rt_chan_wait(struct rt_capref self, struct rt_chan *const *chans, unsigned n);

/* Keeps bits for the next rt_chan_wait to return (a wait inside
 * rt_chan_send took them). */
void rt_chan_stash(uint64_t bits);

/* A program's channel from its spawner (tessera/bootinfo.h: prog_args
 * chan, SLOT_CHAN_FRAME, SLOT_CHAN_PEER): the monitors make the frame and
 * put the caps in the program's slots, maybe after it started, and then
 * signal its notification (SLOT_NOTIFY) with RT_CHAN_BIT_GIVEN; the two
 * sides signal each other with RT_CHAN_BIT_PEER. */
#define RT_CHAN_BIT_GIVEN (1ull << 2)
#define RT_CHAN_BIT_PEER  (1ull << 3)

/* Waits until the channel's caps are there, maps the frame and attaches
 * this program's side.  NOENT it was given no channel (or no
 * notification); the map and attach errors. */
enum err rt_chan_given(struct rt_chan *c);

#endif
