/* Test environment for the capability core: see capenv.h. */
#include "capenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_hole(const struct tenv *t, uint64_t pa)
{
	return pa >= t->hole_base && pa - t->hole_base < t->hole_len;
}

static void *p2v(void *ctx, uint64_t pa)
{
	struct tenv *t = ctx;
	if (pa < TENV_PHYS || pa >= TENV_PHYS + t->size || in_hole(t, pa)) {
		fprintf(stderr, "phys_to_virt(%#llx) outside the arena\n", (unsigned long long)pa);
		abort();
	}
	return t->arena + (pa - TENV_PHYS);
}

static bool reachable(void *ctx, uint64_t pa, uint64_t len)
{
	struct tenv *t = ctx;
	t->reach_calls++;
	if (len == 0 || pa < TENV_PHYS || pa - TENV_PHYS >= t->size ||
	    len > t->size - (pa - TENV_PHYS))
		return false;
	return !t->hole_len || pa + len <= t->hole_base || pa >= t->hole_base + t->hole_len;
}

static void destroyed(void *ctx, const struct cap *cap, bool root)
{
	struct tenv *t = ctx;
	t->destroyed++;
	t->last = *cap;
	if (!root)
		return;
	t->destroyed_roots++;
	if (cap->type != CAP_IOPORT && cap->type != CAP_IRQ && cap->type != CAP_LOG &&
	    cap->type != CAP_MONITOR && cap->base >= TENV_PHYS && cap->base < TENV_PHYS + t->size) {
		unsigned order = cap->size_bits - BUDDY_PAGE_SHIFT;
		if (buddy_free(&t->pool, cap->base, order) != ERR_OK) {
			fprintf(stderr, "root object %#llx not from the pool\n",
			        (unsigned long long)cap->base);
			abort();
		}
	}
}

void tenv_init(struct tenv *t, uint64_t size)
{
	memset(t, 0, sizeof *t);
	t->size = size;
	t->arena = aligned_alloc(4096, size);
	t->meta = malloc(buddy_meta_size(size));
	if (!t->arena || !t->meta)
		abort();
	tenv_reset(t);
}

void tenv_reset(struct tenv *t)
{
	size_t n = buddy_meta_size(t->size);
	if (buddy_init(&t->pool, TENV_PHYS, t->size, t->meta, n) ||
	    buddy_add_range(&t->pool, TENV_PHYS, t->size))
		abort();
	memset(t->arena, 0xa5, t->size); /* so missing zeroing shows */
	t->hole_base = t->hole_len = 0;
	t->destroyed = t->destroyed_roots = t->reach_calls = 0;
	t->env = (struct cap_env){
	        .ctx = t, .phys_to_virt = p2v, .reachable = reachable, .destroyed = destroyed};
}

void tenv_fini(struct tenv *t)
{
	free(t->arena);
	free(t->meta);
}

static enum err root_object(struct tenv *t, struct cte *slot, unsigned type, unsigned bits,
                            uint32_t rights)
{
	unsigned order = bits > BUDDY_PAGE_SHIFT ? bits - BUDDY_PAGE_SHIFT : 0;
	uint64_t pa;
	enum err e = buddy_alloc(&t->pool, order, &pa);
	if (e)
		return e;
	struct cap c = {.type = (uint8_t)type,
	                .size_bits = (uint8_t)(order + BUDDY_PAGE_SHIFT),
	                .rights = rights,
	                .base = pa};
	e = cap_create_root(&t->env, slot, &c);
	if (e)
		buddy_free(&t->pool, pa, order);
	return e;
}

enum err tenv_root_cnode(struct tenv *t, struct cte *slot, unsigned slot_bits)
{
	if (slot_bits + CAP_SLOT_BITS < BUDDY_PAGE_SHIFT)
		return ERR_INVAL;
	return root_object(t, slot, CAP_CNODE, slot_bits + CAP_SLOT_BITS,
	                   cap_type_rights(CAP_CNODE));
}

enum err tenv_root_untyped(struct tenv *t, struct cte *slot, unsigned bits)
{
	if (bits < BUDDY_PAGE_SHIFT)
		return ERR_INVAL;
	return root_object(t, slot, CAP_UNTYPED, bits, cap_type_rights(CAP_UNTYPED));
}

struct cte *tenv_slot(struct tenv *t, const struct cte *cn, uint64_t index)
{
	struct cte *s = NULL;
	if (cnode_decode_slot(&t->env, cn, index, 0, &s) != ERR_OK)
		abort();
	return s;
}

enum err tenv_retype(struct tenv *t, struct cte *ut, unsigned type, unsigned obj_bits,
                     uint64_t offset, uint64_t count, const struct cte *cn, uint64_t index)
{
	struct cap_retype_args a = {.offset = offset,
	                            .count = count,
	                            .dest_index = index,
	                            .type = (uint8_t)type,
	                            .obj_bits = (uint8_t)obj_bits};
	return cap_retype(&t->env, ut, cn, &a);
}
