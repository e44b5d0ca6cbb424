/* The one PCI function a driver drives, found by the driver itself among
 * the device caps its spawner offered (the CNode "devices", rt/device.h):
 * configuration space through ECAM (a 4 KiB device frame of the ECAM
 * untyped, mapped only while the driver reads or writes it, so the PCI
 * service can read the same function) or ports 0xcf8/0xcfc, and its BARs
 * as device frames retyped from the device untyped that covers them.
 * pcidev_find is the part to swap when the PCI service hands a driver the
 * caps of its device alone.  Bus 0 only (QEMU's machines put their
 * devices there).
 */
#ifndef USER_DRIVERS_VBLK_PCIDEV_H
#define USER_DRIVERS_VBLK_PCIDEV_H

#include <rt/rt.h>
#include <stdbool.h>
#include <stdint.h>

#define PCIDEV_UNTYPED 64 /* device untyped remembered */
#define PCIDEV_PAGES   16 /* BAR pages mapped, at most */

/* Configuration-space registers (PCI Local Bus 3.0 §6.1, type 0 header). */
#define PCIDEV_ID      0x00 /* vendor (low 16 bits), device (high 16) */
#define PCIDEV_COMMAND 0x04 /* command (low 16), status (high 16) */
#define PCIDEV_BAR0    0x10
#define PCIDEV_CAPS    0x34 /* the first capability's offset (low byte) */
#define PCIDEV_INTR    0x3c /* line (low byte), pin (next) */

#define PCIDEV_CMD_MEMORY 0x0002u /* respond to memory accesses */
#define PCIDEV_CMD_MASTER 0x0004u /* may master the bus: DMA */
#define PCIDEV_ST_CAPS    0x0010u /* status: a capability list exists */

struct pcidev {
	unsigned bus, dev, fn;
	uint16_t vendor, device;
	bool ecam;
	struct rt_capref ecam_ut, ports;
	uint64_t cfg_va; /* the function's ECAM page is mapped here while in use */
	struct rt_capref cfg_page;
	struct {
		struct rt_capref cap;
		uint64_t base, bits;
	} mmio[PCIDEV_UNTYPED];
	unsigned nmmio;
	struct {
		uint64_t phys, va;
	} page[PCIDEV_PAGES];
	unsigned npages;
};

/* Finds the first function on bus 0 with vendor and one of the n device
 * IDs, among the device caps in the CNode devices (2^RT_DEVICES_BITS
 * slots).  NOENT no such function, or neither ECAM nor the ports. */
enum err pcidev_find(struct pcidev *d, struct rt_capref devices, uint16_t vendor,
                     const uint16_t *ids, unsigned n);

/* A dword of its configuration space (off a multiple of 4, below 256);
 * all ones when it cannot be read. */
uint32_t pcidev_read32(struct pcidev *d, unsigned off);
void pcidev_write32(struct pcidev *d, unsigned off, uint32_t v);

/* BAR i's memory address (a 64-bit BAR's two halves); 0 an I/O or empty
 * BAR. */
uint64_t pcidev_bar(struct pcidev *d, unsigned i);

/* Maps the device memory [phys, phys + len) uncached (device frames from
 * the device untyped covering it; pages mapped before are reused) and
 * says where phys is.  NOENT no device untyped covers it; FULL more than
 * PCIDEV_PAGES pages; the retype and map errors. */
enum err pcidev_map(struct pcidev *d, uint64_t phys, uint64_t len, volatile void **va);

#endif
