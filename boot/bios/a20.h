/* The A20 gate (see a20.c). */
#ifndef BOOT_BIOS_A20_H
#define BOOT_BIOS_A20_H

#include <tessera/err.h>

/* Opens the gate and checks that it is open; ERR_UNSUPPORTED if no method
 * worked. */
enum err a20_enable(void);

#endif
