/* Low-memory layout of the BIOS stage, shared by its assembly files, its
 * linker script (through the build) and C.  All of the stage lies below
 * 0x80000, under any extended BIOS data area. */
#ifndef BOOT_BIOS_STAGE_H
#define BOOT_BIOS_STAGE_H

#define STAGE_BASE       0x8000     /* where the MBR loads the stage */
#define STAGE_LIMIT      0x80000    /* the stage, with .bss, ends below this */
#define RM_STACK_TOP     0x7c00     /* real-mode stack, below the MBR's copy */
#define STAGE_STACK_SIZE 0x8000     /* the long-mode stack, in .bss */
#define STAGE_TAIL_MAGIC 0x5453454e /* last word of the image: "NEST" */

#endif
