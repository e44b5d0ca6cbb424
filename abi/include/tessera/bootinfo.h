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
#define SLOT_ARGS       8  /* its arguments frame (struct prog_args), if any */
#define SLOT_UNTYPED    9  /* its memory budget: an untyped it may retype */
#define SLOT_MONITOR    10 /* the monitor: its core's monitor cap */
#define SLOT_MON_NOTIFY                                                               \
	11                 /* the monitor: its notification (MON_INTRODUCE wakes it); \
	                    * a monitor's client: that notification, to signal */
#define SLOT_NOTIFY     12 /* its own notification, if its spawner made one */
#define SLOT_MON_CHAN   13 /* a monitor's client: the frame of its channel to it */
#define SLOT_CHAN_FRAME 14 /* the frame of the channel its spawner gave it, if any */
#define SLOT_CHAN_PEER  15 /* ... and the other side's notification (to signal) */
/* The first slot the spawner leaves empty (unless bootinfo or prog_args
 * say free_first). */
#define SLOT_FIRST_FREE 16

/* Where the spawner maps things in every program's address space. */
#define BOOTINFO_VA      0x100000ull       /* the boot information (monitor) */
#define DISP_FRAME_VA    0x101000ull       /* the dispatcher frame */
#define ARGS_VA          0x102000ull       /* the arguments frame (read-only) */
#define STACK_TOP_VA     0x7fff00000000ull /* the first thread's stack ends here */
#define STACK_MAPPED_MIN 0x4000ull         /* at least this much of it is mapped */

/* The runtime's regions (user/lib/rt), mapped by the program itself as it
 * touches them; a spawner maps nothing there.  The first thread's stack may
 * grow down to STACK_TOP_VA - STACK_MAX_BYTES, whose lowest page is a guard
 * never mapped; each further thread's stack is a THREAD_STACK_BYTES slot
 * of the thread-stack region, its lowest page a guard too. */
#define STACK_MAX_BYTES     (8ull << 20)
#define HEAP_VA             0x100000000000ull /* the heap (malloc) */
#define HEAP_MAX_BYTES      (16ull << 30)
#define MAP_AREA_VA         0x200000000000ull /* mappings the runtime makes */
#define MAP_AREA_BYTES      (1ull << 40)
#define THREAD_STACKS_VA    0x600000000000ull
#define THREAD_STACK_BYTES  (1ull << 20)
#define THREAD_STACKS_COUNT 256u

#define BOOTINFO_MAGIC   0x6f666e69746f6f62ull /* "bootinfo" */
#define PROG_ARGS_MAGIC  0x73677261676f7270ull /* "progargs" */
#define BOOTINFO_MODULES 48
#define BOOTINFO_NAME    32

/* A boot module copied into frames: its bytes are in a CNode of frame
 * caps, one per 4 KiB, in order (the kernel makes them for the monitor of
 * core 0 from every boot module but "monitor"; a spawner passes them on).
 * cnode names the CNode's slot in the holder's root CNode; that CNode has
 * 2^cnode_bits slots. */
struct bootinfo_module {
	char name[BOOTINFO_NAME]; /* the path's last part, e.g. "init" */
	uint64_t size;            /* bytes */
	uint32_t cnode;           /* its CNode's slot in the root CNode */
	uint16_t frames;          /* frame caps in it, from slot 0 */
	uint16_t cnode_bits;      /* its CNode's slot bits */
};
_Static_assert(sizeof(struct bootinfo_module) == 48, "ABI: bootinfo_module");

/* A capability a spawner passed by name (what a tile's manifest asks for,
 * docs/tile.md §9): in root slot `slot`, of type CAP_* with rights. */
#define PROG_CAPS       16
#define PROG_ARGS_BYTES 1024
struct prog_cap {
	char name[BOOTINFO_NAME];
	uint32_t slot;
	uint16_t type;
	uint16_t rights;
};
_Static_assert(sizeof(struct prog_cap) == 40, "ABI: prog_cap");

/* What a spawner tells a program (one page at ARGS_VA, read-only, its cap
 * in SLOT_ARGS): its name, the first root slot nothing uses, the modules
 * it was given (their CNodes in root slots before free_first), the named
 * caps (in root slots before free_first too) and its arguments. */
struct prog_args {
	uint64_t magic; /* PROG_ARGS_MAGIC */
	char name[BOOTINFO_NAME];
	uint32_t free_first;
	uint32_t nmodules;
	struct bootinfo_module modules[BOOTINFO_MODULES];
	uint32_t ncaps;
	uint32_t args_size;
	struct prog_cap caps[PROG_CAPS];
	/* its arguments (docs/tile.md §10): args_size bytes of a lib/typed
	 * message (its argument schema's identity, then the value), checked
	 * against the schema in its tile before it started; 0: none; then
	 * config_size bytes of its configuration, a message of its config
	 * schema's type (0: none) */
	uint8_t args[PROG_ARGS_BYTES];
	/* 0: no channel; else 1 + its side (0 or 1) of the channel whose caps
	 * arrive in SLOT_CHAN_FRAME and SLOT_CHAN_PEER (rt/chan.h) */
	uint32_t chan;
	uint32_t config_size; /* its configuration's bytes, after args_size in args */
};
_Static_assert(sizeof(struct prog_args) <= 4096, "one page");

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
	uint32_t spawn_untyped; /* the untyped the CPU driver carved the
	                         * monitor, its modules and its budget
	                         * (SLOT_UNTYPED) from: a root slot */
	uint32_t reserved;
	uint64_t spawn_used; /*   and the bytes of it they take, from 0 */
	struct bootinfo_module modules[BOOTINFO_MODULES];
	/* core 0: the machine's device caps (kernel/README.md, "Devices"),
	 * root slots [device_first, device_first + device_count): device
	 * frames, device untyped, I/O-port ranges, IRQ lines (IDENTIFY says
	 * which); 0 elsewhere */
	uint32_t device_first, device_count;
};
_Static_assert(sizeof(struct bootinfo) <= 4096, "one page");

#endif
