/* Finding the boot core's devices (capboot.h): the framebuffer from the
 * loader, the fixed devices from the architecture (arch/devices.h), the
 * I/O APICs from the ACPI MADT (boot/common/acpi.c, shared with the loader). */
#ifndef KERNEL_CAPBOOT_DEVICES_H
#define KERNEL_CAPBOOT_DEVICES_H

#include <stddef.h>

#include "cap/cap.h"

#define CAPBOOT_MAX_DEVICE_CAPS 1024

struct capboot_devices {
	size_t n;       /* caps found (those past the array counted in dropped) */
	size_t dropped; /* found but not kept */
	uint64_t mmio_bytes;
	struct cap caps[CAPBOOT_MAX_DEVICE_CAPS]; /* device frames, I/O ports, IRQs */
};

/* Lists the device caps to create, device frames first. */
void capboot_find_devices(struct capboot_devices *d);

#endif
