/* The PCI service's configuration-space access (config.c): through ECAM
 * (PCI Express Base 4.0 §7.2.2: bus << 20 | device << 15 | function << 12
 * | offset from the MCFG's base) when the machine has it, else through the
 * legacy ports (PCI Local Bus 3.0 §3.2.2.3.2: CONFIG_ADDRESS 0xcf8 =
 * enable bit 31 | bus << 16 | device << 11 | function << 8 | offset,
 * dword-aligned; CONFIG_DATA 0xcfc). */
#ifndef USER_DRIVERS_PCI_PCI_H
#define USER_DRIVERS_PCI_PCI_H

#include <rt/pci.h>
#include <rt/rt.h>
#include <stdbool.h>
#include <stdint.h>

/* Configuration-space registers (PCI Local Bus 3.0 §6.1, type 0 and 1
 * headers). */
#define PCI_VENDOR    0x00 /* 16 bits; 0xffff: no function */
#define PCI_DEVICE    0x02
#define PCI_COMMAND   0x04
#define PCI_CLASS     0x08 /* revision, prog-if, subclass, class (32 bits) */
#define PCI_HEADER    0x0e /* bit 7: multi-function; low 7: header type */
#define PCI_BAR0      0x10
#define PCI_SECONDARY 0x19 /* type 1: the bus behind a bridge */
#define PCI_INTR_LINE 0x3c
#define PCI_INTR_PIN  0x3d

#define PCI_CMD_IO     0x1 /* command register: I/O space, memory space, bus master */
#define PCI_CMD_MEM    0x2
#define PCI_CMD_MASTER 0x4
#define PCI_MAX_FNS    64

/* A function found on the buses. */
struct pci_fn {
	uint8_t bus, dev, fn, pin, line, hdr;
	uint16_t vendor, device;
	uint32_t class; /* class << 16 | subclass << 8 | prog-if */
	struct rt_pci_bar bars[RT_PCI_BARS];
	bool given; /* handed to a driver */
};

/* How configuration space is reached. */
struct pci_access {
	bool ecam;
	uint64_t ecam_base; /* the ECAM untyped's physical base (bus 0) */
	struct rt_capref ecam_ut, ports;
	/* the ECAM page mapped now */
	struct rt_capref page;
	uint64_t page_va, page_offset;
	bool mapped;
};

/* Finds ECAM or the ports among the device caps (the CNode devices,
 * rt/device.h).  NOENT neither. */
enum err pci_access_init(struct pci_access *a, struct rt_capref devices);

uint32_t pci_read32(struct pci_access *a, unsigned bus, unsigned dev, unsigned fn, unsigned off);
void pci_write32(struct pci_access *a, unsigned bus, unsigned dev, unsigned fn, unsigned off,
                 uint32_t v);

/* The BARs of a type 0 function, sized (decoding off meanwhile). */
void pci_size_bars(struct pci_access *a, struct pci_fn *f);

/* The service (serve.c): the functions found, the device caps. */
struct pci_service {
	struct pci_access *acc;
	struct rt_capref devices;
	struct pci_fn *fns;
	unsigned nfns;
	bool ich9; /* q35's chipset: PCI INTx on I/O APIC inputs 16-23 */
};

/* The interrupt line of f (rt/pci.h says which), or RT_PCI_NO_IRQ. */
uint32_t pci_irq_line(const struct pci_service *s, const struct pci_fn *f);

/* RT_PCI_LIST's answer for the functions from first on (rt/pci.h). */
void pci_list(const struct pci_service *s, unsigned first, struct rt_pci_list *l);

/* Answers one request whose CNode is in slot (and deletes it there). */
void pci_serve(struct pci_service *s, const struct rt_service_request *r, struct rt_capref slot);

#endif
