/* Derivation-tree links: insertion, removal of leaves, walks. */
#include "mdb.h"

void mdb_add_child(struct cte *parent, struct cte *child)
{
	child->parent = parent;
	child->first_child = NULL;
	child->prev = NULL;
	child->next = parent->first_child;
	if (child->next)
		child->next->prev = child;
	parent->first_child = child;
}

void mdb_unlink_leaf(struct cte *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else if (c->parent)
		c->parent->first_child = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->parent = NULL;
	c->next = NULL;
	c->prev = NULL;
}

struct cte *mdb_preorder_next(struct cte *n, const struct cte *root, bool skip_children)
{
	if (!skip_children && n->first_child)
		return n->first_child;
	for (; n != root; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

struct cte *mdb_original(struct cte *c)
{
	/* Only originals lack a parent of the same object (a cap made by
	 * value for another core's object has neither: NULL). */
	while (c && !cte_original(c))
		c = c->parent;
	return c;
}
