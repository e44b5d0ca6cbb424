/* Segment selectors of the BIOS stage's GDT (defined in entry16.S), shared
 * by the assembly files and C.  Descriptor formats: Intel SDM vol. 3A 3.4.5. */
#ifndef BOOT_BIOS_GDT_H
#define BOOT_BIOS_GDT_H

#define GDT_CODE64 0x08 /* 64-bit code */
#define GDT_DATA   0x10 /* flat 4 GiB data, for 32- and 64-bit code */
#define GDT_CODE32 0x18 /* flat 4 GiB 32-bit code */
#define GDT_CODE16 0x20 /* 16-bit code, base 0, limit 64 KiB */
#define GDT_DATA16 0x28 /* 16-bit data, base 0, limit 64 KiB */

#endif
