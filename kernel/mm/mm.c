/* Per-core start of memory management and the memory messages; see mm.h. */
#include "mm.h"

#include <arch/paging.h>
#include <stddef.h>
#include <tessera/msg.h>

#include "borrow.h"
#include "chan.h"
#include "core.h"
#include "frame.h"
#include "kheap.h"
#include "ktime.h"
#include "log.h"
#include "memx.h"
#include "msgloop.h"
#include "panic.h"
#include "shootdown.h"
#include "vm.h"

static struct xcore xcore;
static bool have_xcore;
static bool ready;
static struct memx memx;
static struct shootdown shootdown;
static unsigned vm_replies;     /* VM_SPACE answers still expected */
static enum err vm_status;      /* the first failure among them */
static struct vm_space *asking; /* the space they are about */

/* ---- the transport: this core's message loop (msgloop.h) ---- */

static enum err loop_send(void *ctx, unsigned to, uint16_t type, const void *p, size_t len)
{
	return msgloop_send(to, type, p, len, ktime_deadline(MM_SEND_MS));
}

static void loop_poll(void *ctx)
{
	msgloop_poll();
}

static bool none_left(void *count)
{
	return *(const unsigned *)count == 0;
}

/* Dispatches until *count drops to 0; TIMEOUT after MM_WAIT_MS. */
static enum err wait_for(const unsigned *count)
{
	return msgloop_wait(none_left, (void *)count, ktime_deadline(MM_WAIT_MS));
}

static void register_handlers(void);

enum err mm_core_init(unsigned core)
{
	unsigned f = arch_cpu_protect();

	ready = false;
	have_xcore = false;
	shootdown = (struct shootdown){0};
	kheap_init();
	enum err e = frame_total_count() ? vm_init(core) : ERR_NOMEM;
	if (!e)
		borrow_init(MM_DONOR_RESERVE);
	memx_init(&memx, e ? NULL : borrow_pool());
	register_handlers();
	if (core_count() > 1)
		mm_xcore_attach(&(struct xcore){.self = core,
		                                .ncores = core_count(),
		                                .send = loop_send,
		                                .poll = loop_poll});
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

/* A donation: into a pool, or back to its sender (memx.h). */
static enum err on_donate(unsigned from, const struct msg_mem_donate *d)
{
	return memx_on_donate(&memx, &xcore, from, d);
}

static enum err on_request(unsigned from, const struct msg_mem_request *r)
{
	return memx_on_request(&memx, &xcore, from, r);
}

/* Another core asks this one to run (LOAD) or stop running (UNLOAD) one of
 * its spaces, through a mirror. */
static enum err on_vm_request(unsigned from, const struct msg_vm_space *v)
{
	struct vm_space *s = vm_space_find(v->id, true);
	struct msg_vm_space r = {.id = v->id, .core = xcore.self};
	struct arch_pt pt;

	if (!ready) {
		r.op = v->op == MSG_VM_LOAD ? MSG_VM_LOADED : MSG_VM_UNLOADED;
		r.status = ERR_UNSUPPORTED;
	} else if (v->op == MSG_VM_LOAD) {
		r.op = MSG_VM_LOADED;
		r.status = s ? ERR_OK : vm_mirror_create(v->id, &s);
		if (!r.status && v->index < ARCH_PT_ENTRIES / 2) {
			vm_pt(s, &pt);
			arch_pt_set_top_entry(&pt, v->index, v->entry);
			vm_invalidate_local(s->id, false, 0, ~(size_t)0 >> 1);
			vm_activate(s);
		} else if (!r.status) {
			r.status = ERR_RANGE;
		}
	} else {
		r.op = MSG_VM_UNLOADED;
		if (s && vm_current() == s)
			vm_activate(vm_kernel());
		r.status = s ? vm_space_destroy(s) : ERR_NOENT;
	}
	return xcore_send_wait(&xcore, from, MSG_VM_SPACE, &r, sizeof r);
}

/* An answer to this core's LOAD or UNLOAD: the owner's record of where
 * its space is active. */
static enum err on_vm_answer(unsigned from, const struct msg_vm_space *v)
{
	struct vm_space *s = asking;

	if (!s || s->id != v->id || !vm_replies || from >= 64)
		return ERR_NOENT;
	vm_replies--;
	if (v->status && !vm_status)
		vm_status = (enum err)v->status;
	if (v->op == MSG_VM_LOADED && !v->status)
		s->active |= 1ull << from;
	else if (v->op == MSG_VM_UNLOADED && !v->status)
		s->active &= ~(1ull << from);
	return ERR_OK;
}

static enum err on_vm_space(unsigned from, const struct msg_vm_space *v)
{
	if (v->core != from)
		return ERR_CORRUPT;
	if (v->op == MSG_VM_LOAD || v->op == MSG_VM_UNLOAD)
		return on_vm_request(from, v);
	if (v->op == MSG_VM_LOADED || v->op == MSG_VM_UNLOADED)
		return on_vm_answer(from, v);
	return ERR_CORRUPT;
}

/* ---- the handlers: all nested (msgloop.h), as peers wait on them ---- */

static void report(unsigned from, const struct urpc_msg *m, enum err e)
{
	if (e)
		log_printf("mm: %s from core %u: %s\n", msg_type_name(m->type), from, err_str(e));
}

static void on_mem_request(unsigned from, const struct urpc_msg *m)
{
	struct msg_mem_request r;
	enum err e = msg_decode_mem_request(m, &r);
	report(from, m, e ? e : on_request(from, &r));
}

static void on_mem_donate(unsigned from, const struct urpc_msg *m)
{
	struct msg_mem_donate d;
	enum err e = msg_decode_mem_donate(m, &d);
	report(from, m, e ? e : on_donate(from, &d));
}

static void on_shootdown(unsigned from, const struct urpc_msg *m)
{
	struct msg_tlb_shootdown sd;
	enum err e = msg_decode_tlb_shootdown(m, &sd);
	report(from, m, e ? e : shootdown_on_request(&xcore, &sd, invalidate));
}

static void on_shootdown_ack(unsigned from, const struct urpc_msg *m)
{
	struct msg_shootdown_ack a;
	enum err e = msg_decode_shootdown_ack(m, &a);
	report(from, m, e ? e : shootdown_on_ack(&shootdown, from, &a));
}

static void on_vm_msg(unsigned from, const struct urpc_msg *m)
{
	struct msg_vm_space v;
	enum err e = msg_decode_vm_space(m, &v);
	report(from, m, e ? e : on_vm_space(from, &v));
}

static void register_handlers(void)
{
	msgloop_register(MSG_MEM_REQUEST, on_mem_request, MSGLOOP_NESTED);
	msgloop_register(MSG_MEM_DONATE, on_mem_donate, MSGLOOP_NESTED);
	msgloop_register(MSG_TLB_SHOOTDOWN, on_shootdown, MSGLOOP_NESTED);
	msgloop_register(MSG_SHOOTDOWN_ACK, on_shootdown_ack, MSGLOOP_NESTED);
	msgloop_register(MSG_VM_SPACE, on_vm_msg, MSGLOOP_NESTED);
}

static bool acked(void *sd)
{
	return !shootdown_waiting(sd);
}

void mm_shootdown(uint64_t targets, uint64_t id, uint64_t va, uint64_t len)
{
	if (!have_xcore)
		panic("mm: space %#llx active on cores %#llx but no channels to them",
		      (unsigned long long)id, (unsigned long long)targets);
	enum err e = shootdown_start(&shootdown, &xcore, targets, id, va, len);
	if (!e)
		e = msgloop_wait(acked, &shootdown, ktime_deadline(MM_WAIT_MS));
	if (e)
		panic("mm: TLB shootdown to cores %#llx failed: %s", (unsigned long long)targets,
		      err_str(e));
}

static bool answered(void *m)
{
	return !((const struct memx *)m)->waiting;
}

enum err mm_request_memory(unsigned donor, uint64_t bytes, uint64_t *received)
{
	if (!have_xcore || !memx.pool)
		return ERR_UNSUPPORTED;
	enum err e = memx_request(&memx, &xcore, donor, bytes);
	if (!e)
		e = msgloop_wait(answered, &memx, ktime_deadline(MM_WAIT_MS));
	*received = memx.received;
	return e;
}

enum err mm_give_memory(unsigned to, uint64_t bytes, uint64_t *given)
{
	if (!have_xcore || !memx.pool)
		return ERR_UNSUPPORTED;
	return memx_give(&memx, &xcore, to, bytes, NULL, given);
}

enum err mm_give_back(unsigned donor, uint64_t *given)
{
	if (!have_xcore || !memx.pool)
		return ERR_UNSUPPORTED;
	return memx_give(&memx, &xcore, donor, borrow_held(donor), borrow_lender(donor), given);
}

/* Sends core n VM_SPACE requests about s (LOADs of the given top-level
 * entries, or one UNLOAD) and waits for the answers. */
static enum err space_request(struct vm_space *s, unsigned core, uint32_t op, const unsigned *index,
                              const uint64_t *entry, unsigned n)
{
	if (!have_xcore || core == xcore.self || core >= xcore.ncores || !chan_up(core))
		return ERR_INVAL;
	if ((s->flags & VM_SPACE_MIRROR) || vm_replies)
		return ERR_UNSUPPORTED;
	vm_status = ERR_OK;
	asking = s;
	for (unsigned i = 0; i < n; i++) {
		struct msg_vm_space v = {.id = s->id, .op = op, .core = xcore.self};
		if (op == MSG_VM_LOAD) {
			v.index = index[i];
			v.entry = entry[i];
		}
		enum err e = xcore_send_wait(&xcore, core, MSG_VM_SPACE, &v, sizeof v);
		if (e)
			return e;
		vm_replies++;
	}
	enum err e = wait_for(&vm_replies);
	vm_replies = 0;
	asking = NULL;
	return e ? e : vm_status;
}

enum err mm_space_share(struct vm_space *s, unsigned core)
{
	unsigned index[MM_SHARE_ENTRIES];
	uint64_t entry[MM_SHARE_ENTRIES];
	unsigned n = vm_space_top_entries(s, index, entry, MM_SHARE_ENTRIES);

	if (n > MM_SHARE_ENTRIES)
		return ERR_UNSUPPORTED;
	return space_request(s, core, MSG_VM_LOAD, index, entry, n);
}

void mm_space_sync(struct vm_space *s, unsigned index, uint64_t entry)
{
	for (unsigned c = 0; c < 64; c++) {
		if (!(s->active >> c & 1) || c == xcore.self)
			continue;
		enum err e = space_request(s, c, MSG_VM_LOAD, &index, &entry, 1);
		if (e)
			panic("mm: core %u kept a stale top-level entry of space %#llx: %s", c,
			      (unsigned long long)s->id, err_str(e));
	}
}

enum err mm_space_unshare(struct vm_space *s, unsigned core)
{
	return space_request(s, core, MSG_VM_UNLOAD, NULL, NULL, 1);
}

const struct memx *mm_exchange(void)
{
	return &memx;
}
