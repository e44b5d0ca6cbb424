/* This core's URPC channels to every other core (include/tessera/urpc.h):
 * one block per pair of cores, in memory only those two cores map, holding
 * a pair of SPSC rings (one per direction) and one wake line per side.
 *
 * Block layout (CHAN_BLOCK_STRIDE apart, page aligned):
 *   urpc_pair_size(slots) bytes   the two rings (side 0 sends on the first)
 *   64 bytes                      side 0's wake line: written only by side 0
 *   64 bytes                      side 1's wake line: written only by side 1
 *   64 bytes                      a spare line (the benchmark's bouncing line)
 * Side 0 is the lower-numbered core.
 *
 * Sleeping without losing a wake-up.  A core with nothing to do announces
 * "sleeping" in its wake line of every block, issues a full fence, looks at
 * its rings once more and only then halts with interrupts enabled
 * (arch_idle).  A sender publishes its message, issues a full fence, then
 * reads the receiver's wake line and sends an IPI only if it says sleeping.
 * Both sides store, fence, then load (Dekker's pattern; x86 may otherwise
 * move a load ahead of an earlier store), so at least one sees the other:
 * either the receiver sees the message and does not halt, or the sender
 * sees the announcement and sends the IPI.  An IPI that arrives after the
 * receiver's last look but before hlt stays pending (interrupts are off in
 * the kernel) and ends the hlt at once.  Awake receivers cost the sender a
 * read of a line that does not change, and no IPI.  Not covered: a sender
 * waiting for ring space is not woken when space frees up; it retries, and
 * its timer wakes it at worst.
 */
#ifndef KERNEL_CHAN_H
#define KERNEL_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#define CHAN_MAX_CORES 64

/* Ring slots per direction. */
#define CHAN_SLOTS 64u

/* Bytes from one pair block to the next (whole pages). */
#define CHAN_BLOCK_STRIDE \
	((2 * ((CHAN_SLOTS + 1) * URPC_LINE_SIZE) + 3 * URPC_LINE_SIZE + 4095) & ~(size_t)4095)

/* Index of the block of cores a and b (a != b) among n cores. */
size_t chan_block_index(unsigned a, unsigned b, unsigned n);

/* Bytes of all blocks for n cores. */
size_t chan_area_size(unsigned n);

/* Initialises one block before either core attaches. */
enum err chan_block_init(void *block);

/* Makes this core core `self`; forgets every channel. */
void chan_init(unsigned self);

/* Attaches this core's end of its block with peer, whose hardware id is
 * hwid (for the wake-up IPI). */
enum err chan_attach(unsigned peer, void *block, uint32_t hwid);

/* Whether there is a channel to peer. */
bool chan_up(unsigned peer);

/* Sends one message without blocking (ERR_FULL when the ring is full),
 * then wakes peer if it announced that it sleeps.  In the test kernel a
 * fault rule may drop, duplicate or hold back the message (fault.h). */
enum err chan_send(unsigned peer, uint16_t type, const void *payload, size_t len);

/* chan_send without the test kernel's fault injection (fault.h): how the
 * injector itself sends what it held back or duplicated. */
enum err chan_send_direct(unsigned peer, uint16_t type, const void *payload, size_t len);

/* Messages sent to / received from peer through this core's end (a
 * message a fault rule dropped or still holds back is not sent). */
uint64_t chan_sent(unsigned peer);
uint64_t chan_received(unsigned peer);

/* As chan_send, retrying a full ring for up to ms milliseconds
 * (ERR_TIMEOUT after that). */
enum err chan_send_wait(unsigned peer, uint16_t type, const void *payload, size_t len, uint64_t ms);

/* Receives the next message from peer without blocking (ERR_EMPTY). */
enum err chan_recv(unsigned peer, struct urpc_msg *m);

/* The next message from peer, left in the ring (urpc_peek), and taking it
 * (urpc_skip): how the dispatcher (msgdisp.h) looks before it takes. */
enum err chan_peek(unsigned peer, struct urpc_msg *m);
void chan_skip(unsigned peer);

/* The cores this core has a channel to (bit per core). */
uint64_t chan_peers(void);

/* Whether a message from peer is waiting; how many are. */
bool chan_pending(unsigned peer);
unsigned chan_backlog(unsigned peer);

/* Sleeps until a message waits on a channel from a core in watch (bit per
 * core), or an interrupt (a timer tick at the latest) arrives; returns at
 * once if one is already waiting. */
void chan_sleep(uint64_t watch);

/* Cycles this core has spent halted in chan_sleep (from just before its
 * hlt to just after: the interrupt that ends it included) since chan_init,
 * and the cycle count at chan_init: the core's idle time for MON_STATS.
 * Every halt of a core with nothing to do is a chan_sleep (msgloop.h). */
uint64_t chan_idle_cycles(void);
uint64_t chan_start_cycles(void);

/* Whether peer has taken (and published that it took) every message this
 * core sent it. */
bool chan_drained(unsigned peer);

/* Whether peer has announced that it sleeps. */
bool chan_peer_sleeping(unsigned peer);

/* IPIs this core has sent to wake sleepers. */
uint64_t chan_ipis_sent(void);

/* The raw ends, for tests and the benchmark. */
struct urpc_tx *chan_tx(unsigned peer);
struct urpc_rx *chan_rx(unsigned peer);

/* The spare line of the block with peer. */
volatile uint64_t *chan_spare_line(unsigned peer);

#endif
