/* Device capabilities (tessera/caps.h, IOPORT_IN/OUT, IRQ_BIND/ACK): port
 * I/O through an I/O-port range cap, and interrupt lines delivered as
 * notifications.  Core 0's CPU driver owns the I/O APICs (it reads them
 * from the ACPI MADT on the first bind) and routes every bound line to
 * itself; an interrupt only records the line (interrupt context), and the
 * scheduler's top level delivers the signals (device_flush), so the
 * notification code never runs inside an interrupt. */
#ifndef KERNEL_SCHED_DEVICE_H
#define KERNEL_SCHED_DEVICE_H

#include <stdbool.h>

#include "cap/cap.h"

enum err ioport_in(struct cte *slot, const uint64_t *a, struct cap_invocation_result *res);
enum err ioport_out(struct cte *slot, const uint64_t *a);

enum err irq_bind(const struct cap_env *env, struct cte *root, struct cte *slot, const uint64_t *a);
enum err irq_ack(struct cte *slot);

/* Core 0, at boot (capboot_init; again is harmless): takes the I/O APICs
 * the ACPI MADT lists, every input masked, and routes the ISA lines to
 * this core, masked.  Whether there are any. */
bool irq_init(void);

/* Interrupts taken and not yet delivered. */
bool irq_pending(void);

/* Delivers the interrupts taken since the last call: signals each bound
 * line's notification (a line whose notification is gone is unbound and
 * masked).  The scheduler's top level calls it. */
void irq_flush(void);

/* cap_env hooks: an IRQ cap leaves its slot (if it bound its line, the
 * line is unbound and masked); a notification object is destroyed (lines
 * bound to it are unbound). */
void irq_removed(const struct cap *cap);
void irq_notify_gone(uint64_t pa);

/* For tests: interrupts taken on line since boot, and whether it is bound. */
unsigned long irq_count(unsigned line);
bool irq_bound(unsigned line);

#endif
