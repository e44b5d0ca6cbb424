/* A driver's side of the PCI service; see rt/pci.h. */
#include <rt/chan.h>
#include <rt/mem.h>
#include <rt/pci.h>
#include <string/mem.h>

#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct rt_capref rt_pci_cap(const struct rt_pci_device *d, unsigned k)
{
	return rt_ref_in(d->cnode, RT_PCI_BITS, k);
}

/* What a call made: the CNode (its block), the answer frame's block,
 * the frame's copy mapped at va. */
struct made {
	uint64_t cnode_off, frame_off, va;
	unsigned cnode_bits, frame_bits;
	struct rt_capref copy;
};

/* The CNode of the call: our notification, a frame for the answer (also
 * mapped here, at m->va through m->copy). */
static enum err request(struct rt_capref *cnode, struct made *m)
{
	enum err e = rt_retype_slot(rt_memory(), CAP_CNODE, RT_PCI_BITS, cnode, &m->cnode_off,
	                            &m->cnode_bits);

	if (!e)
		e = rt_retype(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, *cnode, RT_PCI_SLOT_ANSWER,
		              &m->frame_off, &m->frame_bits);
	if (!e)
		e = rt_mint(rt_ref_in(*cnode, RT_PCI_BITS, RT_PCI_SLOT_NOTIFY),
		            rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE);
	if (!e)
		e = rt_slot_alloc(&m->copy);
	if (!e)
		e = rt_copy(m->copy, rt_ref_in(*cnode, RT_PCI_BITS, RT_PCI_SLOT_ANSWER));
	m->va = e ? 0 : rt_map_area(1);
	if (!e)
		e = m->va ? rt_map(m->copy, m->va, RW) : ERR_NOMEM;
	return e;
}

/* One call to the service with words w (rt/pci.h): the first size bytes
 * of the answer frame into out. */
static enum err call(const struct rt_service *pci, const uint64_t w[5], struct rt_capref *cnode,
                     struct made *m, void *out, size_t size)
{
	enum err e;

	*m = (struct made){0};
	if (!rt_memory())
		return ERR_NOMEM;
	e = request(cnode, m);
	if (!e)
		e = rt_service_call(pci, *cnode, w);
	while (!e) {
		struct cap_results_notify_wait r;
		e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &r);
		if (!e && (r.bits & ~RT_PCI_BIT))
			rt_chan_stash(r.bits & ~RT_PCI_BIT);
		if (!e && (r.bits & RT_PCI_BIT))
			break;
	}
	if (!e)
		memcpy(out, (const void *)(uintptr_t)m->va, size);
	if (m->copy.depth) {
		rt_delete(m->copy);
		rt_slot_free(m->copy);
	}
	if (m->va)
		rt_map_area_free(m->va, 1);
	return e;
}

static enum err open_call(const struct rt_service *pci, const uint64_t w[5],
                          struct rt_pci_device *d)
{
	struct made m;
	enum err e;

	*d = (struct rt_pci_device){0};
	e = call(pci, w, &d->cnode, &m, &d->a, sizeof d->a);
	if (!e)
		e = d->a.magic != RT_PCI_MAGIC ? ERR_CORRUPT : (enum err)d->a.err;
	return e;
}

enum err rt_pci_open(const struct rt_service *pci, uint16_t vendor, uint16_t device, unsigned index,
                     struct rt_pci_device *d)
{
	const uint64_t w[5] = {RT_PCI_OPEN, vendor | (uint64_t)device << 16, index, 0, 0};

	return open_call(pci, w, d);
}

enum err rt_pci_open_class(const struct rt_service *pci, uint32_t class, unsigned index,
                           struct rt_pci_device *d)
{
	const uint64_t w[5] = {RT_PCI_OPEN_CLASS, class & 0xffffffu, index, 0, 0};

	return open_call(pci, w, d);
}

enum err rt_pci_list(const struct rt_service *pci, unsigned first, struct rt_pci_list *l)
{
	const uint64_t w[5] = {RT_PCI_LIST, 0, first, 0, 0};
	struct rt_capref cnode = {0};
	struct made m;
	enum err e = call(pci, w, &cnode, &m, l, sizeof *l);

	if (!e)
		e = l->magic != RT_PCI_MAGIC ? ERR_CORRUPT : (enum err)l->err;
	/* the CNode and its frame back: nothing else was put in it */
	if (m.frame_bits && !rt_delete(rt_ref_in(cnode, RT_PCI_BITS, RT_PCI_SLOT_ANSWER)))
		rt_untyped_free(rt_memory(), m.frame_off, m.frame_bits);
	rt_delete(rt_ref_in(cnode, RT_PCI_BITS, RT_PCI_SLOT_NOTIFY));
	if (cnode.depth && !rt_delete(cnode)) {
		rt_untyped_free(rt_memory(), m.cnode_off, m.cnode_bits);
		rt_slot_free(cnode);
	}
	return e;
}

enum err rt_pci_lent(struct rt_capref cnode, struct rt_pci_device *d)
{
	struct rt_capref copy;
	uint64_t va = rt_map_area(1);
	enum err e = va ? rt_slot_alloc(&copy) : ERR_NOMEM;

	*d = (struct rt_pci_device){.cnode = cnode};
	if (e)
		return e;
	e = rt_copy(copy, rt_pci_cap(d, RT_PCI_SLOT_ANSWER));
	if (!e)
		e = rt_map(copy, va, CAP_RIGHT_READ);
	if (!e) {
		memcpy(&d->a, (const void *)(uintptr_t)va, sizeof d->a);
		e = d->a.magic != RT_PCI_MAGIC ? ERR_CORRUPT : (enum err)d->a.err;
	}
	rt_delete(copy);
	rt_slot_free(copy);
	rt_map_area_free(va, 1);
	return e;
}

enum err rt_pci_map_bar(const struct rt_pci_device *d, unsigned bar, uint64_t va, uint64_t pages)
{
	if (bar >= RT_PCI_BARS || d->a.bars[bar].kind != RT_PCI_BAR_MEM || !d->a.bars[bar].given)
		return ERR_NOENT;
	if (pages > (d->a.bars[bar].size + RT_PAGE - 1) / RT_PAGE)
		return ERR_RANGE;
	struct rt_capref ut = rt_pci_cap(d, RT_PCI_SLOT_BAR0 + bar);
	for (uint64_t i = 0; i < pages; i++) {
		struct rt_capref slot, cnode;
		uint64_t index;
		enum err e = rt_slot_alloc(&slot);
		if (e)
			return e;
		rt_slot_where(slot, &cnode, &index);
		e = invoke_retype(ut.addr, ut.depth, CAP_DEVICE_FRAME, CAP_PAGE_BITS, i * RT_PAGE,
		                  1, cnode.addr, cnode.depth, index, NULL);
		if (!e)
			e = rt_map(slot, va + i * RT_PAGE, RW);
		if (e)
			return e;
	}
	return ERR_OK;
}
