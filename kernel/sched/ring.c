/* Asynchronous invocations; see tessera/ring.h.  The kernel keeps its own
 * ring indices in the dispatcher and only reads the program's (sq_tail,
 * cq_head), each bounded by the ring's size before it is believed. */
#include "ring.h"

#include <string/mem.h>
#include <tessera/ring.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "hhdm.h"

static enum err find(const struct cte *root, uint64_t addr, uint64_t depth, struct cte **out)
{
	uint32_t rights;
	enum err e = cap_lookup(capboot_env(), root, addr, depth, out, &rights);

	if (e)
		return e;
	if (!(rights & CAP_RIGHT_READ))
		return ERR_PERM;
	return cap_slot_live(*out) ? ERR_OK : ERR_EMPTY;
}

enum err ring_setup(struct cte *root, struct cte *slot, const uint64_t *a)
{
	struct dcb *d = sched_dcb(slot->cap.base);
	struct cte *frame;

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	enum err e = find(root, a[0], a[1], &frame);
	if (e)
		return e;
	if (frame->cap.type != CAP_FRAME)
		return ERR_TYPE;
	if (!(frame->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (a[2] > RING_MAX_BITS || a[3] > RING_MAX_BITS ||
	    ring_bytes((unsigned)a[2], (unsigned)a[3]) > 1ull << frame->cap.size_bits)
		return ERR_RANGE;
	d->ring = d->ring_frame = frame->cap.base;
	d->sq_bits = (uint8_t)a[2];
	d->cq_bits = (uint8_t)a[3];
	d->sq_head = d->cq_tail = 0;
	struct ring_header *h = hhdm_ptr(d->ring);
	memset(h, 0, sizeof *h);
	h->sq_bits = d->sq_bits;
	h->cq_bits = d->cq_bits;
	return ERR_OK;
}

/* One submission through the same path as a system call; its completion. */
static void one(struct dcb *d, struct cte *root, const struct ring_sqe *sqe, struct ring_cqe *cqe)
{
	struct cap_invocation_args inv = sqe->inv; /* a copy: the program may change the ring */
	uint64_t tag = sqe->tag;

	cap_invoke(capboot_env(), root, &inv, &cqe->res);
	cqe->tag = tag;
	(void)d;
}

enum err ring_enter(struct cte *root, struct cte *slot, const uint64_t *a,
                    struct cap_invocation_result *res)
{
	struct dcb *d = sched_current();

	if (!d || d != sched_dcb(slot->cap.base) || !d->ring)
		return ERR_INVAL;
	struct ring_header *h = hhdm_ptr(d->ring);
	uint32_t sq_size = 1u << d->sq_bits, cq_size = 1u << d->cq_bits;
	uint32_t tail = __atomic_load_n(&h->sq_tail, __ATOMIC_ACQUIRE);
	if (tail - d->sq_head > sq_size)
		return ERR_RANGE;
	uint64_t taken = 0;
	d->no_block = 1;
	while (taken < a[0] && d->sq_head != tail && d->ring) {
		uint32_t cq_head = __atomic_load_n(&h->cq_head, __ATOMIC_ACQUIRE);
		uint32_t used = d->cq_tail - cq_head;
		if (used >= cq_size)
			break; /* full (or a head the program broke: treated as full) */
		one(d, root, &ring_sq(h)[d->sq_head & (sq_size - 1)],
		    &ring_cq(h)[d->cq_tail & (cq_size - 1)]);
		d->sq_head++;
		d->cq_tail++;
		taken++;
	}
	d->no_block = 0;
	if (d->ring) { /* an invocation in the ring may have taken it away */
		__atomic_store_n(&h->sq_head, d->sq_head, __ATOMIC_RELEASE);
		__atomic_store_n(&h->cq_tail, d->cq_tail, __ATOMIC_RELEASE);
		h->taken += taken;
		h->done += taken;
	}
	res->value[0] = taken;
	return ERR_OK;
}
