/* The platform's fixed devices, as the boot capability space hands them out
 * (kernel/capboot): I/O-port ranges, interrupt lines and register windows
 * that the architecture knows without any table.  This is the x86_64 PC
 * version; ACPI and the loader's framebuffer add the rest.
 */
#ifndef ARCH_DEVICES_H
#define ARCH_DEVICES_H

#include <stddef.h>
#include <stdint.h>

enum arch_device_kind {
	ARCH_DEVICE_IOPORT = 1, /* base: first port, size: count */
	ARCH_DEVICE_IRQ,        /* base: line, size: 1 */
	ARCH_DEVICE_MMIO,       /* base: physical address, size: bytes (4 KiB multiples) */
};

struct arch_device {
	uint8_t kind; /* enum arch_device_kind */
	const char *name;
	uint64_t base, size;
};

/* Fills at most max entries and returns how many there are in all. */
size_t arch_devices(struct arch_device *out, size_t max);

/* One past the highest physical address the processor can reach (x86:
 * CPUID 0x80000008's physical-address width), at most 2^46. */
uint64_t arch_phys_limit(void);

#endif
