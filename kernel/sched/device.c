/* Device capabilities; see device.h and tessera/caps.h for the methods'
 * errors in order. */
#include "device.h"

#include <arch/arch.h>

#include "acpi.h"
#include "cap/cnode.h"
#include "capboot/devices.h"
#include "core.h"
#include "log.h"
#include "mm/prot.h"
#include "mm/vm.h"
#include "notify.h"

/* Where core 0 maps the I/O APICs' registers in its kernel window. */
#define IOAPIC_WINDOW_OFFSET (768ull << 20)
#define PAGE                 4096ull

/* ---- I/O ports ---- */

/* Whether [port, port + width) is inside the cap's range and width valid. */
static enum err port_check(const struct cap *c, uint64_t port, uint64_t width)
{
	if (width > 4 || !(IOPORT_WIDTHS >> width & 1))
		return ERR_INVAL;
	if (port < c->base || port >= c->base + c->count || width > c->base + c->count - port)
		return ERR_RANGE;
	return ERR_OK;
}

enum err ioport_in(struct cte *slot, const uint64_t *a, struct cap_invocation_result *res)
{
	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	enum err e = port_check(&slot->cap, a[0], a[1]);
	if (e)
		return e;
	res->value[0] = arch_port_in((uint16_t)a[0], (unsigned)a[1]);
	return ERR_OK;
}

enum err ioport_out(struct cte *slot, const uint64_t *a)
{
	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (a[1] <= 4 && a[1] && (IOPORT_WIDTHS >> a[1] & 1) && a[2] >> (8 * a[1]))
		return ERR_INVAL;
	enum err e = port_check(&slot->cap, a[0], a[1]);
	if (e)
		return e;
	arch_port_out((uint16_t)a[0], (unsigned)a[1], (uint32_t)a[2]);
	return ERR_OK;
}

/* ---- interrupt lines ---- */

/* A bound line: the notification it signals, and the bind's token, kept
 * in the binding cap's kdata so that its removal unbinds (a copy of the
 * cap, or another cap for the line, has another kdata). */
struct line {
	uint64_t notify; /* physical address of the notification object; 0: unbound */
	uint64_t bits;
	uint64_t token;
	struct arch_irq_line how;
	bool routed, masked;
	unsigned long count;
};

static struct line lines[ARCH_IRQ_LINES];
static volatile uint32_t pending; /* bit per line: taken, not delivered */
static uint64_t next_token = 1;
static bool ioapics_up, ioapics_failed;

/* Interrupt context: record; a level-triggered line stays masked until
 * its driver acks. */
static void on_interrupt(unsigned line)
{
	if (lines[line].how.level) {
		arch_irq_mask(line, true);
		lines[line].masked = true;
	}
	lines[line].count++;
	pending |= 1u << line;
}

/* ISA lines: edge-triggered, active high, GSI = line, unless the MADT
 * overrides it (ACPI 6.5 §5.2.12.5; MPS INTI flags: polarity 3 low,
 * trigger 3 level). */
static struct arch_irq_line isa_route(const struct acpi_info *info, unsigned line)
{
	struct arch_irq_line how = {.gsi = line};

	for (uint32_t i = 0; i < info->iso_count; i++) {
		if (info->isos[i].source != line)
			continue;
		how.gsi = info->isos[i].gsi;
		how.low = (info->isos[i].flags & 3) == 3;
		how.level = (info->isos[i].flags >> 2 & 3) == 3;
	}
	return how;
}

/* PCI lines: GSI = line, level-triggered, active low (PCI Local Bus 3.0
 * §2.2.6: INTx# are level-sensitive, asserted low; ACPI 6.5 §5.2.12.5: a
 * GSI no override names has the bus's conforming flags, PCI's for these). */
static struct arch_irq_line pci_route(unsigned line)
{
	return (struct arch_irq_line){.gsi = line, .level = true, .low = true};
}

/* Core 0, once: the I/O APICs mapped into the kernel window and taken by
 * the arch layer, every ISA line's route read from the MADT, the PCI lines
 * as they are. */
bool irq_init(void)
{
	static struct acpi_info info;

	if (ioapics_up || ioapics_failed)
		return ioapics_up;
	ioapics_failed = true;
	if (capboot_acpi_madt(&info) || !info.ioapic_count)
		return false;
	for (uint32_t i = 0; i < info.ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
		uintptr_t va = vm_window() + IOAPIC_WINDOW_OFFSET + i * PAGE;
		uint64_t pa = info.ioapic_address[i];
		if (vm_map_range(vm_kernel(), va, pa & ~(PAGE - 1), PAGE,
		                 MM_PROT_WRITE | MM_PROT_UC) ||
		    arch_ioapic_add((volatile void *)(va + (pa & (PAGE - 1))),
		                    info.ioapic_gsi_base[i]))
			return false;
	}
	for (unsigned l = 0; l < ARCH_IRQ_LINES; l++) {
		lines[l].how = l < ARCH_IRQ_PCI_FIRST ? isa_route(&info, l) : pci_route(l);
		lines[l].routed = arch_irq_route(l, &lines[l].how, on_interrupt) == ERR_OK;
	}
	ioapics_failed = false;
	ioapics_up = true;
	log_printf("irq: %u I/O APIC%s, ISA and PCI lines routed to core 0\n", info.ioapic_count,
	           info.ioapic_count == 1 ? "" : "s");
	return true;
}

static void unbind(unsigned line)
{
	arch_irq_mask(line, true);
	lines[line].masked = true;
	lines[line].notify = lines[line].token = 0;
	pending &= ~(1u << line);
}

/* IRQ_BIND's checks (caps.h's order), then the line unmasked. */
enum err irq_bind(const struct cap_env *env, struct cte *root, struct cte *slot, const uint64_t *a)
{
	unsigned line = (unsigned)slot->cap.base;
	struct cte *n;
	uint32_t rights;

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (core_self() != 0 || line >= ARCH_IRQ_LINES || !irq_init() || !lines[line].routed)
		return ERR_UNSUPPORTED;
	enum err e = cap_lookup(env, root, a[0], a[1], &n, &rights);
	if (e)
		return e;
	if (!(rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (!cap_slot_live(n))
		return ERR_EMPTY;
	if (n->cap.type != CAP_NOTIFY)
		return ERR_TYPE;
	if (!(n->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (notify_core(&n->cap) != core_self())
		return ERR_UNSUPPORTED;
	if (!a[2])
		return ERR_INVAL;
	if (lines[line].notify)
		return ERR_BUSY;
	struct line *l = &lines[line];
	l->notify = n->cap.base;
	l->bits = a[2];
	l->token = next_token++;
	slot->cap.kdata = l->token;
	l->masked = false;
	arch_irq_mask(line, false);
	return ERR_OK;
}

enum err irq_ack(struct cte *slot)
{
	unsigned line = (unsigned)slot->cap.base;

	if (!(slot->cap.rights & CAP_RIGHT_WRITE))
		return ERR_PERM;
	if (line >= ARCH_IRQ_LINES || !lines[line].notify || slot->cap.kdata != lines[line].token)
		return ERR_NOENT;
	if (lines[line].masked) {
		lines[line].masked = false;
		arch_irq_mask(line, false);
	}
	return ERR_OK;
}

bool irq_pending(void)
{
	return pending != 0;
}

void irq_flush(void)
{
	while (pending) {
		unsigned line = (unsigned)__builtin_ctz(pending);
		__atomic_fetch_and(&pending, ~(1u << line), __ATOMIC_SEQ_CST);
		struct line *l = &lines[line];
		if (l->notify && !notify_signal_here(l->notify, l->bits))
			unbind(line);
	}
}

void irq_removed(const struct cap *cap)
{
	unsigned line = (unsigned)cap->base;

	if (cap->type == CAP_IRQ && line < ARCH_IRQ_LINES && lines[line].notify &&
	    cap->kdata == lines[line].token)
		unbind(line);
}

void irq_notify_gone(uint64_t pa)
{
	for (unsigned l = 0; l < ARCH_IRQ_LINES; l++)
		if (lines[l].notify == pa)
			unbind(l);
}

unsigned long irq_count(unsigned line)
{
	return line < ARCH_IRQ_LINES ? lines[line].count : 0;
}

bool irq_bound(unsigned line)
{
	return line < ARCH_IRQ_LINES && lines[line].notify;
}
