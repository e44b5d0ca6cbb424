/* mkseeds: writes seed inputs for the fuzz targets whose inputs our own
 * code makes (tests/fuzz/mkcorpus.sh runs it; the results are committed).
 *
 *   mkseeds msg DIR          one message of every type, as urpc_recv gives it
 *   mkseeds urpc DIR         ring regions written by urpc_send / urpc_recv
 *   mkseeds acpi DIR         synthetic RSDP/XSDT/RSDT/MADT memories
 *   mkseeds acpi-dump RAM OUT  the ACPI tables of a RAM dump (physical
 *                            address 0 first, e.g. QEMU's pmemsave 0 ...)
 *
 * Seeds are named gen-NAME; the formats are the targets' (fuzz_NAME.c).
 */
#include <acpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/msg.h>
#include <tessera/urpc.h>
#include <urpc/test_seq.h>

static FILE *create(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/gen-%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void put(FILE *f, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fputc((int)(v >> (8 * i)) & 0xff, f);
}

/* ---- msg: u16 type, u8 len, payload ---- */

static void seeds_msg(const char *dir)
{
	uint8_t payload[URPC_PAYLOAD_MAX];
	for (unsigned i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 37 + 1);
#define ONE(NAME, name, ptype)                                \
	{                                                     \
		FILE *f = create(dir, #name);                 \
		put(f, MSG_##NAME, 2);                        \
		put(f, sizeof(ptype), 1);                     \
		if (MSG_##NAME == MSG_TEST_SEQ) {             \
			struct msg_test_seq m;                \
			urpc_test_seq_fill(&m, 3, 12345);     \
			fwrite(&m, sizeof m, 1, f);           \
		} else {                                      \
			fwrite(payload, sizeof(ptype), 1, f); \
		}                                             \
		fclose(f);                                    \
	}
	MSG_TABLE(ONE)
#undef ONE
}

/* ---- urpc: log2 slots, flags, op count, 0, ops, region ---- */

static void urpc_seed(const char *dir, const char *name, unsigned log2, uint32_t first,
                      unsigned sent, unsigned taken)
{
	uint32_t slots = 1u << log2;
	size_t bytes = urpc_region_size(slots);
	void *mem = aligned_alloc(URPC_LINE_SIZE, bytes);
	struct urpc_tx tx;
	struct urpc_rx rx;
	struct urpc_msg m;
	if (!mem || urpc_region_init_seq(mem, slots, first) != ERR_OK ||
	    urpc_tx_init(&tx, mem, slots) != ERR_OK || urpc_rx_init(&rx, mem, slots) != ERR_OK)
		exit(1);
	for (unsigned i = 0; i < sent; i++) {
		if (i < taken)
			urpc_recv(&rx, &m);
		struct msg_test_seq s;
		urpc_test_seq_fill(&s, 1, i);
		struct msg_ping p = {i, 1000 + i};
		if (i % 2 ? msg_send_test_seq(&tx, &s) : msg_send_ping(&tx, &p))
			break;
	}
	static const uint8_t ops[] = {0, 1, 2, 3, 0, 4, 0, 0, 1, 0, 2, 0, 0, 0, 4, 0};
	FILE *f = create(dir, name);
	put(f, log2, 1), put(f, 0, 1), put(f, sizeof ops, 1), put(f, 0, 1);
	fwrite(ops, sizeof ops, 1, f);
	fwrite(mem, bytes, 1, f);
	fclose(f);
	free(mem);
}

static void seeds_urpc(const char *dir)
{
	urpc_seed(dir, "one-slot", 0, 0, 1, 0);
	urpc_seed(dir, "four-slots-wrap", 2, 0xfffffffeu, 6, 3);
	urpc_seed(dir, "sixteen-slots", 4, 100, 20, 10);
	urpc_seed(dir, "sixty-four-slots-empty", 6, 0, 0, 0);
}

/* ---- acpi: u64 rsdp, u32 flags, u32 bsp, regions (u64 base, u32 len, u32 0, bytes) ---- */

static void region(FILE *f, uint64_t base, const void *p, uint32_t len)
{
	put(f, base, 8), put(f, len, 4), put(f, 0, 4);
	fwrite(p, len, 1, f);
}

static void set_sum(void *p, size_t len, uint8_t *field)
{
	uint8_t s = 0;
	*field = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + ((uint8_t *)p)[i]);
	*field = (uint8_t)-s;
}

static void header(void *p, const char *sig, uint32_t len, uint8_t rev)
{
	struct acpi_header *h = p;
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "TESSRA", 6);
	set_sum(h, len, &h->checksum);
}

/* A MADT of n_lapic xAPIC entries (every third online-capable, every fifth
 * disabled), two x2APIC entries and an I/O APIC; returns its length. */
static uint32_t madt(uint8_t *buf, unsigned n_lapic)
{
	struct acpi_madt *m = (void *)buf;
	uint8_t *p = buf + sizeof *m;
	memset(buf, 0, sizeof *m);
	m->lapic_address = 0xfee00000;
	m->flags = 1;
	for (unsigned i = 0; i < n_lapic; i++, p += 8) {
		uint32_t fl = i % 5 == 4   ? 0
		              : i % 3 == 2 ? ACPI_LAPIC_ONLINE_CAPABLE
		                           : ACPI_LAPIC_ENABLED;
		struct acpi_madt_lapic l = {ACPI_MADT_LAPIC, 8, (uint8_t)i, (uint8_t)i, fl};
		memcpy(p, &l, 8);
	}
	struct acpi_madt_ioapic io = {ACPI_MADT_IOAPIC, 12, 0, 0, 0xfec00000, 0};
	memcpy(p, &io, 12), p += 12;
	uint8_t nmi[6] = {4, 6, 0xff, 5, 0, 1}; /* local APIC NMI */
	memcpy(p, nmi, 6), p += 6;
	for (unsigned i = 0; i < 2; i++, p += 16) {
		struct acpi_madt_x2apic x = {ACPI_MADT_X2APIC,   16,     0, 300 + i,
		                             ACPI_LAPIC_ENABLED, 300 + i};
		memcpy(p, &x, 16);
	}
	uint32_t len = (uint32_t)(p - buf);
	header(buf, "APIC", len, 5);
	return len;
}

/* RSDP (revision rev) at 0xf5000; XSDT, RSDT and MADT in a table area. */
static void acpi_seed(const char *dir, const char *name, uint8_t rev, unsigned n_lapic,
                      uint32_t flags)
{
	static uint8_t m[4096];
	uint8_t xsdt[52], rsdt[44];
	uint64_t at_madt = 0x7fe1000, at_xsdt = 0x7fe0000, at_rsdt = 0x7fe0100;
	uint32_t mlen = madt(m, n_lapic);
	uint64_t facp = 0x7fe2000;
	uint8_t fadt[116] = {0};
	header(fadt, "FACP", sizeof fadt, 1);
	memcpy(xsdt + 36, &facp, 8), memcpy(xsdt + 44, &at_madt, 8);
	header(xsdt, "XSDT", sizeof xsdt, 1);
	uint32_t f32 = (uint32_t)facp, m32 = (uint32_t)at_madt;
	memcpy(rsdt + 36, &f32, 4), memcpy(rsdt + 40, &m32, 4);
	header(rsdt, "RSDT", sizeof rsdt, 1);
	struct acpi_rsdp r = {.revision = rev, .rsdt_address = (uint32_t)at_rsdt};
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, "TESSRA", 6);
	if (rev >= 2) {
		r.length = sizeof r;
		r.xsdt_address = at_xsdt;
	}
	set_sum(&r, 20, &r.checksum);
	if (rev >= 2)
		set_sum(&r, sizeof r, &r.extended_checksum);
	FILE *f = create(dir, name);
	put(f, 0xf5000, 8), put(f, flags, 4), put(f, 0, 4);
	region(f, 0xf5000, &r, rev >= 2 ? sizeof r : 20);
	if (rev >= 2)
		region(f, at_xsdt, xsdt, sizeof xsdt);
	region(f, at_rsdt, rsdt, sizeof rsdt);
	region(f, facp, fadt, sizeof fadt);
	region(f, at_madt, m, mlen);
	fclose(f);
}

static void seeds_acpi(const char *dir)
{
	acpi_seed(dir, "synthetic-xsdt", 2, 8, 0);
	acpi_seed(dir, "synthetic-rsdt-only", 0, 4, 0);
	acpi_seed(dir, "synthetic-fix-sums", 2, 20, 1);
}

/* ---- acpi-dump: the tables of a RAM dump ---- */

static uint8_t *ram;
static size_t ram_size;

static uint32_t ram32(uint64_t at)
{
	uint32_t v = 0;
	if (at <= ram_size - 4)
		memcpy(&v, ram + at, 4);
	return v;
}

/* Writes the table at phys as a region if it lies in the dump (once). */
static int dump_table(FILE *f, uint64_t phys)
{
	static uint64_t done[64];
	static unsigned ndone;
	uint32_t len = ram32(phys + 4);
	if (phys >= ram_size || len < 36 || len > ram_size - phys)
		return -1;
	for (unsigned i = 0; i < ndone; i++)
		if (done[i] == phys)
			return 0;
	if (ndone < 64)
		done[ndone++] = phys;
	region(f, phys, ram + phys, len);
	return 0;
}

static void dump_root(FILE *f, uint64_t phys, unsigned width)
{
	uint32_t len = ram32(phys + 4);
	if (!phys || dump_table(f, phys) != 0)
		return;
	for (uint32_t off = 36; off + width <= len; off += width) {
		uint64_t e = 0;
		memcpy(&e, ram + phys + off, width);
		dump_table(f, e);
	}
}

static int acpi_dump(const char *in, const char *out)
{
	FILE *f = fopen(in, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		return perror(in), 1;
	ram_size = (size_t)ftell(f);
	rewind(f);
	ram = malloc(ram_size);
	if (!ram || fread(ram, 1, ram_size, f) != ram_size)
		return perror(in), 1;
	fclose(f);
	/* the last RSDP with a good checksum: firmware copies its final one last */
	uint64_t rsdp = 0;
	for (size_t at = 0; at + 36 <= ram_size; at += 4) {
		uint8_t s = 0;
		for (int i = 0; i < 20; i++)
			s = (uint8_t)(s + ram[at + i]);
		if (!memcmp(ram + at, "RSD PTR ", 8) && s == 0 && ram32(at + 16))
			rsdp = at;
	}
	if (!rsdp) {
		fprintf(stderr, "mkseeds: no RSDP in %s\n", in);
		return 1;
	}
	const struct acpi_rsdp *r = (const void *)(ram + rsdp);
	FILE *o = fopen(out, "wb");
	if (!o)
		return perror(out), 1;
	put(o, rsdp, 8), put(o, 0, 4), put(o, 0, 4);
	region(o, rsdp, r, r->revision >= 2 ? sizeof *r : 20);
	if (r->revision >= 2)
		dump_root(o, r->xsdt_address, 8);
	dump_root(o, r->rsdt_address, 4);
	return fclose(o) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "msg"))
		seeds_msg(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "urpc"))
		seeds_urpc(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "acpi"))
		seeds_acpi(argv[2]);
	else if (argc == 4 && !strcmp(argv[1], "acpi-dump"))
		return acpi_dump(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: mkseeds msg|urpc|acpi DIR | mkseeds acpi-dump RAM OUT\n");
		return 2;
	}
	return 0;
}
