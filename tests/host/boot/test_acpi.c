/* boot/common/acpi.c: the RSDP -> XSDT/RSDT -> MADT walk over synthetic
 * tables in a buffer posing as physical memory. */
#include <acpi.h>
#include <stdint.h>

#include "../htest.h"

static uint8_t mem[0x3000];
static struct acpi_info info;

static const void *map(void *ctx, uint64_t phys, size_t len)
{
	if (phys > sizeof mem || len > sizeof mem - phys)
		return NULL;
	return mem + phys;
}

static void fix_sum(void *p, size_t len, uint8_t *field)
{
	uint8_t s = 0;
	*field = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + ((uint8_t *)p)[i]);
	*field = (uint8_t)-s;
}

static void header(uint64_t at, const char *sig, uint32_t len)
{
	struct acpi_header *h = (void *)(mem + at);
	memcpy(h->signature, sig, 4);
	h->length = len;
	fix_sum(h, len, &h->checksum);
}

/* RSDP at 0x0 (revision 2), XSDT at 0x100 and RSDT at 0x180 both listing a
 * FACP at 0x200 and the MADT at 0x300. */
static void build(void)
{
	memset(mem, 0, sizeof mem);
	header(0x200, "FACP", 36);
	struct acpi_madt *m = (void *)(mem + 0x300);
	m->lapic_address = 0xfee00000;
	uint8_t *p = mem + 0x300 + sizeof *m;
	struct acpi_madt_lapic l0 = {ACPI_MADT_LAPIC, 8, 0, 0, ACPI_LAPIC_ENABLED};
	struct acpi_madt_lapic l1 = {ACPI_MADT_LAPIC, 8, 1, 2, 0}; /* disabled */
	struct acpi_madt_lapic l2 = {ACPI_MADT_LAPIC, 8, 2, 4, ACPI_LAPIC_ONLINE_CAPABLE};
	struct acpi_madt_ioapic io = {ACPI_MADT_IOAPIC, 12, 0, 0, 0xfec00000, 0};
	struct acpi_madt_x2apic x = {ACPI_MADT_X2APIC, 16, 0, 0x1000, ACPI_LAPIC_ENABLED, 77};
	memcpy(p, &l0, 8), p += 8;
	memcpy(p, &l1, 8), p += 8;
	memcpy(p, &io, 12), p += 12;
	memcpy(p, &l2, 8), p += 8;
	memcpy(p, &x, 16), p += 16;
	header(0x300, "APIC", (uint32_t)(p - (mem + 0x300)));
	uint64_t x_entries[2] = {0x200, 0x300};
	memcpy(mem + 0x100 + 36, x_entries, 16);
	header(0x100, "XSDT", 36 + 16);
	uint32_t r_entries[2] = {0x200, 0x300};
	memcpy(mem + 0x180 + 36, r_entries, 8);
	header(0x180, "RSDT", 36 + 8);
	struct acpi_rsdp *r = (void *)mem;
	memcpy(r->signature, "RSD PTR ", 8);
	r->revision = 2;
	r->rsdt_address = 0x180;
	r->length = sizeof *r;
	r->xsdt_address = 0x100;
	fix_sum(r, 20, &r->checksum);
	fix_sum(r, sizeof *r, &r->extended_checksum);
}

HTEST(walks_the_xsdt)
{
	build();
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp)); /* 0 means "no RSDP" */
	HT_EXPECT(acpi_read_madt(0, map, NULL, &info) == ERR_NOENT);
	HT_ASSERT(acpi_read_madt(0x800, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.ioapic_count, 1);
	HT_EXPECT(info.ioapic_address[0] == 0xfec00000);
	HT_ASSERT(info.cpu_count == 3);
	HT_EXPECT_EQ(info.cpus[0].apic_id, 0);
	HT_EXPECT_EQ(info.cpus[1].apic_id, 4);
	HT_EXPECT_EQ(info.cpus[1].processor_uid, 2);
	HT_EXPECT_EQ(info.cpus[2].apic_id, 0x1000);
	HT_EXPECT_EQ(info.cpus[2].processor_uid, 77);
}

/* Where build_madt leaves the RSDP: past any MADT the tests build. */
#define RSDP_AT 0x2f00

/* A MADT at 0x300 with the given structures, reached through the XSDT. */
static void build_madt(const uint8_t *body, size_t len)
{
	build();
	memcpy(mem + 0x300 + sizeof(struct acpi_madt), body, len);
	header(0x300, "APIC", (uint32_t)(sizeof(struct acpi_madt) + len));
	memmove(mem + RSDP_AT, mem, sizeof(struct acpi_rsdp));
}

/* The kinds of processor entry a firmware may list: xAPIC and x2APIC,
 * enabled, online-capable (hot-pluggable, absent now) and disabled. */
HTEST(processor_entries)
{
	uint8_t body[128], *p = body;
	struct acpi_madt_lapic l[] = {
	        {ACPI_MADT_LAPIC, 8, 10, 0, ACPI_LAPIC_ENABLED},
	        {ACPI_MADT_LAPIC, 8, 11, 1, ACPI_LAPIC_ENABLED | ACPI_LAPIC_ONLINE_CAPABLE},
	        {ACPI_MADT_LAPIC, 8, 12, 2, 0},                         /* disabled */
	        {ACPI_MADT_LAPIC, 8, 13, 3, ACPI_LAPIC_ONLINE_CAPABLE}, /* can come online */
	        {ACPI_MADT_LAPIC, 8, 14, 1, ACPI_LAPIC_ENABLED},        /* APIC id 1 again */
	};
	struct acpi_madt_x2apic x[] = {
	        {ACPI_MADT_X2APIC, 16, 0, 300, ACPI_LAPIC_ENABLED, 1000},
	        {ACPI_MADT_X2APIC, 16, 0, 301, 0, 1001}, /* disabled */
	        {ACPI_MADT_X2APIC, 16, 0, 302, ACPI_LAPIC_ONLINE_CAPABLE, 1002},
	        {ACPI_MADT_X2APIC, 16, 0, 0, ACPI_LAPIC_ENABLED, 1003}, /* APIC id 0 again */
	};
	for (size_t i = 0; i < sizeof l / sizeof l[0]; i++, p += 8)
		memcpy(p, &l[i], 8);
	for (size_t i = 0; i < sizeof x / sizeof x[0]; i++, p += 16)
		memcpy(p, &x[i], 16);
	build_madt(body, (size_t)(p - body));
	HT_ASSERT(acpi_read_madt(RSDP_AT, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.ioapic_count, 0);
	HT_EXPECT_EQ(info.cpu_disabled, 2);
	HT_EXPECT_EQ(info.cpu_dropped, 2);
	HT_ASSERT(info.cpu_count == 5);
	static const uint32_t ids[] = {0, 1, 3, 300, 302}, uids[] = {10, 11, 13, 1000, 1002};
	for (unsigned i = 0; i < 5; i++) {
		HT_EXPECT_EQ(info.cpus[i].apic_id, ids[i]);
		HT_EXPECT_EQ(info.cpus[i].processor_uid, uids[i]);
	}
	HT_EXPECT(acpi_lapic_enabled(info.cpus[0].flags));
	HT_EXPECT(!acpi_lapic_enabled(info.cpus[2].flags));
	HT_EXPECT(acpi_lapic_online_capable(info.cpus[2].flags));
	HT_EXPECT(acpi_lapic_online_capable(info.cpus[4].flags));
}

/* Structures of other types, or too short for their type, are stepped
 * over by their length. */
HTEST(skips_unknown_and_short_structures)
{
	uint8_t body[64] = {0}, *p = body;
	struct acpi_madt_lapic l = {ACPI_MADT_LAPIC, 8, 1, 5, ACPI_LAPIC_ENABLED};
	p[0] = 4, p[1] = 6, p += 6;                /* local APIC NMI: not ours */
	p[0] = ACPI_MADT_X2APIC, p[1] = 8, p += 8; /* too short for an x2APIC entry */
	memcpy(p, &l, 8), p += 8;
	build_madt(body, (size_t)(p - body));
	HT_ASSERT(acpi_read_madt(RSDP_AT, map, NULL, &info) == ERR_OK);
	HT_ASSERT(info.cpu_count == 1);
	HT_EXPECT_EQ(info.cpus[0].apic_id, 5);
}

/* More processors than the list holds: the rest are counted as dropped. */
HTEST(too_many_processors)
{
	static uint8_t body[(ACPI_MAX_CPUS + 3) * 16];
	uint32_t n = ACPI_MAX_CPUS + 3;
	for (uint32_t i = 0; i < n; i++) {
		struct acpi_madt_x2apic x = {ACPI_MADT_X2APIC, 16, 0, i, ACPI_LAPIC_ENABLED, i};
		memcpy(body + i * 16, &x, 16);
	}
	build_madt(body, sizeof body);
	HT_ASSERT(acpi_read_madt(RSDP_AT, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.cpu_count, ACPI_MAX_CPUS);
	HT_EXPECT_EQ(info.cpu_dropped, 3);
	HT_EXPECT_EQ(info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
}

HTEST(falls_back_to_the_rsdt)
{
	build();
	mem[0x100 + 9] ^= 1; /* break the XSDT checksum */
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_ASSERT(acpi_read_madt(0x800, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.cpu_count, 3);
	build();
	((struct acpi_rsdp *)mem)->revision = 0; /* ACPI 1.0: RSDT only */
	fix_sum(mem, 20, &((struct acpi_rsdp *)mem)->checksum);
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_ASSERT(acpi_read_madt(0x800, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.ioapic_count, 1);
}

HTEST(bad_tables_are_not_used)
{
	build();
	mem[5] ^= 1; /* RSDP checksum */
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_EXPECT(acpi_read_madt(0x800, map, NULL, &info) == ERR_NOENT);
	build();
	mem[0x300 + 40] ^= 1; /* MADT checksum */
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_EXPECT(acpi_read_madt(0x800, map, NULL, &info) == ERR_NOENT);
	build();
	((struct acpi_header *)(mem + 0x300))->length = 0x10000; /* past the memory */
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_EXPECT(acpi_read_madt(0x800, map, NULL, &info) == ERR_NOENT);
}

HTEST(stops_at_malformed_structures)
{
	build();
	mem[0x300 + 44 + 8 + 1] = 0; /* second structure claims length 0 */
	header(0x300, "APIC", ((struct acpi_header *)(mem + 0x300))->length);
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_ASSERT(acpi_read_madt(0x800, map, NULL, &info) == ERR_OK);
	HT_EXPECT_EQ(info.cpu_count, 1);
	HT_EXPECT_EQ(info.ioapic_count, 0);
}

HTEST_MAIN("boot_acpi")
