/* The console belongs to core 0.  Every other core's log goes to core 0 as
 * LOG_LINE messages over its channel, and core 0 writes each line whole to
 * its own outputs (serial, framebuffer).
 *
 * Why this and not a lock on the UART or per-core buffers that core 0
 * reads: the channel is already the one sanctioned piece of shared memory
 * between the two cores, so nothing new is shared; lines come out whole
 * and in order per core; and the UART, like every device, has one owner.
 * The cost: an AP's line appears only when core 0 next handles its
 * messages, and an AP whose channel stays full for LOGFWD_SEND_MS drops the
 * line (counted) rather than stop.  The sending side never dispatches
 * messages while it waits for room: a log line may be written from inside
 * any handler, and the line buffer is not reentrant.
 */
#ifndef KERNEL_LOGFWD_H
#define KERNEL_LOGFWD_H

#include <stdint.h>
#include <tessera/urpc.h>

/* Longest line sent at once; longer ones go as several. */
#define LOGFWD_LINE_MAX 256

/* How long an AP retries a full channel before dropping a line. */
#define LOGFWD_SEND_MS 2000

/* An AP: sends its log (including what it logged before) to core 0. */
void logfwd_attach(void);

/* An AP: lines dropped because core 0 did not take them. */
uint64_t logfwd_dropped(void);

/* Core 0: the LOG_LINE handler (msgloop.h): adds a piece of core `from`'s
 * line, and prints the line, whole, with its last piece. */
void logfwd_print(unsigned from, const struct urpc_msg *m);

#endif
