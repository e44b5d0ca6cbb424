/* The BIOS memory map (INT 15h EAX=E820h). */
#ifndef BOOT_BIOS_E820_H
#define BOOT_BIOS_E820_H

#include <stdint.h>
#include <tessera/err.h>

#include "memmap.h"

/* One entry as the BIOS writes it, with the ACPI 3.0 extended attributes
 * (ACPI 6.5 section 15.1, "INT 15H, E820H"). */
struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t ext_attr;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 24, "E820 entry: 24 bytes with extended attributes");

/* Reads every E820 entry into m.  ERR_UNSUPPORTED if the BIOS has no E820
 * (or returned nothing usable), ERR_FULL if the map overflows. */
enum err e820_read(struct memmap *m, unsigned *entries);

#endif
