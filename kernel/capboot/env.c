/* This core's cap_env; see capboot.h. */
#include "capboot.h"

#include "frame.h"
#include "hhdm.h"
#include "mm/vspace.h"
#include "panic.h"
#include "region.h"

static void *phys_to_virt(void *ctx, uint64_t pa)
{
	return hhdm_ptr(pa);
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
 * region block through its record (region.h).  Dispatchers would be
 * descheduled here; there are none yet. */
static void destroyed(void *ctx, const struct cap *cap, bool root)
{
	vspace_destroyed(cap);
	if (!root || !from_pool(cap) || region_release(cap))
		return;
	if (cap->size_bits < CAP_PAGE_BITS)
		panic("capboot: root object %#llx of 2^%u bytes cannot be from the pool",
		      (unsigned long long)cap->base, cap->size_bits);
	frame_free_block(cap->base, cap->size_bits - CAP_PAGE_BITS);
}

static void removed(void *ctx, const struct cap *cap)
{
	vspace_removed(cap);
}

static const struct cap_env env = {
        .phys_to_virt = phys_to_virt, .destroyed = destroyed, .removed = removed};

const struct cap_env *capboot_env(void)
{
	return &env;
}
