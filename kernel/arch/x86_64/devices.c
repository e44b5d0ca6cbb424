/* The PC's fixed devices (see <arch/devices.h>): the first serial port, the
 * PIT, the PS/2 controller, PCI's configuration ports (PCI Local Bus 3.0
 * §3.2.2.3.2: CONFIG_ADDRESS 0xcf8, CONFIG_DATA 0xcfc) and the port space
 * above the ISA range where firmware places PCI I/O BARs, the ISA
 * interrupt lines and the PCI ones (I/O APIC inputs 16-23), and this CPU's
 * local APIC registers (from
 * IA32_APIC_BASE, SDM Vol. 3A §10.4.4). */
#include <arch/devices.h>
#include <x86/apic.h>
#include <x86/pit.h>
#include <x86/uart.h>

#define ISA_IRQS    16
#define ISA_CASCADE 2 /* the slave PIC's input on the master: no device */
#define PCI_IRQS    8 /* I/O APIC inputs 16-23: PCI INTx (<arch/arch.h>) */

static const struct arch_device fixed[] = {
        {ARCH_DEVICE_IOPORT, "COM1", UART_COM1, UART_PORTS},
        {ARCH_DEVICE_IOPORT, "PIT", PIT_PORT, PIT_PORTS},
        {ARCH_DEVICE_IOPORT, "PS/2 data", 0x60, 1},
        {ARCH_DEVICE_IOPORT, "PS/2 status/command", 0x64, 1},
        {ARCH_DEVICE_IOPORT, "PCI configuration", 0xcf8, 8},
        {ARCH_DEVICE_IOPORT, "PCI I/O", 0x1000, 0x10000 - 0x1000},
};

#define PHYS_BITS_MAX 46

uint64_t arch_phys_limit(void)
{
	uint32_t r[4];
	unsigned bits = 36; /* the width when CPUID does not say (SDM Vol. 3A §4.1.4) */

	x86_cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000008u) {
		x86_cpuid(0x80000008u, 0, r);
		bits = r[0] & 0xff;
	}
	return 1ull << (bits < PHYS_BITS_MAX ? bits : PHYS_BITS_MAX);
}

size_t arch_devices(struct arch_device *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++, n++)
		if (n < max)
			out[n] = fixed[i];
	for (unsigned irq = 0; irq < ISA_IRQS; irq++) {
		if (irq == ISA_CASCADE)
			continue;
		if (n < max)
			out[n] = (struct arch_device){ARCH_DEVICE_IRQ, "ISA IRQ", irq, 1};
		n++;
	}
	for (unsigned irq = ISA_IRQS; irq < ISA_IRQS + PCI_IRQS; irq++, n++)
		if (n < max)
			out[n] = (struct arch_device){ARCH_DEVICE_IRQ, "PCI IRQ", irq, 1};
	if (n < max)
		out[n] = (struct arch_device){ARCH_DEVICE_MMIO, "local APIC",
		                              x86_rdmsr(X86_MSR_APIC_BASE) & APIC_BASE_FRAME, 4096};
	return n + 1;
}
