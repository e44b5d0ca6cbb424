/* boot/bios/memmap.c: E820 translation, normalisation and allocation. */
#include <stdint.h>

#include "../../../boot/bios/memmap.h"
#include "../htest.h"

static struct memmap m;

/* The map is sorted, non-overlapping, merged and page-aligned. */
static int well_formed(const struct memmap *mm)
{
	for (size_t i = 0; i < mm->count; i++) {
		const struct limine_memmap_entry *e = &mm->e[i];
		if (e->length == 0 || e->base % 4096 || e->length % 4096)
			return 0;
		if (i && mm->e[i - 1].base + mm->e[i - 1].length > e->base)
			return 0;
		if (i && mm->e[i - 1].base + mm->e[i - 1].length == e->base &&
		    mm->e[i - 1].type == e->type)
			return 0;
	}
	return 1;
}

static uint64_t type_at(uint64_t addr)
{
	for (size_t i = 0; i < m.count; i++)
		if (addr >= m.e[i].base && addr - m.e[i].base < m.e[i].length)
			return m.e[i].type;
	return 0xdead;
}

/* SeaBIOS's map for 256 MiB on q35, as QEMU 7.2 reports it. */
static void seabios_map(void)
{
	memmap_init(&m);
	HT_ASSERT(memmap_add_e820(&m, 0, 0x9fc00, 1, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x9fc00, 0x400, 2, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0xf0000, 0x10000, 2, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x100000, 0xfedf000, 1, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0xffdf000, 0x21000, 2, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0xb0000000, 0x10000000, 2, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0xfffc0000, 0x40000, 2, 1) == ERR_OK);
}

HTEST(e820_translation)
{
	seabios_map();
	HT_EXPECT(well_formed(&m));
	HT_EXPECT_EQ(type_at(0), LIMINE_MEMMAP_USABLE);
	HT_EXPECT_EQ(type_at(0x9efff), LIMINE_MEMMAP_USABLE);
	/* the partial page before the EBDA goes to the reserved range */
	HT_EXPECT_EQ(type_at(0x9f000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0xa0000), 0xdead);
	HT_EXPECT_EQ(type_at(0x100000), LIMINE_MEMMAP_USABLE);
	HT_EXPECT_EQ(type_at(0xffdf000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(memmap_usable_bytes(&m), 0x9f000 + 0xfedf000);
}

HTEST(e820_types_and_attributes)
{
	memmap_init(&m);
	HT_ASSERT(memmap_add_e820(&m, 0x100000, 0x1000, 3, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x200000, 0x1000, 4, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x300000, 0x1000, 5, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x400000, 0x1000, 12, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x500000, 0x1000, 1, 0) == ERR_OK); /* disabled */
	HT_ASSERT(memmap_add_e820(&m, 0x600000, 0x1000, 1, 3) == ERR_OK); /* non-volatile */
	HT_EXPECT_EQ(type_at(0x100000), LIMINE_MEMMAP_ACPI_RECLAIMABLE);
	HT_EXPECT_EQ(type_at(0x200000), LIMINE_MEMMAP_ACPI_NVS);
	HT_EXPECT_EQ(type_at(0x300000), LIMINE_MEMMAP_BAD_MEMORY);
	HT_EXPECT_EQ(type_at(0x400000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0x500000), 0xdead);
	HT_EXPECT_EQ(type_at(0x600000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT(well_formed(&m));
}

HTEST(overlaps_resolve_to_the_stricter_type)
{
	memmap_init(&m);
	HT_ASSERT(memmap_add_e820(&m, 0x100000, 0x1000000, 1, 1) == ERR_OK);
	HT_ASSERT(memmap_add_e820(&m, 0x800100, 0x100, 2, 1) == ERR_OK);      /* inside */
	HT_ASSERT(memmap_add_e820(&m, 0x0, 0x200000, 4, 1) == ERR_OK);        /* straddles */
	HT_ASSERT(memmap_add_e820(&m, 0x1000000, 0x2000000, 1, 1) == ERR_OK); /* overlaps end */
	HT_EXPECT(well_formed(&m));
	HT_EXPECT_EQ(type_at(0x1fffff), LIMINE_MEMMAP_ACPI_NVS);
	HT_EXPECT_EQ(type_at(0x200000), LIMINE_MEMMAP_USABLE);
	HT_EXPECT_EQ(type_at(0x800000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0x801000), LIMINE_MEMMAP_USABLE);
	HT_EXPECT_EQ(type_at(0x2ffffff), LIMINE_MEMMAP_USABLE);
	/* usable added later does not override NVS */
	HT_ASSERT(memmap_add_e820(&m, 0x0, 0x300000, 1, 1) == ERR_OK);
	HT_EXPECT_EQ(type_at(0x100000), LIMINE_MEMMAP_ACPI_NVS);
	HT_EXPECT(well_formed(&m));
}

HTEST(unaligned_and_huge_ranges)
{
	memmap_init(&m);
	HT_ASSERT(memmap_add_e820(&m, 0x1234, 0x800, 1, 1) == ERR_OK); /* no whole page */
	HT_EXPECT_EQ(m.count, 0);
	/* the end saturates: everything up to the last whole page */
	HT_ASSERT(memmap_add_e820(&m, 0xffffffffffff0000ull, 0x100000, 2, 1) == ERR_OK);
	HT_EXPECT_EQ(type_at(0xffffffffffff0000ull), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0xffffffffffffe000ull), LIMINE_MEMMAP_RESERVED);
	HT_ASSERT(memmap_add_e820(&m, 0x1001, 0x2fff, 2, 1) == ERR_OK);
	HT_EXPECT_EQ(type_at(0x1000), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0x3fff), LIMINE_MEMMAP_RESERVED);
	HT_EXPECT_EQ(type_at(0x4000), 0xdead);
	HT_EXPECT(well_formed(&m));
}

HTEST(stage_marks_and_first_page_hole)
{
	struct limine_memmap_entry out[16];
	seabios_map();
	HT_ASSERT(memmap_mark(&m, 0x1000, 0x40000 - 0x1000, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE) ==
	          ERR_OK);
	HT_ASSERT(memmap_mark(&m, 0, 0x1000, MEMMAP_HOLE) == ERR_OK);
	size_t n = memmap_export(&m, out, 16);
	HT_ASSERT(n <= 16);
	HT_EXPECT_EQ(out[0].base, 0x1000);
	HT_EXPECT_EQ(out[0].type, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE);
	HT_EXPECT_EQ(out[0].length, 0x3f000);
	HT_EXPECT_EQ(out[1].base, 0x40000);
	HT_EXPECT_EQ(out[1].type, LIMINE_MEMMAP_USABLE);
	HT_EXPECT_EQ(memmap_export(&m, out, 1), n); /* count even when cut */
}

HTEST(allocation)
{
	uint64_t a, b, c;
	seabios_map();
	uint64_t before = memmap_usable_bytes(&m);
	HT_ASSERT(memmap_alloc(&m, 0x3000, 0x1000, 0x100000, 1ull << 32,
	                       LIMINE_MEMMAP_KERNEL_AND_MODULES, &a) == ERR_OK);
	HT_EXPECT_EQ(a, 0x100000);
	HT_ASSERT(memmap_alloc(&m, 1, 0x200000, 0x100000, 1ull << 32,
	                       LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, &b) == ERR_OK);
	HT_EXPECT_EQ(b, 0x200000); /* aligned */
	HT_EXPECT_EQ(type_at(b), LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE);
	HT_ASSERT(memmap_alloc(&m, 0x1000, 0x1000, 0x100000, 1ull << 32,
	                       LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, &c) == ERR_OK);
	HT_EXPECT_EQ(c, 0x103000); /* fills the gap below the aligned one */
	HT_EXPECT_EQ(memmap_usable_bytes(&m), before - 0x5000);
	HT_EXPECT(well_formed(&m));
	HT_EXPECT(memmap_alloc(&m, 1ull << 30, 0x1000, 0x100000, 1ull << 32, LIMINE_MEMMAP_USABLE,
	                       &c) == ERR_NOMEM);
	HT_EXPECT(memmap_alloc(&m, 0x1000, 0x1800, 0, 1ull << 32, 1, &c) == ERR_INVAL);
}

HTEST(many_ranges_fill_up)
{
	memmap_init(&m);
	enum err e = ERR_OK;
	for (uint64_t i = 0; i < MEMMAP_MAX + 10 && e == ERR_OK; i++)
		e = memmap_add_e820(&m, i * 0x2000, 0x1000, 1 + (i & 1), 1);
	HT_EXPECT_EQ(e, ERR_FULL);
	HT_EXPECT(well_formed(&m));
}

HTEST(covers)
{
	seabios_map();
	HT_EXPECT(memmap_covers(&m, 0x1000, 0x46000, LIMINE_MEMMAP_USABLE));
	HT_EXPECT(!memmap_covers(&m, 0x1000, 0x9f000, LIMINE_MEMMAP_USABLE));   /* into the EBDA */
	HT_EXPECT(!memmap_covers(&m, 0x9f000, 0x2000, LIMINE_MEMMAP_RESERVED)); /* a gap */
	HT_EXPECT(memmap_covers(&m, 0x9f000, 0x1000, LIMINE_MEMMAP_RESERVED));
	HT_EXPECT(!memmap_covers(&m, 0x200000000ull, 0x1000, LIMINE_MEMMAP_USABLE));
	HT_EXPECT(memmap_covers(&m, 0x100000, 0, LIMINE_MEMMAP_USABLE)); /* empty */
}
