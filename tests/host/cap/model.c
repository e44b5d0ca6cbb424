/* The reference model of the capability core; see model.h.  Every rule
 * here is written from tessera/caps.h, not from kernel/cap. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap/invoke.h>

#define R CAP_RIGHT_READ
#define W CAP_RIGHT_WRITE

static size_t slot_id(const struct model *m, const struct cte *s)
{
	const uint8_t *p = (const uint8_t *)s;
	if (p >= m->t->arena && p < m->t->arena + m->t->size)
		return (size_t)(p - m->t->arena) / sizeof(struct cte);
	return m->nslots - 1; /* kroot */
}

int model_at(const struct model *m, const struct cte *slot)
{
	return m->slotmap[slot_id(m, slot)];
}

struct cte *model_slot(const struct model *m, const struct cap *cnode, uint64_t index)
{
	return (struct cte *)(m->t->arena + (cnode->base - TENV_PHYS)) + index;
}

bool model_reachable(const struct model *m, uint64_t pa, uint64_t len)
{
	const struct tenv *t = m->t;
	uint64_t end = pa + len;
	if (pa < TENV_PHYS || end > TENV_PHYS + t->size || end <= pa)
		return false;
	return end <= t->hole_base || pa >= t->hole_base + t->hole_len;
}

bool model_init(struct model *m, struct tenv *t, struct cte *kroot, int max)
{
	memset(m, 0, sizeof *m);
	m->t = t;
	m->kroot = kroot;
	m->max = max;
	m->nslots = t->size / sizeof(struct cte) + 1;
	m->mc = calloc((size_t)max, sizeof *m->mc);
	m->mo = calloc((size_t)max, sizeof *m->mo);
	m->slotmap = malloc(m->nslots * sizeof *m->slotmap);
	m->slothome = malloc(m->nslots * sizeof *m->slothome);
	m->live = malloc((size_t)max * sizeof *m->live);
	m->pos = malloc((size_t)max * sizeof *m->pos);
	m->mark = calloc((size_t)max, sizeof *m->mark);
	if (!m->mc || !m->mo || !m->slotmap || !m->slothome || !m->live || !m->pos || !m->mark) {
		model_fini(m);
		return false;
	}
	model_reset(m);
	return true;
}

void model_reset(struct model *m)
{
	memset(m->slotmap, -1, m->nslots * sizeof *m->slotmap);
	memset(m->slothome, -1, m->nslots * sizeof *m->slothome);
	memset(m->mark, 0, (size_t)m->max * sizeof *m->mark);
	m->nmc = m->nmo = m->nlive = 0;
	m->exp_free = buddy_free_bytes(&m->t->pool);
	m->exp_destroyed = 0;
}

void model_fini(struct model *m)
{
	free(m->mc);
	free(m->mo);
	free(m->slotmap);
	free(m->slothome);
	free(m->live);
	free(m->pos);
	free(m->mark);
	m->mc = NULL;
	m->mo = NULL;
}

/* ---- state changes ------------------------------------------------------ */

static int new_obj(struct model *m, unsigned type, unsigned bits, uint64_t base, int from)
{
	m->mo[m->nmo] = (struct model_obj){type, bits, base, from, -1, true, false};
	if (type == CAP_CNODE) {
		size_t first = (size_t)(base - TENV_PHYS) / sizeof(struct cte);
		for (size_t k = 0; k < 1ull << (bits - CAP_SLOT_BITS); k++)
			m->slothome[first + k] = m->nmo;
	}
	return m->nmo++;
}

static int new_cap(struct model *m, struct cte *slot, const struct cap *c, int parent, int obj,
                   bool original)
{
	int i = m->nmc++;
	size_t id = slot_id(m, slot);
	m->mc[i] = (struct model_cap){slot, *c, parent, obj, m->slothome[id], 0, original, true};
	m->mc[i].cap.flags &= (uint16_t)~CAP_FLAG_KERNEL;
	m->mc[i].cap.kdata = 0;
	if (parent >= 0)
		m->mc[parent].children++;
	if (original)
		m->mo[obj].orig = i;
	m->slotmap[id] = i;
	m->pos[i] = m->nlive;
	m->live[m->nlive++] = i;
	return i;
}

static void kill_cap(struct model *m, int i)
{
	struct model_cap *c = &m->mc[i];
	c->live = false;
	m->slotmap[slot_id(m, c->slot)] = -1;
	if (c->parent >= 0)
		m->mc[c->parent].children--;
	int last = m->live[--m->nlive];
	m->live[m->pos[i]] = last;
	m->pos[last] = m->pos[i];
	if (!c->original)
		return;
	struct model_obj *o = &m->mo[c->obj];
	o->live = false;
	m->exp_destroyed++;
	if (o->pooled)
		m->exp_free += 1ull << o->bits;
	if (o->type == CAP_CNODE) {
		size_t first = (size_t)(o->base - TENV_PHYS) / sizeof(struct cte);
		for (size_t k = 0; k < 1ull << (o->bits - CAP_SLOT_BITS); k++)
			m->slothome[first + k] = -1;
	}
}

/* Kills the marked caps and everything that follows from them: children of
 * dead caps, and caps held in CNodes whose original died. */
static void kill_closure(struct model *m)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (int k = 0; k < m->nlive; k++) {
			int i = m->live[k];
			const struct model_cap *c = &m->mc[i];
			if (m->mark[i])
				continue;
			if ((c->parent >= 0 && m->mark[c->parent]) ||
			    (c->home >= 0 && m->mark[m->mo[c->home].orig]))
				m->mark[i] = changed = true;
		}
	}
	for (int k = m->nlive - 1; k >= 0; k--) {
		int i = m->live[k];
		if (m->mark[i]) {
			m->mark[i] = false;
			kill_cap(m, i); /* moves an already visited entry to k */
		}
	}
}

void model_root(struct model *m, struct cte *slot, const struct cap *c, bool pooled)
{
	int o = new_obj(m, c->type, c->size_bits, c->base, -1);
	m->mo[o].pooled = pooled;
	if (pooled)
		m->exp_free -= 1ull << c->size_bits;
	new_cap(m, slot, c, -1, o, true);
}

/* ---- predictions: the direct operations --------------------------------- */

static bool ram_type(unsigned type)
{
	return type == CAP_FRAME || (type >= CAP_PT && type <= CAP_ENDPOINT) || type == CAP_NOTIFY;
}

static enum err retype_source(const struct model *m, int s, const struct cap_retype_args *a,
                              unsigned *bits)
{
	if (s < 0)
		return ERR_EMPTY;
	const struct cap *u = &m->mc[s].cap;
	if (u->type != CAP_UNTYPED)
		return ERR_TYPE;
	if (!(u->rights & CAP_RIGHT_RETYPE))
		return ERR_PERM;
	bool dev = u->flags & CAP_FLAG_DEVICE;
	if (a->type != CAP_UNTYPED && (dev ? a->type != CAP_DEVICE_FRAME : !ram_type(a->type)))
		return ERR_TYPE;
	*bits = cap_object_bits(a->type, a->obj_bits);
	if (!*bits || !a->count)
		return ERR_INVAL;
	if (a->offset % (1ull << *bits))
		return ERR_ALIGN;
	uint64_t size = 1ull << u->size_bits;
	if (*bits > u->size_bits || a->offset >= size || a->count > (size - a->offset) >> *bits)
		return ERR_RANGE;
	if (ram_type(a->type) && !model_reachable(m, u->base + a->offset, a->count << *bits))
		return ERR_UNSUPPORTED;
	return ERR_OK;
}

enum err model_retype(struct model *m, const struct cte *src, const struct cte *cn,
                      const struct cap_retype_args *a)
{
	int s = model_at(m, src), d = model_at(m, cn);
	unsigned bits = 0;
	enum err e = retype_source(m, s, a, &bits);
	if (e)
		return e;
	if (d < 0 || m->mc[d].cap.type != CAP_CNODE)
		return ERR_TYPE;
	const struct cap *dc = &m->mc[d].cap;
	if (!(dc->rights & W))
		return ERR_PERM;
	uint64_t n = 1ull << (dc->size_bits - CAP_SLOT_BITS);
	if (a->dest_index >= n || a->count > n - a->dest_index)
		return ERR_RANGE;
	for (uint64_t i = 0; i < a->count; i++)
		if (model_at(m, model_slot(m, dc, a->dest_index + i)) >= 0)
			return ERR_EXIST;
	const struct cap *u = &m->mc[s].cap;
	uint64_t lo = u->base + a->offset, hi = lo + (a->count << bits);
	for (int o = 0; o < m->nmo; o++)
		if (m->mo[o].live && m->mo[o].from == m->mc[s].obj && m->mo[o].base < hi &&
		    lo < m->mo[o].base + (1ull << m->mo[o].bits))
			return ERR_OVERLAP;
	if (m->nmc + (int)a->count > m->max || m->nmo + (int)a->count > m->max)
		abort(); /* the driver keeps room */
	struct cap dcap = *dc;
	for (uint64_t i = 0; i < a->count; i++) {
		struct cap c = {.type = a->type,
		                .size_bits = (uint8_t)bits,
		                .flags = a->type == CAP_UNTYPED ? (u->flags & CAP_FLAG_DEVICE) : 0,
		                .rights = cap_type_rights(a->type),
		                .base = lo + (i << bits)};
		int o = new_obj(m, a->type, bits, c.base, m->mc[s].obj);
		new_cap(m, model_slot(m, &dcap, a->dest_index + i), &c, s, o, true);
	}
	return ERR_OK;
}

/* The cap a mint makes from c, or its error. */
static enum err mint_cap(const struct cap *c, const struct cap_mint_args *a, struct cap *out)
{
	*out = *c;
	if (!a)
		return ERR_OK;
	if (a->rights & ~c->rights)
		return ERR_PERM;
	out->rights = a->rights;
	if (c->type == CAP_ENDPOINT) {
		if (c->badge && a->badge && a->badge != c->badge)
			return ERR_PERM;
		out->badge = a->badge ? a->badge : c->badge;
	} else if (a->badge) {
		return ERR_INVAL;
	}
	if (c->type != CAP_IOPORT)
		return a->port_first || a->port_count ? ERR_INVAL : ERR_OK;
	if (!a->port_count)
		return a->port_first ? ERR_INVAL : ERR_OK;
	if (a->port_first < c->base || a->port_first - c->base >= c->count ||
	    a->port_count > c->count - (a->port_first - c->base))
		return ERR_RANGE;
	out->base = a->port_first;
	out->count = a->port_count;
	return ERR_OK;
}

enum err model_derive(struct model *m, const struct cte *src, struct cte *dst,
                      const struct cap_mint_args *a)
{
	int s = model_at(m, src);
	struct cap out;
	if (s < 0)
		return ERR_EMPTY;
	if (!(m->mc[s].cap.rights & CAP_RIGHT_GRANT))
		return ERR_PERM;
	if (model_at(m, dst) >= 0)
		return ERR_EXIST;
	enum err e = mint_cap(&m->mc[s].cap, a, &out);
	if (e)
		return e;
	if (m->nmc >= m->max)
		abort(); /* the driver keeps room */
	new_cap(m, dst, &out, s, m->mc[s].obj, false);
	return ERR_OK;
}

enum err model_delete(struct model *m, const struct cte *slot)
{
	int i = model_at(m, slot);
	if (i < 0)
		return ERR_EMPTY;
	if (m->mc[i].children)
		return ERR_BUSY;
	m->mark[i] = true;
	kill_closure(m);
	return ERR_OK;
}

enum err model_revoke(struct model *m, const struct cte *slot)
{
	int i = model_at(m, slot);
	if (i < 0)
		return ERR_EMPTY;
	for (int k = 0; k < m->nlive; k++)
		if (m->mc[m->live[k]].parent == i)
			m->mark[m->live[k]] = true;
	kill_closure(m);
	return ERR_OK;
}

/* ---- predictions: addresses and invocations ------------------------------ */

enum err model_lookup(const struct model *m, const struct cte *from, uint64_t addr, uint64_t depth,
                      struct cte **slot, uint32_t *rights)
{
	if (depth == 0 || depth > 64)
		return ERR_INVAL;
	if (depth < 64 && addr >= 1ull << depth)
		return ERR_RANGE;
	uint64_t left = depth;
	for (int c = model_at(m, from);;) {
		if (c < 0)
			return ERR_EMPTY;
		const struct cap *cn = &m->mc[c].cap;
		if (cn->type != CAP_CNODE)
			return ERR_TYPE;
		uint64_t bits = cn->size_bits - CAP_SLOT_BITS;
		if (left < bits)
			return ERR_RANGE;
		left -= bits;
		uint64_t index = (addr >> left) % (1ull << bits);
		struct cte *s = model_slot(m, cn, index);
		if (left == 0) {
			*slot = s;
			*rights = cn->rights;
			return ERR_OK;
		}
		if (!(cn->rights & R))
			return ERR_PERM;
		c = model_at(m, s);
	}
}

/* A slot at (addr, depth) from `from` whose CNode grants `need`. */
static enum err model_find(const struct model *m, const struct cte *from, uint64_t addr,
                           uint64_t depth, uint32_t need, struct cte **slot)
{
	uint32_t rights;
	enum err e = model_lookup(m, from, addr, depth, slot, &rights);
	if (!e && (rights & need) != need)
		e = ERR_PERM;
	return e;
}

static uint64_t clamp(uint64_t v, uint64_t max)
{
	return v < max ? v : max;
}

/* The methods as caps.h lists them: number, type, argument count. */
static const struct {
	unsigned type, nargs;
} methods[] = {
        [CAP_INV_IDENTIFY] = {CAP_NULL, 0},
        [CAP_INV_RETYPE] = {CAP_UNTYPED, 7},
        [CAP_INV_COPY] = {CAP_CNODE, 4},
        [CAP_INV_MINT] = {CAP_CNODE, 8},
        [CAP_INV_REVOKE] = {CAP_CNODE, 2},
        [CAP_INV_DELETE] = {CAP_CNODE, 2},
        /* the kernel's objects: after the common checks, the host's env has
         * no kernel to carry them out (UNSUPPORTED) */
        [CAP_INV_MAP_FRAME] = {CAP_NULL, 5},
        [CAP_INV_MAP_TABLE] = {CAP_NULL, 3},
        [CAP_INV_UNMAP] = {CAP_NULL, 0},
        [CAP_INV_PROTECT] = {CAP_NULL, 1},
        [CAP_INV_DISP_SETUP] = {CAP_DISPATCHER, 8},
        [CAP_INV_DISP_START] = {CAP_DISPATCHER, 0},
        [CAP_INV_DISP_STOP] = {CAP_DISPATCHER, 0},
        [CAP_INV_DISP_YIELD] = {CAP_DISPATCHER, 0},
        [CAP_INV_LOG_WRITE] = {CAP_LOG, 8},
        [CAP_INV_EP_SEND] = {CAP_ENDPOINT, 8},
        [CAP_INV_EP_RECV] = {CAP_ENDPOINT, 3},
        [CAP_INV_RING_SETUP] = {CAP_DISPATCHER, 4},
        [CAP_INV_RING_ENTER] = {CAP_DISPATCHER, 1},
        [CAP_INV_NOTIFY_SIGNAL] = {CAP_NOTIFY, 1},
        [CAP_INV_NOTIFY_WAIT] = {CAP_NOTIFY, 1},
        [CAP_INV_MON_INTRODUCE] = {CAP_MONITOR, 5},
        [CAP_INV_MON_ACCEPT] = {CAP_MONITOR, 5},
};

static enum err model_method(struct model *m, struct cte *root, struct cte *inv_slot,
                             const struct cap_invocation_args *inv,
                             struct cap_invocation_result *res)
{
	const uint64_t *a = inv->arg;
	const struct cap *c = &m->mc[model_at(m, inv_slot)].cap;
	struct cte *dst, *src;
	enum err e;

	switch (inv->method) {
	case CAP_INV_IDENTIFY:
		res->value[0] = c->type;
		res->value[1] = c->rights;
		res->value[2] = c->size_bits;
		res->value[3] = c->flags;
		res->value[4] = c->base;
		res->value[5] = c->type == CAP_ENDPOINT ? c->badge : 0;
		res->value[6] = c->type == CAP_IOPORT || c->type == CAP_NOTIFY ? c->count : 0;
		return ERR_OK;
	case CAP_INV_RETYPE: {
		e = model_find(m, root, a[4], a[5], R, &dst);
		struct cap_retype_args r = {.type = (uint8_t)clamp(a[0], 255),
		                            .obj_bits = (uint8_t)clamp(a[1], 255),
		                            .offset = a[2],
		                            .count = a[3],
		                            .dest_index = a[6]};
		return e ? e : model_retype(m, inv_slot, dst, &r);
	}
	case CAP_INV_COPY:
	case CAP_INV_MINT: {
		e = model_find(m, inv_slot, a[0], a[1], W, &dst);
		if (!e)
			e = model_find(m, inv_slot, a[2], a[3], R, &src);
		struct cap_mint_args mint = {.rights = (uint32_t)clamp(a[4], UINT32_MAX),
		                             .badge = a[5],
		                             .port_first = a[6],
		                             .port_count = a[7]};
		if (e)
			return e;
		return model_derive(m, src, dst, inv->method == CAP_INV_MINT ? &mint : NULL);
	}
	case CAP_INV_REVOKE:
	case CAP_INV_DELETE:
		e = model_find(m, inv_slot, a[0], a[1], W, &dst);
		if (e)
			return e;
		return inv->method == CAP_INV_REVOKE ? model_revoke(m, dst) : model_delete(m, dst);
	}
	return ERR_UNSUPPORTED;
}

enum err model_invoke(struct model *m, struct cte *root, const struct cap_invocation_args *inv,
                      struct cap_invocation_result *res)
{
	struct cte *slot;
	uint32_t rights;
	enum err e;

	memset(res, 0, sizeof *res);
	if (inv->method == 0 || inv->method >= sizeof methods / sizeof methods[0])
		e = ERR_INVAL;
	else
		e = model_lookup(m, root, inv->cap, inv->depth, &slot, &rights);
	if (!e && model_at(m, slot) < 0)
		e = ERR_EMPTY;
	if (!e && !(rights & R))
		e = ERR_PERM;
	unsigned type = e ? 0 : methods[inv->method].type;
	if (!e && type != CAP_NULL && m->mc[model_at(m, slot)].cap.type != type)
		e = ERR_TYPE;
	for (unsigned i = e ? CAP_INV_ARGS : methods[inv->method].nargs; i < CAP_INV_ARGS; i++)
		if (inv->arg[i])
			e = ERR_INVAL;
	if (!e)
		e = model_method(m, root, slot, inv, res);
	if (e)
		memset(res, 0, sizeof *res);
	res->err = e;
	return e;
}

/* ---- comparing with the real state --------------------------------------- */

#define CHECK(cond, ...)                                              \
	do {                                                          \
		if (!(cond)) {                                        \
			snprintf(m->why, sizeof m->why, __VA_ARGS__); \
			return m->why;                                \
		}                                                     \
	} while (0)

static const char *check_slot(struct model *m, const struct cte *s)
{
	int i = model_at(m, s);
	size_t id = slot_id(m, s);
	if (i < 0) {
		CHECK(s->cap.type == CAP_NULL && !s->parent && !s->first_child,
		      "slot %zu: type %u, the model says empty", id, s->cap.type);
		return NULL;
	}
	const struct model_cap *mc = &m->mc[i];
	const struct cap *c = &s->cap;
	CHECK(c->type == mc->cap.type && c->size_bits == mc->cap.size_bits,
	      "slot %zu: type %u size %u, the model says %u, %u", id, c->type, c->size_bits,
	      mc->cap.type, mc->cap.size_bits);
	/* an untyped original's badge and kdata words are the cap core's
	 * bookkeeping (top and used): model_check checks what they say */
	bool book = mc->original && mc->cap.type == CAP_UNTYPED;
	CHECK(c->rights == mc->cap.rights && c->base == mc->cap.base &&
	              (book || c->badge == mc->cap.badge),
	      "slot %zu: rights %#x base %#llx badge %#llx differ from the model's", id, c->rights,
	      (unsigned long long)c->base, (unsigned long long)c->badge);
	CHECK((c->flags & (uint16_t)~CAP_FLAG_KERNEL) == mc->cap.flags && (book || c->kdata == 0),
	      "slot %zu: flags %#x kdata %#llx", id, c->flags, (unsigned long long)c->kdata);
	CHECK(cap_is_original(s) == mc->original, "slot %zu: original %d", id, cap_is_original(s));
	CHECK(s->parent == (mc->parent >= 0 ? m->mc[mc->parent].slot : NULL),
	      "slot %zu: parent differs", id);
	int n = 0;
	const struct cte *prev = NULL;
	for (const struct cte *ch = s->first_child; ch; prev = ch, ch = ch->next) {
		CHECK(ch->parent == s && ch->prev == prev && ++n <= mc->children,
		      "slot %zu: child list broken", id);
		CHECK(model_at(m, ch) >= 0 && m->mc[model_at(m, ch)].parent == i,
		      "slot %zu: a child the model does not know", id);
	}
	CHECK(n == mc->children, "slot %zu: %d children, the model says %d", id, n, mc->children);
	return NULL;
}

/* What cap_untyped_used and cap_untyped_top say of an untyped cap c (any
 * of its caps): the bytes of the live objects retyped from its object, and
 * an offset no such object reaches past (0 when there are none). */
static const char *check_untyped(struct model *m, const struct model_cap *c)
{
	if (c->cap.type != CAP_UNTYPED)
		return NULL;
	uint64_t used = 0, reach = 0, top = cap_untyped_top(c->slot);
	for (int o = 0; o < m->nmo; o++) {
		const struct model_obj *ob = &m->mo[o];
		if (!ob->live || ob->from != c->obj)
			continue;
		used += 1ull << ob->bits;
		if (ob->base - c->cap.base + (1ull << ob->bits) > reach)
			reach = ob->base - c->cap.base + (1ull << ob->bits);
	}
	CHECK(cap_untyped_used(c->slot) == used, "untyped %#llx: %llu bytes used, expected %llu",
	      (unsigned long long)c->cap.base, (unsigned long long)cap_untyped_used(c->slot),
	      (unsigned long long)used);
	CHECK(top >= reach && top <= 1ull << c->cap.size_bits && (used || !top),
	      "untyped %#llx: top %#llx, but objects reach %#llx (%llu bytes used)",
	      (unsigned long long)c->cap.base, (unsigned long long)top, (unsigned long long)reach,
	      (unsigned long long)used);
	return NULL;
}

const char *model_check(struct model *m)
{
	const char *why = check_slot(m, m->kroot);
	for (int o = 0; !why && o < m->nmo; o++) {
		const struct model_obj *ob = &m->mo[o];
		if (!ob->live || ob->type != CAP_CNODE)
			continue;
		const struct cte *slots =
		        (const struct cte *)(m->t->arena + (ob->base - TENV_PHYS));
		for (uint64_t k = 0; !why && k < 1ull << (ob->bits - CAP_SLOT_BITS); k++)
			why = check_slot(m, &slots[k]);
	}
	if (why)
		return why;
	CHECK(buddy_free_bytes(&m->t->pool) == m->exp_free, "pool: %llu bytes free, expected %llu",
	      (unsigned long long)buddy_free_bytes(&m->t->pool), (unsigned long long)m->exp_free);
	CHECK(m->t->destroyed == m->exp_destroyed, "%u objects destroyed, expected %u",
	      m->t->destroyed, m->exp_destroyed);
	for (int k = 0; !why && k < m->nlive; k++)
		why = check_untyped(m, &m->mc[m->live[k]]);
	return why;
}
