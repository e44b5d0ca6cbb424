/* The multikernel's cores: one CPU driver per core, each on its own copy of
 * the kernel's data, its own page tables and its own memory, talking to the
 * others only through URPC channels (chan.h).
 *
 * Core numbers: 0 is the boot core (BSP); the loader's other CPUs follow in
 * the order of its SMP response.  The boot core builds every core's memory,
 * data copy, page tables and channel blocks (smp_build.c), releases the
 * others, switches to its own tables, and waits for each core's
 * BOOT_REPORT.  What a core knows of the others is fixed at that point and
 * comes with its boot handoff.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <arch/arch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#include "chan.h"
#include "core.h"
#include "memplan.h"

/* Kernel stack of every core, mapped at ARCH_STACK_TOP - SMP_STACK_SIZE
 * with an unmapped guard page below. */
#define SMP_STACK_SIZE (64 * 1024)

/* The least memory a core's share must hold (memplan_split's min_share):
 * room for the CPU driver's own structures and some memory to work with. */
#define SMP_MIN_SHARE (4ull << 20)

/* Periodic timer interrupts per second on every core. */
#define SMP_TIMER_HZ 100

/* How long the boot core waits for the other cores' boot reports unless
 * the command line says otherwise (smp.timeout_ms=). */
#define SMP_REPORT_TIMEOUT_MS 10000

/* ---- boot core ---- */

/* Builds every core's CPU driver and releases the APs, then continues in
 * next(handoff) on core 0's own page tables and stack.  Returns only if
 * core 0 cannot get its own address space (the reason is logged); the
 * kernel then goes on as the only core, on the loader's tables. */
void smp_boot(void (*next)(void *handoff));

/* Core 0, on its own tables: waits for every released core's BOOT_REPORT
 * (until the timeout), logs the missing ones and tells the others which
 * cores are online.  Returns the number of cores online. */
unsigned smp_wait_reports(void);

/* ---- every core ---- */

/* Starts this core's CPU driver from its handoff: identity, memory pool,
 * time, interrupts and timer, channels, and its handlers of the cores'
 * conversation (boot reports and log lines on core 0, CORE_CTRL, CORE_RUN
 * jobs; msgloop.h).  Afterwards the core serves messages in msgloop_run. */
enum err smp_start_core(const struct smp_handoff *h);

/* Core 0: the cores that reported a failed start (missing, too), and the
 * cores that were expected but are not online. */
uint64_t smp_failed(void);
uint64_t smp_missing(void);

/* Whether the command line held core c back (smp.hold=). */
bool smp_held(unsigned c);

/* Hooks for the test and benchmark kernels: weak, NULL in the normal one.
 * The first two are CORE_RUN jobs; the last takes a barrier's CORE_CTRL. */
void ktest_ap_run(unsigned index) __attribute__((weak));
void bench_ap(unsigned from) __attribute__((weak));
void ktest_barrier_msg(unsigned from) __attribute__((weak));

#endif
