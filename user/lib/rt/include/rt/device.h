/* Device capabilities in user space (kernel/README.md, "Devices"): the
 * names spawners offer them by, finding one in a CNode of them, and port
 * I/O through an I/O-port cap.
 *
 * A device cap's name says its type and base: "port" and the first port
 * in hex (port60, port3f8, portcf8), "irq" and the line in decimal
 * (irq1), "frame" and the physical base in hex (framefee00000), "mmio"
 * and the base in hex for device untyped (mmioc0000000), "ecam" for the
 * device untyped that is PCI Express configuration space (ecamb0000000). */
#ifndef RT_DEVICE_H
#define RT_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/caps.h>

#include "rt.h"

#define RT_DEVICE_NAME 24

/* The CNode of device caps core 0's monitor gives init ("devices"):
 * 2^RT_DEVICES_BITS slots, the caps from slot 0 on. */
#define RT_DEVICES_BITS 10

/* The name of a device cap from its IDENTIFY results ("" if it is none). */
void rt_device_name(const struct cap_results_identify *id, char *out, size_t n);

/* The cap named name among the count slots of the CNode cnode (2^bits
 * slots).  NOENT none. */
enum err rt_device_find(struct rt_capref cnode, unsigned bits, unsigned count, const char *name,
                        struct rt_capref *out);

/* Port I/O through an I/O-port cap (0 when the read is refused). */
static inline uint32_t rt_in(struct rt_capref ports, uint16_t port, unsigned width)
{
	struct cap_results_ioport_in r;
	return invoke_ioport_in(ports.addr, ports.depth, port, width, &r) ? 0 : (uint32_t)r.value;
}

static inline enum err rt_out(struct rt_capref ports, uint16_t port, unsigned width, uint32_t value)
{
	return invoke_ioport_out(ports.addr, ports.depth, port, width, value, NULL);
}

#endif
