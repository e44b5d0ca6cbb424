/* A caller's side of the IOMMU service; see rt/iommu.h. */
#include <rt/chan.h>
#include <rt/iommu.h>
#include <rt/mem.h>
#include <string/mem.h>

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

/* The call's CNode: our notification, the answer's frame (mapped at *va
 * through *copy), a copy of each frame. */
static enum err request(struct rt_capref *cn, const struct rt_capref *frames, unsigned count,
                        struct rt_capref *copy, uint64_t *va)
{
	uint64_t offset;
	unsigned bits;
	enum err e = rt_retype_slot(rt_memory(), CAP_CNODE, RT_IOMMU_BITS, cn, &offset, &bits);

	if (!e)
		e = rt_retype(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, *cn, RT_IOMMU_SLOT_ANSWER,
		              &offset, &bits);
	if (!e)
		e = rt_mint(rt_ref_in(*cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_NOTIFY),
		            rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE);
	for (unsigned i = 0; !e && i < count; i++)
		e = rt_copy(rt_ref_in(*cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_FRAME0 + i), frames[i]);
	if (!e)
		e = rt_slot_alloc(copy);
	if (!e)
		e = rt_copy(*copy, rt_ref_in(*cn, RT_IOMMU_BITS, RT_IOMMU_SLOT_ANSWER));
	*va = e ? 0 : rt_map_area(1);
	if (!e)
		e = *va ? rt_map(*copy, *va, RW) : ERR_NOMEM;
	return e;
}

enum err rt_iommu_map(const struct rt_service *iommu, uint16_t bdf, const struct rt_capref *frames,
                      unsigned count, struct rt_iommu_answer *a)
{
	const uint64_t w[5] = {RT_IOMMU_MAP, bdf, count, 0, 0};
	struct rt_capref cn = {0}, copy = {0};
	uint64_t va = 0;
	enum err e = count <= RT_IOMMU_MAX_FRAMES ? ERR_OK : ERR_RANGE;

	*a = (struct rt_iommu_answer){0};
	if (!e)
		e = rt_memory() ? request(&cn, frames, count, &copy, &va) : ERR_NOMEM;
	if (!e)
		e = rt_service_call(iommu, cn, w);
	while (!e) {
		struct cap_results_notify_wait r;
		e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &r);
		if (!e && (r.bits & ~RT_IOMMU_BIT))
			rt_chan_stash(r.bits & ~RT_IOMMU_BIT);
		if (!e && (r.bits & RT_IOMMU_BIT))
			break;
	}
	if (!e) {
		memcpy(a, (const void *)(uintptr_t)va, sizeof *a);
		e = a->magic != RT_IOMMU_MAGIC ? ERR_CORRUPT : (enum err)a->err;
	}
	if (copy.depth) {
		rt_delete(copy);
		rt_slot_free(copy);
	}
	if (va)
		rt_map_area_free(va, 1);
	if (cn.depth) {
		rt_delete(cn); /* the copies in it go with it; the service keeps its own */
		rt_slot_free(cn);
	}
	return e;
}
