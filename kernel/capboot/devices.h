/* Finding the boot core's devices (capboot.h): the framebuffer from the
 * loader, the fixed devices from the architecture (arch/devices.h), the
 * I/O APICs from the ACPI MADT (boot/common/acpi.c, shared with the loader). */
#ifndef KERNEL_CAPBOOT_DEVICES_H
#define KERNEL_CAPBOOT_DEVICES_H

#include <stddef.h>

#include "cap/cap.h"

#define CAPBOOT_MAX_DEVICE_CAPS 1024
#define CAPBOOT_MAX_TAKEN       256 /* memory-map entries looked at for holes */

struct capboot_devices {
	size_t n;       /* caps found (those past the array counted in dropped) */
	size_t dropped; /* found but not kept */
	uint64_t mmio_bytes;
	uint32_t nioapics, necam;
	uint64_t ioapics[16];                     /* the kernel's: no caps */
	struct cap caps[CAPBOOT_MAX_DEVICE_CAPS]; /* device frames, untyped, I/O ports, IRQs */
};

/* Lists the device caps to create: device frames (the framebuffer, the
 * local APIC), device untyped (ECAM from the ACPI MCFG; the physical
 * address space no memory-map entry covers, from 1 MiB up), I/O-port
 * ranges, IRQ lines. */
void capboot_find_devices(struct capboot_devices *d);

/* The ACPI MADT and MCFG (boot/common/acpi.h), their tables mapped into
 * the kernel window while read.  NOENT: none (or no RSDP). */
struct acpi_info;
struct acpi_mcfg;
enum err capboot_acpi_madt(struct acpi_info *info);
enum err capboot_acpi_mcfg(struct acpi_mcfg *mcfg);

#endif
