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
#define CAP_FLAG_KERNEL 0xff00u

/* Object sizes (log2 of bytes).  A CNode slot is 2^CAP_SLOT_BITS bytes. */
#define CAP_SLOT_BITS           6
#define CAP_PAGE_BITS           12
#define CAP_LARGE_PAGE_BITS     21
#define CAP_HUGE_PAGE_BITS      30
#define CAP_PAGE_TABLE_BITS     12
#define CAP_DISPATCHER_BITS     10
#define CAP_ENDPOINT_BITS       6
#define CAP_UNTYPED_MIN_BITS    6
#define CAP_UNTYPED_MAX_BITS    52
#define CAP_CNODE_MAX_SLOT_BITS 20
#define CAP_IOPORT_COUNT        65536u
#define CAP_IRQ_COUNT           256u

/* A capability as stored in a slot: 32 bytes. */
struct cap {
	uint8_t type;      /* enum cap_type */
	uint8_t size_bits; /* memory objects: log2 of the object's size in bytes */
	uint16_t flags;    /* CAP_FLAG_* */
	uint32_t rights;   /* CAP_RIGHT_* */
	uint64_t base;     /* memory objects: physical base; I/O ports: first port; IRQ: line */
	union {
		uint64_t badge; /* endpoints: the badge (0: none) */
		uint64_t count; /* I/O ports: number of ports */
	};
	uint64_t kdata; /* kernel per-cap state (e.g. a frame's mapping); 0 when made */
};
_Static_assert(sizeof(struct cap) == 32, "struct cap is part of the ABI");

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
	case CAP_IRQ: return CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;
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
	default: return 0;
	}
}

/* Number of slots of a CNode cap. */
static inline uint64_t cap_cnode_slots(const struct cap *c)
{
	return 1ull << (c->size_bits - CAP_SLOT_BITS);
}

/* Invocations on a cap.  Arguments and errors, in the order checked:
 *
 * RETYPE (on an untyped; struct cap_retype_args; destination CNode cap):
 *   EMPTY source slot; TYPE source not untyped; PERM no RETYPE right;
 *   TYPE type cannot be made (I/O port, IRQ, null, a RAM type from device
 *   memory or a device frame from RAM); INVAL size not valid for the type,
 *   or count 0; ALIGN offset not a multiple of the object size; RANGE the
 *   objects do not fit in the untyped; TYPE destination not a CNode; PERM
 *   destination without WRITE; RANGE destination slots past its end; EXIST
 *   a destination slot occupied; OVERLAP the memory overlaps an object
 *   already retyped from this untyped (through any copy of it) and alive.
 *   The new caps carry every right of their type (cap_type_rights).
 * COPY (source slot, destination slot): EMPTY; PERM no GRANT; EXIST.
 * MINT (source, destination, struct cap_mint_args): EMPTY; PERM no GRANT;
 *   EXIST; PERM rights not a subset of the source's; PERM an endpoint badge
 *   change (a badge, once set, stays); INVAL a badge on a non-endpoint or a
 *   port range on a non-I/O-port cap; RANGE ports outside the source's range.
 * REVOKE (slot): EMPTY.  Deletes everything derived from the cap.
 * DELETE (slot): EMPTY; BUSY the cap still has derived caps (revoke first).
 *   Deleting an object's last cap destroys it: its memory is free again in
 *   the untyped it came from, and a CNode's slots are deleted with it.
 */
enum cap_invocation {
	CAP_INV_IDENTIFY = 1,
	CAP_INV_RETYPE,
	CAP_INV_COPY,
	CAP_INV_MINT,
	CAP_INV_REVOKE,
	CAP_INV_DELETE,
};

struct cap_retype_args {
	uint64_t offset;     /* byte offset of the first object in the untyped */
	uint64_t count;      /* number of objects, side by side */
	uint64_t dest_index; /* first of count consecutive empty destination slots */
	uint8_t type;        /* enum cap_type */
	uint8_t obj_bits;    /* see cap_object_bits */
	uint8_t pad[6];
};
_Static_assert(sizeof(struct cap_retype_args) == 32, "ABI");

struct cap_mint_args {
	uint32_t rights; /* subset of the source's rights */
	uint32_t pad;
	uint64_t badge;      /* endpoints: badge for an unbadged source; 0 keeps the source's */
	uint64_t port_first; /* I/O ports: sub-range; port_count 0 keeps the source's */
	uint64_t port_count;
};
_Static_assert(sizeof(struct cap_mint_args) == 32, "ABI");

#endif
