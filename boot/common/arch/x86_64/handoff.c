/* The jump into the kernel: CPU features, the protocol's GDT, and the
 * machine state of PROTOCOL.md "Machine state at entry" (x86-64). */
#include <arch.h>

#include "cpu.h"

/* The trampoline (trampoline.S): switches to h's page tables, GDT and stack
 * and jumps.  sysv_abi so the argument is in rdi under every toolchain. */
__attribute__((sysv_abi, noreturn)) void arch_trampoline(const struct arch_handoff *h);
extern const char arch_trampoline_start[], arch_trampoline_end[];

void arch_caps(struct arch_caps *caps)
{
	uint32_t r[4];

	cpu_cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	cpu_cpuid(1, 0, r);
	caps->pat = !!(r[3] & (1u << 16));
	caps->bsp_id = r[1] >> 24;
	if (max_leaf >= 0xb) {
		cpu_cpuid(0xb, 0, r);
		if (r[1] != 0) /* leaf 0xb implemented: EDX is the x2APIC id */
			caps->bsp_id = r[3];
	}
	cpu_cpuid(0x80000000u, 0, r);
	uint32_t max_ext = r[0];
	caps->nx = caps->huge_1g = 0;
	if (max_ext >= 0x80000001u) {
		cpu_cpuid(0x80000001u, 0, r);
		caps->nx = !!(r[3] & (1u << 20));
		caps->huge_1g = !!(r[3] & (1u << 26));
	}
}

void arch_trampoline_range(uint64_t *phys, uint64_t *size)
{
	uint64_t start = (uint64_t)(uintptr_t)arch_trampoline_start & ~0xfffull;
	uint64_t end = ((uint64_t)(uintptr_t)arch_trampoline_end + 0xfff) & ~0xfffull;

	*phys = start;
	*size = end - start;
}

/* A segment descriptor (SDM 3A 3.4.5): flags is the G, D/B, L, AVL nibble. */
static uint64_t descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

/* Access bytes: present, ring 0, code (execute/read) or data (read/write),
 * with the accessed bit preset so the CPU never writes the table. */
#define ACC_CODE 0x9b
#define ACC_DATA 0x93
#define FL_G     0x8
#define FL_DB    0x4
#define FL_L     0x2

void arch_gdt_fill(uint64_t gdt[7])
{
	gdt[0] = 0;
	gdt[1] = descriptor(0, 0xffff, ACC_CODE, 0);             /* 0x08 16-bit code */
	gdt[2] = descriptor(0, 0xffff, ACC_DATA, 0);             /* 0x10 16-bit data */
	gdt[3] = descriptor(0, 0xfffff, ACC_CODE, FL_G | FL_DB); /* 0x18 32-bit code */
	gdt[4] = descriptor(0, 0xfffff, ACC_DATA, FL_G | FL_DB); /* 0x20 32-bit data */
	gdt[5] = descriptor(0, 0xfffff, ACC_CODE, FL_G | FL_L);  /* 0x28 64-bit code */
	gdt[6] = descriptor(0, 0xfffff, ACC_DATA, FL_G | FL_DB); /* 0x30 64-bit data */
}

void arch_halt(void)
{
	for (;;) {
		cpu_cli();
		cpu_hlt();
	}
}

void arch_enter(const struct arch_handoff *h)
{
	struct arch_caps caps;

	cpu_cli();
	arch_caps(&caps);
	if (caps.pat)
		cpu_wrmsr(MSR_PAT, PAT_VALUE);
	if (caps.nx)
		cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_NXE);
	arch_trampoline(h);
}
