/* Finding and reaching one PCI function; see pcidev.h. */
#include <rt/device.h>
#include <rt/mem.h>

#include "pcidev.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc
#define PAGE           4096ull
#define RW             (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

/* The ECAM page of the current function mapped at cfg_va (retyped from
 * the ECAM untyped each time: the PCI service may want it in between). */
static bool cfg_map(struct pcidev *d)
{
	struct rt_capref cnode;
	uint64_t index, off = (uint64_t)d->bus << 20 | d->dev << 15 | d->fn << 12;

	rt_slot_where(d->cfg_page, &cnode, &index);
	if (invoke_retype(d->ecam_ut.addr, d->ecam_ut.depth, CAP_DEVICE_FRAME, 12, off, 1,
	                  cnode.addr, cnode.depth, index, NULL))
		return false;
	if (rt_map(d->cfg_page, d->cfg_va, RW)) {
		rt_delete(d->cfg_page);
		return false;
	}
	return true;
}

static uint32_t legacy(const struct pcidev *d, unsigned off)
{
	return 1u << 31 | d->bus << 16 | d->dev << 11 | d->fn << 8 | (off & 0xfc);
}

uint32_t pcidev_read32(struct pcidev *d, unsigned off)
{
	uint32_t v = 0xffffffffu;

	if (d->ecam) {
		if (cfg_map(d)) {
			v = *(volatile uint32_t *)(uintptr_t)(d->cfg_va + (off & 0xffc));
			rt_delete(d->cfg_page); /* its mapping goes with it */
		}
		return v;
	}
	if (rt_out(d->ports, CONFIG_ADDRESS, 4, legacy(d, off)))
		return v;
	return rt_in(d->ports, CONFIG_DATA, 4);
}

void pcidev_write32(struct pcidev *d, unsigned off, uint32_t v)
{
	if (d->ecam) {
		if (cfg_map(d)) {
			*(volatile uint32_t *)(uintptr_t)(d->cfg_va + (off & 0xffc)) = v;
			rt_delete(d->cfg_page);
		}
		return;
	}
	if (!rt_out(d->ports, CONFIG_ADDRESS, 4, legacy(d, off)))
		rt_out(d->ports, CONFIG_DATA, 4, v);
}

uint64_t pcidev_bar(struct pcidev *d, unsigned i)
{
	uint32_t lo = pcidev_read32(d, PCIDEV_BAR0 + 4 * i);

	if (lo & 1)
		return 0;
	uint64_t base = lo & ~0xfull;
	if ((lo >> 1 & 3) == 2 && i < 5)
		base |= (uint64_t)pcidev_read32(d, PCIDEV_BAR0 + 4 * (i + 1)) << 32;
	return base;
}

/* ECAM, the configuration ports and the device untyped among the caps. */
static void take_caps(struct pcidev *d, struct rt_capref devices)
{
	struct cap_results_identify id;

	for (unsigned i = 0; i < 1u << RT_DEVICES_BITS; i++) {
		struct rt_capref c = rt_ref_in(devices, RT_DEVICES_BITS, i);
		if (invoke_identify(c.addr, c.depth, &id))
			continue;
		if (id.type == CAP_UNTYPED && (id.flags & CAP_FLAG_ECAM) && !d->ecam) {
			d->ecam = true;
			d->ecam_ut = c;
		} else if (id.type == CAP_UNTYPED && (id.flags & CAP_FLAG_DEVICE) &&
		           d->nmmio < PCIDEV_UNTYPED) {
			d->mmio[d->nmmio].cap = c;
			d->mmio[d->nmmio].base = id.base;
			d->mmio[d->nmmio++].bits = id.size_bits;
		}
		if (id.type == CAP_IOPORT && id.base == CONFIG_ADDRESS && id.count == 8)
			d->ports = c;
	}
}

enum err pcidev_find(struct pcidev *d, struct rt_capref devices, uint16_t vendor,
                     const uint16_t *ids, unsigned n)
{
	*d = (struct pcidev){0};
	take_caps(d, devices);
	if (d->ecam && (rt_slot_alloc(&d->cfg_page) || !(d->cfg_va = rt_map_area(1))))
		d->ecam = false;
	if (!d->ecam && !d->ports.depth)
		return ERR_NOENT;
	for (d->dev = 0; d->dev < 32; d->dev++) {
		uint32_t id = pcidev_read32(d, PCIDEV_ID);
		if ((id & 0xffff) != vendor)
			continue;
		for (unsigned k = 0; k < n; k++) {
			if (id >> 16 != ids[k])
				continue;
			d->vendor = vendor;
			d->device = ids[k];
			return ERR_OK;
		}
	}
	return ERR_NOENT;
}

/* One page of device memory, mapped once. */
static enum err map_page(struct pcidev *d, uint64_t phys, uint64_t *va)
{
	for (unsigned i = 0; i < d->npages; i++)
		if (d->page[i].phys == phys) {
			*va = d->page[i].va;
			return ERR_OK;
		}
	if (d->npages == PCIDEV_PAGES)
		return ERR_FULL;
	for (unsigned i = 0; i < d->nmmio; i++) {
		uint64_t base = d->mmio[i].base, size = 1ull << d->mmio[i].bits;
		if (phys < base || phys - base >= size)
			continue;
		struct rt_capref slot, cnode;
		uint64_t index, at = rt_map_area(1);
		enum err e = at ? rt_slot_alloc(&slot) : ERR_NOMEM;
		if (e)
			return e;
		rt_slot_where(slot, &cnode, &index);
		e = invoke_retype(d->mmio[i].cap.addr, d->mmio[i].cap.depth, CAP_DEVICE_FRAME, 12,
		                  phys - base, 1, cnode.addr, cnode.depth, index, NULL);
		if (!e)
			e = rt_map(slot, at, RW);
		if (e)
			return e;
		d->page[d->npages].phys = phys;
		d->page[d->npages++].va = at;
		*va = at;
		return ERR_OK;
	}
	return ERR_NOENT;
}

enum err pcidev_map(struct pcidev *d, uint64_t phys, uint64_t len, volatile void **va)
{
	uint64_t first = phys & ~(PAGE - 1), first_va = 0;

	/* a structure spanning pages needs them at consecutive addresses:
	 * QEMU's are each inside one page, and so must others' be */
	if (len == 0 || ((phys + len - 1) & ~(PAGE - 1)) != first)
		return ERR_RANGE;
	enum err e = map_page(d, first, &first_va);
	if (!e)
		*va = (volatile void *)(uintptr_t)(first_va + (phys - first));
	return e;
}
