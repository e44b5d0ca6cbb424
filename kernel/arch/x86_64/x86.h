/* x86_64 instructions the rest of kernel/arch/x86_64 needs, as inline
 * functions, and the control-register bits it reads (Intel SDM Vol. 3A
 * §2.5 "Control Registers").  Private to the x86_64 arch folder.
 */
#ifndef X86_X86_H
#define X86_X86_H

#include <stdint.h>

#define X86_CR4_LA57  (1ull << 12)
#define X86_RFLAGS_IF (1ull << 9)

/* Model-specific registers (SDM Vol. 4, Table 2-2). */
#define X86_MSR_APIC_BASE 0x1b
#define X86_MSR_EFER      0xc0000080
#define X86_EFER_NXE      (1ull << 11)

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t x86_read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

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

static inline uint64_t x86_read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline uint16_t x86_read_cs(void)
{
	uint16_t v;
	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

/* The selector in the task register (the loaded TSS). */
static inline uint16_t x86_str(void)
{
	uint16_t v;
	__asm__ volatile("str %0" : "=r"(v));
	return v;
}

static inline void x86_write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
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

/* The timestamp counter. */
static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* CPUID leaf (subleaf 0): eax, ebx, ecx, edx in r[0..3]. */
static inline void x86_cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(0));
}

static inline void x86_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void x86_cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void x86_hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* The pseudo-descriptor lgdt/lidt take (SDM Vol. 3A §3.5.1, Figure 3-11). */
struct x86_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct x86_desc_ptr) == 10, "SDM 3A §3.5.1: 10-byte pseudo-descriptor");

#endif
