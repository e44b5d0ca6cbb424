/* The console belongs to core 0.  Every other core's log goes to core 0 as
 * LOG_LINE messages over its channel, and core 0 writes each line whole to
 * its own outputs (serial, framebuffer).
 *
 * Why this and not a lock on the UART or per-core buffers that core 0
 * reads: the channel is already the one sanctioned piece of shared memory
 * between the two cores, so nothing new is shared; lines come out whole
 * and in order per core; and the UART, like every device, has one owner.
 * The cost: an AP's line appears only when core 0 next handles its
 * messages.  Lines go through the AP's message loop, which keeps serving
 * its other channels while core 0's is full; a line logged by a handler
 * that runs meanwhile waits in a queue (LOGFWD_QUEUE bytes) behind the
 * lines before it.  A line that finds the queue full, or core 0's channel
 * full for LOGFWD_SEND_MS, is dropped (counted) rather than stop the core.
 */
#ifndef KERNEL_LOGFWD_H
#define KERNEL_LOGFWD_H

#include <stdint.h>
#include <tessera/urpc.h>

/* Longest line sent at once; longer ones go as several. */
#define LOGFWD_LINE_MAX 256

/* Bytes of whole lines an AP holds while it sends. */
#define LOGFWD_QUEUE 4096

/* How long an AP waits for room in a full channel before dropping a line. */
#define LOGFWD_SEND_MS 10000

/* An AP: sends its log (including what it logged before) to core 0. */
void logfwd_attach(void);

/* An AP: lines dropped because core 0 did not take them. */
uint64_t logfwd_dropped(void);

/* Core 0: the LOG_LINE handler (msgloop.h): adds a piece of core `from`'s
 * line, and prints the line, whole, with its last piece. */
void logfwd_print(unsigned from, const struct urpc_msg *m);

#endif
