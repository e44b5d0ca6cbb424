/* The local APIC, for the loader (which starts the other processors with
 * it) and the kernel (timer, IPIs): IA32_APIC_BASE, the register offsets
 * of the xAPIC page and their x2APIC MSRs, the encodings of the registers
 * both use, and register access in either mode.  Intel SDM vol. 3A ch. 11
 * (ch. 10 in the 2022 and older editions): §11.4.4 IA32_APIC_BASE (figure
 * 11-5), table 11-1 register map, §11.5 LVT and timer, §11.6.1 ICR (figure
 * 11-12), §11.9 SVR, §11.12 x2APIC mode (§11.12.1.2 MSR numbers, table
 * 11-6; §11.12.9 the 64-bit ICR).  The encodings are pure and tested on
 * the host.  The register bits also serve assembly.
 */
#ifndef LIB_X86_APIC_H
#define LIB_X86_APIC_H

#include "x86.h"

/* IA32_APIC_BASE (X86_MSR_APIC_BASE). */
#define APIC_BASE_BSP  X86_BIT(8)
#define APIC_BASE_EXTD X86_BIT(10) /* x2APIC mode */
#define APIC_BASE_EN   X86_BIT(11)

/* Register offsets in the xAPIC page; in x2APIC mode the register at
 * offset o is MSR 0x800 + o / 16, and the ICR is one 64-bit MSR. */
#define LAPIC_ID         0x020
#define LAPIC_TPR        0x080
#define LAPIC_EOI        0x0b0
#define LAPIC_SVR        0x0f0
#define LAPIC_ICR_LO     0x300
#define LAPIC_ICR_HI     0x310
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0
#define X2APIC_MSR(off)  (0x800 + ((off) >> 4))

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The physical address of the xAPIC page in IA32_APIC_BASE. */
#define APIC_BASE_FRAME 0x000ffffffffff000ull

/* xAPIC ID register: the id in bits 31:24. */
#define XAPIC_ID(v) ((uint32_t)(v) >> 24)

/* Spurious-interrupt vector register. */
#define SVR_VECTOR(v) ((uint32_t)(v)&0xff)
#define SVR_ENABLE    (1u << 8)

/* Local vector table entries. */
#define LVT_VECTOR(v)      ((uint32_t)(v)&0xff)
#define LVT_MASKED         (1u << 16)
#define LVT_TIMER_ONESHOT  (0u << 17)
#define LVT_TIMER_PERIODIC (1u << 17)

/* Divide configuration: bits 3 and 1:0; 0b0011 divides by 16. */
#define TIMER_DIV_16 0x3u

/* ICR low dword: vector, delivery mode, destination mode, status, level. */
#define ICR_VECTOR(v)  ((uint32_t)(v)&0xff)
#define ICR_DM_FIXED   (0u << 8)
#define ICR_DM_INIT    (5u << 8)
#define ICR_DM_STARTUP (6u << 8)
#define ICR_PHYSICAL   (0u << 11)
#define ICR_PENDING    (1u << 12) /* delivery status (xAPIC only): send pending */
#define ICR_ASSERT     (1u << 14) /* level: assert (must be 1 but for INIT de-assert) */

/* Polls of a busy xAPIC ICR before apic_send gives up. */
#define APIC_ICR_SPINS 1000000u

/* The ICR low dword of an INIT IPI (level assert, edge; no 82489DX-era
 * de-assert is needed on processors with an integrated APIC, §9.4.4). */
static inline uint32_t apic_icr_init(void)
{
	return ICR_DM_INIT | ICR_ASSERT;
}

/* The ICR low dword of a start-up IPI that starts the target in real mode
 * at vector << 12. */
static inline uint32_t apic_icr_startup(uint8_t vector)
{
	return ICR_DM_STARTUP | ICR_ASSERT | vector;
}

/* The ICR low dword of a fixed, edge-triggered interrupt at vector. */
static inline uint32_t apic_icr_fixed(uint8_t vector)
{
	return ICR_VECTOR(vector) | ICR_DM_FIXED | ICR_PHYSICAL | ICR_ASSERT;
}

/* The whole 64-bit ICR for a physical destination: x2APIC takes the 32-bit
 * APIC id in bits 63:32, xAPIC an 8-bit one in bits 63:56. */
static inline uint64_t apic_icr_value(uint32_t low, uint32_t apic_id, bool x2apic)
{
	uint64_t dest = x2apic ? (uint64_t)apic_id << 32 : (uint64_t)(apic_id & 0xff) << 56;
	return dest | low;
}

/* Whether a processor with this APIC id can be addressed by a physical
 * destination in the mode: xAPIC has 8 bits, and 0xff is the broadcast. */
static inline bool apic_addressable(uint32_t apic_id, bool x2apic)
{
	return x2apic ? apic_id != 0xffffffffu : apic_id < 0xff;
}

/* The start-up vector of a trampoline page, or -1 if a SIPI cannot reach
 * it: 4 KiB aligned, above the first page and below 1 MiB (§9.4.4.1). */
static inline int apic_sipi_vector(uint64_t phys)
{
	if ((phys & 0xfff) || phys == 0 || phys >= 0x100000)
		return -1;
	return (int)(phys >> 12);
}

/* This CPU's APIC id as CPUID reports it, whatever the APIC's mode: the
 * x2APIC id of leaf 0xb where the leaf is implemented, else the initial
 * APIC id of leaf 1 (EBX bits 31:24). */
static inline uint32_t apic_cpuid_id(void)
{
	uint32_t r[4];

	x86_cpuid(0, 0, r);
	if (r[0] >= 0xb) {
		x86_cpuid(0xb, 0, r);
		if (r[1] != 0) /* leaf 0xb implemented: EDX is the x2APIC id */
			return r[3];
	}
	x86_cpuid(1, 0, r);
	return r[1] >> 24;
}

/* A local APIC's register at offset off: through the xAPIC page mapped at
 * mmio, or through its x2APIC MSR when mmio is NULL. */
static inline uint32_t apic_read(volatile uint32_t *mmio, unsigned off)
{
	return mmio ? mmio[off / 4] : (uint32_t)x86_rdmsr(X2APIC_MSR(off));
}

static inline void apic_write(volatile uint32_t *mmio, unsigned off, uint32_t v)
{
	if (mmio)
		mmio[off / 4] = v;
	else
		x86_wrmsr(X2APIC_MSR(off), v);
}

/* This CPU's APIC id, from its ID register (32 bits in x2APIC mode). */
static inline uint32_t apic_read_id(volatile uint32_t *mmio)
{
	uint32_t v = apic_read(mmio, LAPIC_ID);
	return mmio ? XAPIC_ID(v) : v;
}

/* Sends the IPI icr (apic_icr_value) on the local APIC (mmio as for
 * apic_read).  Stores before it are visible before the IPI: an x2APIC ICR
 * write is not serializing (§11.12.3).  In xAPIC mode it first waits for
 * the previous IPI to leave; false, and nothing sent, if it does not
 * within APIC_ICR_SPINS polls. */
static inline bool apic_send(volatile uint32_t *mmio, uint64_t icr)
{
	x86_fence();
	if (!mmio) {
		x86_wrmsr(X2APIC_MSR(LAPIC_ICR_LO), icr);
		return true;
	}
	for (unsigned spins = 0; mmio[LAPIC_ICR_LO / 4] & ICR_PENDING; spins++) {
		if (spins == APIC_ICR_SPINS)
			return false;
		x86_pause();
	}
	mmio[LAPIC_ICR_HI / 4] = (uint32_t)(icr >> 32);
	mmio[LAPIC_ICR_LO / 4] = (uint32_t)icr; /* this write sends it */
	return true;
}

#endif /* !__ASSEMBLER__ */

#endif
