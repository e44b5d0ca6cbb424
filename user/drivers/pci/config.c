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

/* One BAR's size: all ones written, what stays 0 read back (PCI Local Bus
 * 3.0 §6.2.5.1), the value put back. */
static uint32_t probe(struct pci_access *a, const struct pci_fn *f, unsigned off)
{
	uint32_t was = pci_read32(a, f->bus, f->dev, f->fn, off);

	pci_write32(a, f->bus, f->dev, f->fn, off, 0xffffffffu);
	uint32_t v = pci_read32(a, f->bus, f->dev, f->fn, off);
	pci_write32(a, f->bus, f->dev, f->fn, off, was);
	return v;
}

void pci_size_bars(struct pci_access *a, struct pci_fn *f)
{
	uint32_t cmd = pci_read32(a, f->bus, f->dev, f->fn, PCI_COMMAND);

	pci_write32(a, f->bus, f->dev, f->fn, PCI_COMMAND,
	            cmd & ~(uint32_t)(PCI_CMD_IO | PCI_CMD_MEM) & 0xffff);
	for (unsigned b = 0; b < RT_PCI_BARS; b++) {
		unsigned off = PCI_BAR0 + 4 * b;
		uint32_t v = pci_read32(a, f->bus, f->dev, f->fn, off);
		struct rt_pci_bar *bar = &f->bars[b];
		if (v & 1) { /* I/O: bits 31-2 the address */
			uint32_t m = probe(a, f, off) & ~3u & 0xffff;
			*bar = (struct rt_pci_bar){.base = v & ~3u, .kind = RT_PCI_BAR_IO};
			bar->size = m ? (~m & 0xffff) + 1 : 0;
			continue;
		}
		uint64_t m = probe(a, f, off) & ~0xfu;
		*bar = (struct rt_pci_bar){.base = v & ~0xfu, .prefetch = (v >> 3) & 1};
		if ((v >> 1 & 3) == 2 &&
		    b < RT_PCI_BARS - 1) { /* 64 bits: the next holds the top */
			bar->wide = 1;
			bar->base |= (uint64_t)pci_read32(a, f->bus, f->dev, f->fn, off + 4) << 32;
			m |= (uint64_t)probe(a, f, off + 4) << 32;
			b++;
		} else {
			m |= 0xffffffff00000000ull;
		}
		bar->size = m != 0xffffffff00000000ull ? ~m + 1 : 0;
		bar->kind = bar->size ? RT_PCI_BAR_MEM : RT_PCI_BAR_NONE;
	}
	pci_write32(a, f->bus, f->dev, f->fn, PCI_COMMAND, cmd & 0xffff);
}
