/* The bootstrap processor's local APIC, as far as starting the other
 * processors needs it: the mode (xAPIC through MMIO, or x2APIC through
 * MSRs) and the interrupt command register.
 * SDM vol. 3A ch. 11 (10 in older editions): 11.4.4 IA32_APIC_BASE, 11.6.1
 * the ICR, 11.12 x2APIC mode (11.12.1 MSR addresses, 11.12.5 enabling).
 * The encodings are pure inline functions, tested on the host.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_APIC_H
#define BOOT_COMMON_ARCH_X86_64_APIC_H

#include <stdint.h>
#include <tessera/err.h>

/* IA32_APIC_BASE (SDM 3A 11.4.4, figure 11-5). */
#define MSR_APIC_BASE   0x1bu
#define APIC_BASE_BSP   (1ull << 8)
#define APIC_BASE_EXTD  (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN    (1ull << 11)
#define APIC_BASE_FRAME 0x000ffffffffff000ull

/* Register offsets in the xAPIC MMIO page (table 11-1); in x2APIC mode
 * register at offset o is MSR 0x800 + o / 16 (11.12.1.2), and the ICR is
 * one 64-bit MSR. */
#define LAPIC_ID        0x020u
#define LAPIC_ICR_LO    0x300u
#define LAPIC_ICR_HI    0x310u
#define X2APIC_MSR(off) (0x800u + ((off) >> 4))

/* ICR low dword (figure 11-12). */
#define ICR_DM_INIT    (5u << 8)  /* delivery mode INIT */
#define ICR_DM_STARTUP (6u << 8)  /* delivery mode Start Up */
#define ICR_PENDING    (1u << 12) /* delivery status (xAPIC only): send pending */
#define ICR_ASSERT     (1u << 14) /* level: assert (must be 1 but for INIT de-assert) */

/* CPUID.01H:ECX bit 21: the processor has x2APIC mode. */
#define CPUID1_ECX_X2APIC (1u << 21)

/* The ICR low dword of an INIT IPI (level assert, edge; no 82489DX-era
 * de-assert is needed on processors with an integrated APIC, SDM 3A 9.4.4). */
static inline uint32_t icr_init(void)
{
	return ICR_DM_INIT | ICR_ASSERT;
}

/* The ICR low dword of a start-up IPI that starts the target in real mode at
 * vector << 12 (the page of the trampoline, below 1 MiB). */
static inline uint32_t icr_startup(uint8_t vector)
{
	return ICR_DM_STARTUP | ICR_ASSERT | vector;
}

/* The whole 64-bit ICR for a physical destination: x2APIC takes the 32-bit
 * APIC id in bits 63:32, xAPIC an 8-bit one in bits 63:56. */
static inline uint64_t icr_value(uint32_t low, uint32_t apic_id, int x2apic)
{
	uint64_t dest = x2apic ? (uint64_t)apic_id << 32 : (uint64_t)(apic_id & 0xff) << 56;
	return dest | low;
}

/* Whether a processor with this APIC id can be addressed by a physical
 * destination in the mode: xAPIC has 8 bits, and 0xff is the broadcast. */
static inline int apic_addressable(uint32_t apic_id, int x2apic)
{
	return x2apic ? apic_id != 0xffffffffu : apic_id < 0xff;
}

/* The start-up vector of a trampoline page, or -1 if a SIPI cannot reach
 * it: 4 KiB aligned, above the first page and below 1 MiB (SDM 3A 9.4.4.1). */
static inline int apic_sipi_vector(uint64_t phys)
{
	if ((phys & 0xfff) || phys == 0 || phys >= 0x100000)
		return -1;
	return (int)(phys >> 12);
}

/* Sets the BSP's local APIC up for sending IPIs: x2APIC mode if it is on
 * already or if want_x2apic and the CPU has it (enabling it first).
 * Returns whether x2APIC mode is on. */
int lapic_open(int want_x2apic);

/* Sends an IPI with ICR low dword low to the processor with this APIC id,
 * after the previous one has left (xAPIC); ERR_TIMEOUT if the ICR stays
 * busy. */
enum err lapic_send(uint32_t apic_id, uint32_t low);

#endif
