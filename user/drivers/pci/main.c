/* pci: the PCI service (user/README.md, "Drivers").  It is given every
 * device cap of the machine (init's "devices"), reaches configuration
 * space through ECAM on a PCI Express machine (q35: the MCFG's device
 * untyped) or through ports 0xcf8/0xcfc (pc), walks bus 0 and every bus
 * behind a bridge, and prints one line per function:
 *
 *   pci: 00:1f.2 8086:2922 class 01.06.01 irq 10 pin A bar5 mem 0xfebd1000
 *
 * then serves for as long as the machine runs: a driver that calls the
 * service "pci" gets the caps of the function it asks for and nothing
 * else (rt/pci.h; serve.c). */
#include <fmt/fmt.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <rt/service.h>

#include "pci.h"

#define MAX_BUSES 32
#define ICH9_LPC  0x29188086u /* q35's LPC bridge, 00:1f.0 (device << 16 | vendor) */

static struct pci_access acc;
static struct pci_fn fns[PCI_MAX_FNS];
static unsigned functions;
static struct pci_service service = {.acc = &acc, .fns = fns};

/* f's line: its IDs, class, interrupt pin and line, the BARs with an
 * address (the IRQ line it would be handed: rt/pci.h). */
static void print(const struct pci_fn *f)
{
	char bars[160] = "", irq[24] = "";
	size_t at = 0;

	for (unsigned b = 0; b < RT_PCI_BARS && at < sizeof bars; b++)
		if (f->bars[b].base)
			at += fmt_snprintf(bars + at, sizeof bars - at, " bar%u %s %#llx", b,
			                   f->bars[b].kind == RT_PCI_BAR_IO ? "io" : "mem",
			                   (unsigned long long)f->bars[b].base);
	if (f->pin)
		fmt_snprintf(irq, sizeof irq, " irq %u pin %c", f->line, 'A' + f->pin - 1);
	rt_printf("pci: %02x:%02x.%u %04x:%04x class %02x.%02x.%02x%s%s\n", f->bus, f->dev, f->fn,
	          f->vendor, f->device, f->class >> 16, f->class >> 8 & 0xff, f->class & 0xff, irq,
	          bars);
}

/* One function: into the table, its line; a bridge's secondary bus goes
 * on the list. */
static void function(unsigned bus, unsigned dev, unsigned fn, unsigned *buses, unsigned *nbuses)
{
	uint32_t id = pci_read32(&acc, bus, dev, fn, PCI_VENDOR);
	uint32_t hdr = pci_read32(&acc, bus, dev, fn, PCI_HEADER & ~3u) >> 16 & 0xff;
	uint32_t intr = pci_read32(&acc, bus, dev, fn, PCI_INTR_LINE);
	struct pci_fn f = {.bus = (uint8_t)bus,
	                   .dev = (uint8_t)dev,
	                   .fn = (uint8_t)fn,
	                   .pin = (uint8_t)(intr >> 8),
	                   .line = (uint8_t)intr,
	                   .hdr = (uint8_t)hdr,
	                   .vendor = (uint16_t)id,
	                   .device = (uint16_t)(id >> 16),
	                   .class = pci_read32(&acc, bus, dev, fn, PCI_CLASS) >> 8};

	if ((hdr & 0x7f) == 0)
		pci_size_bars(&acc, &f);
	print(&f);
	service.ich9 |= bus == 0 && id == ICH9_LPC;
	if (functions < PCI_MAX_FNS)
		fns[functions] = f;
	functions++;
	if ((hdr & 0x7f) == 1 && *nbuses < MAX_BUSES) {
		unsigned sec = pci_read32(&acc, bus, dev, fn, PCI_SECONDARY & ~3u) >> 8 & 0xff;
		if (sec > bus)
			buses[(*nbuses)++] = sec;
	}
}

static void scan_bus(unsigned bus, unsigned *buses, unsigned *nbuses)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		if ((pci_read32(&acc, bus, dev, 0, PCI_VENDOR) & 0xffff) == 0xffff)
			continue;
		uint32_t hdr = pci_read32(&acc, bus, dev, 0, PCI_HEADER & ~3u) >> 16 & 0xff;
		for (unsigned fn = 0; fn < (hdr & 0x80 ? 8u : 1u); fn++)
			if ((pci_read32(&acc, bus, dev, fn, PCI_VENDOR) & 0xffff) != 0xffff)
				function(bus, dev, fn, buses, nbuses);
	}
}

/* Requests on the endpoint "pci" (rt/pci.h), one at a time, blocking: the
 * service waits for nothing else. */
static _Noreturn void serve(void)
{
	struct rt_capref ep, slot;
	struct rt_service_request r;

	if (rt_service_endpoint("pci", &ep) || rt_slot_alloc(&slot)) {
		for (;;) /* no service to give: it only listed the buses */
			invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, NULL);
	}
	rt_printf("pci: serving %u functions\n", service.nfns);
	for (;;) {
		enum err e = rt_service_recv(ep, slot, true, &r);
		if (!e)
			pci_serve(&service, &r, slot);
		else
			rt_printf("pci: receiving: %s\n", err_str(e));
	}
}

int main(void)
{
	struct rt_capref devices;
	struct prog_cap info;
	unsigned buses[MAX_BUSES] = {0}, nbuses = 1;

	if (rt_named_cap("devices", &devices, &info) || pci_access_init(&acc, devices)) {
		rt_printf("pci: no configuration space (neither ECAM nor ports 0xcf8)\n");
		return 1;
	}
	for (unsigned i = 0; i < nbuses; i++)
		scan_bus(buses[i], buses, &nbuses);
	if (acc.ecam)
		rt_printf("pci: %u functions on %u bus%s (ECAM at %#llx)\n", functions, nbuses,
		          nbuses == 1 ? "" : "es", (unsigned long long)acc.ecam_base);
	else
		rt_printf("pci: %u functions on %u bus%s (ports 0xcf8/0xcfc)\n", functions, nbuses,
		          nbuses == 1 ? "" : "es");
	service.devices = devices;
	service.nfns = functions < PCI_MAX_FNS ? functions : PCI_MAX_FNS;
	serve();
}
