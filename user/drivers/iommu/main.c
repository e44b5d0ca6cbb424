/* iommu: the IOMMU service (user/README.md, "The IOMMU service").  It is
 * given the machine's device caps (init's "devices") and looks among them
 * for a VT-d unit's registers (device untyped flagged CAP_FLAG_IOMMU: the
 * kernel found a DMAR table with a unit for all of segment 0).  With one,
 * it turns DMA remapping on with no function mapped, so every device's DMA
 * faults until a caller of the service "iommu" (rt/iommu.h) lends frames
 * for its function; those, and nothing else, the function reaches:
 *
 *   iommu: VT-d 1.0 at 0xfed90000: 4-level tables (48 bits), 8 fault records; DMA remapping on
 *   iommu: 00:1f.2: 33 frames mapped (domain 1)
 *
 * Without one it says so and answers every request UNSUPPORTED: nothing
 * confines DMA (README.md, "Drivers").  Faults are polled every
 * POLL_MS and logged with the function and the address (vtd_faults). */
#include <rt/device.h>
#include <rt/image.h>
#include <rt/iommu.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <rt/service.h>
#include <string/mem.h>

#include "vtd.h"

#define RW        (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define POLL_MS   20u
#define TIMER_BIT (1ull << 8)

static struct vtd unit;
static bool have_unit;

/* A zeroed frame of the budget, mapped, and its physical address. */
static enum err alloc_page(struct vtd_page *out)
{
	struct rt_capref slot;
	struct cap_results_identify id;
	uint64_t offset, at = rt_map_area(1);
	unsigned bits;
	enum err e =
	        at ? rt_retype_slot(rt_memory(), CAP_FRAME, 12, &slot, &offset, &bits) : ERR_NOMEM;

	if (!e)
		e = rt_map(slot, at, RW);
	if (!e)
		e = invoke_identify(slot.addr, slot.depth, &id);
	if (e)
		return e;
	memset((void *)(uintptr_t)at, 0, 4096);
	out->va = (uint64_t *)(uintptr_t)at;
	out->phys = id.base;
	return ERR_OK;
}

/* The unit's register page: a device frame made from the flagged device
 * untyped, mapped uncached; its physical base in *base.  NOENT none. */
static enum err map_unit(struct rt_capref devices, volatile void **regs, uint64_t *base)
{
	struct cap_results_identify id;

	for (unsigned i = 0; i < 1u << RT_DEVICES_BITS; i++) {
		struct rt_capref c = rt_ref_in(devices, RT_DEVICES_BITS, i), slot, cnode;
		uint64_t index, va;
		if (invoke_identify(c.addr, c.depth, &id) || id.type != CAP_UNTYPED ||
		    !(id.flags & CAP_FLAG_IOMMU))
			continue;
		va = rt_map_area(1);
		enum err e = va ? rt_slot_alloc(&slot) : ERR_NOMEM;
		if (e)
			return e;
		rt_slot_where(slot, &cnode, &index);
		e = invoke_retype(c.addr, c.depth, CAP_DEVICE_FRAME, CAP_PAGE_BITS, 0, 1,
		                  cnode.addr, cnode.depth, index, NULL);
		if (!e)
			e = rt_map(slot, va, RW);
		*regs = (volatile void *)(uintptr_t)va;
		*base = id.base;
		return e;
	}
	return ERR_NOENT;
}

static void start(void)
{
	struct rt_capref devices;
	struct prog_cap info;
	volatile void *regs = NULL;
	uint64_t base = 0;
	enum err e = rt_named_cap("devices", &devices, &info);

	if (!e)
		e = map_unit(devices, &regs, &base);
	if (e == ERR_NOENT) {
		rt_printf("iommu: no VT-d unit (no ACPI DMAR): DMA is not confined\n");
		return;
	}
	if (!e)
		e = vtd_probe(&unit, regs, base, alloc_page);
	if (!e)
		e = vtd_enable(&unit);
	if (e) {
		rt_printf("iommu: VT-d at %#llx: %s; DMA is not confined\n",
		          (unsigned long long)base, err_str(e));
		return;
	}
	uint32_t ver = *(volatile uint32_t *)regs;
	have_unit = true;
	rt_printf("iommu: VT-d %u.%u at %#llx: %u-level tables (%u bits), %u fault records; DMA "
	          "remapping on\n",
	          ver >> 4 & 0xf, ver & 0xf, (unsigned long long)base, unit.levels,
	          unit.levels == 4 ? 48u : 39u, VTD_CAP_NFR(unit.cap));
}

/* The frames in the caller's CNode mapped for its function; the answer. */
static void map_frames(const struct rt_service_request *r, struct rt_capref cn,
                       struct rt_iommu_answer *a)
{
	uint16_t bdf = (uint16_t)r->w[1];
	uint64_t count = r->w[2];
	struct cap_results_identify id;
	enum err e = !have_unit                    ? ERR_UNSUPPORTED
	             : count > RT_IOMMU_MAX_FRAMES ? ERR_RANGE
	                                           : ERR_OK;

	for (unsigned i = 0; !e && i < count; i++) {
		struct rt_capref f = rt_ref_in(cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_FRAME0 + i);
		e = invoke_identify(f.addr, f.depth, &id);
		if (!e && (id.type != CAP_FRAME || id.size_bits != CAP_PAGE_BITS))
			e = ERR_TYPE;
		if (!e)
			e = vtd_map(&unit, bdf, id.base);
		a->mapped += !e;
	}
	if (have_unit && a->mapped)
		vtd_flush(&unit);
	const struct vtd_domain *d = have_unit ? vtd_domain_of(&unit, bdf) : NULL;
	a->err = e;
	a->domain = d ? d->id : 0;
	a->levels = (uint8_t)unit.levels;
	a->unit = unit.base;
	if (have_unit)
		rt_printf("iommu: %02x:%02x.%u: %u frames mapped (domain %u)%s%s\n", bdf >> 8,
		          bdf >> 3 & 31, bdf & 7, a->mapped, a->domain, e ? ": " : "",
		          e ? err_str(e) : "");
}

/* One request: answered in the caller's frame, its notification signalled. */
static void serve(const struct rt_service_request *r, void *ctx)
{
	struct rt_capref cn = *(struct rt_capref *)ctx, copy;
	struct rt_iommu_answer a = {.magic = RT_IOMMU_MAGIC};
	uint64_t va = rt_map_area(1);

	if (!(r->info & EP_INFO_CAP) || r->w[0] != RT_IOMMU_MAP) {
		rt_printf("iommu: a request without its CNode, or not a map (%llu); ignored\n",
		          (unsigned long long)r->w[0]);
		if (r->info & EP_INFO_CAP)
			rt_delete(cn);
		return;
	}
	map_frames(r, cn, &a);
	enum err e = va ? rt_slot_alloc(&copy) : ERR_NOMEM;
	if (!e)
		e = rt_copy(copy, rt_ref_in(cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_ANSWER));
	if (!e && !(e = rt_map(copy, va, RW)))
		memcpy((void *)(uintptr_t)va, &a, sizeof a);
	if (!e) {
		struct rt_capref n = rt_ref_in(cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_NOTIFY);
		e = invoke_notify_signal(n.addr, n.depth, RT_IOMMU_BIT, NULL);
	}
	if (e)
		rt_printf("iommu: the answer did not reach its caller: %s\n", err_str(e));
	if (copy.depth) {
		rt_delete(copy);
		rt_slot_free(copy);
	}
	if (va)
		rt_map_area_free(va, 1);
	rt_delete(cn);
}

int main(void)
{
	struct rt_capref ep, slot;
	struct cap_results_notify_wait w = {0};

	start();
	if (rt_service_endpoint("iommu", &ep) || rt_slot_alloc(&slot)) {
		rt_printf("iommu: no endpoint to serve on\n");
		return 1;
	}
	for (;;) {
		rt_service_take(ep, slot, w.bits, serve, &slot);
		if (have_unit) {
			vtd_faults(&unit);
			invoke_notify_timer(rt_cap(SLOT_NOTIFY), rt_depth(), POLL_MS * 1000ull,
			                    TIMER_BIT, NULL);
		}
		invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &w);
	}
}
