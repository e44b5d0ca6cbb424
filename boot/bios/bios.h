/* State the BIOS stage gathers before it starts the common loader. */
#ifndef BOOT_BIOS_BIOS_H
#define BOOT_BIOS_BIOS_H

#include <fat/blockdev.h>
#include <fw.h>
#include <stdint.h>

#include "memmap.h"

struct bios_state {
	uint8_t drive;
	struct blockdev disk;
	struct boot_volume volume;
	struct memmap map;
};

extern struct bios_state bios_state;

/* Entered from entry16.S in long mode with the BIOS boot drive. */
__attribute__((noreturn)) void bios_main(uint8_t drive);

#endif
