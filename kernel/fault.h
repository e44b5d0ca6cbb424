/* Fault injection for tests.  The test kernel defines these hooks
 * (kernel/tests/fault_inject.c); in the normal kernel they are weak and
 * NULL, so nothing is injected and each hook costs one test of a pointer.
 *
 * Rules come from the command line, the same on every core:
 *
 *   chan.fault=ACTION:TYPE:FROM-TO:NTH[:MS][,...]
 *       ACTION  drop | dup | delay
 *       TYPE    a message type's name (tessera/msg.h), e.g. CAP_TRANSFER_ACK
 *       FROM-TO the sending and the receiving core
 *       NTH     which message of that type on that channel, from 1, or *
 *       MS      delay: how long the message is held back before it is sent
 *   fault.start=CORE:SUBSYSTEM[,...]
 *       SUBSYSTEM  mm | caps: that core's start of it fails (ERR_NOMEM)
 *
 * A dropped message is never sent; a duplicated one is sent twice (the copy
 * right after it); a delayed one is sent when its time has come, from the
 * sender's message loop, so later messages overtake it.  Each rule is
 * applied by the sending core, which counts what it did (fault_count).
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* chan_send's question for every message: true when a rule took it
 * (dropped, or held back), so chan_send reports it sent and does nothing
 * more; false to send it as usual (a duplicate is queued as well). */
bool fault_intercept(unsigned peer, uint16_t type, const void *payload, size_t len)
        __attribute__((weak));

/* Sends the held-back messages that are due; the message loop calls it on
 * every round. */
void fault_tick(void) __attribute__((weak));

/* Before a subsystem starts on this core ("mm", "caps"): ERR_OK, or the
 * failure a fault.start rule injects (the subsystem is then not started). */
enum err fault_on_start(const char *subsystem) __attribute__((weak));

enum fault_kind { FAULT_DROPPED, FAULT_DUPLICATED, FAULT_DELAYED, FAULT_KINDS };

/* Messages this core's rules have dropped, duplicated or delayed so far. */
uint64_t fault_count(enum fault_kind kind) __attribute__((weak));

/* Held-back messages not sent yet. */
unsigned fault_pending(void) __attribute__((weak));

#endif
