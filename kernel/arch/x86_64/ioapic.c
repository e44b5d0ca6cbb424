/* The boot core's I/O APICs (Intel 82093AA datasheet, §3.2: IOREGSEL at 0,
 * IOWIN at 0x10; register 1 the version and last redirection entry; the
 * redirection table from register 0x10, two registers per input) and port
 * I/O, for the device capabilities (kernel/sched/irq.c, ioport.c).  Only
 * core 0's CPU driver programs the I/O APICs (it owns them, as it owns the
 * console); every routed line interrupts core 0 on vector IOAPIC_VECTOR0 +
 * line.  State in .bss: per core, used on core 0 only. */
#include <arch/arch.h>
#include <x86/x86.h>

#include "idt.h"
#include "lapic.h"

#define IOREGSEL    0x00
#define IOWIN       0x10
#define IOAPICVER   0x01
#define IOREDTBL(n) (0x10 + 2 * (n))

/* Redirection entry, low dword (§3.2.4). */
#define RTE_VECTOR(v) ((uint32_t)(v)&0xff) /* delivery mode 000 fixed, physical */
#define RTE_LOW       (1u << 13)           /* polarity: active low */
#define RTE_LEVEL     (1u << 15)           /* trigger mode: level */
#define RTE_MASKED    (1u << 16)
#define RTE_DEST(id)  ((uint32_t)(id) << 24) /* high dword: destination APIC id */

#define IOAPIC_MAX     16
#define IOAPIC_VECTOR0 0x30 /* above the exceptions, below the local APIC's */

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base, inputs;
};

static struct ioapic ioapics[IOAPIC_MAX];
static unsigned nioapics;

struct route {
	struct ioapic *io;
	unsigned pin;
	uint32_t low; /* the redirection entry without the mask bit */
	void (*fn)(unsigned line);
};
static struct route routes[ARCH_IRQ_LINES];

static uint32_t io_read(struct ioapic *io, unsigned reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void io_write(struct ioapic *io, unsigned reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

uint32_t arch_port_in(uint16_t port, unsigned width)
{
	switch (width) {
	case 1: return x86_inb(port);
	case 2: return x86_inw(port);
	case 4: return x86_inl(port);
	default: return 0;
	}
}

void arch_port_out(uint16_t port, unsigned width, uint32_t value)
{
	switch (width) {
	case 1: x86_outb(port, (uint8_t)value); break;
	case 2: x86_outw(port, (uint16_t)value); break;
	case 4: x86_outl(port, value); break;
	default: break;
	}
}

enum err arch_ioapic_add(volatile void *regs, uint32_t gsi_base)
{
	if (nioapics == IOAPIC_MAX)
		return ERR_FULL;
	struct ioapic *io = &ioapics[nioapics++];
	io->regs = regs;
	io->gsi_base = gsi_base;
	io->inputs = (io_read(io, IOAPICVER) >> 16 & 0xff) + 1;
	for (unsigned pin = 0; pin < io->inputs; pin++)
		io_write(io, IOREDTBL(pin), RTE_MASKED);
	return ERR_OK;
}

/* One routed line's interrupt: its handler records, then the EOI. */
static void on_line(struct trap_frame *tf)
{
	unsigned line = (unsigned)tf->vector - IOAPIC_VECTOR0;

	if (line < ARCH_IRQ_LINES && routes[line].fn)
		routes[line].fn(line);
	lapic_eoi();
}

enum err arch_irq_route(unsigned line, const struct arch_irq_line *how, void (*fn)(unsigned line))
{
	if (line >= ARCH_IRQ_LINES)
		return ERR_RANGE;
	for (unsigned i = 0; i < nioapics; i++) {
		struct ioapic *io = &ioapics[i];
		if (how->gsi < io->gsi_base || how->gsi - io->gsi_base >= io->inputs)
			continue;
		struct route *r = &routes[line];
		r->io = io;
		r->pin = how->gsi - io->gsi_base;
		r->low = RTE_VECTOR(IOAPIC_VECTOR0 + line) | (how->low ? RTE_LOW : 0) |
		         (how->level ? RTE_LEVEL : 0);
		r->fn = fn;
		idt_set_handler(IOAPIC_VECTOR0 + line, on_line);
		io_write(io, IOREDTBL(r->pin), RTE_MASKED);
		io_write(io, IOREDTBL(r->pin) + 1, RTE_DEST(arch_cpu_hwid()));
		io_write(io, IOREDTBL(r->pin), r->low | RTE_MASKED);
		return ERR_OK;
	}
	return ERR_UNSUPPORTED;
}

void arch_irq_mask(unsigned line, bool masked)
{
	struct route *r = line < ARCH_IRQ_LINES ? &routes[line] : NULL;

	if (r && r->io)
		io_write(r->io, IOREDTBL(r->pin), r->low | (masked ? RTE_MASKED : 0));
}

enum err arch_irq_read(unsigned line, struct arch_irq_line *how, unsigned *vector, bool *masked)
{
	struct route *r = line < ARCH_IRQ_LINES ? &routes[line] : NULL;

	if (!r || !r->io)
		return ERR_NOENT;
	uint32_t low = io_read(r->io, IOREDTBL(r->pin));
	*how = (struct arch_irq_line){.gsi = r->io->gsi_base + r->pin,
	                              .level = (low & RTE_LEVEL) != 0,
	                              .low = (low & RTE_LOW) != 0};
	*vector = low & 0xff;
	*masked = (low & RTE_MASKED) != 0;
	return ERR_OK;
}
