/* The derivation tree ("mapping database") inside the capability core.
 *
 * Each slot carries parent, first-child and sibling links: a tree of
 * bounded size (one node per slot) that needs no allocation.  It was chosen
 * over seL4's depth-first list (where parenthood is recomputed from cap
 * contents on every query) because parenthood here is explicit: revoke walks
 * exactly the subtree, and finding the objects retyped from an untyped is a
 * walk over its caps' children.  Internal to kernel/cap.
 */
#ifndef KERNEL_CAP_MDB_H
#define KERNEL_CAP_MDB_H

#include "cap.h"

/* Kernel-only flag bits of struct cap (inside CAP_FLAG_KERNEL). */
#define CTE_ORIGINAL    0x0100u /* made with its object (retype or root) */
#define CTE_ZOMBIE_ROOT 0x0200u /* zombie of a root CNode */
#define CTE_PINNED      0x0400u /* its object is mapped on another core: never destroyed */
#define CTE_REMOTE      0x0800u /* made by value for another core's frame (kernel/sched/monlink.c) */

/* A slot whose CNode cap was the last one and whose CNode is being emptied;
 * exists only during a delete or revoke, chained through next. */
#define CAP_ZOMBIE 0xff

static inline bool cte_live(const struct cte *c)
{
	return c->cap.type != CAP_NULL && c->cap.type != CAP_ZOMBIE;
}

static inline bool cte_original(const struct cte *c)
{
	return c->cap.flags & CTE_ORIGINAL;
}

/* Links child (unlinked) as the first child of parent. */
void mdb_add_child(struct cte *parent, struct cte *child);
/* Unlinks a cap without children from its parent and siblings. */
void mdb_unlink_leaf(struct cte *c);
/* The next node after n in a pre-order walk of root's subtree, not entering
 * n's children if skip_children; NULL at the end. */
struct cte *mdb_preorder_next(struct cte *n, const struct cte *root, bool skip_children);
/* The original cap of the object c refers to. */
struct cte *mdb_original(struct cte *c);

/* Untyped bookkeeping (retype.c).  An untyped's original (its "home"; c
 * itself for a cap without one) keeps, in struct cap's top and used:
 *   top   an offset at and above which no live object retyped from the
 *         untyped lies, through any of its caps (objects never overlap,
 *         so deleting the object just below top lowers it to its base);
 *   used  the bytes of those objects; top is 0 whenever used is.
 * Copies and roots start with both 0. */
struct cte *mdb_untyped_home(struct cte *ut);
/* An original object retyped from the untyped whose cap is parent is
 * leaving the tree (before parent loses it as a child). */
void mdb_untyped_release(struct cte *parent, const struct cap *obj);

#endif
