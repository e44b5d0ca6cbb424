/* This core's dispatchers: run queues, the top level, and running one
 * dispatcher for a slice; see sched.h.  All state is this core's. */
#include "sched.h"

#include <arch/arch.h>
#include <string/mem.h>
#include <tessera/syscall.h>

#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "core.h"
#include "device.h"
#include "endpoint.h"
#include "hhdm.h"
#include "log.h"
#include "mm/vm.h"
#include "mm/vspace.h"
#include "monlink.h"
#include "msgloop.h"
#include "notify.h"

static struct dcb *queue_head[DISP_PRIORITIES], *queue_tail[DISP_PRIORITIES];
static struct dcb *all;       /* set-up dispatchers */
static struct dcb *current;   /* running, between its entry and exit */
static bool yielded;          /* current gave up its slice */
static struct dcb *next_up;   /* goes next (sched_switch_to) */
static struct dcb *fpu_owner; /* whose floating-point registers the core holds */

struct dcb *sched_dcb(uint64_t pa)
{
	return hhdm_ptr(pa);
}

struct dcb *sched_current(void)
{
	return current;
}

static struct disp_frame *frame_of(const struct dcb *d)
{
	return hhdm_ptr(d->frame);
}

static bool queued(const struct dcb *d)
{
	return d->prev || queue_head[d->priority] == d;
}

static void enqueue(struct dcb *d, bool front)
{
	unsigned p = d->priority;

	if (queued(d))
		return;
	if (front) {
		d->prev = NULL;
		d->next = queue_head[p];
		if (d->next)
			d->next->prev = d;
		else
			queue_tail[p] = d;
		queue_head[p] = d;
	} else {
		d->next = NULL;
		d->prev = queue_tail[p];
		if (d->prev)
			d->prev->next = d;
		else
			queue_head[p] = d;
		queue_tail[p] = d;
	}
}

static void dequeue(struct dcb *d)
{
	unsigned p = d->priority;

	if (!queued(d))
		return;
	if (d->prev)
		d->prev->next = d->next;
	else
		queue_head[p] = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		queue_tail[p] = d->prev;
	d->next = d->prev = NULL;
}

static struct dcb *pick(void)
{
	for (unsigned p = 0; p < DISP_PRIORITIES; p++) {
		struct dcb *d = queue_head[p];
		if (d) {
			dequeue(d);
			return d;
		}
	}
	return NULL;
}

void sched_adopt(struct dcb *d)
{
	for (struct dcb *o = all; o; o = o->all_next)
		if (o == d)
			return;
	d->all_prev = NULL;
	d->all_next = all;
	if (all)
		all->all_prev = d;
	all = d;
}

/* d leaves the core's lists (its object is going away). */
static void forget(struct dcb *d)
{
	dequeue(d);
	for (struct dcb *o = all; o; o = o->all_next) {
		if (o != d)
			continue;
		if (d->all_prev)
			d->all_prev->all_next = d->all_next;
		else
			all = d->all_next;
		if (d->all_next)
			d->all_next->all_prev = d->all_prev;
		break;
	}
	endpoint_cancel(d);
	notify_cancel(d);
	if (next_up == d)
		next_up = NULL;
	if (fpu_owner == d)
		fpu_owner = NULL;
	if (current == d)
		current = NULL;
}

void sched_fpu_reset(struct dcb *d)
{
	if (fpu_owner == d)
		fpu_owner = NULL;
	arch_fpu_reset(&d->fpu);
}

/* The core's floating-point registers become d's (saved for the last
 * owner first): switched only when another dispatcher runs. */
static void fpu_take(struct dcb *d)
{
	if (fpu_owner == d)
		return;
	if (fpu_owner)
		arch_fpu_save(&fpu_owner->fpu);
	arch_fpu_restore(&d->fpu);
	fpu_owner = d;
}

void sched_start(struct dcb *d)
{
	d->state = DCB_RUNNABLE;
	d->entry = DCB_RUN_UPCALL;
	enqueue(d, false);
}

void sched_stop(struct dcb *d)
{
	sched_stop_why(d, DISP_STOPPED_STOP);
}

void sched_stop_why(struct dcb *d, unsigned why)
{
	d->state = DCB_STOPPED;
	dequeue(d);
	endpoint_cancel(d);
	notify_cancel(d);
	if (d->frame_alive)
		frame_of(d)->stopped = why;
	if (d->end_bits) /* its owner hears of it (a notification still alive) */
		notify_signal_here(d->end_notify, d->end_bits);
}

void sched_yield(void)
{
	yielded = true;
}

void sched_block(struct dcb *d)
{
	d->state = DCB_BLOCKED;
	dequeue(d);
}

void sched_switch_to(struct dcb *d)
{
	next_up = d;
}

void sched_wake(struct dcb *d, const struct cap_invocation_result *res, bool first)
{
	struct disp_frame *f = frame_of(d);

	if (d->state != DCB_BLOCKED)
		return;
	arch_syscall_result(d->saved_disabled ? &f->disabled_area : &f->enabled_area, res);
	d->state = DCB_RUNNABLE;
	enqueue(d, first);
	if (first)
		sched_switch_to(d);
}

unsigned sched_count(unsigned *runnable)
{
	unsigned n = 0, r = 0;

	for (struct dcb *d = all; d; d = d->all_next) {
		n++;
		r += d->state == DCB_RUNNABLE;
	}
	if (runnable)
		*runnable = r;
	return n;
}

void sched_object_gone(const struct cap *cap)
{
	uint64_t end = cap->base + (cap->size_bits < 64 ? 1ull << cap->size_bits : 0);

	if (cap->type == CAP_DISPATCHER) {
		struct dcb *d = sched_dcb(cap->base);
		if (d->state != DCB_STOPPED) /* its frame, if it has one, says so */
			sched_stop_why(d, DISP_STOPPED_GONE);
		forget(d);
		return;
	}
	if (cap->type == CAP_ENDPOINT) {
		endpoint_gone(cap->base);
		return;
	}
	if (cap->type == CAP_NOTIFY) {
		notify_gone(cap->base);
		return;
	}
	for (struct dcb *d = all; d; d = d->all_next) {
		bool mine = (cap->type == CAP_CNODE && d->cspace == cap->base) ||
		            (cap->type == d->vspace_type && d->vspace == cap->base) ||
		            (cap->type == CAP_FRAME && d->frame >= cap->base && d->frame < end);
		if (cap->type == CAP_FRAME && d->ring_frame >= cap->base && d->ring_frame < end)
			d->ring = d->ring_frame = 0; /* its rings are gone */
		if (mine && cap->type == CAP_FRAME)
			d->frame_alive = 0;
		if (mine && d->state != DCB_STOPPED) {
			log_printf("sched: dispatcher %llu stopped: its %s is gone\n",
			           (unsigned long long)d->id,
			           cap->type == CAP_CNODE   ? "root CNode"
			           : cap->type == CAP_FRAME ? "dispatcher frame"
			                                    : "top page table");
			sched_stop_why(d, DISP_STOPPED_GONE);
		}
	}
}

/* ---- running one dispatcher ---- */

/* A slot holding d's root CNode cap, for resolving its addresses: made
 * from the record, never linked in the derivation tree (lookups only). */
static void cspace_root(const struct dcb *d, struct cte *root)
{
	memset(root, 0, sizeof *root);
	root->cap = (struct cap){.type = CAP_CNODE,
	                         .size_bits = d->cspace_bits,
	                         .rights = d->cspace_rights,
	                         .base = d->cspace};
}

static bool in_critical(const struct disp_frame *f, uint64_t pc)
{
	return pc >= f->crit_lo && pc < f->crit_hi;
}

/* The registers d starts with this time. */
static void entry_regs(struct dcb *d, struct arch_regs *r)
{
	struct disp_frame *f = frame_of(d);

	if (d->entry == DCB_RESUME) {
		*r = f->disabled_area;
		return;
	}
	if (d->entry == DCB_FAULT_UPCALL) {
		arch_upcall(r, f->fault_entry, f->upcall_stack, d->frame_va, f->fault.vector,
		            f->fault.error, f->fault.address);
		return;
	}
	f->disabled = 1;
	f->runs++;
	d->runs++;
	r->fs_base = f->enabled_area.fs_base;
	arch_upcall(r, f->run_entry, f->upcall_stack, d->frame_va, 0, 0, 0);
}

/* d leaves the core with these registers: disabled (or in its resume
 * sequence) it resumes exactly there; enabled, it gets a run upcall. */
static void save(struct dcb *d, const struct arch_regs *r)
{
	struct disp_frame *f = frame_of(d);

	if (f->disabled || in_critical(f, r->rip)) {
		f->disabled_area = *r;
		d->entry = DCB_RESUME;
		d->saved_disabled = 1;
	} else {
		f->enabled_area = *r;
		d->entry = DCB_RUN_UPCALL;
		d->saved_disabled = 0;
	}
}

/* A fault: the program's fault upcall if it can take one, else the end. */
static bool deliver_fault(struct dcb *d, const struct arch_user *u)
{
	struct disp_frame *f = frame_of(d);

	d->faults++;
	if (f->disabled || in_critical(f, u->regs.rip) || !f->fault_entry) {
		d->stop_vector = (uint8_t)u->vector;
		d->stop_address = u->address;
		log_printf(
		        "sched: dispatcher %llu stopped: fault %u at %#llx (address %#llx, error "
		        "%#llx)%s\n",
		        (unsigned long long)d->id, u->vector, (unsigned long long)u->regs.rip,
		        (unsigned long long)u->address, (unsigned long long)u->error,
		        f->fault_entry ? " while disabled" : ", no fault entry");
		f->fault = (struct disp_fault){.vector = u->vector,
		                               .error = u->error,
		                               .address = u->address,
		                               .ip = u->regs.rip};
		sched_stop_why(d, DISP_STOPPED_FAULT);
		return false;
	}
	f->trap_area = u->regs;
	f->fault = (struct disp_fault){
	        .vector = u->vector, .error = u->error, .address = u->address, .ip = u->regs.rip};
	f->faults++;
	f->disabled = 1;
	d->entry = DCB_FAULT_UPCALL;
	return true;
}

/* The system call: an invocation in d's capability space. */
static void invoke(struct dcb *d, struct arch_regs *r)
{
	struct cap_invocation_args a;
	struct cap_invocation_result res;
	struct cte root;

	d->syscalls++;
	arch_syscall_args(r, &a);
	cspace_root(d, &root);
	cap_invoke(capboot_env(), &root, &a, &res);
	arch_syscall_result(r, &res);
}

/* Whether d may go on after an exit: still runnable, its slice not over,
 * no message waiting for the kernel. */
static bool goes_on(const struct dcb *d, uint64_t slice_end)
{
	return current == d && d->state == DCB_RUNNABLE && !yielded && !next_up &&
	       arch_ticks() < slice_end && !msgloop_pending() && !irq_pending();
}

/* Runs d for a slice; back in the queue afterwards if still runnable. */
static void run_slice(struct dcb *d)
{
	struct arch_user u;
	struct vm_space *space;
	struct cte top = {.cap = {.type = d->vspace_type,
	                          .size_bits = CAP_PAGE_TABLE_BITS,
	                          .rights = CAP_RIGHT_WRITE,
	                          .base = d->vspace}};

	if (vspace_space(&top, &space) != ERR_OK) {
		log_printf("sched: dispatcher %llu stopped: no address space\n",
		           (unsigned long long)d->id);
		sched_stop(d);
		return;
	}
	vm_activate(space);
	fpu_take(d);
	current = d;
	yielded = false;
	d->slices++;
	entry_regs(d, &u.regs);
	uint64_t slice_end = arch_ticks() + SCHED_SLICE_TICKS;
	for (;;) {
		arch_user_run(&u);
		if (u.exit == ARCH_EXIT_SYSCALL) {
			invoke(d, &u.regs);
		} else if (u.exit == ARCH_EXIT_FAULT) {
			if (current != d || !deliver_fault(d, &u))
				break;
			entry_regs(d, &u.regs);
		}
		if (!goes_on(d, slice_end)) {
			if (current == d && (d->state == DCB_RUNNABLE || d->state == DCB_BLOCKED))
				save(d, &u.regs);
			break;
		}
	}
	bool again = current == d && d->state == DCB_RUNNABLE;
	current = NULL; /* its space stays loaded (the kernel half is every space's) until another
	                   runs */
	if (again)
		enqueue(d, next_up != NULL); /* handing over: it follows the one it woke */
}

bool sched_step(void)
{
	monlink_flush();
	irq_flush();
	notify_timers_fire();
	if (msgloop_step())
		return true;
	struct dcb *d = next_up && next_up->state == DCB_RUNNABLE ? next_up : NULL;
	next_up = NULL;
	if (d)
		dequeue(d);
	else
		d = pick();
	if (!d)
		return false;
	run_slice(d);
	return true;
}

void sched_init(void)
{
	notify_register();
	monlink_register();
}

_Noreturn void sched_run(void)
{
	for (;;)
		if (!sched_step())
			msgloop_idle();
}
