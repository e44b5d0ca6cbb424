/* Capabilities: the object types, rights, object sizes and invocations that
 * the kernel and user space share.
 *
 * Every kernel resource is reached through a capability (cap): untyped
 * memory is retyped into typed objects (frames, page tables, CNodes,
 * dispatchers, channel endpoints); devices are reached through device
 * frames, I/O-port ranges and IRQ lines that the kernel creates at boot.
 * Caps live in CNodes (power-of-two arrays of slots); a derivation tree
 * records which cap was made from which (retype, copy, mint), so revoking a
 * cap removes everything derived from it.  Errors are enum err values
 * (tessera/err.h); each invocation below lists the ones it returns, in the
 * order they are checked.
 */
#ifndef TESSERA_CAPS_H
#define TESSERA_CAPS_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

enum cap_type {
	CAP_NULL = 0,     /* empty slot */
	CAP_UNTYPED,      /* memory that can be retyped; flag CAP_FLAG_DEVICE for MMIO */
	CAP_FRAME,        /* mappable RAM: 4 KiB, 2 MiB or 1 GiB */
	CAP_DEVICE_FRAME, /* mappable MMIO, same sizes; never zeroed */
	CAP_PT,           /* x86_64 page table, level 1 */
	CAP_PD,           /* level 2 */
	CAP_PDPT,         /* level 3 */
	CAP_PML4,         /* level 4 */
	CAP_PML5,         /* level 5 (LA57) */
	CAP_CNODE,        /* 2^n capability slots */
	CAP_DISPATCHER,   /* a schedulable thread of control */
	CAP_ENDPOINT,     /* a channel endpoint; minted copies carry a badge */
	CAP_IOPORT,       /* a range of x86 I/O ports */
	CAP_IRQ,          /* one interrupt line */
	CAP_LOG,          /* the kernel's log: lines to the console */
	CAP_NOTIFY,       /* a word of notification bits a dispatcher can wait on */
	CAP_MONITOR,      /* the authority of a core's monitor (one per core) */
	CAP_TYPE_COUNT
};

/* Rights: what a cap allows.  Derived caps never have more than their source. */
#define CAP_RIGHT_READ   (1u << 0) /* read memory, receive, read slots / state */
#define CAP_RIGHT_WRITE  (1u << 1) /* write memory, send, store into slots, map into */
#define CAP_RIGHT_EXEC   (1u << 2) /* execute (frames) */
#define CAP_RIGHT_GRANT  (1u << 3) /* may be copied or minted (delegated) */
#define CAP_RIGHT_RETYPE (1u << 4) /* untyped: may be retyped */
#define CAP_RIGHTS_ALL   0x1fu

/* Flags of a cap.  The low byte is visible to user space, the high byte is
 * the kernel's own bookkeeping. */
#define CAP_FLAG_DEVICE 0x0001u /* untyped: device memory (retypes to device frames) */
#define CAP_FLAG_ECAM   0x0002u /* device untyped: PCI Express configuration space (ACPI MCFG) */
#define CAP_FLAG_IOMMU  0x0004u /* device untyped: a VT-d unit's registers (ACPI DMAR) */
#define CAP_FLAG_KERNEL 0xff00u

/* Object sizes (log2 of bytes).  A CNode slot is 2^CAP_SLOT_BITS bytes. */
#define CAP_SLOT_BITS           6
#define CAP_PAGE_BITS           12
#define CAP_LARGE_PAGE_BITS     21
#define CAP_HUGE_PAGE_BITS      30
#define CAP_PAGE_TABLE_BITS     12
#define CAP_DISPATCHER_BITS     11
#define CAP_ENDPOINT_BITS       6
#define CAP_NOTIFY_BITS         6
#define CAP_UNTYPED_MIN_BITS    6
#define CAP_UNTYPED_MAX_BITS    52
#define CAP_CNODE_MAX_SLOT_BITS 20
#define CAP_IOPORT_COUNT        65536u
#define CAP_IRQ_COUNT           256u

/* The rights that mean something for a type (0 for CAP_NULL or unknown). */
static inline uint32_t cap_type_rights(unsigned type)
{
	switch (type) {
	case CAP_UNTYPED: return CAP_RIGHT_GRANT | CAP_RIGHT_RETYPE;
	case CAP_FRAME: return CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_EXEC | CAP_RIGHT_GRANT;
	case CAP_DEVICE_FRAME:
	case CAP_CNODE:
	case CAP_DISPATCHER:
	case CAP_ENDPOINT:
	case CAP_IOPORT:
	case CAP_IRQ:
	case CAP_NOTIFY:
	case CAP_MONITOR:
	case CAP_LOG: return CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;
	case CAP_PT:
	case CAP_PD:
	case CAP_PDPT:
	case CAP_PML4:
	case CAP_PML5: return CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;
	default: return 0;
	}
}

/* log2 of the memory a new object of this type takes, given the retype
 * size argument obj_bits (untyped and frames: log2 bytes; CNode: log2 of
 * the slot count; ignored by fixed-size types).  0: not a memory object,
 * or obj_bits is not a valid size for it. */
static inline unsigned cap_object_bits(unsigned type, unsigned obj_bits)
{
	switch (type) {
	case CAP_UNTYPED:
		return obj_bits >= CAP_UNTYPED_MIN_BITS && obj_bits <= CAP_UNTYPED_MAX_BITS
		               ? obj_bits
		               : 0;
	case CAP_FRAME:
	case CAP_DEVICE_FRAME:
		return obj_bits == CAP_PAGE_BITS || obj_bits == CAP_LARGE_PAGE_BITS ||
		                       obj_bits == CAP_HUGE_PAGE_BITS
		               ? obj_bits
		               : 0;
	case CAP_PT:
	case CAP_PD:
	case CAP_PDPT:
	case CAP_PML4:
	case CAP_PML5: return CAP_PAGE_TABLE_BITS;
	case CAP_CNODE:
		return obj_bits >= 1 && obj_bits <= CAP_CNODE_MAX_SLOT_BITS
		               ? obj_bits + CAP_SLOT_BITS
		               : 0;
	case CAP_DISPATCHER: return CAP_DISPATCHER_BITS;
	case CAP_ENDPOINT: return CAP_ENDPOINT_BITS;
	case CAP_NOTIFY: return CAP_NOTIFY_BITS;
	default: return 0;
	}
}

/* ---- Invocations: the system-call layer ----
 *
 * Capability addresses.  A slot is named by an address and a depth: depth
 * (1..64) is how many bits of the address are used, and the address must
 * fit in them.  Resolution starts at a CNode cap with depth bits left; a
 * CNode of 2^n slots takes the top n of the bits left as a slot index and
 * leaves depth - n bits.  When no bits are left, that slot is the one named
 * (whatever it holds: a CNode cap is named like any other, empty slots are
 * named for storing into); otherwise the slot must hold a CNode cap, which
 * takes the next bits.  There are no guards: a CNode consumes exactly its
 * slot bits, so depth is the sum of the slot bits of the CNodes on the way.
 *   Example: a root CNode of 2^8 slots whose slot 5 holds a CNode cap of
 *   2^4 slots.  (5, 8) names root slot 5, i.e. the CNode cap itself;
 *   (0x59, 12) = ((5 << 4) | 9, 12) names slot 9 of that CNode; (0x59, 8)
 *   is refused (RANGE: wider than 8 bits), as is (5, 4) (RANGE: 4 bits end
 *   inside the root's index) and (0x69, 12) if slot 6 is empty (EMPTY).
 * Lookup errors, in the order checked: INVAL depth 0 or over 64; RANGE the
 * address has a bit set at or above depth; then at each CNode on the way:
 * EMPTY its slot is empty, TYPE it holds no CNode cap, RANGE fewer bits
 * left than the CNode's slot bits, PERM the CNode cap lacks READ when the
 * walk goes on through one of its slots.  The rights of the CNode cap that
 * holds the slot named (the last on the way) decide what may be done to it.
 *
 * Rights on CNode caps: reading a slot (invoking or identifying the cap in
 * it, deriving from it: retype source, copy/mint source, a CNode cap used
 * as retype destination, walking through it) needs READ on the CNode cap
 * through which the slot was reached; storing into a slot (retype, copy and
 * mint destinations) and emptying it (delete, revoke) need WRITE.
 *
 * An invocation is the invoked cap's address and depth (resolved from the
 * caller's root CNode), a method and CAP_INV_ARGS 64-bit arguments, as they
 * will come in registers; it returns an error and up to CAP_INV_RESULTS
 * 64-bit results.  Errors, in the order checked: INVAL method not in the
 * table below; the lookup errors of the invoked cap; EMPTY its slot is
 * empty; PERM its CNode lacks READ; TYPE the method is not one of the cap's
 * type; INVAL an argument past the method's own is not 0; then the
 * method's errors.  An argument wider than its field (type, obj_bits: 8
 * bits; rights: 32 bits) is refused as an invalid value of that field.
 *
 * Methods (the table below is the one description of the ABI: numbers,
 * argument and result names in register order; user stubs are generated
 * from it):
 * IDENTIFY (any cap): results type, rights, size_bits, flags (the user byte),
 *   base, badge (endpoints), count (I/O ports).
 * RETYPE (untyped): count objects of type (obj_bits: see cap_object_bits)
 *   from byte offset in the untyped, their original caps in the CNode named
 *   by (dest_cnode, dest_depth) from the root, slots dest_index on.  The
 *   destination CNode cap's lookup errors; PERM the CNode holding it lacks
 *   READ; (the direct kernel call only: EMPTY source slot; TYPE source not
 *   untyped); PERM no RETYPE right;
 *   TYPE type cannot be made (I/O port, IRQ, null, a RAM type from device
 *   memory or a device frame from RAM); INVAL size not valid for the type,
 *   or count 0; ALIGN offset not a multiple of the object size; RANGE the
 *   objects do not fit in the untyped; UNSUPPORTED they are RAM objects
 *   (zeroed when made) in memory this core does not map writable (each core
 *   maps only its own memory; the untyped belongs on another core);
 *   TYPE destination not a CNode; PERM destination without WRITE; RANGE
 *   destination slots past its end; EXIST a destination slot occupied;
 *   OVERLAP the memory overlaps an object already retyped from this
 *   untyped (through any copy of it) and alive.  The new caps carry every
 *   right of their type (cap_type_rights).
 * CNode methods are invoked on a CNode cap, as in seL4: the slots they
 * work on are named by capability addresses resolved from the invoked
 * CNode, so a CNode cap is the authority over its slots and those below
 * it, and a program can manage a subtree it was given without holding
 * its root (invoke the root CNode to reach anything in the space).
 * COPY (dest, dest_depth, src, src_depth): lookup errors of dest; PERM
 *   dest's CNode lacks WRITE; lookup errors of src; PERM src's CNode lacks
 *   READ; EMPTY src; PERM src without GRANT; EXIST dest occupied.  dest
 *   gets src's cap as its child.
 * MINT (COPY's, rights, badge, port_first, port_count): as COPY, then
 *   PERM rights not a subset of the source's; PERM an endpoint badge change
 *   (a badge, once set, stays; 0 keeps the source's); INVAL a badge on a
 *   non-endpoint or a port range on a non-I/O-port cap; RANGE ports outside
 *   the source's range (port_count 0 keeps the source's).
 * REVOKE (slot, slot_depth): lookup errors; PERM its CNode lacks WRITE;
 *   EMPTY.  Deletes everything derived from the cap.
 * DELETE (slot, slot_depth): lookup errors; PERM its CNode lacks WRITE;
 *   EMPTY; BUSY the cap still has derived caps (revoke first).  Deleting an
 *   object's last cap destroys it: its memory is free again in the untyped
 *   it came from, and a CNode's slots are deleted with it.
 */
#define CAP_INV_ARGS    8 /* argument registers of an invocation */
#define CAP_INV_RESULTS 7 /* result registers besides the error */

/* The kernel's objects (kernel/README.md, "User space"):
 * MAP_FRAME (a top table: frame, frame_depth, va, rights, attr): maps the
 *   frame or device frame named from the root at va; errors: the frame's
 *   lookup errors, PERM its CNode lacks READ, then kernel/mm/vspace.h's.
 * MAP_TABLE (a top table: table, table_depth, va): links a page-table cap
 *   below it at va; lookup errors, PERM, then vspace.h's.
 * UNMAP (a frame, device frame or page table): undoes its mapping.
 * PROTECT (a frame or device frame: rights): changes its mapping's rights.
 * DISP_SETUP (a dispatcher: cspace, cspace_depth, vspace, vspace_depth,
 *   frame, frame_depth, frame_va, priority): gives a stopped dispatcher
 *   its root CNode, its top table and its frame (tessera/dispatcher.h,
 *   mapped at frame_va in that space) as copies of those caps, and a
 *   priority (0 highest .. DISP_PRIORITIES - 1).  PERM the dispatcher cap
 *   lacks WRITE; BUSY it runs; lookup errors and PERM (READ) of each cap;
 *   TYPE not a CNode, a top table, a 4 KiB frame; PERM the frame cap lacks
 *   WRITE; RANGE priority; RANGE frame_va not a user page; INVAL frame_va
 *   not where that frame is mapped in that space.
 * DISP_START: makes a set-up dispatcher runnable; its first time on the
 *   core is a run upcall.  PERM no WRITE; BUSY running; INVAL not set up
 *   (or stopped since).
 * DISP_STOP: stops it: it runs again only if set up and started anew
 *   (its caps stay until their owner deletes them).  PERM no WRITE.
 * DISP_YIELD: gives the rest of the caller's time slice away (any
 *   dispatcher cap; the caller's own is the usual one).
 * DISP_NOTIFY (notify, notify_depth, bits): whenever the dispatcher stops
 *   from now on (by itself, a fault, DISP_STOP, an object of it going
 *   away), the notification is signalled with bits, if it still exists:
 *   how an owner learns that its program ended without watching it.
 *   bits 0 forgets the notification (notify is then not looked up);
 *   DISP_SETUP forgets it too.  PERM no WRITE on the dispatcher; lookup
 *   errors and PERM (READ) of the notification cap; TYPE not a
 *   notification; PERM it lacks WRITE; UNSUPPORTED another core's.
 * LOG_WRITE (a log: len, w0 .. w6): writes len (at most 56) bytes, taken
 *   from w0..w6 in memory order, to the console.  PERM no WRITE; RANGE
 *   len.
 * Endpoints carry messages between dispatchers of one core, synchronously:
 * a sender meets a receiver; a message is five words, the badge of the
 * sender's endpoint cap, and optionally one cap, copied into the slot the
 * receiver named.  When a receiver is waiting, a send hands the message
 * over and the core goes to the receiver at once (the sender follows it).
 * EP_SEND (an endpoint: xfer, xfer_depth, w0 .. w4, flags): sends; without
 *   EP_NONBLOCK it waits for a receiver.  xfer_depth 0: no cap.  PERM no
 *   WRITE; INVAL flags; EMPTY (EP_NONBLOCK) nobody receives now.  The cap
 *   is looked up when the message is delivered: its lookup errors, EMPTY,
 *   PERM without GRANT, and the receiver's slot (lookup errors, PERM its
 *   CNode lacks WRITE, EXIST occupied) are reported to the receiver in
 *   info (the message arrives without the cap).
 * EP_RECV (an endpoint: slot, slot_depth, flags): waits for a message (a
 *   cap in it goes to the slot; slot_depth 0: none taken).  Results:
 *   badge, info (EP_INFO_CAP if a cap arrived; else the error of its
 *   transfer << 8, 0 if none was sent), w0 .. w4.  PERM no READ; INVAL
 *   flags; EMPTY (EP_NONBLOCK) no message now; REVOKED the endpoint was
 *   destroyed while waiting (either side). */
#define EP_NONBLOCK          1u
#define NOTIFY_TIMER_TICK_US 10000ull      /* the timer's tick (100 Hz) */
#define NOTIFY_TIMER_MAX_US  3600000000ull /* an hour */
#define EP_INFO_CAP          1u
/* Asynchronous invocations (tessera/ring.h), methods of a dispatcher:
 * RING_SETUP (frame, frame_depth, sq_bits, cq_bits): the caller's rings
 *   are in that frame (its own, 4 KiB or 2 MiB, with WRITE); PERM no WRITE
 *   on the dispatcher or the frame; lookup errors; TYPE not a frame; RANGE
 *   bits over RING_MAX_BITS or the rings larger than the frame.  The header
 *   is reset.
 * RING_ENTER (count): takes up to count submissions, in order, and posts a
 *   completion for each; stops early when the completion ring is full.
 *   Result: taken.  INVAL no rings; RANGE the program's sq_tail is more
 *   than a ring ahead (nothing taken).
 * Notifications wake a dispatcher from anywhere, its own core or another:
 * a notification object is a word of bits on the core it was made on; a
 * cap to it may be given to a program on any core (by the monitors).
 * NOTIFY_SIGNAL (bits): ORs bits in; a dispatcher waiting on it wakes.
 *   From another core the CPU drivers carry it (a message, and an
 *   interrupt that wakes a sleeping core).  PERM no WRITE; INVAL bits 0.
 * NOTIFY_WAIT (flags): takes and clears the bits; without EP_NONBLOCK
 *   waits while there are none.  Result: bits.  PERM no READ; INVAL flags;
 *   UNSUPPORTED the object is on another core; EMPTY (EP_NONBLOCK) no bits;
 *   BUSY another dispatcher waits on it; REVOKED it was destroyed while
 *   waiting.  A notification cap carries its core (count: core + 1, 0 on
 *   its own core), which IDENTIFY shows.
 * NOTIFY_TIMER (us, bits): a one-shot timer on the object: bits are
 *   signalled once us microseconds have passed (checked at the core's
 *   timer ticks, NOTIFY_TIMER_TICK_US, and between time slices: late by
 *   up to a tick or a slice, never early).  One timer per object: a new
 *   one replaces a pending one; us 0 cancels it (bits ignored).  A waiter
 *   sleeps on NOTIFY_WAIT as for any signal, so a program waits for
 *   "a signal or a deadline" without polling.  PERM no WRITE; INVAL bits 0
 *   (us > 0); RANGE us over NOTIFY_TIMER_MAX_US; UNSUPPORTED the object is
 *   on another core; REVOKED it is gone.
 * Monitors meet through their CPU drivers, once, to set up a channel of
 * their own (user-level URPC in a frame both map, and a notification each
 * to wake the other): the authority is the core's monitor cap.
 * MON_INTRODUCE (core, frame, frame_depth, notify, notify_depth): tells
 *   core's monitor about a frame (frame_depth 0: none) and a notification
 *   of this core's; their values travel to that core's CPU driver, which
 *   keeps them and signals its monitor's notification with bit (1 << this
 *   core).  The frame is this core's memory: from then on its cap cannot
 *   be deleted or revoked here (BUSY), as another core maps it.  PERM no
 *   WRITE; RANGE core not another online core; lookup errors; TYPE not a
 *   4 KiB frame of this core's (UNSUPPORTED: another's), or not a
 *   notification of this core's; EXIST the frame was introduced already.
 * MON_ACCEPT (core, frame, frame_depth, notify, notify_depth): makes caps
 *   from what core introduced here: a frame and a notification of that
 *   core's, in the two empty slots.  Results: frame_bits, has_frame.  PERM
 *   no READ; RANGE core; EMPTY nothing from core yet; slot lookup errors,
 *   PERM (WRITE), EXIST.
 * Once linked, monitors move capabilities between cores through their CPU
 * drivers, which vouch for them (a monitor cannot make a cap for another
 * core's memory by itself):
 * MON_SEND (core, what, what_depth, tag): a copy of the cap, by value, to
 *   core's CPU driver, which keeps it for its monitor (at most
 *   MON_INBOX per sending core; more are dropped, logged) and signals that
 *   monitor's notification with bit (1 << this core).  Only a frame of
 *   this core's memory, given as its original in the root CNode (pinned
 *   from then on: BUSY to delete, as for MON_INTRODUCE), or a notification
 *   of this core's.  PERM no WRITE on the monitor cap; RANGE core not
 *   another online core; lookup errors and PERM (READ); PERM the cap lacks
 *   GRANT; TYPE another type, or a frame not its original in the root;
 *   UNSUPPORTED another core's object; FULL too many frames pinned at
 *   once.  When the last cap a receiving core made for a frame is gone
 *   (MON_RECV's and its copies), that core's CPU driver tells this one,
 *   which unpins the frame once no core holds it, and signals its
 *   monitor's notification with bit (1 << that core).
 * MON_RECV (core, dest, dest_depth): the oldest cap core sent, made in the
 *   empty slot dest with the rights it had (its count names its core + 1).  Results: type, tag.
 * PERM no READ; RANGE core; EMPTY nothing from core; slot lookup errors, PERM (WRITE), EXIST.
 * What the core is doing, for a system monitor (kernel/README.md, "Counters"):
 * MON_STATS (core): this core's counters since its CPU driver started.
 *   Results: cycles (the cycle counter now), idle (cycles this core spent
 *   halted, waiting with nothing to do), start (the cycle count when it
 *   started counting), hz (the counter's frequency), sent and received
 *   (messages this CPU driver sent to core `core` and took from it over
 *   their kernel channel; 0 for itself or a core without a channel).
 *   Busy cycles are cycles - start - idle; rates are differences of two
 *   calls.  PERM no READ; RANGE core not below the machine's core count. */
#define MON_INBOX            32
#define DISP_PRIORITIES      8
/* Devices (kernel/README.md, "Devices").  Drivers are programs holding an
 * I/O-port range, IRQ lines and device frames; no device register is
 * reachable otherwise (ring 3 runs with IOPL 0 and no I/O bitmap, so an
 * in or out instruction faults on every port).
 * IOPORT_IN (an I/O-port range: port, width): reads width bytes (1, 2 or
 *   4) from port.  Result: value.  PERM no READ; INVAL width; RANGE the
 *   ports [port, port + width) not all inside the cap's range.
 * IOPORT_OUT (port, width, value): writes.  PERM no WRITE; INVAL width, or
 *   a value wider than width bytes; RANGE as IOPORT_IN.
 * An IRQ cap names an interrupt line (0-15: the ISA lines, routed through
 * the I/O APIC as the ACPI MADT's overrides say).  Only the CPU driver of
 * the core that owns the I/O APICs (core 0) routes lines, to itself.
 * IRQ_BIND (an IRQ: notify, notify_depth, bits): from now on the line's
 *   interrupts signal the notification with bits (the line is unmasked).
 *   Level-triggered lines are masked at each interrupt until IRQ_ACK
 *   (else the line, still asserted, would interrupt again at once);
 *   edge-triggered lines are never masked (the I/O APIC drops an edge
 *   that arrives while its pin is masked), so a driver must empty its
 *   device on every wake-up, and acks only to say so.  Deleting the
 *   bound cap (or its notification) unbinds the line and masks it.
 *   PERM no WRITE; UNSUPPORTED not core 0, or no I/O APIC pin for the
 *   line; lookup errors and PERM (READ) of the notification; TYPE not a
 *   notification; PERM it lacks WRITE; UNSUPPORTED another core's; INVAL
 *   bits 0; BUSY the line is bound already (through any cap).
 * IRQ_ACK: the driver has served the device: a masked level-triggered line
 *   is unmasked.  PERM no WRITE; NOENT the line is not bound through this
 *   cap. */
#define IOPORT_WIDTHS        0x16u /* bit w set: width w is valid (1, 2, 4) */

/* The methods: M(NAME, name, number, type of the invoked cap (CAP_NULL:
 * any, the method checks), where it is carried out (C: the capability
 * core, kernel/cap; K: the kernel's objects), argument list, result list);
 * a list is L(name) L(name)... in register order.  Numbers are ABI:
 * append, never renumber. */
/* clang-format off */
#define CAP_METHOD_TABLE(M)                                                                   \
	M(IDENTIFY,   identify,   1,  CAP_NULL,       C, CAP_NO_ARGS,     CAP_IDENTIFY_RESULTS) \
	M(RETYPE,     retype,     2,  CAP_UNTYPED,    C, CAP_RETYPE_ARGS, CAP_NO_RESULTS)       \
	M(COPY,       copy,       3,  CAP_CNODE,      C, CAP_COPY_ARGS,   CAP_NO_RESULTS)       \
	M(MINT,       mint,       4,  CAP_CNODE,      C, CAP_MINT_ARGS,   CAP_NO_RESULTS)       \
	M(REVOKE,     revoke,     5,  CAP_CNODE,      C, CAP_SLOT_ARGS,   CAP_NO_RESULTS)       \
	M(DELETE,     delete,     6,  CAP_CNODE,      C, CAP_SLOT_ARGS,   CAP_NO_RESULTS)       \
	M(MAP_FRAME,  map_frame,  7,  CAP_NULL,       K, CAP_MAP_FRAME_ARGS, CAP_NO_RESULTS)    \
	M(MAP_TABLE,  map_table,  8,  CAP_NULL,       K, CAP_MAP_TABLE_ARGS, CAP_NO_RESULTS)    \
	M(UNMAP,      unmap,      9,  CAP_NULL,       K, CAP_NO_ARGS,     CAP_NO_RESULTS)       \
	M(PROTECT,    protect,    10, CAP_NULL,       K, CAP_PROTECT_ARGS, CAP_NO_RESULTS)      \
	M(DISP_SETUP, disp_setup, 11, CAP_DISPATCHER, K, CAP_DISP_SETUP_ARGS, CAP_NO_RESULTS)   \
	M(DISP_START, disp_start, 12, CAP_DISPATCHER, K, CAP_NO_ARGS,     CAP_NO_RESULTS)       \
	M(DISP_STOP,  disp_stop,  13, CAP_DISPATCHER, K, CAP_NO_ARGS,     CAP_NO_RESULTS)       \
	M(DISP_YIELD, disp_yield, 14, CAP_DISPATCHER, K, CAP_NO_ARGS,     CAP_NO_RESULTS)       \
	M(LOG_WRITE,  log_write,  15, CAP_LOG,        K, CAP_LOG_WRITE_ARGS, CAP_NO_RESULTS)    \
	M(EP_SEND,    ep_send,    16, CAP_ENDPOINT,   K, CAP_EP_SEND_ARGS, CAP_NO_RESULTS)      \
	M(EP_RECV,    ep_recv,    17, CAP_ENDPOINT,   K, CAP_EP_RECV_ARGS, CAP_EP_RECV_RESULTS) \
	M(RING_SETUP, ring_setup, 18, CAP_DISPATCHER, K, CAP_RING_SETUP_ARGS, CAP_NO_RESULTS) \
	M(RING_ENTER, ring_enter, 19, CAP_DISPATCHER, K, CAP_RING_ENTER_ARGS, CAP_RING_ENTER_RESULTS) \
	M(NOTIFY_SIGNAL, notify_signal, 20, CAP_NOTIFY, K, CAP_NOTIFY_SIGNAL_ARGS, CAP_NO_RESULTS) \
	M(NOTIFY_WAIT, notify_wait, 21, CAP_NOTIFY, K, CAP_NOTIFY_WAIT_ARGS, CAP_NOTIFY_WAIT_RESULTS) \
	M(MON_INTRODUCE, mon_introduce, 22, CAP_MONITOR, K, CAP_MON_INTRODUCE_ARGS, CAP_NO_RESULTS) \
	M(MON_ACCEPT, mon_accept, 23, CAP_MONITOR, K, CAP_MON_ACCEPT_ARGS, CAP_MON_ACCEPT_RESULTS) \
	M(DISP_NOTIFY, disp_notify, 24, CAP_DISPATCHER, K, CAP_DISP_NOTIFY_ARGS, CAP_NO_RESULTS) \
	M(MON_SEND, mon_send, 25, CAP_MONITOR, K, CAP_MON_SEND_ARGS, CAP_NO_RESULTS) \
	M(MON_RECV, mon_recv, 26, CAP_MONITOR, K, CAP_MON_RECV_ARGS, CAP_MON_RECV_RESULTS) \
	M(IOPORT_IN, ioport_in, 27, CAP_IOPORT, K, CAP_IOPORT_IN_ARGS, CAP_IOPORT_IN_RESULTS) \
	M(IOPORT_OUT, ioport_out, 28, CAP_IOPORT, K, CAP_IOPORT_OUT_ARGS, CAP_NO_RESULTS) \
	M(IRQ_BIND, irq_bind, 29, CAP_IRQ, K, CAP_IRQ_BIND_ARGS, CAP_NO_RESULTS) \
	M(IRQ_ACK, irq_ack, 30, CAP_IRQ, K, CAP_NO_ARGS, CAP_NO_RESULTS) \
	M(NOTIFY_TIMER, notify_timer, 31, CAP_NOTIFY, K, CAP_NOTIFY_TIMER_ARGS, CAP_NO_RESULTS) \
	M(MON_STATS, mon_stats, 32, CAP_MONITOR, K, CAP_MON_STATS_ARGS, CAP_MON_STATS_RESULTS)

#define CAP_NO_ARGS(L)
#define CAP_NO_RESULTS(L)
#define CAP_IDENTIFY_RESULTS(L) \
	L(type) L(rights) L(size_bits) L(flags) L(base) L(badge) L(count)
#define CAP_RETYPE_ARGS(L) \
	L(type) L(obj_bits) L(offset) L(count) L(dest_cnode) L(dest_depth) L(dest_index)
#define CAP_COPY_ARGS(L) L(dest) L(dest_depth) L(src) L(src_depth)
#define CAP_MINT_ARGS(L) \
	CAP_COPY_ARGS(L) L(rights) L(badge) L(port_first) L(port_count)
#define CAP_SLOT_ARGS(L) L(slot) L(slot_depth)
#define CAP_MAP_FRAME_ARGS(L) L(frame) L(frame_depth) L(va) L(rights) L(attr)
#define CAP_MAP_TABLE_ARGS(L) L(table) L(table_depth) L(va)
#define CAP_PROTECT_ARGS(L) L(rights)
#define CAP_DISP_SETUP_ARGS(L) \
	L(cspace) L(cspace_depth) L(vspace) L(vspace_depth) L(frame) L(frame_depth) L(frame_va) \
	L(priority)
#define CAP_LOG_WRITE_ARGS(L) L(len) L(w0) L(w1) L(w2) L(w3) L(w4) L(w5) L(w6)
#define CAP_EP_SEND_ARGS(L) L(xfer) L(xfer_depth) L(w0) L(w1) L(w2) L(w3) L(w4) L(flags)
#define CAP_EP_RECV_ARGS(L) L(slot) L(slot_depth) L(flags)
#define CAP_EP_RECV_RESULTS(L) L(badge) L(info) L(w0) L(w1) L(w2) L(w3) L(w4)
#define CAP_RING_SETUP_ARGS(L) L(frame) L(frame_depth) L(sq_bits) L(cq_bits)
#define CAP_RING_ENTER_ARGS(L) L(count)
#define CAP_RING_ENTER_RESULTS(L) L(taken)
#define CAP_NOTIFY_SIGNAL_ARGS(L) L(bits)
#define CAP_NOTIFY_WAIT_ARGS(L) L(flags)
#define CAP_NOTIFY_TIMER_ARGS(L) L(us) L(bits)
#define CAP_DISP_NOTIFY_ARGS(L) L(notify) L(notify_depth) L(bits)
#define CAP_MON_SEND_ARGS(L) L(core) L(what) L(what_depth) L(tag)
#define CAP_MON_RECV_ARGS(L) L(core) L(dest) L(dest_depth)
#define CAP_MON_RECV_RESULTS(L) L(type) L(tag)
#define CAP_NOTIFY_WAIT_RESULTS(L) L(bits)
#define CAP_MON_INTRODUCE_ARGS(L) L(core) L(frame) L(frame_depth) L(notify) L(notify_depth)
#define CAP_MON_ACCEPT_ARGS(L) L(core) L(frame) L(frame_depth) L(notify) L(notify_depth)
#define CAP_MON_ACCEPT_RESULTS(L) L(frame_bits) L(has_frame)
#define CAP_IOPORT_IN_ARGS(L) L(port) L(width)
#define CAP_IOPORT_IN_RESULTS(L) L(value)
#define CAP_IOPORT_OUT_ARGS(L) L(port) L(width) L(value)
#define CAP_IRQ_BIND_ARGS(L) L(notify) L(notify_depth) L(bits)
#define CAP_MON_STATS_ARGS(L) L(core)
#define CAP_MON_STATS_RESULTS(L) L(cycles) L(idle) L(start) L(hz) L(sent) L(received)
/* clang-format on */

/* What an invocation brings and returns, as registers. */
struct cap_invocation_args {
	uint64_t cap;    /* address of the invoked cap */
	uint64_t depth;  /* and its depth */
	uint64_t method; /* CAP_INV_* */
	uint64_t arg[CAP_INV_ARGS];
};

struct cap_invocation_result {
	uint64_t err; /* enum err */
	uint64_t value[CAP_INV_RESULTS];
};
_Static_assert(offsetof(struct cap_invocation_args, arg) == 3 * sizeof(uint64_t), "ABI");
_Static_assert(offsetof(struct cap_invocation_result, value) == sizeof(uint64_t), "ABI");

/* Generated from the table: CAP_INV_<NAME> numbers; per method, its view
 * of the registers (struct cap_args_<name>: cap, depth, method, then the
 * arguments by name; struct cap_results_<name>: err, then the results). */
#define CAP_INV_ENUM_(NAME, name, num, type, where, ARGS, RES) CAP_INV_##NAME = num,
enum cap_invocation { CAP_METHOD_TABLE(CAP_INV_ENUM_) };
#undef CAP_INV_ENUM_
/* One past the last method: methods are numbered 1 .. CAP_INV_END - 1
 * without gaps (the table appends). */
#define CAP_INV_ONE_(NAME, name, num, type, where, ARGS, RES) +1
enum { CAP_INV_END = 1 CAP_METHOD_TABLE(CAP_INV_ONE_) };
#undef CAP_INV_ONE_
#define CAP_INV_LAST_(NAME, name, num, type, where, ARGS, RES) \
	_Static_assert(num < CAP_INV_END, #name ": methods are numbered without gaps");
CAP_METHOD_TABLE(CAP_INV_LAST_)
#undef CAP_INV_LAST_

#define CAP_INV_FIELD_(n) uint64_t n;
#define CAP_INV_VIEWS_(NAME, name, num, type, where, ARGS, RES)                                   \
	struct cap_args_##name {                                                                  \
		uint64_t cap, depth, method;                                                      \
		ARGS(CAP_INV_FIELD_)                                                              \
	};                                                                                        \
	struct cap_results_##name {                                                               \
		uint64_t err;                                                                     \
		RES(CAP_INV_FIELD_)                                                               \
	};                                                                                        \
	_Static_assert(sizeof(struct cap_args_##name) <= sizeof(struct cap_invocation_args),      \
	               #name ": at most CAP_INV_ARGS arguments");                                 \
	_Static_assert(sizeof(struct cap_results_##name) <= sizeof(struct cap_invocation_result), \
	               #name ": at most CAP_INV_RESULTS results");
CAP_METHOD_TABLE(CAP_INV_VIEWS_)
#undef CAP_INV_VIEWS_
#undef CAP_INV_FIELD_

/* Number of arguments and results of a method, by its lower-case name. */
#define CAP_INV_NARGS(name)    (sizeof(struct cap_args_##name) / sizeof(uint64_t) - 3)
#define CAP_INV_NRESULTS(name) (sizeof(struct cap_results_##name) / sizeof(uint64_t) - 1)

/* MON_STATS's registers are ABI (a system monitor reads them by place). */
_Static_assert(CAP_INV_MON_STATS == 32, "MON_STATS is method 32");
_Static_assert(CAP_INV_NARGS(mon_stats) == 1 && CAP_INV_NRESULTS(mon_stats) == 6,
               "MON_STATS: one argument, six results");
_Static_assert(offsetof(struct cap_results_mon_stats, idle) == 2 * sizeof(uint64_t) &&
                       offsetof(struct cap_results_mon_stats, received) == 6 * sizeof(uint64_t),
               "MON_STATS: results in register order after err");

#endif
