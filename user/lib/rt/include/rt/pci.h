/* Asking the PCI service for a device (user/README.md, "Drivers"): a
 * driver whose startup entry names the service `pci` in caps opens the
 * function it drives and gets the caps for it, and for nothing else.
 *
 * The call (rt/service.h) carries a CNode of the driver's, 2^RT_PCI_BITS
 * slots, with its notification (WRITE) in RT_PCI_SLOT_NOTIFY and a 4 KiB
 * frame for the answer in RT_PCI_SLOT_ANSWER; w0 RT_PCI_OPEN, w1 vendor |
 * device << 16, w2 which of the functions with those IDs (0: the first,
 * in bus order); or w0 RT_PCI_OPEN_CLASS, w1 class << 16 | subclass << 8 |
 * prog-if (AHCI: 0x010601), w2 the same index.  The service puts into the CNode the function's
 * interrupt line (an IRQ cap) in RT_PCI_SLOT_IRQ and each BAR's cap in
 * RT_PCI_SLOT_BAR0 + i: an I/O BAR as an I/O-port cap of exactly its
 * ports, a memory BAR as device untyped of exactly its range (whole pages),
 * from which the driver makes device frames (rt_pci_map_bar); writes the
 * answer (struct rt_pci_answer) into the frame; turns on the function's
 * memory and I/O decoding and bus mastering; and signals the notification
 * with RT_PCI_BIT.  A function is handed out once.
 *
 * The interrupt line: on q35 (the ICH9 LPC bridge 8086:2918 on bus 0) the
 * I/O APIC input 16 + PIRQ the chipset routes the function's pin to, as
 * QEMU's ACPI _PRT says (no AML is read; the table is in the service):
 * devices 0-24 of bus 0 INTx -> PIRQ E-H by (device + pin) mod 4, devices
 * 25-31 INTA-INTD -> PIRQ A-D (the ICH9's DxxIR reset values); elsewhere
 * (pc: PIIX3) the ISA line firmware wrote into the interrupt line register,
 * routed as the MADT's overrides say (level-triggered on QEMU).
 *
 * Listing (RT_PCI_LIST, w2 the first function wanted, in bus order): the
 * same CNode (its notification and answer frame; nothing else is put in
 * it), answered with struct rt_pci_list in the frame: the functions found,
 * their BARs and the interrupt line each would be handed; no function is
 * handed out or touched. */
#ifndef RT_PCI_H
#define RT_PCI_H

#include <stdint.h>

#include "service.h"

#define RT_PCI_OPEN         1
#define RT_PCI_OPEN_CLASS   2 /* w1: class << 16 | subclass << 8 | prog-if */
#define RT_PCI_LIST         3 /* w2: the first function */
#define RT_PCI_BITS         4 /* the driver's CNode: 16 slots */
#define RT_PCI_SLOT_NOTIFY  0
#define RT_PCI_SLOT_ANSWER  1
#define RT_PCI_SLOT_IRQ     2
#define RT_PCI_SLOT_BAR0    3 /* BAR i in RT_PCI_SLOT_BAR0 + i */
#define RT_PCI_BARS         6
#define RT_PCI_BIT          (1ull << 61) /* the answer is written */
#define RT_PCI_MAGIC        0x31494350u  /* "PCI1" */
#define RT_PCI_NO_IRQ       0xffffffffu
#define RT_PCI_BAR_NONE     0
#define RT_PCI_BAR_IO       1
#define RT_PCI_BAR_MEM      2
#define RT_PCI_CONFIG_BYTES 256

/* One BAR as the service found it (PCI Local Bus 3.0 §6.2.5.1: size from
 * the bits that stay 0 after writing all ones). */
struct rt_pci_bar {
	uint64_t base, size; /* size 0: no BAR */
	uint8_t kind;        /* RT_PCI_BAR_* */
	uint8_t given;       /* its cap is in RT_PCI_SLOT_BAR0 + i */
	uint8_t prefetch, wide;
	uint32_t reserved;
};
_Static_assert(sizeof(struct rt_pci_bar) == 24, "the answer's layout");

/* The answer, at the start of the frame. */
struct rt_pci_answer {
	uint32_t magic; /* RT_PCI_MAGIC */
	int32_t err;    /* enum err: OK; NOENT no such function; BUSY handed out already */
	uint8_t bus, dev, fn, pin; /* pin 1-4: INTA-INTD, 0: none */
	uint16_t vendor, device;
	uint32_t class; /* class << 16 | subclass << 8 | prog-if */
	uint32_t irq;   /* the line of the cap in RT_PCI_SLOT_IRQ (irqN), or RT_PCI_NO_IRQ */
	uint32_t reserved;
	struct rt_pci_bar bars[RT_PCI_BARS];
	uint8_t config[RT_PCI_CONFIG_BYTES]; /* its configuration space, as handed out */
};
_Static_assert(__builtin_offsetof(struct rt_pci_answer, bars) == 32, "the answer's layout");
_Static_assert(sizeof(struct rt_pci_answer) == 32 + 6 * 24 + 256, "the answer's layout");

/* One function of RT_PCI_LIST's answer. */
struct rt_pci_function {
	uint8_t bus, dev, fn, pin; /* pin 1-4: INTA-INTD, 0: none */
	uint16_t vendor, device;
	uint32_t class; /* class << 16 | subclass << 8 | prog-if */
	uint32_t irq;   /* the line it would be handed, or RT_PCI_NO_IRQ */
	uint8_t given;  /* handed out to a driver already */
	uint8_t reserved[3];
	struct rt_pci_bar bars[RT_PCI_BARS];
};
_Static_assert(sizeof(struct rt_pci_function) == 24 + 6 * 24, "the list's layout");

#define RT_PCI_LIST_MAX 24 /* functions in one answer (a 4 KiB frame) */

/* RT_PCI_LIST's answer, at the start of the frame. */
struct rt_pci_list {
	uint32_t magic; /* RT_PCI_MAGIC */
	int32_t err;    /* enum err */
	uint32_t total; /* functions the service has */
	uint32_t first; /* fns[0]'s place among them */
	uint32_t n;     /* in fns */
	uint32_t reserved;
	struct rt_pci_function fns[RT_PCI_LIST_MAX];
};
_Static_assert(sizeof(struct rt_pci_list) <= 4096, "one frame");

/* A function the driver opened: the answer, and the CNode holding its caps. */
struct rt_pci_device {
	struct rt_pci_answer a;
	struct rt_capref cnode;
};

/* Opens the index-th function vendor:device through the service pci (its
 * notification SLOT_NOTIFY waits for the answer; bits that are not the
 * answer's are kept with rt_chan_stash).  The service's error (NOENT,
 * BUSY), or one of the call. */
enum err rt_pci_open(const struct rt_service *pci, uint16_t vendor, uint16_t device, unsigned index,
                     struct rt_pci_device *d);

/* Opens the index-th function of class (class << 16 | subclass << 8 |
 * prog-if), as rt_pci_open. */
enum err rt_pci_open_class(const struct rt_service *pci, uint32_t class, unsigned index,
                           struct rt_pci_device *d);

/* The functions from first on (at most RT_PCI_LIST_MAX) into *l, through
 * the service pci (a CNode and a frame of ours made for the call and
 * given back after).  The call's and the memory errors; CORRUPT an
 * answer without its magic. */
enum err rt_pci_list(const struct rt_service *pci, unsigned first, struct rt_pci_list *l);

/* A device another program opened and lent us as the CNode cnode (a
 * supervisor lends its driver the CNode rt_pci_open filled: it can do so
 * again for a restarted driver, as a function is handed out once): the
 * answer read back from the frame in RT_PCI_SLOT_ANSWER.  CORRUPT no
 * answer there; the copy and map errors. */
enum err rt_pci_lent(struct rt_capref cnode, struct rt_pci_device *d);

/* The cap in slot k of the device's CNode (RT_PCI_SLOT_*). */
struct rt_capref rt_pci_cap(const struct rt_pci_device *d, unsigned k);

/* Maps the first pages of memory BAR bar at va (uncached device frames
 * made from its untyped, in new slots).  NOENT not a memory BAR given;
 * RANGE more pages than it has; the retype and map errors. */
enum err rt_pci_map_bar(const struct rt_pci_device *d, unsigned bar, uint64_t va, uint64_t pages);

#endif
