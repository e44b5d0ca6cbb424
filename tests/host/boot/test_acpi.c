/* boot/common/acpi.c: the RSDP -> XSDT/RSDT -> MADT walk over synthetic
 * tables in a buffer posing as physical memory, and over the tables QEMU's
 * firmware built (the ACPI fuzz target's captured seeds). */
#include <acpi.h>
#include <stdint.h>
#include <stdio.h>

#include "../htest.h"

static uint8_t mem[0x3000];
static struct acpi_info info;

/* Memory past the buffer cannot be mapped, like memory past the loader's
 * identity map. */
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

static struct acpi_rsdp *rsdp(void)
{
	return (struct acpi_rsdp *)mem;
}

/* Recomputes both RSDP checksums after a change. */
static void fix_rsdp(void)
{
	fix_sum(mem, 20, &rsdp()->checksum);
	fix_sum(mem, sizeof(struct acpi_rsdp), &rsdp()->extended_checksum);
}

/* RSDP at 0x0 (revision 2), XSDT at 0x100 and RSDT at 0x180 both listing a
 * FACP at 0x200 and the MADT at 0x300; a second MADT at 0x400 (one
 * processor, APIC id 9) that only tests point the RSDT at. */
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
	struct acpi_madt_lapic l9 = {ACPI_MADT_LAPIC, 8, 9, 9, ACPI_LAPIC_ENABLED};
	memcpy(mem + 0x400 + sizeof *m, &l9, 8);
	header(0x400, "APIC", sizeof *m + 8);
	uint64_t x_entries[2] = {0x200, 0x300};
	memcpy(mem + 0x100 + 36, x_entries, 16);
	header(0x100, "XSDT", 36 + 16);
	uint32_t r_entries[2] = {0x200, 0x300};
	memcpy(mem + 0x180 + 36, r_entries, 8);
	header(0x180, "RSDT", 36 + 8);
	memcpy(rsdp()->signature, "RSD PTR ", 8);
	rsdp()->revision = 2;
	rsdp()->rsdt_address = 0x180;
	rsdp()->length = sizeof(struct acpi_rsdp);
	rsdp()->xsdt_address = 0x100;
	fix_rsdp();
}

/* Points the RSDT at the second MADT, so a result says which root gave it. */
static void rsdt_to_second_madt(void)
{
	uint32_t e = 0x400;
	memcpy(mem + 0x180 + 36 + 4, &e, 4);
	header(0x180, "RSDT", 36 + 8);
}

/* Moves the RSDP to 0x800 (0 means "no RSDP") and reads the MADT. */
static enum err read(void)
{
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	return acpi_read_madt(0x800, map, NULL, &info);
}

HTEST(walks_the_xsdt)
{
	build();
	HT_EXPECT(acpi_read_madt(0, map, NULL, &info) == ERR_NOENT);
	HT_ASSERT(read() == ERR_OK);
	HT_EXPECT_EQ(info.root, ACPI_ROOT_XSDT);
	HT_EXPECT_EQ(info.ioapic_count, 1);
	HT_EXPECT(info.ioapic_address[0] == 0xfec00000);
	HT_ASSERT(info.cpu_count == 2);
	HT_EXPECT_EQ(info.cpus[0].apic_id, 0);
	HT_EXPECT_EQ(info.cpus[1].apic_id, 0x1000);
	HT_EXPECT_EQ(info.cpus[1].processor_uid, 77);
	HT_EXPECT_EQ(info.cpu_online_capable, 1);
	HT_EXPECT_EQ(info.cpu_disabled, 1);
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
 * enabled, online-capable (ACPI 6.3+: hot-pluggable, absent now) and
 * disabled.  Only the enabled ones are listed, so only they are started. */
HTEST(only_enabled_processors_are_listed)
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
	HT_EXPECT_EQ(info.cpu_online_capable, 2);
	HT_EXPECT_EQ(info.cpu_disabled, 2);
	HT_EXPECT_EQ(info.cpu_dropped, 2);
	HT_ASSERT(info.cpu_count == 3);
	static const uint32_t ids[] = {0, 1, 300}, uids[] = {10, 11, 1000};
	for (unsigned i = 0; i < 3; i++) {
		HT_EXPECT_EQ(info.cpus[i].apic_id, ids[i]);
		HT_EXPECT_EQ(info.cpus[i].processor_uid, uids[i]);
		HT_EXPECT(acpi_lapic_enabled(info.cpus[i].flags));
	}
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

/* Expects the MADT of the given root: the XSDT's (two processors) or the
 * RSDT's second MADT (one, APIC id 9). */
#define EXPECT_ROOT(what, want)                                                             \
	do {                                                                                \
		enum err e_ = read();                                                       \
		if (e_ != ERR_OK || info.root != (want) ||                                  \
		    info.cpu_count != ((want) == ACPI_ROOT_XSDT ? 2u : 1u)) {               \
			char m_[160];                                                       \
			snprintf(m_, sizeof m_, "%s: error %d, root %d, %u cpus", what, e_, \
			         info.root, info.cpu_count);                                \
			htest_fail(__FILE__, __LINE__, m_);                                 \
		}                                                                           \
	} while (0)

/* The XSDT is preferred; the RSDT is used exactly when the XSDT cannot be
 * (acpi.h): each way it can fail, one at a time. */
HTEST(rsdt_when_the_xsdt_cannot_be_used)
{
	build(), rsdt_to_second_madt();
	EXPECT_ROOT("both usable", ACPI_ROOT_XSDT);
	build(), rsdt_to_second_madt(), rsdp()->revision = 0, fix_rsdp();
	EXPECT_ROOT("ACPI 1.0 RSDP", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), mem[33] ^= 1;
	EXPECT_ROOT("bad extended checksum", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), rsdp()->length = 20, fix_rsdp();
	EXPECT_ROOT("RSDP length 20", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), rsdp()->length = ACPI_TABLE_MAX + 1, fix_rsdp();
	EXPECT_ROOT("RSDP length too big", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), rsdp()->xsdt_address = 0, fix_rsdp();
	EXPECT_ROOT("no XSDT address", ACPI_ROOT_RSDT);
	/* as under BIOS, where the loader maps only the first 4 GiB */
	build(), rsdt_to_second_madt(), rsdp()->xsdt_address = 0x100000000ull, fix_rsdp();
	EXPECT_ROOT("XSDT above what can be mapped", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), memcpy(mem + sizeof mem - 40, mem + 0x100, 40);
	rsdp()->xsdt_address = sizeof mem - 40, fix_rsdp(); /* its 52 bytes run past */
	EXPECT_ROOT("XSDT running past what can be mapped", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), mem[0x100] = 'Y', header(0x100, "YSDT", 52);
	EXPECT_ROOT("XSDT signature", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), mem[0x100 + 9] ^= 1;
	EXPECT_ROOT("XSDT checksum", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), header(0x100, "XSDT", 35);
	EXPECT_ROOT("XSDT shorter than its header", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), memset(mem + 0x100 + 36, 0, 8), header(0x100, "XSDT", 52);
	EXPECT_ROOT("XSDT with a zero entry", ACPI_ROOT_RSDT);
	build(), rsdt_to_second_madt(), mem[0x300 + 40] ^= 1;
	EXPECT_ROOT("XSDT's MADT unusable", ACPI_ROOT_RSDT);
}

HTEST(no_madt_when_neither_root_works)
{
	build();
	mem[0x100 + 9] ^= 1; /* XSDT checksum */
	mem[0x180 + 9] ^= 1; /* RSDT checksum */
	HT_EXPECT(read() == ERR_NOENT);
	HT_EXPECT_EQ(info.root, ACPI_ROOT_NONE);
	HT_EXPECT_EQ(info.cpu_count, 0);
	build();
	rsdp()->revision = 0;
	rsdp()->rsdt_address = 0;
	fix_rsdp();
	HT_EXPECT(read() == ERR_NOENT);
}

HTEST(bad_tables_are_not_used)
{
	build();
	mem[5] ^= 1; /* RSDP checksum */
	HT_EXPECT(read() == ERR_NOENT);
	build();
	mem[0x300 + 40] ^= 1; /* MADT checksum, through both roots */
	HT_EXPECT(read() == ERR_NOENT);
	build();
	((struct acpi_header *)(mem + 0x300))->length = 0x10000; /* past the memory */
	HT_EXPECT(read() == ERR_NOENT);
	build();
	header(0x300, "APIC", sizeof(struct acpi_madt) - 1); /* shorter than its fixed part */
	HT_EXPECT(read() == ERR_NOENT);
}

HTEST(stops_at_malformed_structures)
{
	build();
	mem[0x300 + 44 + 8 + 1] = 0; /* second structure claims length 0 */
	header(0x300, "APIC", ((struct acpi_header *)(mem + 0x300))->length);
	HT_ASSERT(read() == ERR_OK);
	HT_EXPECT_EQ(info.cpu_count, 1);
	HT_EXPECT_EQ(info.ioapic_count, 0);
}

/* ---- tables QEMU's firmware built (tests/fuzz/acpi/corpus/gen-*: the
 * fuzz target's format, written by tests/fuzz/mkcorpus.sh from a RAM dump) ---- */

static uint8_t dump[64 * 1024];
static size_t dump_len;

/* The region holding [phys, phys + len), in the dump's format. */
static const void *map_dump(void *ctx, uint64_t phys, size_t len)
{
	for (size_t at = 16; at + 16 <= dump_len;) {
		uint64_t base;
		uint32_t n;
		memcpy(&base, dump + at, 8);
		memcpy(&n, dump + at + 8, 4);
		at += 16;
		if (n > dump_len - at)
			return NULL;
		if (phys >= base && phys - base <= n && len <= n - (phys - base))
			return dump + at + (phys - base);
		at += n;
	}
	return NULL;
}

static enum err read_dump(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "tests/fuzz/acpi/corpus/gen-%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_IO;
	dump_len = fread(dump, 1, sizeof dump, f);
	fclose(f);
	uint64_t rsdp_at;
	memcpy(&rsdp_at, dump, 8);
	return acpi_read_madt(rsdp_at, map_dump, NULL, &info);
}

/* What QEMU was told (mkcorpus.sh): -smp 4 gives APIC ids 0..3, enabled;
 * -smp 2,maxcpus=4 lists the two absent ones as disabled.  SeaBIOS builds
 * an ACPI 1.0 RSDP (RSDT only); OVMF an XSDT too. */
HTEST(reads_tables_captured_from_qemu)
{
	static const struct {
		const char *name;
		enum acpi_root root;
		uint32_t cpus, disabled;
	} dumps[] = {
	        {"seabios-q35-4cpu", ACPI_ROOT_RSDT, 4, 0},
	        {"seabios-pc-2of4cpu", ACPI_ROOT_RSDT, 2, 2},
	        {"ovmf-q35-4cpu", ACPI_ROOT_XSDT, 4, 0},
	};
	for (unsigned i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
		HT_ASSERT(read_dump(dumps[i].name) == ERR_OK);
		HT_EXPECT_EQ(info.root, dumps[i].root);
		HT_EXPECT_EQ(info.cpu_count, dumps[i].cpus);
		HT_EXPECT_EQ(info.cpu_disabled, dumps[i].disabled);
		HT_EXPECT_EQ(info.ioapic_count, 1);
		HT_EXPECT(info.ioapic_address[0] == 0xfec00000);
		for (uint32_t c = 0; c < info.cpu_count; c++)
			HT_EXPECT_EQ(info.cpus[c].apic_id, c);
	}
}

/* A DMAR (VT-d 3.x §8.1) at 0x500, listed by the XSDT after the MADT:
 * width 47 (48 bits), a DRHD for everything at 0xfed90000 (§8.3), an RMRR
 * (type 1, §8.4) that is skipped, and a DRHD with one device scope
 * (00:1f.0, §8.3.1) at 0xfed91000 on segment 1.  Bytes as the spec lays
 * them out, not through the header's structs. */
HTEST(dmar_lists_its_remapping_units)
{
	static const uint8_t body[] = {
	        47, 1,    0,    0,    0, 0, 0,    0, 0, 0, 0,    0, /* width, flags */
	        0,  0,    16,   0,    1, 0, 0,    0, 0, 0, 0xd9, 0xfe, 0, 0, 0, 0, /* DRHD, all */
	        1,  0,    24,   0,    0, 0, 0,    0, 0, 0, 0,    0,    0, 0, 0, 0, /* RMRR */
	        0,  0,    0,    0,    0, 0, 0,    0, 0, 0, 24,   0,    0, 0, 1, 0,
	        0,  0x10, 0xd9, 0xfe, 0, 0, 0,    0, /* DRHD */
	        1,  8,    0,    0,    0, 0, 0x1f, 0, /* its scope */
	};
	struct acpi_dmar d;

	build();
	HT_EXPECT(acpi_read_dmar(0, map, NULL, &d) == ERR_NOENT);
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_EXPECT(acpi_read_dmar(0x800, map, NULL, &d) == ERR_NOENT);
	memcpy(mem + 0x500 + 36, body, sizeof body);
	header(0x500, "DMAR", 36 + sizeof body);
	uint64_t x_entries[3] = {0x200, 0x300, 0x500};
	memcpy(mem + 0x100 + 36, x_entries, 24);
	header(0x100, "XSDT", 36 + 24);
	memmove(mem + 0x800, mem, sizeof(struct acpi_rsdp));
	HT_ASSERT(acpi_read_dmar(0x800, map, NULL, &d) == ERR_OK);
	HT_EXPECT_EQ(d.host_address_width, 47);
	HT_EXPECT_EQ(d.flags, 1);
	HT_ASSERT(d.count == 2);
	HT_EXPECT(d.units[0].base == 0xfed90000 && d.units[0].flags == 1);
	HT_EXPECT(d.units[0].segment == 0);
	HT_EXPECT(d.units[1].base == 0xfed91000 && d.units[1].flags == 0);
	HT_EXPECT(d.units[1].segment == 1 && d.units[1].length == 24);
	/* a structure claiming more than the table holds ends the walk */
	mem[0x500 + 36 + 12 + 16 + 2] = 200;
	header(0x500, "DMAR", 36 + sizeof body);
	HT_ASSERT(acpi_read_dmar(0x800, map, NULL, &d) == ERR_OK);
	HT_EXPECT_EQ(d.count, 1);
	/* a bad checksum: no table */
	mem[0x500 + 40] ^= 1;
	HT_EXPECT(acpi_read_dmar(0x800, map, NULL, &d) == ERR_NOENT);
}

HTEST_MAIN("boot_acpi")
