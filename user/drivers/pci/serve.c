/* The PCI service's answers (rt/pci.h): a driver's function, its caps
 * and nothing more. */
#include <fmt/fmt.h>
#include <rt/device.h>
#include <rt/mem.h>
#include <string/mem.h>

#include "pci.h"

#define RW          (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define ICH9_DEV_25 25 /* devices 25-31: the chipset's own, routed by DxxIR */

uint32_t pci_irq_line(const struct pci_service *s, const struct pci_fn *f)
{
	if (f->pin < 1 || f->pin > 4)
		return RT_PCI_NO_IRQ;
	if (s->ich9 && f->bus == 0) {
		unsigned pirq =
		        f->dev >= ICH9_DEV_25 ? f->pin - 1u : (f->dev + f->pin - 1u) % 4 + 4;
		return 16 + pirq;
	}
	return f->line >= 1 && f->line < 16 && f->line != 2 ? f->line : RT_PCI_NO_IRQ;
}

static struct rt_capref slot_in(struct rt_capref cnode, unsigned k)
{
	return rt_ref_in(cnode, RT_PCI_BITS, k);
}

/* The device untyped holding [base, base + size), retyped into slot k of
 * the driver's CNode as an untyped of its own (whole pages, naturally
 * aligned as BARs are). */
static enum err memory_bar(struct pci_service *s, const struct rt_pci_bar *b,
                           struct rt_capref cnode, unsigned k)
{
	uint64_t size = RT_PAGE, base = b->base & ~(RT_PAGE - 1);
	unsigned bits = 12;
	struct cap_results_identify id;

	while (size < b->size)
		size <<= 1, bits++;
	for (unsigned i = 0; i < 1u << RT_DEVICES_BITS; i++) {
		struct rt_capref c = rt_ref_in(s->devices, RT_DEVICES_BITS, i);
		if (invoke_identify(c.addr, c.depth, &id) || id.type != CAP_UNTYPED ||
		    !(id.flags & CAP_FLAG_DEVICE) || (id.flags & CAP_FLAG_ECAM) || base < id.base ||
		    id.size_bits > 63 || base + size - id.base > 1ull << id.size_bits)
			continue;
		return invoke_retype(c.addr, c.depth, CAP_UNTYPED, bits, base - id.base, 1,
		                     cnode.addr, cnode.depth, k, NULL);
	}
	return ERR_NOENT;
}

/* The I/O ports of an I/O BAR, minted from the range that holds them. */
static enum err io_bar(struct pci_service *s, const struct rt_pci_bar *b, struct rt_capref dest)
{
	struct cap_results_identify id;

	for (unsigned i = 0; i < 1u << RT_DEVICES_BITS; i++) {
		struct rt_capref c = rt_ref_in(s->devices, RT_DEVICES_BITS, i);
		if (invoke_identify(c.addr, c.depth, &id) || id.type != CAP_IOPORT ||
		    b->base < id.base || b->base + b->size > id.base + id.count)
			continue;
		return invoke_mint(rt_cap(SLOT_ROOT), rt_depth(), dest.addr, dest.depth, c.addr,
		                   c.depth, RW, 0, b->base, b->size, NULL);
	}
	return ERR_NOENT;
}

/* Everything f's driver gets, into its CNode; the answer's fields. */
static void hand_out(struct pci_service *s, struct pci_fn *f, struct rt_capref cnode,
                     struct rt_pci_answer *a)
{
	struct rt_capref irq;
	char name[RT_DEVICE_NAME];

	a->irq = pci_irq_line(s, f);
	fmt_snprintf(name, sizeof name, "irq%u", a->irq);
	if (a->irq != RT_PCI_NO_IRQ &&
	    (rt_device_find(s->devices, RT_DEVICES_BITS, 1u << RT_DEVICES_BITS, name, &irq) ||
	     rt_mint(slot_in(cnode, RT_PCI_SLOT_IRQ), irq, RW)))
		a->irq = RT_PCI_NO_IRQ;
	for (unsigned i = 0; i < RT_PCI_BARS; i++) {
		const struct rt_pci_bar *b = &f->bars[i];
		enum err e = ERR_NOENT;
		a->bars[i] = *b;
		if (b->kind == RT_PCI_BAR_MEM && b->base)
			e = memory_bar(s, b, cnode, RT_PCI_SLOT_BAR0 + i);
		else if (b->kind == RT_PCI_BAR_IO && b->base)
			e = io_bar(s, b, slot_in(cnode, RT_PCI_SLOT_BAR0 + i));
		a->bars[i].given = e == ERR_OK;
	}
	uint32_t cmd = pci_read32(s->acc, f->bus, f->dev, f->fn, PCI_COMMAND) & 0xffff;
	pci_write32(s->acc, f->bus, f->dev, f->fn, PCI_COMMAND,
	            cmd | PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER);
	for (unsigned off = 0; off < RT_PCI_CONFIG_BYTES; off += 4) {
		uint32_t v = pci_read32(s->acc, f->bus, f->dev, f->fn, off);
		memcpy(a->config + off, &v, 4);
	}
}

/* The index-th function vendor:device (RT_PCI_OPEN) or of a class
 * (RT_PCI_OPEN_CLASS), in the order found; NULL none. */
static struct pci_fn *find(struct pci_service *s, uint64_t how, uint64_t key, uint64_t index)
{
	for (unsigned i = 0; i < s->nfns; i++) {
		struct pci_fn *f = &s->fns[i];
		uint64_t k = how == RT_PCI_OPEN ? f->vendor | (uint32_t)f->device << 16 : f->class;
		if (k == key && index-- == 0)
			return f;
	}
	return NULL;
}

/* The answer (size bytes) written into the caller's frame (mapped here
 * meanwhile). */
static enum err answer(struct rt_capref cnode, const void *a, size_t size)
{
	struct rt_capref copy;
	uint64_t va = rt_map_area(1);
	enum err e = va ? rt_slot_alloc(&copy) : ERR_NOMEM;

	if (e)
		return e;
	e = rt_copy(copy, slot_in(cnode, RT_PCI_SLOT_ANSWER));
	if (!e)
		e = rt_map(copy, va, RW);
	if (!e)
		memcpy((void *)(uintptr_t)va, a, size);
	rt_delete(copy);
	rt_slot_free(copy);
	rt_map_area_free(va, 1);
	return e;
}

/* The caller told: its notification signalled once the answer is in. */
static void tell(struct rt_capref slot, enum err e)
{
	if (!e)
		e = invoke_notify_signal(slot_in(slot, RT_PCI_SLOT_NOTIFY).addr,
		                         slot_in(slot, RT_PCI_SLOT_NOTIFY).depth, RT_PCI_BIT, NULL);
	if (e)
		rt_printf("pci: the answer did not reach its caller: %s\n", err_str(e));
}

void pci_list(const struct pci_service *s, unsigned first, struct rt_pci_list *l)
{
	*l = (struct rt_pci_list){.magic = RT_PCI_MAGIC, .total = s->nfns, .first = first};
	for (unsigned i = first; i < s->nfns && l->n < RT_PCI_LIST_MAX; i++) {
		const struct pci_fn *f = &s->fns[i];
		struct rt_pci_function *o = &l->fns[l->n++];
		*o = (struct rt_pci_function){.bus = f->bus,
		                              .dev = f->dev,
		                              .fn = f->fn,
		                              .pin = f->pin,
		                              .vendor = f->vendor,
		                              .device = f->device,
		                              .class = f->class,
		                              .irq = pci_irq_line(s, f),
		                              .given = f->given};
		memcpy(o->bars, f->bars, sizeof o->bars);
	}
}

/* RT_PCI_LIST: the functions from w2 on, nothing handed out. */
static void list(struct pci_service *s, const struct rt_service_request *r, struct rt_capref slot)
{
	static struct rt_pci_list l;

	pci_list(s, r->w[2] < s->nfns ? (unsigned)r->w[2] : s->nfns, &l);
	tell(slot, answer(slot, &l, sizeof l));
	rt_delete(slot);
}

void pci_serve(struct pci_service *s, const struct rt_service_request *r, struct rt_capref slot)
{
	static struct rt_pci_answer a;
	struct pci_fn *f = NULL;

	a = (struct rt_pci_answer){.magic = RT_PCI_MAGIC, .irq = RT_PCI_NO_IRQ};
	if ((r->info & EP_INFO_CAP) && r->w[0] == RT_PCI_LIST) {
		list(s, r, slot);
		return;
	}
	if (!(r->info & EP_INFO_CAP) || (r->w[0] != RT_PCI_OPEN && r->w[0] != RT_PCI_OPEN_CLASS)) {
		rt_printf("pci: a request without its CNode, or not an open or a list (%llu); "
		          "ignored\n",
		          (unsigned long long)r->w[0]);
		if (r->info & EP_INFO_CAP)
			rt_delete(slot);
		return;
	}
	f = find(s, r->w[0], r->w[1] & 0xffffffffu, r->w[2]);
	a.err = !f ? ERR_NOENT : f->given ? ERR_BUSY : ERR_OK;
	if (f) {
		a.bus = f->bus, a.dev = f->dev, a.fn = f->fn, a.pin = f->pin;
		a.vendor = f->vendor, a.device = f->device, a.class = f->class;
	}
	if (!a.err) {
		hand_out(s, f, slot, &a);
		f->given = true;
		rt_printf("pci: %02x:%02x.%u %04x:%04x handed out (irq %d)\n", f->bus, f->dev,
		          f->fn, f->vendor, f->device, a.irq == RT_PCI_NO_IRQ ? -1 : (int)a.irq);
	}
	tell(slot, answer(slot, &a, sizeof a));
	rt_delete(slot);
}
