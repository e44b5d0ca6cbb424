/* boot/common/acpi.c: the RSDP -> XSDT/RSDT -> MADT walk over synthetic
 * tables in a buffer posing as physical memory. */
#include <acpi.h>
#include <stdint.h>

#include "../htest.h"

static uint8_t mem[0x1000];
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
