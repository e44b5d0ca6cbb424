/* The capability core: slots, the derivation tree and the operations on
 * caps, each split into a decode step that checks every argument and may
 * fail, and an invoke step that acts on a decoded operation and cannot fail.
 *
 * Pure C with no kernel globals and no architecture code: what it needs from
 * the kernel comes through struct cap_env.  Not thread-safe; each core owns
 * its caps (they cross cores only as messages, by value).
 *
 * Derivation: every cap except a root (made by the kernel, cap_invoke_root)
 * has a parent, the cap it was derived from: the untyped it was retyped
 * from, or the cap it was copied or minted from.  The cap created together
 * with its object (by retype or as a root) is the object's *original*; all
 * other caps to the object are its descendants.  Derived caps never outlive
 * their source: a cap with children cannot be deleted (ERR_BUSY, revoke it
 * first), and revoke deletes the whole subtree below a cap.  So deleting the
 * original is deleting the object's last cap, and destroys the object.
 */
#ifndef KERNEL_CAP_CAP_H
#define KERNEL_CAP_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/caps.h>
#include <tessera/err.h>

/* A capability as the kernel stores it in a slot: 32 bytes.  User space
 * sees a cap only through IDENTIFY (tessera/caps.h); kdata is the kernel's. */
struct cap {
	uint8_t type;      /* enum cap_type */
	uint8_t size_bits; /* memory objects: log2 of the object's size in bytes */
	uint16_t flags;    /* CAP_FLAG_* */
	uint32_t rights;   /* CAP_RIGHT_* */
	uint64_t base;     /* memory objects: physical base; I/O ports: first port; IRQ: line */
	union {
		uint64_t badge; /* endpoints: the badge (0: none) */
		uint64_t count; /* I/O ports: number of ports; notifications, and frames made by
		                 * value for another core's memory: owner core + 1 */
		uint64_t top;   /* untyped originals: kernel/cap's high-water mark (retype.c) */
	};
	union {
		uint64_t kdata; /* kernel per-cap state (e.g. a frame's mapping); 0 when made */
		uint64_t used;  /* untyped originals: kernel/cap's bytes in use (retype.c) */
	};
};
_Static_assert(sizeof(struct cap) == 32, "half of a CNode slot (struct cte), with the links");

/* Number of slots of a CNode cap. */
static inline uint64_t cap_cnode_slots(const struct cap *c)
{
	return 1ull << (c->size_bits - CAP_SLOT_BITS);
}

/* A capability table entry: one slot of a CNode (or a slot the kernel keeps
 * elsewhere), holding a cap and its links in the derivation tree. */
struct cte {
	struct cap cap;
	struct cte *parent;      /* derived from; NULL for roots */
	struct cte *first_child; /* children form a list through next/prev */
	struct cte *next, *prev;
};
_Static_assert(sizeof(struct cte) == 1u << CAP_SLOT_BITS, "CNode slot size");

/* What the capability core needs from the kernel. */
struct cap_env {
	void *ctx;
	/* The kernel-virtual address of physical address pa; objects are
	 * physically contiguous and mapped contiguously (the HHDM). */
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	/* Whether [pa, pa + len) is memory this core maps writable through
	 * phys_to_virt, so that an object made there can be zeroed and its
	 * slots read.  Decode asks before making RAM objects (retype, roots);
	 * every object the core has made was reachable, and stays so while it
	 * has caps.  Required. */
	bool (*reachable)(void *ctx, uint64_t pa, uint64_t len);
	/* A new object was made by retype (its original cap): the kernel
	 * registers objects it must recognise later.  Must not fail.  May be
	 * NULL. */
	void (*made)(void *ctx, const struct cap *cap);
	/* A method of the kernel's objects (the K rows of CAP_METHOD_TABLE),
	 * after cap_invoke's common checks: slot holds the invoked cap (of
	 * the method's type, if it names one), root the caller's root CNode
	 * for the addresses in the arguments.  Fills res's results; returns
	 * the error.  NULL: such methods are UNSUPPORTED. */
	enum err (*invoke)(void *ctx, struct cte *root, struct cte *slot,
	                   const struct cap_invocation_args *args,
	                   struct cap_invocation_result *res);
	/* An object lost its last cap (a copy of that cap is passed).  root:
	 * it was made by cap_invoke_root, so its memory goes back to the kernel
	 * (e.g. to its buddy pool); otherwise the memory is free again in the
	 * untyped it came from.  Must not fail and must not write the object's
	 * memory: slots of destroyed CNodes are still read until the invocation
	 * returns.  May be NULL. */
	void (*destroyed)(void *ctx, const struct cap *cap, bool root);
	/* A cap is leaving its slot (delete, revoke, or with its CNode), before
	 * destroyed is called for its object if it was the last cap: undoes
	 * per-cap kernel state such as a frame's mapping (kdata; a copy of the
	 * cap is passed).  Must not fail.  May be NULL. */
	void (*removed)(void *ctx, const struct cap *cap);
};

/* The direct (kernel) form of a retype's and a mint's arguments; user space
 * passes them as registers (cap_invoke, tessera/caps.h). */
struct cap_retype_args {
	uint64_t offset;     /* byte offset of the first object in the untyped */
	uint64_t count;      /* number of objects, side by side */
	uint64_t dest_index; /* first of count consecutive empty destination slots */
	uint8_t type;        /* enum cap_type */
	uint8_t obj_bits;    /* see cap_object_bits */
};

struct cap_mint_args {
	uint32_t rights;     /* subset of the source's rights */
	uint64_t badge;      /* endpoints: badge for an unbadged source; 0 keeps the source's */
	uint64_t port_first; /* I/O ports: sub-range; port_count 0 keeps the source's */
	uint64_t port_count;
};

/* Decoded operations: everything invoke needs, already checked. */
struct cap_retype_plan {
	struct cte *src;  /* the untyped cap invoked */
	struct cte *dest; /* count consecutive empty slots */
	uint64_t base;    /* physical base of the first object */
	uint64_t count;
	uint8_t type;
	uint8_t size_bits;
	uint16_t flags;
	struct cte *home; /* the untyped's original, which keeps its top and used */
	uint64_t top;     /* its top after the retype */
};

struct cap_derive_plan {
	struct cte *src, *dest;
	struct cap cap; /* the new cap */
};

/* The functions below act on slots the caller found; the rights of the
 * CNodes holding them are the caller's to check (cap_invoke does, see
 * caps.h); the kernel calls them directly on its own slots.  Each decode
 * checks everything its invoke needs: an invoke cannot fail, panic or stop
 * half-way.  Error lists: caps.h, the same order without the lookups. */

/* Retype: count new objects of args->type, side by side from args->offset in
 * the untyped src, with their original caps in dest_cnode's slots from
 * args->dest_index; the new caps are src's children.  Errors: caps.h
 * (RETYPE, from "EMPTY source slot" on). */
enum err cap_decode_retype(const struct cap_env *env, struct cte *src, const struct cte *dest_cnode,
                           const struct cap_retype_args *args, struct cap_retype_plan *plan);
void cap_invoke_retype(const struct cap_env *env, const struct cap_retype_plan *plan);

/* Copy: dest gets src's cap, same rights, as src's child. */
enum err cap_decode_copy(struct cte *src, struct cte *dest, struct cap_derive_plan *plan);
/* Mint: like copy, with fewer rights, a badge or a narrower port range. */
enum err cap_decode_mint(struct cte *src, struct cte *dest, const struct cap_mint_args *args,
                         struct cap_derive_plan *plan);
void cap_invoke_derive(const struct cap_derive_plan *plan);

/* Revoke: deletes every cap derived from slot's, directly or not, and
 * whatever their deletion destroys; slot's cap stays (unless it lives in a
 * CNode so destroyed).  EMPTY; BUSY a pinned cap below it (cap_pin). */
enum err cap_decode_revoke(const struct cte *slot);
void cap_invoke_revoke(const struct cap_env *env, struct cte *slot);

/* Delete: empties slot; if it held the object's original cap the object is
 * destroyed (a CNode's slots are deleted with it, with their descendants).
 * EMPTY; BUSY derived caps, or pinned (cap_pin). */
enum err cap_decode_delete(const struct cte *slot);
void cap_invoke_delete(const struct cap_env *env, struct cte *slot);

/* Root: the kernel makes a cap with no parent for memory or a device it owns
 * (boot untyped from its pool, device frames, I/O ports, IRQs, a first
 * CNode).  ERR_EXIST slot occupied; TYPE; PERM rights beyond the type's;
 * INVAL size or flags; ALIGN base not aligned to the size; RANGE.
 * cap_create_root adds UNSUPPORTED: a RAM object other than untyped (zeroed
 * when made) in memory env->reachable refuses; cap_decode_root alone does
 * not ask, so cap_invoke_root after it is only for untyped, devices, I/O
 * ports and IRQs, whose memory it never touches. */
enum err cap_decode_root(const struct cte *dest, const struct cap *cap);
void cap_invoke_root(const struct cap_env *env, struct cte *dest, const struct cap *cap);

/* Decode, then invoke if that succeeded. */
enum err cap_retype(const struct cap_env *env, struct cte *src, const struct cte *dest_cnode,
                    const struct cap_retype_args *args);
enum err cap_copy(struct cte *src, struct cte *dest);
enum err cap_mint(struct cte *src, struct cte *dest, const struct cap_mint_args *args);
enum err cap_revoke(const struct cap_env *env, struct cte *slot);
enum err cap_delete(const struct cap_env *env, struct cte *slot);
enum err cap_create_root(const struct cap_env *env, struct cte *dest, const struct cap *cap);

/* Pins the original cap in slot: its object is mapped on another core, so
 * it must never be destroyed: deleting it, or revoking anything it derives
 * from, is refused (BUSY) from now on.  False if slot holds no original. */
bool cap_pin(struct cte *slot);
/* Undoes cap_pin (the other cores are done with the object). */
void cap_unpin(struct cte *slot);

/* Does slot hold a cap (not empty)? */
bool cap_slot_live(const struct cte *slot);
/* Is slot's cap the original of its object (made with it)? */
bool cap_is_original(const struct cte *slot);
/* Bytes of the untyped object of ut's cap taken by live objects retyped from
 * it (through any of its caps).  Constant time: a count kept in its original. */
uint64_t cap_untyped_used(const struct cte *ut);
/* An offset in the untyped object of ut's cap at and above which no live
 * object retyped from it lies (through any of its caps): a bound, not
 * always the least one, but 0 when nothing is; a retype from there on
 * needs no overlap walk. */
uint64_t cap_untyped_top(const struct cte *ut);

#endif
