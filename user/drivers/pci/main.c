/* pci: the PCI service (user/README.md, "Drivers").  It is given every
 * device cap of the machine (init's "devices"), reaches configuration
 * space through ECAM on a PCI Express machine (q35: the MCFG's device
 * untyped) or through ports 0xcf8/0xcfc (pc), walks bus 0 and every bus
 * behind a bridge, and prints one line per function:
 *
 *   pci: 00:1f.2 8086:2922 class 01.06.01 irq 10 pin A bar5 mem 0xfebd1000
 *
 * then serves for as long as the machine runs (handing drivers their
 * devices' caps comes with the storage drivers). */
#include <fmt/fmt.h>
#include <rt/image.h>
#include <rt/rt.h>

#include "pci.h"

#define MAX_BUSES 32

static struct pci_access acc;
static unsigned functions;

/* The BARs of a type 0 header (PCI Local Bus 3.0 §6.2.5.1): bit 0 set: I/O;
 * else memory, bits 2-1 = 2: 64 bits (the next BAR holds the high half). */
static void print_bars(unsigned bus, unsigned dev, unsigned fn, char *out, size_t n)
{
	size_t at = 0;

	out[0] = '\0';
	for (unsigned b = 0; b < 6 && at < n; b++) {
		uint32_t v = pci_read32(&acc, bus, dev, fn, PCI_BAR0 + 4 * b);
		uint64_t base;
		if (v & 1) {
			base = v & ~3u;
			if (base)
				at += fmt_snprintf(out + at, n - at, " bar%u io %#llx", b,
				                   (unsigned long long)base);
			continue;
		}
		base = v & ~0xfu;
		if ((v >> 1 & 3) == 2 && b < 5)
			base |= (uint64_t)pci_read32(&acc, bus, dev, fn, PCI_BAR0 + 4 * ++b) << 32;
		if (base)
			at += fmt_snprintf(out + at, n - at, " bar%u mem %#llx", b,
			                   (unsigned long long)base);
	}
}

/* One function: its line; a bridge's secondary bus goes on the list. */
static void function(unsigned bus, unsigned dev, unsigned fn, unsigned *buses, unsigned *nbuses)
{
	uint32_t id = pci_read32(&acc, bus, dev, fn, PCI_VENDOR);
	uint32_t cls = pci_read32(&acc, bus, dev, fn, PCI_CLASS);
	uint32_t hdr = pci_read32(&acc, bus, dev, fn, PCI_HEADER & ~3u) >> 16 & 0xff;
	uint32_t intr = pci_read32(&acc, bus, dev, fn, PCI_INTR_LINE);
	char bars[160] = "", irq[24] = "";

	if ((hdr & 0x7f) == 0)
		print_bars(bus, dev, fn, bars, sizeof bars);
	if (intr >> 8 & 0xff)
		fmt_snprintf(irq, sizeof irq, " irq %u pin %c", intr & 0xff,
		             'A' + (int)(intr >> 8 & 0xff) - 1);
	rt_printf("pci: %02x:%02x.%u %04x:%04x class %02x.%02x.%02x%s%s\n", bus, dev, fn,
	          id & 0xffff, id >> 16, cls >> 24, cls >> 16 & 0xff, cls >> 8 & 0xff, irq, bars);
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
	for (;;) /* serves: nothing to hand out yet, so it waits */
		invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, NULL);
}
