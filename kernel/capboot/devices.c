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
 * the kernel window (vm.h) while the MADT is read, then unmapped. */
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

/* The I/O APICs' register windows, from the MADT. */
static void add_ioapics(struct capboot_devices *d)
{
	static struct acpi_info info; /* large; kernel data, not the stack */
	const struct limine_rsdp_response *r = boot_info.rsdp;
	struct acpi_window w = {.base = vm_window() + ACPI_WINDOW_OFFSET};

	if (!r || !r->address || !hhdm_ready() || !mm_ready())
		return;
	enum err e =
	        acpi_read_madt(hhdm_phys((const void *)(uintptr_t)r->address), acpi_map, &w, &info);
	if (w.used)
		vm_unmap_range(vm_kernel(), w.base, w.used * SMALL);
	if (e) {
		log_printf("capboot: no I/O APICs from ACPI: %s\n", err_str(e));
		return;
	}
	for (uint32_t i = 0; i < info.ioapic_count && i < ACPI_MAX_IOAPICS; i++)
		add_mmio(d, info.ioapic_address[i], SMALL);
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
	add_framebuffer(d);
	add_arch(d);
	add_ioapics(d);
}
