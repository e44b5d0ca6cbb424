/* Fuzz target: boot/common/acpi.c, the loader's RSDP -> XSDT/RSDT -> MADT
 * walk, and smp_plan.c's processor list built from it.  The input is a
 * piece of fake physical memory (little-endian):
 *
 *   header   u64 rsdp, u32 flags, u32 bsp_apic_id
 *   regions  u64 base, u32 length, u32 zero, then length bytes (the last
 *            region may be cut short)
 *
 * flags bit 0: before the walk, set the checksums of the RSDP, the XSDT,
 * the RSDT and the tables they list, so mutations reach the MADT parser
 * (the walk itself still checks them).  The map function gives each
 * request a private copy of exactly the bytes asked for, so ASan sees any
 * read past what the parser mapped; memory outside the regions cannot be
 * mapped, like memory past the loader's identity map.
 */
#include <acpi.h>
#include <smp_plan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REGIONS 16
#define MAX_MAPS    1024
#define FLAG_FIX    0x1

struct region {
	uint64_t base;
	uint8_t *bytes; /* a writable copy */
	size_t len;
};

struct mem {
	struct region r[MAX_REGIONS];
	unsigned count;
	void *maps[MAX_MAPS];
	unsigned nmaps;
};

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The bytes at [phys, phys + len) if one region holds them all, or NULL. */
static uint8_t *find(struct mem *m, uint64_t phys, size_t len)
{
	for (unsigned i = 0; i < m->count; i++) {
		const struct region *r = &m->r[i];
		if (phys >= r->base && phys - r->base <= r->len && len <= r->len - (phys - r->base))
			return r->bytes + (phys - r->base);
	}
	return NULL;
}

static const void *map(void *ctx, uint64_t phys, size_t len)
{
	struct mem *m = ctx;
	const uint8_t *src = find(m, phys, len);
	if (!src || m->nmaps == MAX_MAPS)
		return NULL;
	void *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, src, len);
	m->maps[m->nmaps++] = copy;
	return copy;
}

/* Sets the byte at at so that the len bytes at p sum to 0. */
static void set_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

/* Fixes the checksum of the table at phys if its whole length is there;
 * *len receives the length it used. */
static uint8_t *fix_table(struct mem *m, uint64_t phys, uint32_t *len)
{
	uint8_t *h = find(m, phys, sizeof(struct acpi_header));
	*len = h ? (uint32_t)get(h + 4, 4) : 0;
	if (!h || *len < sizeof(struct acpi_header) || !(h = find(m, phys, *len)))
		return NULL; /* (regions may overlap: the whole table's may differ) */
	set_sum(h, *len, 9);
	return h;
}

/* Fixes a root table's listed tables, then the root table itself. */
static void fix_root(struct mem *m, uint64_t phys, unsigned width)
{
	uint32_t len, other;
	uint8_t *h = fix_table(m, phys, &len);
	if (!h)
		return;
	for (uint32_t off = sizeof(struct acpi_header); off + width <= len; off += width)
		fix_table(m, get(h + off, width), &other);
	fix_table(m, phys, &other);
}

static void fix_sums(struct mem *m, uint64_t rsdp)
{
	uint8_t *r = find(m, rsdp, 20);
	if (!r)
		return;
	uint8_t *x = find(m, rsdp, sizeof(struct acpi_rsdp));
	if (x && r[15] >= 2)
		fix_root(m, get(x + 24, 8), 8);
	fix_root(m, get(r + 16, 4), 4);
	set_sum(r, 20, 8);
	uint32_t len = x ? (uint32_t)get(x + 20, 4) : 0;
	if (x && len >= sizeof(struct acpi_rsdp) && (x = find(m, rsdp, len)))
		set_sum(x, len, 32);
}

static void check(const struct acpi_info *a, uint32_t bsp)
{
	if (a->cpu_count > ACPI_MAX_CPUS || a->ioapic_count > ACPI_MAX_IOAPICS)
		abort();
	for (uint32_t i = 0; i < a->cpu_count; i++) {
		if (!acpi_lapic_enabled(a->cpus[i].flags))
			abort(); /* only enabled processors are started */
		for (uint32_t j = 0; j < i; j++)
			if (a->cpus[j].apic_id == a->cpus[i].apic_id)
				abort();
	}
	static struct smp_plan plan;
	smp_plan(a, bsp, &plan);
	if (plan.count == 0 || plan.count > ACPI_MAX_CPUS + 1 || plan.bsp >= plan.count ||
	    plan.cpus[plan.bsp].apic_id != bsp)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mem m;
	static struct acpi_info info;
	if (size < 16)
		return 0;
	uint64_t rsdp = get(data, 8);
	uint32_t flags = (uint32_t)get(data + 8, 4), bsp = (uint32_t)get(data + 12, 4);
	memset(&m, 0, sizeof m);
	for (size_t at = 16; size - at >= 16 && m.count < MAX_REGIONS;) {
		struct region *r = &m.r[m.count++];
		r->base = get(data + at, 8);
		uint32_t len = (uint32_t)get(data + at + 8, 4);
		at += 16;
		r->len = len < size - at ? len : size - at;
		r->bytes = malloc(r->len ? r->len : 1);
		if (!r->bytes)
			abort();
		memcpy(r->bytes, data + at, r->len);
		at += r->len;
	}
	if (flags & FLAG_FIX)
		fix_sums(&m, rsdp);
	enum err e = acpi_read_madt(rsdp, map, &m, &info);
	if (e != ERR_OK && e != ERR_NOENT)
		abort();
	check(&info, bsp);
	for (unsigned i = 0; i < m.nmaps; i++)
		free(m.maps[i]);
	for (unsigned i = 0; i < m.count; i++)
		free(m.r[i].bytes);
	return 0;
}
