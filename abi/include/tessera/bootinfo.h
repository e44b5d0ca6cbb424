/* What a program finds in its own capability space, and what the monitor
 * of each core is told at its start.
 *
 * Well-known slots of every program's root CNode (its spawner puts them
 * there; the address of slot s is s at depth cspace_bits, the dispatcher
 * frame's):
 */
#ifndef TESSERA_BOOTINFO_H
#define TESSERA_BOOTINFO_H

#include <stdint.h>

#define SLOT_ROOT       1  /* the root CNode itself (a copy: the space names itself) */
#define SLOT_DISPATCHER 2  /* its own dispatcher */
#define SLOT_VSPACE     3  /* its own top page table */
#define SLOT_DISP_FRAME 4  /* its dispatcher frame (tessera/dispatcher.h) */
#define SLOT_LOG        5  /* the log (LOG_WRITE), if it was given one */
#define SLOT_BOOTINFO   6  /* the monitor: the boot information frame below */
#define SLOT_IMAGE      7  /* a CNode of its image: frames and page tables */
#define SLOT_ARGS       8  /* its arguments frame, if any */
#define SLOT_MONITOR    10 /* the monitor: its core's monitor cap */
#define SLOT_MON_NOTIFY 11 /* the monitor: its notification (MON_INTRODUCE wakes it) */
#define SLOT_FIRST_FREE 16 /* the first slot the spawner leaves empty */

/* Where the spawner maps things in every program's address space. */
#define BOOTINFO_VA   0x100000ull       /* the boot information (monitor) */
#define DISP_FRAME_VA 0x101000ull       /* the dispatcher frame */
#define STACK_TOP_VA  0x7fff00000000ull /* the first thread's stack ends here */

#define BOOTINFO_MAGIC   0x6f666e69746f6f62ull /* "bootinfo" */
#define BOOTINFO_MODULES 16
#define BOOTINFO_NAME    32

/* A boot module the kernel copied into frames for the monitor (core 0):
 * its bytes are in a CNode of frame caps, one per 4 KiB, in order. */
struct bootinfo_module {
	char name[BOOTINFO_NAME]; /* the path's last part, e.g. "init" */
	uint64_t size;            /* bytes */
	uint32_t cnode;           /* its CNode's slot in the root CNode */
	uint32_t frames;          /* frame caps in it, from slot 0 */
};

/* The monitor's boot information (one page at BOOTINFO_VA, read-only). */
struct bootinfo {
	uint64_t magic;
	uint32_t core, ncores;  /* this core; cores the loader reported */
	uint64_t online;        /* cores online at boot, bit per core */
	uint32_t untyped_first; /* this core's untyped caps: root slots */
	uint32_t untyped_count; /*   [first, first + count) */
	uint64_t untyped_bytes;
	uint32_t free_first; /* the first root slot nothing uses */
	uint32_t nmodules;
	struct bootinfo_module modules[BOOTINFO_MODULES];
};
_Static_assert(sizeof(struct bootinfo) <= 4096, "one page");

#endif
