/* Asynchronous invocations: the rings in a frame it was given (slot
 * RING_FRAME, mapped at RING_VA), IDENTIFYs of its own slots queued and
 * taken in one RING_ENTER, their completions in order with their tags and
 * the same results as the system call gives; a full completion ring stops
 * the kernel early; then 1000 invocations in batches against 1000 system
 * calls (both timed, for the log).  Ends with 0 or the failed check. */
#include <rt/rt.h>
#include <tessera/ring.h>

#define RING_FRAME 19
#define RING_VA    0x102000ull
#define BATCH      1000

static struct ring_header *const h = (struct ring_header *)RING_VA;

static void submit(uint32_t i, uint64_t slot, uint64_t tag)
{
	struct ring_sqe *e = &ring_sq(h)[i & ((1u << h->sq_bits) - 1)];
	*e = (struct ring_sqe){
	        .inv = {.cap = slot, .depth = rt_depth(), .method = CAP_INV_IDENTIFY}, .tag = tag};
}

/* count IDENTIFYs of slot through the rings, in batches; 0 or a check. */
static int batch(uint64_t slot, unsigned count)
{
	uint32_t size = 1u << h->sq_bits;

	for (unsigned done = 0; done < count;) {
		unsigned n = count - done < size ? count - done : size;
		for (unsigned i = 0; i < n; i++)
			submit(h->sq_tail + i, slot, done + i);
		__atomic_store_n(&h->sq_tail, h->sq_tail + n, __ATOMIC_RELEASE);
		struct cap_results_ring_enter r;
		if (invoke_ring_enter(rt_cap(SLOT_DISPATCHER), rt_depth(), n, &r) || r.taken != n)
			return 30;
		for (unsigned i = 0; i < n; i++) {
			struct ring_cqe *c = &ring_cq(h)[h->cq_head & ((1u << h->cq_bits) - 1)];
			if (c->tag != done + i || c->res.err != ERR_OK ||
			    c->res.value[0] != CAP_DISPATCHER)
				return 31;
			h->cq_head++;
		}
		done += n;
	}
	return 0;
}

int main(void)
{
	uint64_t d = rt_depth();

	if (invoke_map_frame(rt_cap(SLOT_VSPACE), d, rt_cap(RING_FRAME), d, RING_VA,
	                     CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0, NULL))
		return 1;
	if (invoke_ring_setup(rt_cap(SLOT_DISPATCHER), d, rt_cap(RING_FRAME), d, 13, 4, NULL) !=
	    ERR_RANGE) /* larger than the frame */
		return 2;
	if (invoke_ring_setup(rt_cap(SLOT_DISPATCHER), d, rt_cap(RING_FRAME), d, 4, 2, NULL))
		return 3;
	/* 8 submissions, 4 completion slots: only 4 are taken */
	for (uint32_t i = 0; i < 8; i++)
		submit(i, i & 1 ? rt_cap(SLOT_DISPATCHER) : rt_cap(60), 100 + i);
	h->sq_tail = 8;
	struct cap_results_ring_enter r;
	if (invoke_ring_enter(rt_cap(SLOT_DISPATCHER), d, 8, &r) || r.taken != 4 ||
	    h->sq_head != 4 || h->cq_tail != 4)
		return 4;
	for (uint32_t i = 0; i < 4; i++) {
		struct ring_cqe *c = &ring_cq(h)[i];
		uint64_t want_err = i & 1 ? ERR_OK : ERR_EMPTY; /* slot 60 is empty */
		if (c->tag != 100 + i || c->res.err != want_err)
			return 5;
		if (i & 1 && c->res.value[0] != CAP_DISPATCHER)
			return 6;
	}
	h->cq_head = 4; /* room again: the other 4 */
	if (invoke_ring_enter(rt_cap(SLOT_DISPATCHER), d, 8, &r) || r.taken != 4 || h->sq_head != 8)
		return 7;
	h->cq_head = 8;
	/* a tail more than a ring ahead is refused */
	h->sq_tail = 8 + 17;
	if (invoke_ring_enter(rt_cap(SLOT_DISPATCHER), d, 1, &r) != ERR_RANGE)
		return 8;
	h->sq_tail = 8;
	if (invoke_ring_setup(rt_cap(SLOT_DISPATCHER), d, rt_cap(RING_FRAME), d, 4, 4, NULL))
		return 9;
	uint64_t t0 = rt_cycles();
	int e = batch(rt_cap(SLOT_DISPATCHER), BATCH);
	uint64_t t1 = rt_cycles();
	if (e)
		return e;
	struct cap_results_identify id;
	for (unsigned i = 0; i < BATCH; i++)
		if (invoke_identify(rt_cap(SLOT_DISPATCHER), d, &id) || id.type != CAP_DISPATCHER)
			return 40;
	uint64_t t2 = rt_cycles();
	rt_printf("ring: %u invocations: %llu cycles in batches of 16, %llu one by one\n", BATCH,
	          (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
	return 0;
}
