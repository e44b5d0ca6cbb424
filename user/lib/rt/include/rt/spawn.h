/* Spawning from user space: a program image (bytes in memory: a tile, or
 * a static ELF the old way; rt/image.h) becomes a new program on this core, in a capability space
 * of its own, built by invocations as the kernel builds the monitor (kernel/sched/spawn.c):
 *
 * - its objects (root CNode of 2^SPAWN_CNODE_BITS slots, image CNode, top
 *   page table, dispatcher frame and dispatcher, image and stack frames,
 *   page tables, arguments frame) are retyped from one block ("region") of
 *   an untyped the spawner holds (args.from, else its own budget);
 * - its budget (SLOT_UNTYPED) is another block of it, retyped as an
 *   untyped; the spawner keeps the original and gives the child a copy;
 * - its root CNode holds only its own objects, a copy of the spawner's log
 *   if asked, and read-only copies of the module CNodes passed on (listed
 *   in its arguments frame, struct prog_args);
 * - its dispatcher frame is mapped read-only into the spawner too, so the
 *   spawner watches `stopped` and `exit_code` (spawn_wait).
 * spawn_kill stops it and revokes and deletes both blocks: everything the
 * child was and made is gone, and the blocks are free in the spawner's
 * untyped again.
 */
#ifndef RT_SPAWN_H
#define RT_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <tessera/bootinfo.h>
#include <tessera/dispatcher.h>

#include "mem.h"

#define SPAWN_CNODE_BITS 8 /* the child's root CNode: 256 slots */
#define SPAWN_PRIORITY   3 /* the default dispatcher priority */
#define SPAWN_WHY        160

/* A cap of the system's protocol the spawner gives the child in a
 * well-known slot (the monitor's channel and notification: SLOT_MON_CHAN,
 * SLOT_MON_NOTIFY): a copy of src in the child's root slot `slot` (below
 * SLOT_FIRST_FREE, one the spawner does not fill itself: RANGE otherwise),
 * minted with rights (0: the same).  A tile gets them only if its manifest
 * names `monitor` (rt/image.h). */
struct spawn_grant {
	struct rt_capref src;
	uint32_t slot;
	uint32_t rights;
};

/* A cap the spawner offers by name: a tile's manifest may ask for it
 * (rt/image.h); the child gets a copy with the rights the manifest names,
 * listed in its arguments frame under that name. */
struct spawn_cap {
	const char *name;
	struct rt_capref cap;
};

/* What the spawner offers.  A tile's child gets only what its manifest
 * names of it (rt/image.h); a static ELF's all of it. */
struct spawn_args {
	const char *name;  /* for its arguments and messages */
	const void *image; /* a tile, or a static x86_64 ELF executable */
	size_t size;
	unsigned budget_bits; /* its SLOT_UNTYPED: 2^budget_bits bytes (0: none; a tile: the
	                       * size its manifest names, at most this, 0: no limit) */
	bool log;             /* give it a copy of the spawner's log cap */
	unsigned priority;    /* its dispatcher's, 1..DISP_PRIORITIES-1 (0: SPAWN_PRIORITY) */
	const struct bootinfo_module *const *modules; /* modules to pass on (the spawner's) */
	unsigned nmodules;
	struct rt_untyped *from;      /* where its memory comes from (NULL: rt_memory()) */
	const struct spawn_cap *caps; /* named caps offered (a tile's manifest may ask) */
	unsigned ncaps;
	/* its arguments (rt/image.h, docs/tile.md §10): a command line
	 * (--rounds 10) spawn checks against the argument schema in its tile
	 * before it starts; or, argv NULL, a message of that schema's type
	 * made by rt_args_encode (what a spawner on another core sends, checked
	 * again here); neither: the schema's defaults */
	const char *const *argv;
	unsigned argc;
	const uint8_t *args_msg;
	size_t args_size;
	/* its configuration (rt/args.h, RT_CONFIG): a message of the config
	 * schema's type in its tile (rt_config_type), checked again here and
	 * put beside the arguments; NULL: none (it reads its defaults).  A
	 * args_msg from another core may carry it too: the arguments
	 * message, then the configuration message (rt_args_encode's, then
	 * the configuration's; split by the schemas in its tile) */
	const uint8_t *config_msg;
	size_t config_size;
	/* the system's protocol (a tile gets each only if its manifest names
	 * it, rt/image.h): */
	bool notify;                      /* a notification of its own in SLOT_NOTIFY ("self") */
	const struct spawn_grant *grants; /* the monitor's channel ("monitor") */
	unsigned ngrants;
	unsigned chan; /* 0, or 1 + its side of a channel whose caps the spawner
	                * puts in SLOT_CHAN_FRAME/PEER later ("chan", rt/chan.h) */
	/* a notification of the spawner's signalled with end_bits whenever the
	 * child stops (DISP_NOTIFY; depth 0: none) */
	struct rt_capref end_notify;
	uint64_t end_bits;
};

/* A spawned program, as its spawner holds it. */
struct spawn_child {
	char name[BOOTINFO_NAME];
	struct rt_untyped *from;
	struct rt_capref cnode;  /* its root CNode (the original cap) */
	struct rt_capref region; /* the untyped its objects came from */
	struct rt_capref budget; /* its budget's original (depth 0: none) */
	struct rt_capref watch;  /* a read-only copy of its frame, mapped at frame */
	struct rt_capref large;  /* the untyped of its image's 2 MiB frames (depth 0: none) */
	uint64_t region_offset, budget_offset, large_offset;
	unsigned region_bits, budget_bits, large_bits;
	uint64_t base; /* where its image was placed (a tile: a random base) */
	const volatile struct disp_frame *frame;
	char why[SPAWN_WHY]; /* spawn refused its arguments: the first problem */
};

/* The child's root slot n, as the spawner names it (through its cap of
 * the child's root CNode). */
struct rt_capref spawn_slot(const struct spawn_child *c, uint64_t n);

/* Builds the program and starts it.  CORRUPT / UNSUPPORTED not an
 * executable for this machine, RANGE its segments outside [ARGS_VA + 4
 * KiB, HEAP_VA) or too many modules (both reported on the log); INVAL its
 * arguments refused before anything is built (every problem on the log,
 * the first in c->why: "--cores: 99 is out of range 1..64"); NOMEM the
 * untyped has no block for it; the first failing invocation's error
 * otherwise (nothing of it is left then). */
enum err spawn_start(const struct spawn_args *args, struct spawn_child *c);

/* Whether it has stopped (by itself, a fault, or its owner). */
bool spawn_ended(const struct spawn_child *c);

/* How it ended: its exit code; 128 + the vector if the kernel stopped it
 * for a fault it could not take; -1 if it has not ended or its objects
 * went away. */
int spawn_code(const struct spawn_child *c);

/* Waits (yielding) until it has ended; spawn_code then. */
int spawn_wait(const struct spawn_child *c);

/* Stops it if it still runs and gives everything it had back to the
 * untyped it came from (revoke and delete of both blocks).  The first
 * failing invocation's error (its blocks are then kept, not reused). */
enum err spawn_kill(struct spawn_child *c);

#endif
