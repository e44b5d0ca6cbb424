/* The kernel's side of the capability core (kernel/cap): the cap_env every
 * invocation on this core goes through, and the initial capability space
 * each core builds at boot.
 *
 * The initial space is a root CNode of 2^CAPBOOT_CNODE_BITS slots, its
 * original cap kept in a kernel-owned slot (capboot_root), holding:
 *   slot 1                 a copy of the root CNode cap (the space names itself)
 *   slot 5                 the log (CAP_LOG); slots 2-15 are the well-known
 *                          slots of tessera/bootinfo.h, for the monitor
 *   untyped range          this core's RAM as untyped memory: its untyped
 *                          region (memplan.h: its pool past the kernel's
 *                          front), one cap per block, in address order
 *   others range           the boot core only: every other core's untyped
 *                          region, core by core, until it is handed out
 *   device_frames range    the boot core only: the framebuffer and the local
 *                          APIC as device frames, 2 MiB where aligned, else
 *                          4 KiB (the I/O APICs are the kernel's: irq.h)
 *   device_untyped range   the boot core only: device memory to retype into
 *                          device frames: ECAM (ACPI MCFG) and the physical
 *                          address space no memory-map entry covers
 *   ioports range          the boot core only: COM1, PIT, PS/2, PCI
 *                          configuration and PCI I/O (arch/devices.h)
 *   irqs range             the boot core only: the legacy interrupt lines
 *
 * Memory caps originate at the boot core (as in Barrelfish): at boot its
 * space holds all usable RAM that no kernel structure occupies.  Once the
 * other cores have reported in, it moves each one's untyped to it over
 * their channel (capboot_hand_out: CAP_TRANSFER, by value; the receiver
 * makes the cap again with the root-creation path after its own checks,
 * capboot_decode_receive, and answers CAP_TRANSFER_ACK; the boot core
 * deletes its copy on an ack that says installed).  The untyped of a core
 * that did not report in stays with the boot core (see capboot_hand_out).
 * Devices exist once in the machine and stay with the boot core, which
 * hands them out later as it would any other cap, by value.
 */
#ifndef KERNEL_CAPBOOT_CAPBOOT_H
#define KERNEL_CAPBOOT_CAPBOOT_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include <tessera/bootinfo.h>
#include <tessera/msg.h>

#include "cap/cap.h"
#include "memplan.h"

#define CAPBOOT_CNODE_BITS 12              /* 4096 slots, 256 KiB */
#define CAPBOOT_SLOT_CNODE SLOT_ROOT       /* tessera/bootinfo.h */
#define CAPBOOT_SLOT_FIRST SLOT_FIRST_FREE /* the well-known slots come before */

/* How long the boot core waits for the acks of one round of a hand-out
 * (it sends what is still unanswered again, CAPBOOT_ROUNDS times in all),
 * and another core for room in its channel to send an answer. */
#define CAPBOOT_ROUND_MS 2000
#define CAPBOOT_ROUNDS   3
#define CAPBOOT_ACK_MS   10000

struct capboot_range {
	uint32_t first, count; /* slots */
};

struct capboot_info {
	struct capboot_range untyped, others, device_frames, ioports, irqs, device_untyped;
	uint64_t untyped_bytes; /* this core's, made here or received */
	uint64_t others_bytes;  /* the boot core: made for the other cores */
	uint64_t device_bytes;
	uint64_t mmio_bytes; /* device untyped */
};

/* The boot core's record of the untyped it made for core c: the region
 * as a whole (kernel/README.md, "One owner for every byte"). */
enum capboot_handout_state {
	CAPBOOT_HANDOUT_NONE = 0, /* nothing for that core */
	CAPBOOT_HANDOUT_HERE,     /* made, not handed out yet */
	CAPBOOT_HANDOUT_SENT,     /* online: each cap moves when its ack arrives */
	CAPBOOT_HANDOUT_LIMBO,    /* started but not online: asked to retire, its
	                           * answer not in; the memory is that core's */
	CAPBOOT_HANDOUT_KEPT,     /* the boot core's: the core never ran, or it
	                           * retired; mapped here */
};

/* ... and each cap of it. */
enum capboot_cap_state {
	CAPBOOT_CAP_HERE = 0, /* made, not sent */
	CAPBOOT_CAP_SENT,     /* sent, no answer yet */
	CAPBOOT_CAP_MOVED,    /* installed there; the copy here is deleted */
	CAPBOOT_CAP_REFUSED,  /* refused there; the copy stays here, inert */
};

struct capboot_handout {
	struct capboot_range slots; /* where the boot core made them */
	uint32_t state;             /* enum capboot_handout_state */
	uint32_t sent, moved, refused;
	uint32_t resent;     /* transfers sent again for want of an answer */
	uint32_t duplicates; /* answers for caps already answered */
	uint32_t mapped;     /* KEPT: 1 once in the boot core's HHDM */
	uint64_t bytes, moved_bytes;
	uint8_t cap[MEMPLAN_MAX_BLOCKS]; /* enum capboot_cap_state, by slot */
};

/* A received cap, decoded: where it goes and what it is. */
struct capboot_receive {
	struct cte *slot;
	struct cap cap;
	unsigned block; /* in this core's untyped region */
};

/* This core's cap_env: HHDM translation; reachable from this core's page
 * tables (its HHDM maps only its own memory); destroyed root objects go
 * back to this core's frame pool; mappings are undone (mm/vspace.h). */
const struct cap_env *capboot_env(void);

/* At the start of this core's pool, before anything else allocates from
 * it: takes every block of this core's untyped region (core_untyped) out of
 * the free pool, for the caps to come.  BUSY if a block was not free (it
 * stays the kernel's; logged). */
enum err capboot_hold(const struct memplan_untyped *u);

/* Builds this core's initial space.  The boot core: its own untyped, every
 * other core's, its devices; another core: the root CNode, its untyped
 * arrives from the boot core.  NOMEM when the pool cannot hold the root
 * CNode; FULL when the CNode cannot hold every cap (the rest is left out,
 * and logged). */
enum err capboot_init(bool boot_core);

/* Deletes the whole initial space (revoke, then delete the root):
 * everything in it goes back to the pool, this core's untyped region too
 * (capboot_init holds it again; another core's caps must be received
 * again).  For tests. */
void capboot_fini(void);

/* The boot core, once the other cores have reported in (online: bit per
 * core): sends every online core its untyped and waits for the acks, in
 * up to CAPBOOT_ROUNDS rounds of CAPBOOT_ROUND_MS, sending again what is
 * still unanswered (a receiver answers a cap it has already installed as
 * installed); each acknowledged cap is deleted here (an ack that comes
 * later still completes its move).  A core that is not online: one that
 * never ran (held back, never released) is KEPT at once, its memory mapped
 * here; one that ran is asked to retire (CORE_RETIRE) and stays LIMBO until
 * it answers that it has unmapped its region (then KEPT), so no byte is
 * ever reachable from two cores. */
void capboot_hand_out(uint64_t online);

/* Registers the retirement handlers (retire.c; capboot_register_messages
 * calls it): CORE_RETIRE on the other cores, CORE_RETIRED on the boot
 * core, both top-level, as each changes the core's kernel mappings. */
void capboot_register_retire(void);

/* The boot core: asks core c, started but not online, to give up its
 * untyped region (LIMBO until it answers). */
void capboot_retire(unsigned c);

/* The boot core: maps core c's region here and keeps it (KEPT): for a
 * core that never ran, or has retired. */
void capboot_keep(unsigned c);

/* Another core: whether it has given up its region (CORE_RETIRE done). */
bool capboot_retired(void);

/* Whether every block of this core's untyped region is under a cap here
 * (on another core: all of it has arrived from the boot core). */
bool capboot_untyped_complete(void);

/* The boot core's record for core c (NULL out of range). */
const struct capboot_handout *capboot_handout(unsigned c);

/* Registers this core's capability message handlers (msgloop.h; called by
 * capboot_init): CAP_TRANSFER (install, then answer CAP_TRANSFER_ACK) is
 * top-level, since it changes the capability space that an invocation in
 * progress may be waiting inside; CAP_TRANSFER_ACK (the boot core) is
 * nested, as the hand-out waits for it. */
void capboot_register_messages(void);

/* Receiving an untyped cap from core `from`, decode: UNSUPPORTED no space
 * here; PERM not from the boot core; TYPE not RAM untyped; FULL no slot;
 * cap_decode_root's EXIST, TYPE, PERM, INVAL, ALIGN, RANGE; RANGE not
 * inside this core's share; OVERLAP it touches its kernel's memory (not
 * wholly in its untyped region); INVAL in the region but not one of its
 * blocks as planned; EXIST the block is under a cap here already (a
 * transfer sent again: the answer says installed); OVERLAP a block given
 * back to its pool, or to the boot core (retired).  Invoke cannot fail. */
enum err capboot_decode_receive(unsigned from, const struct msg_cap_transfer *t,
                                struct capboot_receive *r);
void capboot_invoke_receive(const struct capboot_receive *r);

/* The kernel-owned slot holding the root CNode's original cap, and slot i
 * of the root CNode (NULL before capboot_init or past the end). */
struct cte *capboot_root(void);
struct cte *capboot_slot(uint64_t i);
const struct capboot_info *capboot_info(void);

/* For tests: a root CNode of 2^slot_bits slots in *cnode and a root untyped
 * of 2^untyped_bits bytes in *untyped, both from this core's pool.  NOMEM. */
enum err capboot_make_space(unsigned slot_bits, unsigned untyped_bits, struct cte *cnode,
                            struct cte *untyped);

#endif
