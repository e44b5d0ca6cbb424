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
#include "memplan.h"

#define SMP_MAX_CORES     CHAN_MAX_CORES
#define SMP_HANDOFF_MAGIC 0x66666f646e616873ull /* "shandoff" */

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

/* What happened to a core at boot. */
enum smp_core_state {
	SMP_CORE_ABSENT = 0, /* no such core, or no memory or tables for it */
	SMP_CORE_BUILT,      /* memory, data and tables ready; not released */
	SMP_CORE_HELD,       /* ready, but kept parked (smp.hold=) */
	SMP_CORE_RELEASED,   /* sent to arch_ap_entry (core 0: running) */
};

/* Boot facts about one core, the same in every core's handoff. */
struct smp_core {
	uint32_t hwid;  /* local APIC id */
	uint32_t state; /* enum smp_core_state */
	uint64_t data_phys;
	uint64_t share_base; /* lowest address of its memory share */
	uint64_t share_bytes;
};

/* The one-time boot handoff: written by the boot core into the core's own
 * memory before the core starts, only read afterwards. */
struct smp_handoff {
	struct arch_ap_start start; /* first: read by arch_ap_entry */
	uint64_t magic;
	uint32_t self, ncores; /* this core; cores the loader reported */
	uint64_t hhdm_offset;
	uint64_t cycles_hz;
	/* this core's memory pool: the buddy span, its metadata, free ranges */
	struct memplan_range span;
	uint64_t meta_phys, meta_size;
	uint64_t nfree;
	struct memplan_range free[MEMPLAN_MAX_RANGES];
	/* the untyped region cut from that pool (memplan_untyped): held from
	 * the pool at start, its caps come from the boot core */
	struct memplan_untyped untyped;
	/* channel blocks (chan.h) of every pair of the ncores cores */
	uint64_t chan_phys;
	/* the kernel file, for symbols (HHDM address) */
	uint64_t kernel_file, kernel_file_size;
	/* the kernel command line (cmdline.h): a string in the boot
	 * information, which every core maps read-only */
	uint64_t cmdline;
	/* the loader's memory map and modules (Limine responses, in the boot
	 * information): every core reads the same */
	uint64_t memmap, modules;
	/* where the shared kernel text and rodata are, as loaded */
	uint64_t text_phys, rodata_phys;
	struct smp_core cores[SMP_MAX_CORES];
};

_Static_assert(offsetof(struct smp_handoff, start) == 0, "arch_ap_entry reads the start first");
_Static_assert(sizeof(struct smp_handoff) <= 4096, "a handoff fits one page");

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

/* Core 0: the cores that reported a failed start (missing, too). */
uint64_t smp_failed(void);

/* This core's number, and how many cores the loader reported. */
unsigned smp_self(void);
unsigned smp_ncores(void);

/* This core's boot handoff (NULL before smp_start_core). */
const struct smp_handoff *smp_record(void);

/* Boot facts about core c (NULL if c is out of range or before start). */
const struct smp_core *smp_core(unsigned c);

/* The cores that reported in (bit per core; core 0 always). */
uint64_t smp_online(void);

/* Core 0: the cores that were expected but did not report in time. */
uint64_t smp_missing(void);

/* Core c's pool and untyped region as the boot core planned them: this
 * core's own (from its handoff); on core 0, every built core's (kept while
 * it built them).  NULL otherwise. */
const struct memplan_untyped *smp_untyped(unsigned c);

/* The kernel file the loader loaded (for symbols and the pristine data
 * image); false before smp_start_core. */
bool smp_kernel_file(const void **data, size_t *size);

/* Whether the command line held core c back (smp.hold=). */
bool smp_held(unsigned c);

/* Hooks for the test and benchmark kernels: weak, NULL in the normal one.
 * The first two are CORE_RUN jobs; the last takes a barrier's CORE_CTRL. */
void ktest_ap_run(unsigned index) __attribute__((weak));
void bench_ap(unsigned from) __attribute__((weak));
void ktest_barrier_msg(unsigned from) __attribute__((weak));

#endif
