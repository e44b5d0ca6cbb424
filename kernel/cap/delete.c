/* Delete and revoke.
 *
 * Both end up removing caps that have no children (leaves): a cap with
 * children is never deleted by itself, so the tree never has to be spliced
 * and the result of an operation does not depend on the order in which its
 * caps are removed.  Removing an object's original destroys the object.
 *
 * A destroyed CNode takes the caps in its slots with it, each with its
 * descendants, which may destroy more CNodes.  No recursion and no
 * allocation: the slot of the CNode's last cap becomes a zombie that holds
 * the CNode until its slots are emptied, and zombies are chained through
 * their own (now unused) sibling link.  Nothing is reused while an
 * operation runs, so slots of destroyed CNodes can still be read.
 * The work is not preemptible yet: a huge CSpace is freed in one go.
 */
#include "cap.h"

#include "cnode.h"
#include "mdb.h"

struct cap_op {
	const struct cap_env *env;
	struct cte *zombies;
};

static void report(const struct cap_op *op, const struct cap *cap, bool root)
{
	if (op->env->destroyed)
		op->env->destroyed(op->env->ctx, cap, root);
}

/* Empties the slot of c, which has no children; destroys its object if c
 * was the original, queueing a CNode for emptying. */
static void remove_leaf(struct cap_op *op, struct cte *c)
{
	struct cap cap = c->cap;
	bool root = c->parent == NULL;
	if (op->env->removed)
		op->env->removed(op->env->ctx, &cap);
	if ((cap.flags & CTE_ORIGINAL) && !root)
		mdb_untyped_release(c->parent, &cap); /* retyped from the parent's untyped */
	mdb_unlink_leaf(c);
	c->cap = (struct cap){0};
	if (!(cap.flags & CTE_ORIGINAL))
		return;
	if (cap.type != CAP_CNODE) {
		report(op, &cap, root);
		return;
	}
	c->cap = cap;
	c->cap.type = CAP_ZOMBIE;
	if (root)
		c->cap.flags |= CTE_ZOMBIE_ROOT;
	c->next = op->zombies;
	op->zombies = c;
}

/* Removes every descendant of c, children before their parents. */
static void remove_descendants(struct cap_op *op, struct cte *c)
{
	struct cte *n = c->first_child;
	while (n) {
		while (n->first_child)
			n = n->first_child;
		struct cte *p = n->parent;
		remove_leaf(op, n);
		n = p == c ? c->first_child : p;
	}
}

/* Empties the CNodes queued as zombies, and any they destroy in turn. */
static void drain(struct cap_op *op)
{
	while (op->zombies) {
		struct cte *z = op->zombies;
		struct cap cn = z->cap;
		bool root = cn.flags & CTE_ZOMBIE_ROOT;
		op->zombies = z->next;
		*z = (struct cte){0};
		cn.type = CAP_CNODE;
		cn.flags &= (uint16_t)~CTE_ZOMBIE_ROOT;
		struct cte *slots = cnode_slot(op->env, &cn, 0);
		for (uint64_t i = 0, n = cap_cnode_slots(&cn); i < n; i++) {
			if (!cte_live(&slots[i]))
				continue;
			remove_descendants(op, &slots[i]);
			remove_leaf(op, &slots[i]);
		}
		report(op, &cn, root);
	}
}

enum err cap_decode_revoke(const struct cte *slot)
{
	if (!cte_live(slot))
		return ERR_EMPTY;
	for (const struct cte *n = mdb_preorder_next((struct cte *)slot, slot, false); n;
	     n = mdb_preorder_next((struct cte *)n, slot, false))
		if (n->cap.flags & CTE_PINNED)
			return ERR_BUSY;
	return ERR_OK;
}

void cap_invoke_revoke(const struct cap_env *env, struct cte *slot)
{
	struct cap_op op = {env, NULL};
	remove_descendants(&op, slot);
	drain(&op);
}

enum err cap_decode_delete(const struct cte *slot)
{
	if (!cte_live(slot))
		return ERR_EMPTY;
	return slot->first_child || (slot->cap.flags & CTE_PINNED) ? ERR_BUSY : ERR_OK;
}

void cap_unpin(struct cte *slot)
{
	slot->cap.flags &= (uint16_t)~CTE_PINNED;
}

bool cap_pin(struct cte *slot)
{
	if (!cte_live(slot) || !cte_original(slot))
		return false;
	slot->cap.flags |= CTE_PINNED;
	return true;
}

void cap_invoke_delete(const struct cap_env *env, struct cte *slot)
{
	struct cap_op op = {env, NULL};
	remove_leaf(&op, slot);
	drain(&op);
}

enum err cap_revoke(const struct cap_env *env, struct cte *slot)
{
	enum err e = cap_decode_revoke(slot);
	if (!e)
		cap_invoke_revoke(env, slot);
	return e;
}

enum err cap_delete(const struct cap_env *env, struct cte *slot)
{
	enum err e = cap_decode_delete(slot);
	if (!e)
		cap_invoke_delete(env, slot);
	return e;
}
