/* The boot core's device caps: what the loader, ACPI and the architecture
 * say the machine has, as caps of the right type (capboot.h). */
#include "devices.h"

#include <arch/devices.h>

#include "acpi.h"
#include "boot.h"
#include "hhdm.h"
#include "log.h"
#include "mm/mm.h"
#include "mm/vm.h"

#define LARGE (1ull << CAP_LARGE_PAGE_BITS)
#define SMALL (1ull << CAP_PAGE_BITS)

/* Appends a cap to the list (counting what does not fit). */
static void add(struct capboot_devices *d, struct cap c)
{
	if (d->n < CAPBOOT_MAX_DEVICE_CAPS)
		d->caps[d->n] = c;
	else
		d->dropped++;
	d->n++;
}

/* [base, base + size) as device frames: 2 MiB where aligned, else 4 KiB. */
static void add_mmio(struct capboot_devices *d, uint64_t base, uint64_t size)
{
	uint64_t end = (base + size + SMALL - 1) & ~(SMALL - 1);
	const uint32_t rights = cap_type_rights(CAP_DEVICE_FRAME);

	for (uint64_t a = base & ~(SMALL - 1); a < end;) {
		unsigned bits = !(a & (LARGE - 1)) && end - a >= LARGE ? CAP_LARGE_PAGE_BITS
		                                                       : CAP_PAGE_BITS;
		add(d, (struct cap){.type = CAP_DEVICE_FRAME,
		                    .size_bits = (uint8_t)bits,
		                    .rights = rights,
		                    .base = a});
		d->mmio_bytes += 1ull << bits;
		a += 1ull << bits;
	}
}

/* The firmware's tables are not in a core's HHDM (it maps only the core's
 * own memory): they are mapped read-only, page by page, into a stretch of
 * the kernel window (vm.h) while one is read, then unmapped. */
#define ACPI_WINDOW_OFFSET (1ull << 20)
#define ACPI_WINDOW_PAGES  256

struct acpi_window {
	uintptr_t base;
	size_t used; /* pages */
};

static const void *acpi_map(void *ctx, uint64_t phys, size_t len)
{
	struct acpi_window *w = ctx;
	uint64_t first = phys & ~(SMALL - 1), pages = (phys + len - first + SMALL - 1) / SMALL;

	if (len == 0 || pages > ACPI_WINDOW_PAGES - w->used)
		return NULL;
	uintptr_t va = w->base + w->used * SMALL;
	if (vm_map_range(vm_kernel(), va, first, pages * SMALL, 0) != ERR_OK)
		return NULL;
	w->used += pages;
	return (const void *)(va + (phys - first));
}

/* The RSDP's physical address, or 0 if the tables cannot be read here. */
static uint64_t rsdp_phys(void)
{
	const struct limine_rsdp_response *r = boot_info.rsdp;

	if (!r || !r->address || !hhdm_ready() || !mm_ready())
		return 0;
	return hhdm_phys((const void *)(uintptr_t)r->address);
}

enum err capboot_acpi_madt(struct acpi_info *info)
{
	struct acpi_window w = {.base = vm_window() + ACPI_WINDOW_OFFSET};
	uint64_t rsdp = rsdp_phys();

	if (!rsdp)
		return ERR_NOENT;
	enum err e = acpi_read_madt(rsdp, acpi_map, &w, info);
	if (w.used)
		vm_unmap_range(vm_kernel(), w.base, w.used * SMALL);
	return e;
}

enum err capboot_acpi_mcfg(struct acpi_mcfg *mcfg)
{
	struct acpi_window w = {.base = vm_window() + ACPI_WINDOW_OFFSET};
	uint64_t rsdp = rsdp_phys();

	if (!rsdp)
		return ERR_NOENT;
	enum err e = acpi_read_mcfg(rsdp, acpi_map, &w, mcfg);
	if (w.used)
		vm_unmap_range(vm_kernel(), w.base, w.used * SMALL);
	return e;
}

/* [base, end) as device untyped: naturally aligned blocks, largest first. */
static void add_device_untyped(struct capboot_devices *d, uint64_t base, uint64_t end,
                               uint16_t flags)
{
	base = (base + SMALL - 1) & ~(SMALL - 1);
	end &= ~(SMALL - 1);
	while (base < end) {
		unsigned bits = CAP_PAGE_BITS;
		while (bits < CAP_UNTYPED_MAX_BITS && !(base & ((2ull << bits) - 1)) &&
		       end - base >= 2ull << bits)
			bits++;
		add(d, (struct cap){.type = CAP_UNTYPED,
		                    .size_bits = (uint8_t)bits,
		                    .flags = (uint16_t)(CAP_FLAG_DEVICE | flags),
		                    .rights = cap_type_rights(CAP_UNTYPED),
		                    .base = base});
		d->mmio_bytes += 1ull << bits;
		base += 1ull << bits;
	}
}

/* Inserts [base, end) into the sorted list of taken ranges (pairs). */
static void take(uint64_t *t, size_t *n, size_t max, uint64_t base, uint64_t end)
{
	size_t i = *n;

	if (*n + 2 > max || end <= base)
		return;
	while (i >= 2 && t[i - 2] > base) {
		t[i] = t[i - 2];
		t[i + 1] = t[i - 1];
		i -= 2;
	}
	t[i] = base;
	t[i + 1] = end;
	*n += 2;
}

/* PCI Express configuration space (ECAM, the MCFG's segment groups): 1 MiB
 * per bus from the entry's base. */
static void add_ecam(struct capboot_devices *d, uint64_t *taken, size_t *ntaken, size_t max)
{
	static struct acpi_mcfg mcfg;

	if (capboot_acpi_mcfg(&mcfg))
		return;
	for (uint32_t i = 0; i < mcfg.count; i++) {
		const struct acpi_mcfg_entry *e = &mcfg.entries[i];
		uint64_t b = e->base + ((uint64_t)e->bus_first << 20);
		uint64_t n = (uint64_t)(e->bus_last - e->bus_first + 1) << 20;
		add_device_untyped(d, b, b + n, CAP_FLAG_ECAM);
		take(taken, ntaken, max, b, b + n);
	}
}

/* The DMA remapping units (VT-d, ACPI DMAR): a unit covering all of segment
 * 0 becomes device untyped flagged CAP_FLAG_IOMMU, its register set's
 * pages (user/drivers/iommu drives it).  That is one with INCLUDE_PCI_ALL,
 * or the table's only unit, on segment 0 (QEMU 7.2's intel-iommu lists the
 * host bridge's buses as scopes instead of the flag); any other is left in
 * the holes, unused (said on the log). */
static void add_iommus(struct capboot_devices *d, uint64_t *taken, size_t *ntaken, size_t max)
{
	static struct acpi_dmar dmar;
	struct acpi_window w = {.base = vm_window() + ACPI_WINDOW_OFFSET};
	uint64_t rsdp = rsdp_phys();
	enum err e = rsdp ? acpi_read_dmar(rsdp, acpi_map, &w, &dmar) : ERR_NOENT;

	if (w.used)
		vm_unmap_range(vm_kernel(), w.base, w.used * SMALL);
	for (uint32_t i = 0; !e && i < dmar.count; i++) {
		const struct acpi_dmar_drhd *u = &dmar.units[i];
		uint64_t end = u->base + (SMALL << (u->size < 4 ? u->size : 4));
		bool all = (u->flags & ACPI_DRHD_INCLUDE_ALL) || dmar.count == 1;
		if (!all || u->segment || (u->base & (SMALL - 1))) {
			log_printf("capboot: DMAR: unit at %#llx (segment %u, flags %#x) not used: "
			           "only one for all of segment 0 is\n",
			           (unsigned long long)u->base, u->segment, u->flags);
			continue;
		}
		add_device_untyped(d, u->base, end, CAP_FLAG_IOMMU);
		take(taken, ntaken, max, u->base, end);
	}
}

/* Physical address space that is neither in the loader's memory map (RAM,
 * firmware, reserved, the framebuffer...), nor ECAM, nor the APICs (the
 * kernel's), from 1 MiB up to what the processor reaches: where firmware
 * places PCI BARs, as device untyped (retyped to device frames by the PCI
 * service). */
static void add_holes(struct capboot_devices *d)
{
	static uint64_t t[2 * (CAPBOOT_MAX_TAKEN + 8)];
	size_t n = 0, max = sizeof t / sizeof t[0];
	struct arch_device dev[40];
	size_t ndev = arch_devices(dev, 40);

	add_ecam(d, t, &n, max);
	add_iommus(d, t, &n, max);
	for (size_t i = 0; i < boot_memmap_count() && i < CAPBOOT_MAX_TAKEN; i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		take(t, &n, max, m->base & ~(SMALL - 1),
		     (m->base + m->length + SMALL - 1) & ~(SMALL - 1));
	}
	for (size_t i = 0; i < ndev && i < 40; i++)
		if (dev[i].kind == ARCH_DEVICE_MMIO)
			take(t, &n, max, dev[i].base, dev[i].base + dev[i].size);
	for (uint32_t i = 0; i < d->nioapics; i++)
		take(t, &n, max, d->ioapics[i], d->ioapics[i] + SMALL);
	uint64_t at = 1ull << 20, limit = arch_phys_limit();
	for (size_t i = 0; i < n && at < limit; i += 2) {
		if (t[i] > at)
			add_device_untyped(d, at, t[i] < limit ? t[i] : limit, 0);
		if (t[i + 1] > at)
			at = t[i + 1];
	}
	if (at < limit)
		add_device_untyped(d, at, limit, 0);
}

/* The I/O APICs' register windows, from the MADT: the kernel's (core 0
 * routes interrupt lines with them, kernel/sched/irq.c), so no cap. */
static void find_ioapics(struct capboot_devices *d)
{
	static struct acpi_info info; /* large; kernel data, not the stack */

	enum err e = capboot_acpi_madt(&info);
	if (e) {
		log_printf("capboot: no I/O APICs from ACPI: %s\n", err_str(e));
		return;
	}
	for (uint32_t i = 0; i < info.ioapic_count && i < 16; i++)
		d->ioapics[d->nioapics++] = info.ioapic_address[i];
}

static void add_framebuffer(struct capboot_devices *d)
{
	const struct limine_framebuffer *fb = boot_framebuffer();
	if (fb && fb->address && hhdm_ready())
		add_mmio(d, hhdm_phys((const void *)(uintptr_t)fb->address),
		         fb->pitch * fb->height);
}

/* The architecture's fixed devices: port ranges, lines, register windows. */
static void add_arch(struct capboot_devices *d)
{
	struct arch_device dev[40];
	size_t n = arch_devices(dev, sizeof dev / sizeof dev[0]);
	const uint32_t rights = cap_type_rights(CAP_IOPORT);

	for (size_t i = 0; i < n && i < sizeof dev / sizeof dev[0]; i++) {
		switch (dev[i].kind) {
		case ARCH_DEVICE_IOPORT:
			add(d, (struct cap){.type = CAP_IOPORT,
			                    .rights = rights,
			                    .base = dev[i].base,
			                    .count = dev[i].size});
			break;
		case ARCH_DEVICE_IRQ:
			add(d,
			    (struct cap){.type = CAP_IRQ, .rights = rights, .base = dev[i].base});
			break;
		case ARCH_DEVICE_MMIO: add_mmio(d, dev[i].base, dev[i].size); break;
		}
	}
}

void capboot_find_devices(struct capboot_devices *d)
{
	d->n = d->dropped = 0;
	d->mmio_bytes = 0;
	d->nioapics = d->necam = 0;
	add_framebuffer(d);
	add_arch(d);
	find_ioapics(d);
	add_holes(d);
}
