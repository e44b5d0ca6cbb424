/* The jump into the kernel: CPU features, the protocol's GDT, and the
 * machine state of PROTOCOL.md "Machine state at entry" (x86-64). */
#include <arch.h>
#include <x86/apic.h>
#include <x86/desc.h>
#include <x86/x86.h>

#include "paging.h"

/* The trampoline (trampoline.S): switches to h's page tables, GDT and stack
 * and jumps.  sysv_abi so the argument is in rdi under every toolchain. */
__attribute__((sysv_abi, noreturn)) void arch_trampoline(const struct arch_handoff *h);
extern const char arch_trampoline_start[], arch_trampoline_end[];

void arch_caps(struct arch_caps *caps)
{
	caps->pat = x86_cpuid_has(X86_CPUID_PAT);
	caps->nx = x86_cpuid_has(X86_CPUID_NX);
	caps->huge_1g = x86_cpuid_has(X86_CPUID_PAGE_1GB);
	caps->bsp_id = apic_cpuid_id();
}

void arch_trampoline_range(uint64_t *phys, uint64_t *size)
{
	uint64_t start = (uint64_t)(uintptr_t)arch_trampoline_start & ~0xfffull;
	uint64_t end = ((uint64_t)(uintptr_t)arch_trampoline_end + 0xfff) & ~0xfffull;

	*phys = start;
	*size = end - start;
}

/* Access bytes: present, ring 0, code (execute/read) or data (read/write),
 * with the accessed bit preset so the CPU never writes the table. */
#define ACC_CODE (DESC_P | DESC_S | DESC_CODE | DESC_RW | DESC_ACCESSED)
#define ACC_DATA (DESC_P | DESC_S | DESC_RW | DESC_ACCESSED)
#define FL_32    (DESC_FL_G | DESC_FL_DB)
#define FL_64    (DESC_FL_G | DESC_FL_L)

void arch_gdt_fill(uint64_t gdt[7])
{
	gdt[0] = 0;
	gdt[1] = desc_segment(0, 0xffff, ACC_CODE, 0);      /* 0x08 16-bit code */
	gdt[2] = desc_segment(0, 0xffff, ACC_DATA, 0);      /* 0x10 16-bit data */
	gdt[3] = desc_segment(0, 0xfffff, ACC_CODE, FL_32); /* 0x18 32-bit code */
	gdt[4] = desc_segment(0, 0xfffff, ACC_DATA, FL_32); /* 0x20 32-bit data */
	gdt[5] = desc_segment(0, 0xfffff, ACC_CODE, FL_64); /* 0x28 64-bit code */
	gdt[6] = desc_segment(0, 0xfffff, ACC_DATA, FL_32); /* 0x30 64-bit data */
}

void arch_halt(void)
{
	x86_halt_forever();
}

void arch_enter(const struct arch_handoff *h)
{
	struct arch_caps caps;

	x86_cli();
	arch_caps(&caps);
	if (caps.pat)
		x86_wrmsr(X86_MSR_PAT, PAT_VALUE);
	if (caps.nx)
		x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_NXE);
	arch_trampoline(h);
}
