/* The single-program figures (make bench-user; bench/user/README.md), in
 * cycles of the cycle counter, each operation checked:
 *   syscall  SYSCALL straight back by SYSRET (the bench kernel's stub for
 *            this one instruction): the hardware's floor
 *   invalid  the same instruction through the kernel, which refuses the
 *            method first thing: entry, register save, exit (IRETQ)
 *   null     IDENTIFY of its own dispatcher cap: the cheapest method that
 *            does something
 *   ud       ud2, stepped over by the bench kernel's #UD stub: an
 *            exception into ring 0 and IRETQ back, nothing else
 *   fault    the first touch of a heap page: #PF, the kernel's fault
 *            upcall, the runtime retyping a frame and mapping it, resume
 *   sync     BENCH_RING_OPS IDENTIFYs as system calls
 *   ring     the same IDENTIFYs queued in a submission ring, taken by one
 *            RING_ENTER, their completions read
 * Ends with 0 or the failed check (also in the bench page). */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <tessera/ring.h>

#include "bench.h"

#define RING_VA   0x20000000ull /* 2 MiB aligned, in the image's 1 GiB: its table exists */
#define RING_BITS 10            /* 1024 entries each way */

static struct ring_header *const ring = (struct ring_header *)(uintptr_t)RING_VA;

static bool bare_syscalls(uint64_t n)
{
	return bench_syscalls(n, BENCH_NO_METHOD) == BENCH_NO_METHOD;
}

static bool refused_syscalls(uint64_t n)
{
	return bench_syscalls(n, BENCH_NO_METHOD) == ERR_INVAL;
}

static bool identifies(uint64_t n)
{
	uint64_t d = rt_depth();
	struct cap_results_identify id;

	for (uint64_t i = 0; i < n; i++)
		if (invoke_identify(rt_cap(SLOT_DISPATCHER), d, &id) || id.type != CAP_DISPATCHER)
			return false;
	return true;
}

static bool uds(uint64_t n)
{
	bench_uds(n);
	return true; /* a ud2 not stepped over would have ended the program */
}

static uint8_t *fresh; /* n pages of heap never touched */

static bool fresh_pages(uint64_t n)
{
	fresh = malloc(n * RT_PAGE);
	return fresh && (uintptr_t)fresh % RT_PAGE == 0;
}

static bool touch_pages(uint64_t n)
{
	uint64_t before = rt_fault_pages();

	for (uint64_t i = 0; i < n; i++)
		fresh[i * RT_PAGE] = (uint8_t)(i + 1);
	for (uint64_t i = 0; i < n; i++)
		if (fresh[i * RT_PAGE] != (uint8_t)(i + 1))
			return false;
	return rt_fault_pages() - before == n; /* each touch was a fault */
}

/* n IDENTIFYs of the dispatcher in one RING_ENTER; each completion in
 * order, with its tag and the dispatcher's type. */
static bool ring_batch(uint64_t n)
{
	uint32_t mask = (1u << RING_BITS) - 1, tail = ring->sq_tail, head = ring->cq_head;
	struct cap_results_ring_enter r;

	for (uint32_t i = 0; i < n; i++)
		ring_sq(ring)[(tail + i) & mask] =
		        (struct ring_sqe){.inv = {.cap = rt_cap(SLOT_DISPATCHER),
		                                  .depth = rt_depth(),
		                                  .method = CAP_INV_IDENTIFY},
		                          .tag = tail + i};
	__atomic_store_n(&ring->sq_tail, tail + (uint32_t)n, __ATOMIC_RELEASE);
	if (invoke_ring_enter(rt_cap(SLOT_DISPATCHER), rt_depth(), n, &r) || r.taken != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		const struct ring_cqe *c = &ring_cq(ring)[(head + i) & mask];
		if (c->tag != tail + i || c->res.err != ERR_OK || c->res.value[0] != CAP_DISPATCHER)
			return false;
	}
	__atomic_store_n(&ring->cq_head, head + (uint32_t)n, __ATOMIC_RELEASE);
	return true;
}

/* The rings in a 2 MiB frame of the budget, mapped at RING_VA. */
static enum err ring_up(void)
{
	struct rt_capref f;
	uint64_t offset;
	unsigned bits;
	enum err e =
	        rt_retype_slot(rt_memory(), CAP_FRAME, CAP_LARGE_PAGE_BITS, &f, &offset, &bits);

	if (!e)
		e = invoke_map_frame(rt_cap(SLOT_VSPACE), rt_depth(), f.addr, f.depth, RING_VA,
		                     CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0, NULL);
	if (!e)
		e = invoke_ring_setup(rt_cap(SLOT_DISPATCHER), rt_depth(), f.addr, f.depth,
		                      RING_BITS, RING_BITS, NULL);
	return e;
}

/* The figure timed with the kernel's bare path for the instruction at
 * `at` (want/have in the page), which is then taken away again. */
static int with_bare(const struct bench_op *op, volatile uint64_t *want, volatile uint64_t *have,
                     const char *at, int check)
{
	if (!bench_bare(want, have, (uint64_t)(uintptr_t)at))
		return bench_fail(check, *have);
	int e = bench_measure(op, check + 1);
	if (!bench_bare(want, have, 0))
		return bench_fail(check + 2, *have);
	return e;
}

int main(void)
{
	static const struct bench_op syscall = {BENCH_FIG_SYSCALL, BENCH_CALL_OPS, NULL,
	                                        bare_syscalls},
	                             invalid = {BENCH_FIG_INVALID, BENCH_CALL_OPS, NULL,
	                                        refused_syscalls},
	                             null = {BENCH_FIG_NULL, BENCH_CALL_OPS, NULL, identifies},
	                             ud = {BENCH_FIG_UD, BENCH_UD_OPS, NULL, uds},
	                             fault = {BENCH_FIG_FAULT, BENCH_FAULT_OPS, fresh_pages,
	                                      touch_pages},
	                             sync = {BENCH_FIG_SYNC, BENCH_RING_OPS, NULL, identifies},
	                             batch = {BENCH_FIG_RING, BENCH_RING_OPS, NULL, ring_batch};
	struct benchpage *p = bench_page();
	int e;

	if (p->magic != BENCHPAGE_MAGIC || p->role != BENCH_ROLE_SYS || !rt_memory())
		return bench_fail(1, p->role);
	if ((e = with_bare(&syscall, &p->want_syscall, &p->have_syscall, bench_syscall_ret, 10)) ||
	    (e = bench_measure(&invalid, 20)) || (e = bench_measure(&null, 30)) ||
	    (e = with_bare(&ud, &p->want_ud, &p->have_ud, bench_ud_ip, 40)) ||
	    (e = bench_measure(&fault, 50)))
		return e;
	enum err r = ring_up();
	if (r)
		return bench_fail(60, r);
	if ((e = bench_measure(&sync, 70)) || (e = bench_measure(&batch, 80)))
		return e;
	return 0;
}
