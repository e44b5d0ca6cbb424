/* The ACPI tables the loader reads: RSDP -> XSDT/RSDT -> MADT, for the I/O
 * APICs it must mask and the processors a later SMP step will start.
 * Layouts: ACPI 6.5 5.2.5 (RSDP), 5.2.6 (table header), 5.2.7/5.2.8
 * (RSDT/XSDT), 5.2.12 (MADT).  Pure: physical memory is reached through a
 * caller-supplied function, so host tests and the fuzz target can feed
 * synthetic tables.
 */
#ifndef BOOT_COMMON_ACPI_H
#define BOOT_COMMON_ACPI_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision; /* 0: ACPI 1.0 (RSDT only); 2: XSDT */
	uint32_t rsdt_address;
	uint32_t length; /* revision >= 2 from here on */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_madt {
	struct acpi_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed));

/* MADT structure types (5.2.12, table 5.21) and layouts. */
#define ACPI_MADT_LAPIC           0
#define ACPI_MADT_IOAPIC          1
#define ACPI_MADT_ISO             2 /* Interrupt Source Override */
#define ACPI_MADT_X2APIC          9
#define ACPI_LAPIC_ENABLED        (1u << 0)
#define ACPI_LAPIC_ONLINE_CAPABLE (1u << 1)

/* Local APIC flags (5.2.12.2, table 5.23; the same for x2APIC, 5.2.12.12):
 * bit 0 Enabled, bit 1 Online Capable (meaningful only when Enabled is 0:
 * the processor is absent now but can be brought up). */
static inline uint32_t acpi_lapic_enabled(uint32_t flags)
{
	return flags & 1;
}

static inline uint32_t acpi_lapic_online_capable(uint32_t flags)
{
	return (flags >> 1) & 1;
}

struct acpi_madt_lapic {
	uint8_t type, length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

struct acpi_madt_ioapic {
	uint8_t type, length;
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

/* Interrupt Source Override (5.2.12.5): ISA line `source` arrives at
 * global system interrupt `gsi`, with MPS INTI flags (table 5.26): bits 0-1
 * polarity (0 bus default, 1 high, 3 low), bits 2-3 trigger (0 bus default,
 * 1 edge, 3 level). */
struct acpi_madt_iso {
	uint8_t type, length;
	uint8_t bus; /* 0: ISA */
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));

struct acpi_madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 5.2.5.3 RSDP is 36 bytes");
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 5.2.6 header is 36 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "ACPI 5.2.12 MADT fixed part");
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "ACPI 5.2.12.2 Processor Local APIC");
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "ACPI 5.2.12.3 I/O APIC");
_Static_assert(sizeof(struct acpi_madt_iso) == 10, "ACPI 5.2.12.5 Interrupt Source Override");
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "ACPI 5.2.12.12 Local x2APIC");

#define ACPI_MAX_IOAPICS 16
#define ACPI_MAX_ISOS    16 /* one per ISA line */
#define ACPI_MAX_CPUS    256
#define ACPI_TABLE_MAX   0x100000u /* longest RSDP, XSDT, RSDT or MADT read (1 MiB) */

struct acpi_cpu {
	uint32_t processor_uid;
	uint32_t apic_id;
	uint32_t flags; /* ACPI_LAPIC_* from its MADT entry */
};

/* The root table the MADT was found through. */
enum acpi_root { ACPI_ROOT_NONE, ACPI_ROOT_XSDT, ACPI_ROOT_RSDT };

/* An ISA line's route to the I/O APICs (acpi_madt_iso). */
struct acpi_iso {
	uint8_t source;
	uint16_t flags;
	uint32_t gsi;
};

/* What the MADT says. */
struct acpi_info {
	enum acpi_root root;
	uint32_t ioapic_count;
	uint64_t ioapic_address[ACPI_MAX_IOAPICS];
	uint32_t ioapic_gsi_base[ACPI_MAX_IOAPICS]; /* the first GSI of each */
	uint32_t iso_count;                         /* ISA overrides (bus 0), first per line */
	struct acpi_iso isos[ACPI_MAX_ISOS];
	uint32_t cpu_count; /* enabled processors, MADT order: the ones to start */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t cpu_online_capable; /* not enabled but online-capable: hot-pluggable
	                                processors, absent now, never started */
	uint32_t cpu_disabled;       /* entries neither enabled nor online-capable */
	uint32_t cpu_dropped;        /* enabled entries left out: duplicate APIC id,
	                                or more than ACPI_MAX_CPUS */
};

/* Maps len bytes of physical memory at phys for reading; NULL if it cannot
 * (e.g. memory past the loader's identity map). */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

/* Finds the MADT from the RSDP at rsdp and lists its I/O APICs and its
 * enabled processors (Processor Local APIC and Local x2APIC entries with
 * the Enabled flag; an APIC id listed twice counts once, the first entry
 * wins; online-capable and disabled entries are only counted).
 *
 * A table is usable when the map function maps all of it and it has the
 * expected signature, a length from its fixed part up to ACPI_TABLE_MAX and
 * a byte sum of 0.  The RSDP needs "RSD PTR " and a sum of 0 over its first
 * 20 bytes.  The XSDT is searched first, when it can be: the RSDP has
 * revision >= 2, its Length bytes (36..ACPI_TABLE_MAX) map and sum to 0,
 * XsdtAddress is nonzero, and the XSDT is usable with no zero entry.  The
 * RSDT (RsdtAddress nonzero, usable, no zero entry) is searched when the
 * XSDT cannot be, or lists no usable MADT ("APIC").  out->root says which
 * one gave it.  ERR_NOENT if neither does. */
enum err acpi_read_madt(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_info *out);

/* PCI Express memory-mapped configuration (PCI Firmware Specification 3.0
 * §4.1.2, the MCFG table): after the header and 8 reserved bytes, one
 * 16-byte entry per segment group: the ECAM base (bus 0's), the segment,
 * the first and last bus decoded. */
struct acpi_mcfg_entry {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_first, bus_last;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg_entry) == 16, "PCI Firmware 3.0 table 4-3");

#define ACPI_MAX_MCFG 4

struct acpi_mcfg {
	uint32_t count;
	struct acpi_mcfg_entry entries[ACPI_MAX_MCFG];
};

/* Finds the MCFG through the same root tables as acpi_read_madt (XSDT
 * first) and lists its entries (at most ACPI_MAX_MCFG; an entry whose last
 * bus is below its first is left out).  ERR_NOENT: no usable MCFG (a PC
 * without PCI Express, e.g. QEMU's pc machine). */
enum err acpi_read_mcfg(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_mcfg *out);

/* DMA remapping (Intel VT-d 3.x §8.1, the DMAR table): after the header, the
 * host address width, flags and 10 reserved bytes, remapping structures,
 * each a 2-byte type and a 2-byte length.  A DRHD (type 0, §8.3) names a
 * remapping unit: its flags (bit 0 INCLUDE_PCI_ALL: every device of its
 * segment no other DRHD lists), its register set's size (2^size pages),
 * its segment and its register base; device scopes follow. */
struct acpi_dmar_drhd {
	uint16_t type, length;
	uint8_t flags, size;
	uint16_t segment;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_dmar_drhd) == 16, "VT-d 3.x §8.3 DRHD fixed part");

#define ACPI_DMAR_FIXED       48u /* header, width, flags, reserved: VT-d §8.1 */
#define ACPI_DMAR_DRHD        0
#define ACPI_DRHD_INCLUDE_ALL 0x01u
#define ACPI_MAX_DRHD         4

struct acpi_dmar {
	uint8_t host_address_width; /* the table's value: width - 1 */
	uint8_t flags;
	uint32_t count;
	struct acpi_dmar_drhd units[ACPI_MAX_DRHD];
};

/* Finds the DMAR through the same root tables as acpi_read_madt and lists
 * its DRHDs (at most ACPI_MAX_DRHD; the walk stops at a structure shorter
 * than 4 bytes or past the table's end).  ERR_NOENT: no usable DMAR (no
 * VT-d: QEMU without -device intel-iommu). */
enum err acpi_read_dmar(uint64_t rsdp, acpi_map_fn map, void *ctx, struct acpi_dmar *out);

#endif
