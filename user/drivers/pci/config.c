/* Configuration-space access for the PCI service; see pci.h. */
#include <rt/device.h>
#include <rt/mem.h>

#include "pci.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc
#define PAGE           4096u

enum err pci_access_init(struct pci_access *a, struct rt_capref devices)
{
	struct cap_results_identify id;

	*a = (struct pci_access){0};
	for (unsigned i = 0; i < 1u << RT_DEVICES_BITS; i++) {
		struct rt_capref c = rt_ref_in(devices, RT_DEVICES_BITS, i);
		if (invoke_identify(c.addr, c.depth, &id))
			continue;
		if (id.type == CAP_UNTYPED && (id.flags & CAP_FLAG_ECAM) && !a->ecam) {
			a->ecam = true;
			a->ecam_base = id.base;
			a->ecam_ut = c;
		}
		if (id.type == CAP_IOPORT && id.base == CONFIG_ADDRESS && id.count == 8)
			a->ports = c;
	}
	if (a->ecam) {
		a->page_va = rt_map_area(1);
		if (!a->page_va || rt_slot_alloc(&a->page))
			a->ecam = false;
	}
	return a->ecam || a->ports.depth ? ERR_OK : ERR_NOENT;
}

/* The ECAM page of (bus, dev, fn) mapped at page_va: a device frame
 * retyped from the ECAM untyped, the one before deleted. */
static bool ecam_page(struct pci_access *a, uint64_t offset)
{
	struct rt_capref cnode;
	uint64_t index;

	if (a->mapped && a->page_offset == offset)
		return true;
	if (a->mapped) {
		rt_delete(a->page); /* its mapping goes with it */
		a->mapped = false;
	}
	rt_slot_where(a->page, &cnode, &index);
	if (invoke_retype(a->ecam_ut.addr, a->ecam_ut.depth, CAP_DEVICE_FRAME, 12, offset, 1,
	                  cnode.addr, cnode.depth, index, NULL))
		return false;
	if (rt_map(a->page, a->page_va, CAP_RIGHT_READ | CAP_RIGHT_WRITE)) {
		rt_delete(a->page);
		return false;
	}
	a->mapped = true;
	a->page_offset = offset;
	return true;
}

static uint32_t legacy_address(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return 1u << 31 | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(struct pci_access *a, unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	if (a->ecam) {
		uint64_t page = (uint64_t)bus << 20 | dev << 15 | fn << 12;
		if (!ecam_page(a, page))
			return 0xffffffffu;
		return *(volatile uint32_t *)(uintptr_t)(a->page_va + (off & 0xffc));
	}
	if (rt_out(a->ports, CONFIG_ADDRESS, 4, legacy_address(bus, dev, fn, off)))
		return 0xffffffffu;
	return rt_in(a->ports, CONFIG_DATA, 4);
}

void pci_write32(struct pci_access *a, unsigned bus, unsigned dev, unsigned fn, unsigned off,
                 uint32_t v)
{
	if (a->ecam) {
		uint64_t page = (uint64_t)bus << 20 | dev << 15 | fn << 12;
		if (ecam_page(a, page))
			*(volatile uint32_t *)(uintptr_t)(a->page_va + (off & 0xffc)) = v;
		return;
	}
	if (!rt_out(a->ports, CONFIG_ADDRESS, 4, legacy_address(bus, dev, fn, off)))
		rt_out(a->ports, CONFIG_DATA, 4, v);
}
