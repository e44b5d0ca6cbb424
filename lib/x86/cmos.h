/* The PC's CMOS RAM (MC146818 real-time clock and its NVRAM): a register
 * is selected through port 0x70 and read through port 0x71.  Bit 7 of the
 * index masks NMIs; this leaves it clear.
 */
#ifndef LIB_X86_CMOS_H
#define LIB_X86_CMOS_H

#include <stdint.h>

#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

/* CMOS register reg (0..0x7f). */
static inline uint8_t cmos_read(uint8_t reg)
{
	x86_outb(CMOS_INDEX, reg & 0x7f);
	return x86_inb(CMOS_DATA);
}

#endif
