/* Masking interrupt sources before the kernel runs (PROTOCOL.md "Machine
 * state at entry": legacy PIC and I/O APIC fixed/lowest-priority inputs
 * masked).  8259A: OCW1 to the data ports.  I/O APIC: the 82093AA
 * datasheet (IOREGSEL at +0x00, IOWIN at +0x10; register 1 IOAPICVER with
 * the last redirection entry in bits 16-23; entries at 0x10 + 2n, delivery
 * mode in bits 8-10, mask bit 16). */
#include <arch.h>
#include <x86/x86.h>

#define IOAPIC_VER      0x01
#define IOAPIC_REDTBL   0x10
#define RTE_MASK        (1u << 16)
#define RTE_DELIVERY(v) (((v) >> 8) & 7)

static uint32_t ioapic_read(volatile uint32_t *base, uint32_t reg)
{
	base[0] = reg;
	return base[4];
}

static void ioapic_write(volatile uint32_t *base, uint32_t reg, uint32_t v)
{
	base[0] = reg;
	base[4] = v;
}

void arch_mask_irqs(const uint64_t *ioapics, uint32_t count)
{
	x86_outb(0x21, 0xff);
	x86_outb(0xa1, 0xff);
	for (uint32_t i = 0; i < count; i++) {
		volatile uint32_t *base = (volatile uint32_t *)(uintptr_t)ioapics[i];
		uint32_t last = (ioapic_read(base, IOAPIC_VER) >> 16) & 0xff;
		for (uint32_t n = 0; n <= last; n++) {
			uint32_t lo = ioapic_read(base, IOAPIC_REDTBL + 2 * n);
			if (RTE_DELIVERY(lo) <= 1 && !(lo & RTE_MASK))
				ioapic_write(base, IOAPIC_REDTBL + 2 * n, lo | RTE_MASK);
		}
	}
}
