/* The bootstrap processor's local APIC, as far as starting the other
 * processors needs it: the mode (xAPIC through MMIO, or x2APIC through
 * MSRs) and the interrupt command register.  The register formats and
 * encodings are lib/x86/apic.h's.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_APIC_H
#define BOOT_COMMON_ARCH_X86_64_APIC_H

#include <stdint.h>
#include <tessera/err.h>
#include <x86/apic.h>

/* Sets the BSP's local APIC up for sending IPIs: x2APIC mode if it is on
 * already or if want_x2apic and the CPU has it (enabling it first).
 * Returns whether x2APIC mode is on. */
int lapic_open(int want_x2apic);

/* Sends an IPI with ICR low dword low to the processor with this APIC id,
 * after the previous one has left (xAPIC); ERR_TIMEOUT if the ICR stays
 * busy. */
enum err lapic_send(uint32_t apic_id, uint32_t low);

#endif
