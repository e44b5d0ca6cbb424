/* The CPU driver's one spawn: this core's monitor, from the boot module
 * named "monitor" (a tile, docs/tile.md, or a static ELF image), with the core's whole initial
 * capability space as its own (kernel/README.md, "User space").  Core 0's
 * monitor also gets every other boot module copied into frames (a CNode
 * of frame caps each, listed in its boot information), and every monitor
 * a budget of untyped memory for its runtime (SLOT_UNTYPED). */
#ifndef KERNEL_SCHED_SPAWN_H
#define KERNEL_SCHED_SPAWN_H

#include <stdint.h>
#include <tessera/err.h>

#include "cap/cap.h"

#define SPAWN_MONITOR_MODULE "monitor"

/* Where the CPU driver places a tile it loads (the monitor, the tests'
 * sandboxed programs): programs were linked at 4 MiB before tiles, and the
 * tests keep that layout; the runtime's spawn places tiles at random
 * bases (user/lib/rt/include/rt/image.h).  Images up to 1 GiB. */
#define SPAWN_TILE_BASE 0x400000ull
#define SPAWN_TILE_MAX  (1ull << 30)

/* The untyped the monitor's objects are carved from must hold this much,
 * besides its modules and budget. */
#define SPAWN_UNTYPED_MIN (1ull << 20)

/* The monitor's budget (SLOT_UNTYPED): 1 MiB. */
#define SPAWN_MONITOR_BUDGET_BITS 20

/* A program in a capability space of its own (for the kernel's own tests
 * of user space): everything retyped from one untyped of the spawner's,
 * the program's root CNode (2^SPAWN_SANDBOX_BITS slots) in the spawner's
 * slot cspace_slot; in it only its own objects (tessera/bootinfo.h's
 * well-known slots) and, if log_slot names one, a copy of a log cap; if
 * budget_bits, an untyped of that size in SLOT_UNTYPED; if modules, those
 * boot modules copied into frames (root slots from SLOT_FIRST_FREE on) and
 * an arguments frame that lists them (tessera/bootinfo.h, struct
 * prog_args).  Deleting or revoking what the untyped gave back everything. */
#define SPAWN_SANDBOX_BITS 8

/* A cap the spawner gives a sandboxed program: a copy of the cap at src
 * (in the spawner's root, depth root_bits) in the program's slot dst,
 * minted with rights and badge (rights 0: all of the source's). */
struct spawn_grant {
	uint64_t src, dst;
	uint32_t rights;
	uint64_t badge;
};

struct spawn_sandbox {
	const char *module;    /* the boot module's name */
	struct cte *root;      /* the spawner's root CNode, with itself in SLOT_ROOT */
	unsigned root_bits;    /* its slot bits */
	uint64_t untyped_slot; /* the untyped to carve from */
	uint64_t *offset;      /* in the untyped: from here on (updated past what it took) */
	uint64_t cspace_slot;  /* where the program's root CNode goes (empty) */
	uint64_t log_slot;     /* a log cap to copy in (0: none) */
	const struct spawn_grant *grants; /* more caps it gets */
	unsigned ngrants;
	unsigned priority;
	unsigned budget_bits; /* SLOT_UNTYPED: 2^budget_bits bytes (0: none) */
	/* boot modules to give it, NULL-terminated: "name", or "as=name" to
	 * give module name under another name (NULL: no arguments frame) */
	const char *const *modules;
};

/* Builds and starts it; its dispatcher frame (the kernel's view) to
 * *frame.  Errors as spawn_monitor, and the invocations'; NOENT a module
 * not there; FULL more than BOOTINFO_MODULES; RANGE one too big. */
struct disp_frame;
enum err spawn_sandbox(const struct spawn_sandbox *p, struct disp_frame **frame);

/* Builds the monitor and starts it (it runs when the core's top level,
 * sched_run, gets to it).  NOENT no such module; UNSUPPORTED no capability
 * space; CORRUPT not a tile or ELF image (a tile's refusal is logged); NOMEM no untyped big enough;
 * the first failing invocation's error otherwise (logged). */
enum err spawn_monitor(void);

#endif
