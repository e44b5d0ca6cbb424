/* The boot core's device caps: what the loader, ACPI and the architecture
 * say the machine has, as caps of the right type (capboot.h). */
#include "devices.h"

#include <arch/arch.h>
#include <arch/devices.h>

#include "acpi.h"
#include "boot.h"
#include "hhdm.h"

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

static const void *acpi_map(void *ctx, uint64_t phys, size_t len)
{
	const void *p = hhdm_ptr(phys);
	return arch_mapped((uintptr_t)p, len) ? p : NULL;
}

/* The I/O APICs' register windows, from the MADT. */
static void add_ioapics(struct capboot_devices *d)
{
	static struct acpi_info info; /* large; kernel data, not the stack */
	const struct limine_rsdp_response *r = boot_info.rsdp;

	if (!r || !r->address || !hhdm_ready())
		return;
	if (acpi_read_madt(hhdm_phys((const void *)(uintptr_t)r->address), acpi_map, NULL, &info) !=
	    ERR_OK)
		return;
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
