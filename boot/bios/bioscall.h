/* The one way from the long-mode stage to the BIOS: bios_call() drops to
 * real mode, issues a software interrupt with the given registers and
 * returns to long mode with the registers the BIOS returned (realmode.S).
 * Buffers handed to the BIOS must lie below 1 MiB; the whole stage does.
 */
#ifndef BOOT_BIOS_BIOSCALL_H
#define BOOT_BIOS_BIOSCALL_H

#define BIOS_REGS_EAX    0
#define BIOS_REGS_EBX    4
#define BIOS_REGS_ECX    8
#define BIOS_REGS_EDX    12
#define BIOS_REGS_ESI    16
#define BIOS_REGS_EDI    20
#define BIOS_REGS_EBP    24
#define BIOS_REGS_EFLAGS 28
#define BIOS_REGS_DS     32
#define BIOS_REGS_ES     34
#define BIOS_REGS_SIZE   40

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#define BIOS_EFLAGS_CF 0x0001u

/* Registers in and out of a BIOS interrupt; layout fixed for realmode.S. */
struct bios_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint32_t eflags; /* out only */
	uint16_t ds, es;
	uint32_t reserved;
};
_Static_assert(offsetof(struct bios_regs, ebp) == BIOS_REGS_EBP, "bios_regs");
_Static_assert(offsetof(struct bios_regs, eflags) == BIOS_REGS_EFLAGS, "bios_regs");
_Static_assert(offsetof(struct bios_regs, ds) == BIOS_REGS_DS, "bios_regs");
_Static_assert(offsetof(struct bios_regs, es) == BIOS_REGS_ES, "bios_regs");
_Static_assert(sizeof(struct bios_regs) == BIOS_REGS_SIZE, "bios_regs");

/* Issues INT intno in real mode with *regs, then stores the registers the
 * BIOS returned (with EFLAGS) back into *regs.  Interrupts are enabled only
 * while the BIOS runs. */
void bios_call(uint8_t intno, struct bios_regs *regs);

/* Real-mode segment and offset of a pointer below 1 MiB. */
static inline uint16_t bios_seg(const volatile void *p)
{
	return (uint16_t)((uintptr_t)p >> 4);
}

static inline uint16_t bios_off(const volatile void *p)
{
	return (uint16_t)((uintptr_t)p & 0xf);
}

/* The linear address of a real-mode far pointer (segment << 16 | offset). */
static inline uintptr_t bios_linear(uint32_t farptr)
{
	return ((uintptr_t)(farptr >> 16) << 4) + (farptr & 0xffff);
}

/* The boot drive the BIOS passed in DL (entry16.S). */
extern uint8_t bios_boot_drive;
#endif

#endif
