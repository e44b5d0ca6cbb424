/* This core's cap_env; see capboot.h. */
#include "capboot.h"

#include <arch/paging.h>

#include "frame.h"
#include "hhdm.h"
#include "mm/prot.h"
#include "mm/vm.h"
#include "mm/vspace.h"
#include "panic.h"
#include "region.h"
#include "sched/device.h"
#include "sched/kinvoke.h"
#include "sched/monlink.h"
#include "sched/notify.h"
#include "sched/sched.h"

static void *phys_to_virt(void *ctx, uint64_t pa)
{
	return hhdm_ptr(pa);
}

/* Whether [pa, pa + len) is mapped in this core's HHDM writable, for the
 * kernel only and not uncached or write-combining (device registers): the
 * page tables say so, page by page, in the kernel half every space of this
 * core shares, and each page must translate back to the physical address
 * asked for.  Each core maps only its own memory there (kernel/README.md),
 * so this is "this core's memory", which invoke can zero. */
static bool reachable(void *ctx, uint64_t pa, uint64_t len)
{
	const unsigned bad = MM_PROT_USER | MM_PROT_UC | MM_PROT_WC;
	struct arch_pt pt;
	uint64_t last = pa + len - 1, got;
	unsigned prot, bits;

	if (len == 0 || last < pa || !hhdm_ready() || !vm_kernel()->root)
		return false;
	vm_pt(vm_kernel(), &pt);
	for (uint64_t p = pa;;) {
		if (arch_pt_lookup(&pt, (uint64_t)(uintptr_t)hhdm_ptr(p), &got, &prot, &bits) ||
		    got != p || !(prot & MM_PROT_WRITE) || (prot & bad))
			return false;
		uint64_t next = (p | ((1ull << bits) - 1)) + 1;
		if (next == 0 || next - 1 >= last)
			return true;
		p = next;
	}
}

/* Whether a root object of this type is RAM taken from the frame pool.
 * Untyped outside the pool's span is another core's memory: made by the
 * boot core for that core (deleted here once the core installed it) or
 * kept for a core that did not come up; no pool here takes it back, and a
 * kept one is made again by capboot_init. */
static bool from_pool(const struct cap *c)
{
	uint64_t base, size;

	switch (c->type) {
	case CAP_IOPORT:
	case CAP_IRQ:
	case CAP_LOG:
	case CAP_MONITOR:
	case CAP_DEVICE_FRAME: return false;
	case CAP_UNTYPED:
		frame_span(&base, &size);
		return !(c->flags & CAP_FLAG_DEVICE) && c->base >= base && c->base - base < size;
	default: return true;
	}
}

/* An object lost its last cap.  Page tables and frames were unmapped by
 * removed already; a top table's space is retired; a root object's memory
 * goes back to the pool (the buddy never writes the memory it manages, so
 * CNode slots stay readable until the invocation returns), an untyped
 * region block through its record (region.h).  A dispatcher leaves its
 * core, and one whose root CNode, top table or frame this was stops
 * (sched.h). */
static void destroyed(void *ctx, const struct cap *cap, bool root)
{
	sched_object_gone(cap);
	vspace_destroyed(cap);
	if (!root || !from_pool(cap) || region_release(cap))
		return;
	/* Roots are made by the kernel only (pool_object: whole pages); no
	 * invocation makes one, so this is a kernel bug, not an input. */
	if (cap->size_bits < CAP_PAGE_BITS)
		panic("capboot: root object %#llx of 2^%u bytes cannot be from the pool",
		      (unsigned long long)cap->base, cap->size_bits);
	frame_free_block(cap->base, cap->size_bits - CAP_PAGE_BITS);
}

static void removed(void *ctx, const struct cap *cap)
{
	vspace_removed(cap);
	monlink_removed(cap);
	irq_removed(cap);
}

/* A new object: a notification object joins this core's list (notify.h). */
static void made(void *ctx, const struct cap *cap)
{
	if (cap->type == CAP_NOTIFY)
		notify_made(cap);
}

static const struct cap_env env = {.phys_to_virt = phys_to_virt,
                                   .reachable = reachable,
                                   .destroyed = destroyed,
                                   .removed = removed,
                                   .made = made,
                                   .invoke = kinvoke};

const struct cap_env *capboot_env(void)
{
	return &env;
}
