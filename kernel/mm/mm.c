/* Per-core start of memory management and the memory messages; see mm.h. */
#include "mm.h"

#include <arch/paging.h>
#include <tessera/msg.h>

#include "frame.h"
#include "kheap.h"
#include "log.h"
#include "memx.h"
#include "panic.h"
#include "shootdown.h"
#include "vm.h"

/* This core's buddy pool, for donations (frame.c; see mm.h). */
struct buddy *frame_buddy(void) __attribute__((weak));

static struct xcore xcore;
static bool have_xcore;
static bool ready;
static struct memx memx;
static struct shootdown shootdown;

enum err mm_core_init(unsigned core)
{
	unsigned f = arch_cpu_protect();

	ready = false;
	have_xcore = false;
	shootdown = (struct shootdown){0};
	kheap_init();
	memx_init(&memx, frame_buddy ? frame_buddy() : NULL, MM_DONOR_RESERVE);
	enum err e = frame_total_count() ? vm_init(core) : ERR_NOMEM;
	log_printf("mm: NX WP%s%s%s%s%s, %u-level paging; address spaces: %s\n",
	           f & ARCH_FEAT_SMEP ? " SMEP" : "", f & ARCH_FEAT_SMAP ? " SMAP" : "",
	           f & ARCH_FEAT_UMIP ? " UMIP" : "", f & ARCH_FEAT_PCID ? " PCID" : "",
	           f & ARCH_FEAT_INVPCID ? " INVPCID" : "", arch_mmu_levels(), err_str(e));
	ready = e == ERR_OK;
	return e;
}

bool mm_ready(void)
{
	return ready;
}

void mm_xcore_attach(const struct xcore *x)
{
	xcore = *x;
	have_xcore = true;
}

static void invalidate(uint64_t id, uint64_t va, uint64_t len)
{
	vm_invalidate_local(id, false, va, len);
}

/* A donation this core cannot take into a pool goes back to its sender. */
static enum err on_donate(unsigned from, const struct msg_mem_donate *d)
{
	if (memx.pool)
		return memx_on_donate(&memx, &xcore, from, d);
	if (d->frames == 0 || (d->reserved & MEMX_RETURNED))
		return d->frames ? ERR_RANGE : ERR_OK;
	struct msg_mem_donate back = *d;
	back.donor = xcore.self;
	back.reserved = MEMX_RETURNED;
	return xcore_send_wait(&xcore, from, MSG_MEM_DONATE, &back, sizeof back);
}

static enum err on_request(unsigned from, const struct msg_mem_request *r)
{
	if (memx.pool)
		return memx_on_request(&memx, &xcore, from, r);
	struct msg_mem_donate end = {.donor = xcore.self};
	return xcore_send_wait(&xcore, from, MSG_MEM_DONATE, &end, sizeof end);
}

bool mm_handle(unsigned from, const struct urpc_msg *m)
{
	union {
		struct msg_mem_request req;
		struct msg_mem_donate don;
		struct msg_tlb_shootdown sd;
		struct msg_shootdown_ack ack;
	} p;
	enum err e;

	switch (m->type) {
	case MSG_MEM_REQUEST:
		e = msg_decode_mem_request(m, &p.req);
		e = e ? e : on_request(from, &p.req);
		break;
	case MSG_MEM_DONATE:
		e = msg_decode_mem_donate(m, &p.don);
		e = e ? e : on_donate(from, &p.don);
		break;
	case MSG_TLB_SHOOTDOWN:
		e = msg_decode_tlb_shootdown(m, &p.sd);
		e = e ? e : shootdown_on_request(&xcore, &p.sd, invalidate);
		break;
	case MSG_SHOOTDOWN_ACK:
		e = msg_decode_shootdown_ack(m, &p.ack);
		e = e ? e : shootdown_on_ack(&shootdown, from, &p.ack);
		break;
	default: return false;
	}
	if (e)
		log_printf("mm: %s from core %u: %s\n", msg_type_name(m->type), from, err_str(e));
	return true;
}

void mm_shootdown(uint64_t targets, uint64_t id, uint64_t va, uint64_t len)
{
	if (!have_xcore)
		panic("mm: space %#llx active on cores %#llx but no channels to them",
		      (unsigned long long)id, (unsigned long long)targets);
	enum err e = shootdown_run(&shootdown, &xcore, targets, id, va, len);
	if (e)
		panic("mm: TLB shootdown to cores %#llx failed: %s", (unsigned long long)targets,
		      err_str(e));
}

enum err mm_request_memory(unsigned donor, uint64_t bytes, uint64_t *received)
{
	if (!have_xcore || !memx.pool)
		return ERR_UNSUPPORTED;
	enum err e = memx_request(&memx, &xcore, donor, bytes);
	while (!e && memx.waiting)
		xcore.poll(xcore.ctx);
	*received = memx.received;
	return e;
}

enum err mm_give_memory(unsigned to, uint64_t bytes, uint64_t *given)
{
	if (!have_xcore || !memx.pool)
		return ERR_UNSUPPORTED;
	return memx_give(&memx, &xcore, to, bytes, given);
}
