/* The BSP's memory type range registers as a list of MSR writes that an AP
 * replays to match it (PROTOCOL.md "SMP": "The MTRRs of APs will be
 * synchronised by the bootloader to match the BSP").  Registers: SDM 3A
 * "Memory Type Range Registers (MTRRs)": IA32_MTRRCAP (VCNT in bits 7:0,
 * FIX in bit 8), the fixed-range MTRRs, IA32_MTRR_PHYSBASEn / PHYSMASKn at
 * 0x200 + 2n / 0x201 + 2n, IA32_MTRR_DEF_TYPE.  Pure: MSRs are read through
 * a caller-supplied function, so host tests can fake them.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_MTRR_H
#define BOOT_COMMON_ARCH_X86_64_MTRR_H

#include <stddef.h>
#include <stdint.h>

#include "ap_trampoline.h"

#define MSR_MTRRCAP       0xfeu
#define MTRRCAP_VCNT(cap) ((unsigned)((cap)&0xff))
#define MTRRCAP_FIX(cap)  ((unsigned)(((cap) >> 8) & 1))
#define MSR_MTRR_BASE(n)  (0x200u + 2 * (n))
#define MSR_MTRR_MASK(n)  (0x201u + 2 * (n))
#define MTRR_FIXED_COUNT  11

typedef uint64_t (*mtrr_read_fn)(void *ctx, uint32_t msr);

/* Fills out[0..cap) with the MTRRs to copy, IA32_MTRR_DEF_TYPE last (it
 * re-enables them), and returns how many; 0 if the CPU has none or cap
 * cannot hold the default type and the fixed ranges.  Variable ranges that
 * do not fit are left out (*dropped counts them). */
size_t mtrr_snapshot(int has_mtrr, mtrr_read_fn read, void *ctx, struct ap_msr *out, size_t cap,
                     unsigned *dropped);

#endif
