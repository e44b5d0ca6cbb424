/* The boot drive as a block device, over INT 13h extended reads. */
#ifndef BOOT_BIOS_DISK_H
#define BOOT_BIOS_DISK_H

#include <fat/blockdev.h>
#include <stdint.h>
#include <tessera/err.h>

/* Probes drive (a BIOS drive number, 80h for the first hard disk) with
 * AH=41h and AH=48h and fills dev.  ERR_UNSUPPORTED without extensions. */
enum err disk_open(uint8_t drive, struct blockdev *dev);

#endif
