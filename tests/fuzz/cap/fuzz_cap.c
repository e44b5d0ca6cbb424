/* libFuzzer target: random capability operations against the host model.
 *
 * The input is read as a stream of choices.  A run builds a small space (a
 * root CNode of 64 slots, two pool untyped, untyped of another core's memory
 * and device memory, I/O ports, an IRQ, and maybe a hole in the first
 * untyped that this "core" does not map), then performs invocations through
 * cap_invoke until the input runs out: mostly well-formed ones (a method,
 * addresses found by walking the space, plausible arguments), some
 * perturbed (depths off by a little, a flipped address bit, a stray
 * argument) and some wholly wild.  Every result and the whole state are
 * compared with the reference model (tests/host/cap/model.h) after each
 * step; at the end the space is revoked and deleted and the pool must be
 * whole.  A disagreement aborts, as does any crash or sanitizer report.
 */
#include "fuzz_cap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap/invoke.h>

#include "../../host/cap/capenv.h"
#include "../../host/cap/model.h"

#define ARENA     (2ull << 20)
#define MAXCAPS   (1 << 16)
#define MAXSTEPS  400
#define ROOT_BITS 6
#define ROOM      (ARENA / sizeof(struct cte) + 16) /* most caps one retype makes */

struct fz {
	const uint8_t *p;
	size_t n;
	struct tenv t;
	struct cte kroot;
	struct model m;
};

static struct fuzz_cap_stats stats;

const struct fuzz_cap_stats *fuzz_cap_stats(void)
{
	return &stats;
}

/* The next `bytes` bytes of input as a number; zeros once it is used up. */
static uint64_t take(struct fz *f, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes && f->n; i++, f->p++, f->n--)
		v |= (uint64_t)*f->p << (8 * i);
	return v;
}

/* A choice among n (0 when n is 0). */
static uint64_t pick(struct fz *f, uint64_t n)
{
	unsigned bytes = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 8;
	return n ? take(f, bytes) % n : 0;
}

/* ---- addresses ------------------------------------------------------------ */

enum want { WANT_ANY, WANT_LIVE, WANT_EMPTY, WANT_TYPE };

static bool fits(const struct model *m, const struct cte *s, enum want w, unsigned type)
{
	int i = model_at(m, s);
	switch (w) {
	case WANT_LIVE: return i >= 0;
	case WANT_EMPTY: return i < 0;
	case WANT_TYPE: return i >= 0 && m->mc[i].cap.type == type;
	default: return true;
	}
}

/* A slot index of the CNode cn: usually one that fits the wish (among the
 * first 256 slots), else any. */
static uint64_t choose_index(struct fz *f, const struct cap *cn, enum want w, unsigned type)
{
	uint64_t n = 1ull << (cn->size_bits - CAP_SLOT_BITS), cand[256];
	unsigned k = 0;
	if (w == WANT_ANY || pick(f, 8) == 0)
		return pick(f, n);
	for (uint64_t i = 0; i < n && i < 256; i++)
		if (fits(&f->m, model_slot(&f->m, cn, i), w, type))
			cand[k++] = i;
	return k ? cand[pick(f, k)] : pick(f, n);
}

/* An address from the CNode cap in `from`: down through CNodes, each level
 * choosing a slot that fits the wish, sometimes stopping at a CNode cap. */
static void walk(struct fz *f, const struct cte *from, enum want w, unsigned type, uint64_t *addr,
                 uint64_t *depth)
{
	const struct model *m = &f->m;
	int c = model_at(m, from);
	*addr = 0;
	*depth = 0;
	for (int level = 0; level < 4 && c >= 0 && m->mc[c].cap.type == CAP_CNODE; level++) {
		const struct cap *cn = &m->mc[c].cap;
		unsigned bits = cn->size_bits - CAP_SLOT_BITS;
		if (*depth + bits > 64)
			break;
		/* deeper levels: look for a CNode first, unless the wish is met */
		uint64_t idx = choose_index(f, cn, pick(f, 3) ? w : WANT_TYPE,
		                            pick(f, 3) ? type : CAP_CNODE);
		*addr = *addr << bits | idx;
		*depth += bits;
		c = model_at(m, model_slot(m, cn, idx));
		if (c < 0 || m->mc[c].cap.type != CAP_CNODE || pick(f, 3) == 0)
			break;
		if (fits(m, model_slot(m, cn, idx), w, type) && pick(f, 2))
			break;
	}
}

/* Sometimes a near miss: a depth off by a little, a flipped bit, a depth
 * out of range. */
static void perturb(struct fz *f, uint64_t *addr, uint64_t *depth)
{
	switch (pick(f, 24)) {
	case 0: *depth += 1 + pick(f, 3); break;
	case 1: *depth -= 1 + pick(f, 3); break;
	case 2: *addr ^= 1ull << pick(f, 64); break;
	case 3: *depth = pick(f, 3) ? 0 : 64 + pick(f, 3); break;
	case 4: *addr = take(f, 8); break;
	default: break;
	}
}

static void address(struct fz *f, const struct cte *from, enum want w, unsigned type,
                    uint64_t *addr, uint64_t *depth)
{
	walk(f, from, w, type, addr, depth);
	perturb(f, addr, depth);
}

/* ---- invocations -------------------------------------------------------- */

/* A field value: usually from the plausible ones, sometimes any 64 bits. */
static uint64_t plausible(struct fz *f, const uint64_t *v, unsigned n)
{
	return pick(f, 16) ? v[pick(f, n)] : take(f, 8);
}

static void retype_args(struct fz *f, uint64_t *a)
{
	static const uint64_t bits[] = {0, 1, 2, 4, 6, 8, 12, 12, 12, 14, 16, 20, 21, 30, 52, 53};
	static const uint64_t counts[] = {1, 1, 1, 2, 3, 4, 16, 0, 65, 300};
	a[0] = pick(f, 16) ? pick(f, CAP_TYPE_COUNT + 1) : take(f, 2);
	a[1] = plausible(f, bits, 16);
	unsigned ob = cap_object_bits((unsigned)(a[0] & 0xff), (unsigned)(a[1] & 0xff));
	a[2] = pick(f, 8) ? pick(f, 64) << (ob ? ob : 12) : take(f, 3);
	a[3] = plausible(f, counts, 10);
	address(f, &f->kroot, WANT_TYPE, CAP_CNODE, &a[4], &a[5]);
	a[6] = pick(f, 70);
}

static void mint_args(struct fz *f, const struct cte *cn, uint64_t *a)
{
	address(f, cn, WANT_EMPTY, 0, &a[0], &a[1]);
	address(f, cn, WANT_LIVE, 0, &a[2], &a[3]);
	a[4] = pick(f, 16) ? pick(f, 32) : take(f, 8);
	static const uint64_t badges[] = {0, 0, 0, 1, 2, 0x77};
	a[5] = plausible(f, badges, 6);
	if (pick(f, 3) == 0) {
		a[6] = 0x60 + pick(f, 20);
		a[7] = pick(f, 18);
	}
}

/* An invocation chosen by the input; wild: every register random. */
static void choose(struct fz *f, struct cap_invocation_args *inv, bool wild)
{
	static const unsigned target[] = {CAP_NULL,  CAP_NULL,  CAP_UNTYPED, CAP_CNODE,
	                                  CAP_CNODE, CAP_CNODE, CAP_CNODE};
	memset(inv, 0, sizeof *inv);
	if (wild) {
		inv->method = pick(f, 4) ? pick(f, 9) : take(f, 8);
		inv->cap = take(f, pick(f, 9));
		inv->depth = pick(f, 70);
		for (unsigned i = 0; i < CAP_INV_ARGS; i++)
			inv->arg[i] = take(f, pick(f, 9));
		return;
	}
	inv->method = pick(f, 32) ? 1 + pick(f, 6) : pick(f, 9);
	unsigned type = inv->method < 7 ? target[inv->method] : CAP_NULL;
	address(f, &f->kroot, type == CAP_NULL ? WANT_LIVE : WANT_TYPE, type, &inv->cap,
	        &inv->depth);
	struct cte *slot;
	uint32_t rights;
	const struct cte *cn = &f->kroot;
	if (model_lookup(&f->m, &f->kroot, inv->cap, inv->depth, &slot, &rights) == ERR_OK &&
	    model_at(&f->m, slot) >= 0)
		cn = slot;
	switch (inv->method) {
	case CAP_INV_RETYPE: retype_args(f, inv->arg); break;
	case CAP_INV_COPY:
	case CAP_INV_MINT: mint_args(f, cn, inv->arg); break;
	case CAP_INV_REVOKE:
	case CAP_INV_DELETE: address(f, cn, WANT_LIVE, 0, &inv->arg[0], &inv->arg[1]); break;
	}
	if (inv->method == CAP_INV_COPY)
		memset(&inv->arg[4], 0, 4 * sizeof inv->arg[0]);
	if (pick(f, 32) == 0)
		inv->arg[pick(f, CAP_INV_ARGS)] = take(f, 8);
}

static const char *step(struct fz *f, bool wild)
{
	struct cap_invocation_args inv;
	struct cap_invocation_result want, got;
	static char why[512];

	choose(f, &inv, wild);
	enum err we = model_invoke(&f->m, &f->kroot, &inv, &want);
	enum err ge = cap_invoke(&f->t.env, &f->kroot, &inv, &got);
	stats.invocations++;
	stats.ok += ge == ERR_OK;
	if (we != ge || memcmp(&want, &got, sizeof want)) {
		snprintf(why, sizeof why,
		         "method %llu on (%#llx, %llu), args %#llx %#llx %#llx %#llx %#llx %#llx "
		         "%#llx %#llx: got %s, the model says %s",
		         (unsigned long long)inv.method, (unsigned long long)inv.cap,
		         (unsigned long long)inv.depth, (unsigned long long)inv.arg[0],
		         (unsigned long long)inv.arg[1], (unsigned long long)inv.arg[2],
		         (unsigned long long)inv.arg[3], (unsigned long long)inv.arg[4],
		         (unsigned long long)inv.arg[5], (unsigned long long)inv.arg[6],
		         (unsigned long long)inv.arg[7], err_str(ge), err_str(we));
		return why;
	}
	return model_check(&f->m);
}

/* ---- the space ---------------------------------------------------------- */

/* A root object the kernel makes in slot: from the pool, or at base. */
static bool root(struct fz *f, struct cte *slot, const struct cap *c, bool pooled)
{
	struct cap k = *c;
	if (pooled && buddy_alloc(&f->t.pool, k.size_bits - BUDDY_PAGE_SHIFT, &k.base) != ERR_OK)
		return false;
	if (cap_create_root(&f->t.env, slot, &k) != ERR_OK)
		return false;
	model_root(&f->m, slot, &k, pooled);
	return true;
}

static struct cap untyped(unsigned bits, uint64_t base, uint16_t flags)
{
	return (struct cap){.type = CAP_UNTYPED,
	                    .size_bits = (uint8_t)bits,
	                    .flags = flags,
	                    .rights = cap_type_rights(CAP_UNTYPED),
	                    .base = base};
}

/* Root slots: 1 a copy of the root CNode cap, 0 and 2 pool untyped, 3
 * another core's memory, 4 device memory, 5 I/O ports, 6 an IRQ. */
static bool build(struct fz *f)
{
	struct cap cn = {.type = CAP_CNODE,
	                 .size_bits = ROOT_BITS + CAP_SLOT_BITS,
	                 .rights = cap_type_rights(CAP_CNODE)};
	struct cap io = {.type = CAP_IOPORT,
	                 .rights = cap_type_rights(CAP_IOPORT),
	                 .base = 0x60,
	                 .count = 16};
	struct cap irq = {.type = CAP_IRQ, .rights = cap_type_rights(CAP_IRQ), .base = 4};
	struct cap u0 = untyped(19, 0, 0), u2 = untyped(16, 0, 0);
	struct cap far = untyped(20, TENV_FAR, 0);
	struct cap dev = untyped(21, TENV_DEVICE, CAP_FLAG_DEVICE);
	if (!root(f, &f->kroot, &cn, true))
		return false;
	const struct cap *k = &f->kroot.cap;
	if (cap_copy(&f->kroot, model_slot(&f->m, k, 1)) ||
	    model_derive(&f->m, &f->kroot, model_slot(&f->m, k, 1), NULL))
		return false;
	if (!root(f, model_slot(&f->m, k, 0), &u0, true) ||
	    !root(f, model_slot(&f->m, k, 2), &u2, true) ||
	    !root(f, model_slot(&f->m, k, 3), &far, false) ||
	    !root(f, model_slot(&f->m, k, 4), &dev, false) ||
	    !root(f, model_slot(&f->m, k, 5), &io, false) ||
	    !root(f, model_slot(&f->m, k, 6), &irq, false))
		return false;
	if (pick(f, 2)) { /* part of the first untyped is another core's */
		uint64_t base = model_slot(&f->m, k, 0)->cap.base, off = pick(f, 8) << 16;
		uint64_t len = 1ull << (12 + pick(f, 6));
		f->t.hole_base = base + off;
		f->t.hole_len = len < (1ull << 19) - off ? len : (1ull << 19) - off;
	}
	return true;
}

/* Revokes and deletes the whole space: the model agrees, every object made
 * was destroyed and the pool is whole. */
static const char *tear_down(struct fz *f)
{
	static char why[128];
	f->t.hole_len = 0;
	if (cap_revoke(&f->t.env, &f->kroot) != model_revoke(&f->m, &f->kroot) ||
	    cap_delete(&f->t.env, &f->kroot) != model_delete(&f->m, &f->kroot))
		return "tearing down: revoke or delete disagrees with the model";
	const char *e = model_check(&f->m);
	if (e)
		return e;
	if (buddy_free_bytes(&f->t.pool) != ARENA || buddy_check(&f->t.pool) != ERR_OK ||
	    f->t.destroyed != (unsigned)f->m.nmo) {
		snprintf(why, sizeof why, "torn down: %llu bytes free, %u of %d objects destroyed",
		         (unsigned long long)buddy_free_bytes(&f->t.pool), f->t.destroyed,
		         f->m.nmo);
		return why;
	}
	return NULL;
}

const char *fuzz_cap_one(const uint8_t *data, size_t size)
{
	static struct fz f; /* its arena and model, made once and reset per input */
	static bool ready;
	const char *why = NULL;

	if (!ready) {
		tenv_init(&f.t, ARENA);
		if (!model_init(&f.m, &f.t, &f.kroot, MAXCAPS))
			abort();
		ready = true;
	} else {
		tenv_reset(&f.t);
		model_reset(&f.m);
	}
	memset(&stats, 0, sizeof stats);
	memset(&f.kroot, 0, sizeof f.kroot);
	f.p = data;
	f.n = size;
	if (!build(&f))
		why = "building the space failed";
	for (int s = 0; !why && f.n && s < MAXSTEPS && f.m.nmc < MAXCAPS - (int)ROOM; s++)
		why = step(&f, pick(&f, 16) == 0);
	if (!why)
		why = tear_down(&f);
	return why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = fuzz_cap_one(data, size);
	if (why) {
		fprintf(stderr, "fuzz_cap: %s\n", why);
		abort();
	}
	return 0;
}
