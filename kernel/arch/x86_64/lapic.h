/* This core's local APIC, for the other x86 modules of the CPU driver
 * (lapic.c; the arch contract has the rest). */
#ifndef KERNEL_ARCH_X86_64_LAPIC_H
#define KERNEL_ARCH_X86_64_LAPIC_H

/* Ends the interrupt being handled (SDM Vol. 3A §10.8.5); for a
 * level-triggered I/O APIC input the EOI is broadcast to the I/O APICs,
 * which clears the input's Remote IRR. */
void lapic_eoi(void);

#endif
