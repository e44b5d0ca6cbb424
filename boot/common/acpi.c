/* ACPI table walking; see acpi.h for which tables are used when. */
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

/* The whole table at phys if it is usable: it maps, has signature sig, a
 * length of min..ACPI_TABLE_MAX and a sum of 0.  *len receives its length. */
static const struct acpi_header *table(uint64_t phys, const char *sig, uint32_t min,
                                       acpi_map_fn map, void *ctx, uint32_t *len)
{
	const struct acpi_header *h = phys ? map(ctx, phys, sizeof(*h)) : NULL;

	if (!h || memcmp(h->signature, sig, 4) != 0 || h->length < min ||
	    h->length > ACPI_TABLE_MAX)
		return NULL;
	*len = h->length; /* kept: the second mapping is checked against it */
	h = map(ctx, phys, *len);
	if (!h || h->length != *len || sum(h, *len) != 0)
		return NULL;
	return h;
}

/* Entry i of a root table with entries of width bytes (8: XSDT, 4: RSDT). */
static uint64_t entry(const struct acpi_header *sdt, unsigned width, uint32_t i)
{
	uint64_t phys = 0;

	memcpy(&phys, (const uint8_t *)sdt + sizeof(*sdt) + (size_t)i * width, width);
	return phys;
}

/* The first usable table with signature sig (at least min bytes) that a
 * usable root table lists, or NULL.  A root table with a zero entry is not
 * usable. */
static const struct acpi_header *find_table(uint64_t phys, unsigned width, const char *want,
                                            uint32_t min, acpi_map_fn map, void *ctx,
                                            uint32_t *table_len)
{
	uint32_t len;
	const char *sig = width == 8 ? "XSDT" : "RSDT";
	const struct acpi_header *sdt = table(phys, sig, sizeof(*sdt), map, ctx, &len);
	uint32_t n = sdt ? (len - (uint32_t)sizeof(*sdt)) / width : 0;

	for (uint32_t i = 0; i < n; i++)
		if (entry(sdt, width, i) == 0)
			return NULL;
	for (uint32_t i = 0; i < n; i++) {
		const struct acpi_header *t =
		        table(entry(sdt, width, i), want, min, map, ctx, table_len);
		if (t)
			return t;
	}
	return NULL;
}

/* The XSDT's address if the RSDP's extended part is usable, else 0. */
static uint64_t xsdt_address(uint64_t rsdp, acpi_map_fn map, void *ctx)
{
	const struct acpi_rsdp *r = map(ctx, rsdp, sizeof(*r));

	if (!r || r->revision < 2 || r->length < sizeof(*r) || r->length > ACPI_TABLE_MAX)
		return 0;
	uint32_t len = r->length;
	const uint8_t *all = map(ctx, rsdp, len);
	if (!all || sum(all, len) != 0)
		return 0;
	return r->xsdt_address;
}

/* Adds one processor if it is enabled; counts the others. */
static void add_cpu(struct acpi_info *out, uint32_t uid, uint32_t apic_id, uint32_t flags)
{
	if (!acpi_lapic_enabled(flags)) {
		if (acpi_lapic_online_capable(flags))
			out->cpu_online_capable++;
		else
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

/* Records an ISA override (bus 0, the first for its line). */
static void add_iso(struct acpi_info *out, const uint8_t *p)
{
	struct acpi_madt_iso iso;

	memcpy(&iso, p, sizeof(iso));
	if (iso.bus != 0 || iso.source >= ACPI_MAX_ISOS)
		return;
	for (uint32_t i = 0; i < out->iso_count; i++)
		if (out->isos[i].source == iso.source)
			return;
	if (out->iso_count < ACPI_MAX_ISOS)
		out->isos[out->iso_count++] =
		        (struct acpi_iso){.source = iso.source, .flags = iso.flags, .gsi = iso.gsi};
}

/* Walks the len bytes of the MADT's variable-length structures. */
static void parse_madt(const struct acpi_header *madt, uint32_t len, struct acpi_info *out)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(struct acpi_madt);
	const uint8_t *end = (const uint8_t *)madt + len;

	while (end - p >= 2 && p[1] >= 2 && p[1] <= end - p) {
		if (p[0] == ACPI_MADT_IOAPIC && p[1] >= sizeof(struct acpi_madt_ioapic)) {
			struct acpi_madt_ioapic io;
			memcpy(&io, p, sizeof(io));
			if (out->ioapic_count < ACPI_MAX_IOAPICS) {
				out->ioapic_gsi_base[out->ioapic_count] = io.gsi_base;
				out->ioapic_address[out->ioapic_count++] = io.address;
			}
		} else if (p[0] == ACPI_MADT_ISO && p[1] >= sizeof(struct acpi_madt_iso)) {
			add_iso(out, p);
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

/* The table with signature sig from the RSDP at rsdp: the XSDT's, else the
 * RSDT's; *root says which. */
static const struct acpi_header *find(uint64_t rsdp, const char *sig, uint32_t min, acpi_map_fn map,
                                      void *ctx, uint32_t *len, enum acpi_root *root)
{
	const struct acpi_rsdp *r = rsdp ? map(ctx, rsdp, 20) : NULL;
	const struct acpi_header *t;

	if (!r || memcmp(r->signature, "RSD PTR ", 8) != 0 || sum(r, 20) != 0)
		return NULL;
	uint32_t rsdt = r->rsdt_address;
	uint64_t xsdt = r->revision >= 2 ? xsdt_address(rsdp, map, ctx) : 0;
	if (xsdt && (t = find_table(xsdt, 8, sig, min, map, ctx, len))) {
		*root = ACPI_ROOT_XSDT;
		return t;
	}
	*root = ACPI_ROOT_RSDT;
	return find_table(rsdt, 4, sig, min, map, ctx, len);
}

enum err acpi_read_madt(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_info *out)
{
	uint32_t len = 0;
	enum acpi_root root;

	memset(out, 0, sizeof(*out));
	const struct acpi_header *madt =
	        find(rsdp, "APIC", sizeof(struct acpi_madt), map, ctx, &len, &root);
	if (!madt)
		return ERR_NOENT;
	out->root = root;
	parse_madt(madt, len, out);
	return ERR_OK;
}

enum err acpi_read_mcfg(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_mcfg *out)
{
	const uint32_t fixed = sizeof(struct acpi_header) + 8;
	uint32_t len = 0;
	enum acpi_root root;

	memset(out, 0, sizeof(*out));
	const struct acpi_header *t = find(rsdp, "MCFG", fixed, map, ctx, &len, &root);
	if (!t)
		return ERR_NOENT;
	for (uint32_t off = fixed; len - off >= sizeof(struct acpi_mcfg_entry);
	     off += sizeof(struct acpi_mcfg_entry)) {
		struct acpi_mcfg_entry e;
		memcpy(&e, (const uint8_t *)t + off, sizeof(e));
		if (e.bus_last >= e.bus_first && out->count < ACPI_MAX_MCFG)
			out->entries[out->count++] = e;
	}
	return ERR_OK;
}

enum err acpi_read_dmar(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_dmar *out)
{
	uint32_t len = 0;
	enum acpi_root root;

	memset(out, 0, sizeof(*out));
	const struct acpi_header *t = find(rsdp, "DMAR", ACPI_DMAR_FIXED, map, ctx, &len, &root);
	if (!t)
		return ERR_NOENT;
	const uint8_t *p = (const uint8_t *)t;
	out->host_address_width = p[36];
	out->flags = p[37];
	for (uint32_t off = ACPI_DMAR_FIXED; len - off >= 4;) {
		uint16_t type, slen;
		memcpy(&type, p + off, 2);
		memcpy(&slen, p + off + 2, 2);
		if (slen < 4 || slen > len - off)
			break;
		if (type == ACPI_DMAR_DRHD && slen >= sizeof(struct acpi_dmar_drhd) &&
		    out->count < ACPI_MAX_DRHD)
			memcpy(&out->units[out->count++], p + off, sizeof(struct acpi_dmar_drhd));
		off += slen;
	}
	return ERR_OK;
}
