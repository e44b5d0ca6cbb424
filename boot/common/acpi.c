/* ACPI table walking; see acpi.h. */
#include "acpi.h"

#include <string/mem.h>

/* The 8-bit sum of len bytes, which is 0 for a valid table. */
static uint8_t sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s;
}

/* The whole table at phys if its signature is sig and it checks out. */
static const struct acpi_header *table(uint64_t phys, const char *sig, acpi_map_fn map, void *ctx)
{
	const struct acpi_header *h = map(ctx, phys, sizeof(*h));

	if (!h || memcmp(h->signature, sig, 4) != 0 || h->length < sizeof(*h))
		return NULL;
	h = map(ctx, phys, h->length);
	if (!h || sum(h, h->length) != 0)
		return NULL;
	return h;
}

/* Searches the XSDT (8-byte entries) or RSDT (4-byte entries) for sig. */
static const struct acpi_header *find(const struct acpi_header *sdt, unsigned width,
                                      const char *sig, acpi_map_fn map, void *ctx)
{
	const uint8_t *entries = (const uint8_t *)sdt + sizeof(*sdt);
	size_t n = (sdt->length - sizeof(*sdt)) / width;

	for (size_t i = 0; i < n; i++) {
		uint64_t phys = 0;
		memcpy(&phys, entries + i * width, width);
		const struct acpi_header *t = table(phys, sig, map, ctx);
		if (t)
			return t;
	}
	return NULL;
}

/* Adds one processor if it is enabled or can be brought online. */
static void add_cpu(struct acpi_info *out, uint32_t uid, uint32_t apic_id, uint32_t flags)
{
	if (!acpi_lapic_enabled(flags) && !acpi_lapic_online_capable(flags)) {
		out->cpu_disabled++;
		return;
	}
	for (uint32_t i = 0; i < out->cpu_count; i++)
		if (out->cpus[i].apic_id == apic_id) {
			out->cpu_dropped++;
			return;
		}
	if (out->cpu_count == ACPI_MAX_CPUS) {
		out->cpu_dropped++;
		return;
	}
	out->cpus[out->cpu_count].processor_uid = uid;
	out->cpus[out->cpu_count].apic_id = apic_id;
	out->cpus[out->cpu_count].flags = flags;
	out->cpu_count++;
}

/* Walks the MADT's variable-length structures. */
static void parse_madt(const struct acpi_header *madt, struct acpi_info *out)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(struct acpi_madt);
	const uint8_t *end = (const uint8_t *)madt + madt->length;

	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == ACPI_MADT_IOAPIC && p[1] >= sizeof(struct acpi_madt_ioapic)) {
			struct acpi_madt_ioapic io;
			memcpy(&io, p, sizeof(io));
			if (out->ioapic_count < ACPI_MAX_IOAPICS)
				out->ioapic_address[out->ioapic_count++] = io.address;
		} else if (p[0] == ACPI_MADT_LAPIC && p[1] >= sizeof(struct acpi_madt_lapic)) {
			struct acpi_madt_lapic l;
			memcpy(&l, p, sizeof(l));
			add_cpu(out, l.processor_uid, l.apic_id, l.flags);
		} else if (p[0] == ACPI_MADT_X2APIC && p[1] >= sizeof(struct acpi_madt_x2apic)) {
			struct acpi_madt_x2apic x;
			memcpy(&x, p, sizeof(x));
			add_cpu(out, x.processor_uid, x.x2apic_id, x.flags);
		}
		p += p[1];
	}
}

enum err acpi_read_madt(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_info *out)
{
	const struct acpi_rsdp *r = rsdp ? map(ctx, rsdp, 20) : NULL;
	const struct acpi_header *sdt = NULL, *madt = NULL;

	memset(out, 0, sizeof(*out));
	if (!r || memcmp(r->signature, "RSD PTR ", 8) != 0 || sum(r, 20) != 0)
		return ERR_NOENT;
	if (r->revision >= 2 && (r = map(ctx, rsdp, sizeof(*r))) && sum(r, sizeof(*r)) == 0 &&
	    r->xsdt_address && (sdt = table(r->xsdt_address, "XSDT", map, ctx)))
		madt = find(sdt, 8, "APIC", map, ctx);
	if (!madt && r && (sdt = table(r->rsdt_address, "RSDT", map, ctx)))
		madt = find(sdt, 4, "APIC", map, ctx);
	if (!madt || madt->length < sizeof(struct acpi_madt))
		return ERR_NOENT;
	parse_madt(madt, out);
	return ERR_OK;
}
