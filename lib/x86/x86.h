/* x86-64 instructions as inline functions, for the loaders (UEFI and BIOS
 * stage), the kernel and host tests: port I/O, CPUID, MSRs, control
 * registers, the time-stamp counter, pause/hlt/cli and fences (Intel SDM
 * vol. 2 for each instruction), and the architectural register numbers and
 * bits they take (SDM vol. 3A §2.5 control registers, vol. 4 table 2-2
 * MSRs).  The constants also serve assembly: a .S file may include this
 * header, which then hides everything but them.
 */
#ifndef LIB_X86_X86_H
#define LIB_X86_X86_H

#ifdef __ASSEMBLER__
#define X86_BIT(n) (1 << (n))
#else
#define X86_BIT(n) (1ull << (n))
#endif

/* Control registers (SDM 3A §2.5). */
#define X86_CR0_PE         X86_BIT(0)
#define X86_CR0_MP         X86_BIT(1) /* monitor coprocessor (WAIT honours TS) */
#define X86_CR0_EM         X86_BIT(2) /* x87 emulation: off for real FPU use */
#define X86_CR0_TS         X86_BIT(3)
#define X86_CR0_WP         X86_BIT(16)
#define X86_CR0_NW         X86_BIT(29)
#define X86_CR0_CD         X86_BIT(30)
#define X86_CR0_PG         X86_BIT(31)
#define X86_CR4_PAE        X86_BIT(5)
#define X86_CR4_PGE        X86_BIT(7)
#define X86_CR4_OSFXSR     X86_BIT(9)  /* FXSAVE/FXRSTOR and SSE enabled */
#define X86_CR4_OSXMMEXCPT X86_BIT(10) /* SIMD exceptions as #XM */
#define X86_CR4_UMIP       X86_BIT(11)
#define X86_CR4_LA57       X86_BIT(12)
#define X86_CR4_PCIDE      X86_BIT(17)
#define X86_CR4_OSXSAVE    X86_BIT(18)
#define X86_CR4_SMEP       X86_BIT(20)
#define X86_CR4_SMAP       X86_BIT(21)

#define X86_RFLAGS_IF X86_BIT(9)
#define X86_RFLAGS_AC X86_BIT(18) /* alignment check; with SMAP: user access allowed */
#define X86_RFLAGS_ID X86_BIT(21) /* toggles where CPUID exists */

/* Model-specific registers (SDM vol. 4 table 2-2). */
#define X86_MSR_APIC_BASE 0x1b
#define X86_MSR_PAT       0x277
#define X86_MSR_EFER      0xc0000080
#define X86_MSR_STAR      0xc0000081 /* SYSCALL/SYSRET selectors (SDM Vol. 2B SYSCALL) */
#define X86_MSR_LSTAR     0xc0000082 /* SYSCALL target in 64-bit mode */
#define X86_MSR_FMASK     0xc0000084 /* RFLAGS bits SYSCALL clears */
#define X86_MSR_FS_BASE   0xc0000100
#define X86_EFER_SCE      X86_BIT(0) /* SYSCALL enable */
#define X86_EFER_LME      X86_BIT(8)
#define X86_EFER_NXE      X86_BIT(11)

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

/* CPUID feature flags as leaf, register (0 eax .. 3 edx), bit: the
 * arguments of x86_cpuid_has (SDM vol. 2A, CPUID). */
#define X86_CPUID_MTRR     0x1u, 3, 12
#define X86_CPUID_PGE      0x1u, 3, 13
#define X86_CPUID_PAT      0x1u, 3, 16
#define X86_CPUID_PCID     0x1u, 2, 17
#define X86_CPUID_X2APIC   0x1u, 2, 21
#define X86_CPUID_SMEP     0x7u, 1, 7
#define X86_CPUID_INVPCID  0x7u, 1, 10
#define X86_CPUID_SMAP     0x7u, 1, 20
#define X86_CPUID_UMIP     0x7u, 2, 2
#define X86_CPUID_NX       0x80000001u, 3, 20
#define X86_CPUID_PAGE_1GB 0x80000001u, 3, 26

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A short delay for slow ISA devices: a write to the POST diagnostic port. */
static inline void x86_io_wait(void)
{
	x86_outb(0x80, 0);
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
	                 :
	                 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
	                 : "memory");
}

/* CPUID leaf and subleaf into r[0..3] = eax, ebx, ecx, edx. */
static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(sub));
}

/* Whether CPUID reports a feature (X86_CPUID_*: leaf, register, bit;
 * subleaf 0).  A leaf above the CPU's maximum, basic or extended, reads as
 * absent. */
static inline bool x86_cpuid_has(uint32_t leaf, int reg, int bit)
{
	uint32_t r[4];

	x86_cpuid(leaf & 0x80000000u, 0, r);
	if (r[0] < leaf)
		return false;
	x86_cpuid(leaf, 0, r);
	return (r[reg] >> bit) & 1;
}

static inline uint64_t x86_read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void x86_write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* The linear address of the last page fault. */
static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void x86_write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t x86_read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void x86_write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Extended control register xcr (0: XCR0); only with CR4.OSXSAVE set. */
static inline uint64_t x86_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t x86_read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* The time-stamp counter. */
static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The spin-wait hint. */
static inline void x86_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Every earlier load and store is globally visible before any later
 * instruction runs, a WRMSR included (MFENCE then LFENCE, the sequence SDM
 * 3A §11.12.3 gives before x2APIC register writes). */
static inline void x86_fence(void)
{
	__asm__ volatile("mfence; lfence" ::: "memory");
}

static inline void x86_cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void x86_hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* Stops this CPU for good: interrupts off, halted (an NMI that wakes it
 * halts it again). */
static inline __attribute__((noreturn)) void x86_halt_forever(void)
{
	for (;;) {
		x86_cli();
		x86_hlt();
	}
}

#endif /* !__ASSEMBLER__ */

#endif
