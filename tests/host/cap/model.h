/* A reference model of the capability core, for the randomized tests and
 * the fuzz target.
 *
 * Deliberately naive: a flat array of caps, each with the slot it is in,
 * its parent and the object it refers to, and a flat array of objects.
 * Each model_* operation predicts the error code of the real operation
 * from the rules in tessera/caps.h and, when that is ERR_OK, applies its
 * effect to the model; delete and revoke compute the caps that disappear
 * as a fixed point ("a cap dies if its parent dies or the CNode holding it
 * dies"), which is order-free.  model_check compares every slot of every
 * live CNode, every tree link, the pool's free bytes and the number of
 * destroyed objects with the real state.
 *
 * Slot addresses come from the arena (struct tenv), never from the code
 * under test; the one kernel-held slot is the root CNode's (kroot).
 */
#ifndef TESTS_HOST_CAP_MODEL_H
#define TESTS_HOST_CAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "capenv.h"

struct model_cap {
	struct cte *slot;
	struct cap cap; /* expected contents: kernel flags and kdata cleared */
	int parent;     /* cap index; -1 for roots */
	int obj;        /* the object it refers to */
	int home;       /* the CNode object holding it; -1 for the kernel slot */
	int children;
	bool original, live;
};

struct model_obj {
	unsigned type, bits;
	uint64_t base;
	int from;    /* untyped object it was retyped from; -1: a root */
	int orig;    /* its original cap */
	bool live;   /* has caps */
	bool pooled; /* a root taken from the pool, returned there when destroyed */
};

struct model {
	struct tenv *t;
	struct cte *kroot; /* the kernel-held slot of the root CNode cap */
	struct model_cap *mc;
	struct model_obj *mo;
	int nmc, nmo, max; /* caps and objects made, and room for each */
	int *slotmap;      /* slot id -> cap index or -1 */
	int *slothome;     /* slot id -> CNode object the slot belongs to, or -1 */
	size_t nslots;     /* slot ids: the arena's, then kroot's */
	int *live, nlive;  /* live cap indices, unordered */
	int *pos;          /* cap index -> position in live */
	bool *mark;
	uint64_t exp_free;      /* bytes the pool must have free */
	unsigned exp_destroyed; /* objects destroyed so far */
	char why[256];          /* model_check's finding */
};

/* A model of t with room for max caps and objects; kroot: where the root
 * CNode cap will be (registered with model_root like any root).  False when
 * out of memory. */
bool model_init(struct model *m, struct tenv *t, struct cte *kroot, int max);
void model_fini(struct model *m);
/* Empty again, for a fresh space over the same (reset) tenv. */
void model_reset(struct model *m);

/* The cap index in slot, or -1 when the model says it is empty. */
int model_at(const struct model *m, const struct cte *slot);
/* Slot index of the CNode object a CNode cap refers to (from the arena). */
struct cte *model_slot(const struct model *m, const struct cap *cnode, uint64_t index);
/* Whether [pa, pa + len) is memory the test "core" maps (the arena but its
 * hole): where RAM objects can be made. */
bool model_reachable(const struct model *m, uint64_t pa, uint64_t len);

/* Records a root the kernel made in slot (the real cap_create_root
 * succeeded); pooled: its memory came from the pool. */
void model_root(struct model *m, struct cte *slot, const struct cap *c, bool pooled);

/* Predictions: the error the real operation must return; on ERR_OK the
 * model has applied its effect. */
enum err model_retype(struct model *m, const struct cte *src, const struct cte *cn,
                      const struct cap_retype_args *a);
enum err model_derive(struct model *m, const struct cte *src, struct cte *dst,
                      const struct cap_mint_args *a); /* a NULL: copy */
enum err model_delete(struct model *m, const struct cte *slot);
enum err model_revoke(struct model *m, const struct cte *slot);
enum err model_lookup(const struct model *m, const struct cte *from, uint64_t addr, uint64_t depth,
                      struct cte **slot, uint32_t *rights);
/* cap_invoke's error and results. */
enum err model_invoke(struct model *m, struct cte *root, const struct cap_invocation_args *inv,
                      struct cap_invocation_result *res);

/* Compares the real state with the model: NULL when they agree, else what
 * differs (in m->why). */
const char *model_check(struct model *m);

#endif
