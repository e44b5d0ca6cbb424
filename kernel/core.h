/* This core's identity: who it is and what it knows of the other cores,
 * fixed by its boot handoff (written by the boot core before the core ran,
 * only read afterwards), and the set of cores online.  The bottom of the
 * CPU driver: every module may ask it, it asks no module.  (smp.h is the
 * top: building the cores, starting this one, the boot reports.)
 */
#ifndef KERNEL_CORE_H
#define KERNEL_CORE_H

#include <arch/arch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memplan.h"

#define SMP_MAX_CORES     64
#define SMP_HANDOFF_MAGIC 0x66666f646e616873ull /* "shandoff" */

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

/* Makes h this core's record (smp_start_core, first); CORRUPT when it is
 * not a handoff. */
enum err core_adopt(const struct smp_handoff *h);

/* This core's number, and how many cores the loader reported. */
unsigned core_self(void);
unsigned core_count(void);

/* This core's handoff (NULL before core_adopt: the boot core on the
 * loader's tables). */
const struct smp_handoff *core_record(void);

/* Boot facts about core c (NULL past the loader's count). */
const struct smp_core *core_info(unsigned c);

/* The cores online (bit per core): this core and core 0 until the boot
 * core has settled it (core_set_online, then CORE_CTRL ONLINE). */
uint64_t core_online(void);
void core_set_online(uint64_t mask);

/* The boot core's record of core c's pool and untyped region (memplan.h):
 * this core's own on every core, every core's on the boot core (written
 * while it builds them, core_set_untyped); NULL for a core not built. */
const struct memplan_untyped *core_untyped(unsigned c);
void core_set_untyped(unsigned c, const struct memplan_untyped *u);

/* The kernel file as the loader loaded it (for symbols). */
bool core_kernel_file(const void **data, size_t *size);

#endif
