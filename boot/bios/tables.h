/* Firmware tables found by scanning low memory: the ACPI RSDP and the
 * SMBIOS entry points.  The scanners take a window of memory so the host
 * tests can feed them buffers; tables_find() scans the real BIOS areas. */
#ifndef BOOT_BIOS_TABLES_H
#define BOOT_BIOS_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first valid RSDP at a 16-byte boundary in mem[0, len), or
 * -1: signature "RSD PTR ", the ACPI 1.0 checksum over 20 bytes and, for
 * revision 2 and later, the extended checksum over its length (ACPI 6.5
 * 5.2.5.3). */
long tables_scan_rsdp(const uint8_t *mem, size_t len);

/* Offset of the first valid SMBIOS entry point in mem[0, len), or -1:
 * "_SM_" (2.1, 31 bytes) when want64 is 0, "_SM3_" (3.0, 24 bytes) when it
 * is 1, each with its checksum (DMTF DSP0134 5.2). */
long tables_scan_smbios(const uint8_t *mem, size_t len, int want64);

/* Physical addresses of the RSDP (EBDA's first KiB, then E0000h-FFFFFh) and
 * the SMBIOS entry points (F0000h-FFFFFh); 0 where none is found. */
void tables_find(uint64_t *rsdp, uint64_t *smbios32, uint64_t *smbios64);

#endif
