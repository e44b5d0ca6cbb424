/* x86-64 instructions the loader needs, as inline functions: port I/O,
 * MSRs, control registers, CPUID (Intel SDM vol. 2 for each instruction). */
#ifndef BOOT_COMMON_ARCH_X86_64_CPU_H
#define BOOT_COMMON_ARCH_X86_64_CPU_H

#include <stdint.h>

#define MSR_EFER 0xc0000080u /* SDM 3A 2.2.1 */
#define MSR_PAT  0x277u      /* SDM 3A 12.12.2 */
#define EFER_LME (1ull << 8)
#define EFER_NXE (1ull << 11)

/* Control register bits (SDM 3A 2.5). */
#define CR0_PE      (1ull << 0)
#define CR0_WP      (1ull << 16)
#define CR0_PG      (1ull << 31)
#define CR4_OSXSAVE (1ull << 18)

/* PAT layout the protocol requires (PROTOCOL.md "Caching", x86-64):
 * PAT0 WB, PAT1 WT, PAT2 UC-, PAT3 UC, PAT4 WP, PAT5 WC, PAT6 UC-, PAT7 UC.
 * Memory type encodings: SDM 3A table 12-10 (UC 0, WC 1, WT 4, WP 5, WB 6,
 * UC- 7).  Every CPU gets it: the BSP in arch_enter, each AP in its
 * trampoline. */
#define PAT_VALUE 0x0007010500070406ull

static inline void cpu_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t cpu_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* CPUID leaf/subleaf into r[0..3] = eax, ebx, ecx, edx. */
static inline void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(sub));
}

static inline uint64_t cpu_read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void cpu_write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t cpu_read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* XCR0 and friends; only with CR4.OSXSAVE set. */
static inline uint64_t cpu_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Every earlier load and store is globally visible before any later
 * instruction runs, a WRMSR included (MFENCE then LFENCE, the sequence SDM
 * 3A 11.12.3 gives for x2APIC register writes). */
static inline void cpu_fence(void)
{
	__asm__ volatile("mfence; lfence" ::: "memory");
}

static inline void cpu_cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void cpu_hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

#endif
