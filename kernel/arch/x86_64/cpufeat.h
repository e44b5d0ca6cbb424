/* The instructions (beyond x86.h's), control-register bits and CPUID bits behind the
 * protection features and TLB hooks of <arch/paging.h> (Intel SDM Vol. 3A
 * §2.5 control registers, §4.10.4 TLB invalidation, §4.6 access rights;
 * CPUID: SDM Vol. 2A, CPUID).  Private to the x86_64 arch folder.
 */
#ifndef X86_CPUFEAT_H
#define X86_CPUFEAT_H

#include <stdint.h>

#include "x86.h"

#define CR0_WP_BIT    16
#define CR4_PGE_BIT   7
#define CR4_UMIP_BIT  11
#define CR4_LA57_BIT  12
#define CR4_PCIDE_BIT 17
#define CR4_SMEP_BIT  20
#define CR4_SMAP_BIT  21

#define CR3_PCID_MASK   0xfffull
#define CR3_NOFLUSH_BIT 63 /* with CR4.PCIDE: keep the new PCID's entries (SDM 3A §4.10.4.1) */

/* CPUID feature bits: leaf, register index (0 eax .. 3 edx), bit. */
#define CPUID_PGE      0x1u, 3, 13
#define CPUID_PCID     0x1u, 2, 17
#define CPUID_SMEP     0x7u, 1, 7
#define CPUID_INVPCID  0x7u, 1, 10
#define CPUID_SMAP     0x7u, 1, 20
#define CPUID_UMIP     0x7u, 2, 2
#define CPUID_NX       0x80000001u, 3, 20
#define CPUID_PAGE_1GB 0x80000001u, 3, 26

/* INVPCID types (SDM Vol. 2A, INVPCID). */
#define INVPCID_ADDRESS 0
#define INVPCID_CONTEXT 1

/* Control-register writes x86.h does not have (reads are there). */
static inline void cf_write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void cf_write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void cf_invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cf_invpcid(uint64_t type, uint64_t pcid, uint64_t va)
{
	struct {
		uint64_t pcid, va;
	} desc = {pcid, va};
	__asm__ volatile("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

/* Sets / clears RFLAGS.AC: supervisor access to user pages under SMAP. */
static inline void cf_stac(void)
{
	__asm__ volatile("stac" ::: "memory", "cc");
}

static inline void cf_clac(void)
{
	__asm__ volatile("clac" ::: "memory", "cc");
}

#endif
