/* The instructions (beyond lib/x86/x86.h's) and CR3 fields behind the
 * protection features and TLB hooks of <arch/paging.h> (Intel SDM Vol. 3A
 * §4.10.4 TLB invalidation, §4.6 access rights; the control-register and
 * CPUID bits are lib/x86/x86.h's).  Private to the x86_64 arch folder.
 */
#ifndef X86_CPUFEAT_H
#define X86_CPUFEAT_H

#include <stdint.h>
#include <x86/x86.h>

#define CR3_PCID_MASK   0xfffull
#define CR3_NOFLUSH_BIT 63 /* with CR4.PCIDE: keep the new PCID's entries (SDM 3A §4.10.4.1) */

/* INVPCID types (SDM Vol. 2A, INVPCID). */
#define INVPCID_ADDRESS 0
#define INVPCID_CONTEXT 1

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
