/* boot/common/mmap.c: normalisation (sorting, overlaps, merging, page
 * alignment, the first page) and HHDM coverage; boot/uefi's conversion of
 * raw EFI maps to Limine types. */
#include <efi.h>
#include <mmap.h>
#include <uefi.h>

#include "../htest.h"

#define U   LIMINE_MEMMAP_USABLE
#define R   LIMINE_MEMMAP_RESERVED
#define AR  LIMINE_MEMMAP_ACPI_RECLAIMABLE
#define AN  LIMINE_MEMMAP_ACPI_NVS
#define BAD LIMINE_MEMMAP_BAD_MEMORY
#define BR  LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE
#define KM  LIMINE_MEMMAP_KERNEL_AND_MODULES
#define FB  LIMINE_MEMMAP_FRAMEBUFFER

static struct limine_memmap_entry out[64];
static uint64_t scratch[64];
static size_t n;

static enum err norm(const struct limine_memmap_entry *in, size_t count)
{
	memset(out, 0xee, sizeof out);
	return mmap_normalize(in, count, out, 64, &n, scratch);
}

#define EXPECT_ENTRY(i, b, l, t)                \
	do {                                    \
		HT_EXPECT_EQ(out[i].base, b);   \
		HT_EXPECT_EQ(out[i].length, l); \
		HT_EXPECT_EQ(out[i].type, t);   \
	} while (0)

/* The protocol's guarantees on any output. */
static void expect_guarantees(void)
{
	for (size_t i = 0; i < n; i++) {
		HT_EXPECT(out[i].length > 0);
		if (i)
			HT_EXPECT(out[i - 1].base + out[i - 1].length <= out[i].base);
		if (out[i].type == U || out[i].type == BR)
			HT_EXPECT(((out[i].base | out[i].length) & 0xfff) == 0);
		if (out[i].type == U)
			HT_EXPECT(out[i].base >= 0x1000);
	}
}

HTEST(sorts_and_merges_neighbours)
{
	struct limine_memmap_entry in[] = {
	        {0x200000, 0x100000, U}, {0x1000, 0x9f000, U},  {0x100000, 0x100000, U},
	        {0x300000, 0x1000, R},   {0x301000, 0x1000, R},
	};
	HT_ASSERT(norm(in, 5) == ERR_OK);
	HT_ASSERT(n == 3);
	EXPECT_ENTRY(0, 0x1000, 0x9f000, U);
	EXPECT_ENTRY(1, 0x100000, 0x200000, U);
	EXPECT_ENTRY(2, 0x300000, 0x2000, R);
	expect_guarantees();
}

HTEST(first_page_is_never_usable)
{
	struct limine_memmap_entry in[] = {{0, 0xa0000, U}};
	HT_ASSERT(norm(in, 1) == ERR_OK);
	HT_ASSERT(n == 1);
	EXPECT_ENTRY(0, 0x1000, 0x9f000, U);
	struct limine_memmap_entry in2[] = {{0, 0x1000, U}, {0, 0x1000, R}};
	HT_ASSERT(norm(in2, 1) == ERR_OK);
	HT_EXPECT_EQ(n, 0);
	HT_ASSERT(norm(in2, 2) == ERR_OK);
	HT_ASSERT(n == 1);
	EXPECT_ENTRY(0, 0, 0x1000, R);
}

HTEST(overlaps_resolve_to_the_stricter_type)
{
	struct limine_memmap_entry in[] = {
	        {0x100000, 0x400000, U},                           /* usable ... */
	        {0x200000, 0x100000, R},                           /* ... with a reserved hole */
	        {0x380000, 0x10000, BR},                           /* loader data */
	        {0x390000, 0x10000, KM},                           /* kernel */
	        {0x3a0000, 0x1000, AR},   {0x3a0000, 0x1000, BAD}, /* bad beats ACPI */
	        {0x3a1000, 0x1000, 99},                            /* unknown: reserved */
	        {0x500000, 0x100000, FB}, {0x500000, 0x100000, R}, /* framebuffer wins */
	};
	HT_ASSERT(norm(in, 9) == ERR_OK);
	expect_guarantees();
	HT_ASSERT(n == 9);
	EXPECT_ENTRY(0, 0x100000, 0x100000, U);
	EXPECT_ENTRY(1, 0x200000, 0x100000, R);
	EXPECT_ENTRY(2, 0x300000, 0x80000, U);
	EXPECT_ENTRY(3, 0x380000, 0x10000, BR);
	EXPECT_ENTRY(4, 0x390000, 0x10000, KM);
	EXPECT_ENTRY(5, 0x3a0000, 0x1000, BAD);
	EXPECT_ENTRY(6, 0x3a1000, 0x1000, R);
	EXPECT_ENTRY(7, 0x3a2000, 0x15e000, U);
	EXPECT_ENTRY(8, 0x500000, 0x100000, FB);
}

HTEST(usable_and_reclaimable_shrink_to_pages)
{
	struct limine_memmap_entry in[] = {
	        {0x1800, 0x2000, U},   /* -> 0x2000..0x3000 */
	        {0x10000, 0x800, U},   /* less than a page: gone */
	        {0x20000, 0x1fff, BR}, /* -> 0x20000..0x21000 */
	        {0x30010, 0x100, AN},  /* unaligned non-usable types stay */
	};
	HT_ASSERT(norm(in, 4) == ERR_OK);
	HT_ASSERT(n == 3);
	EXPECT_ENTRY(0, 0x2000, 0x1000, U);
	EXPECT_ENTRY(1, 0x20000, 0x1000, BR);
	EXPECT_ENTRY(2, 0x30010, 0x100, AN);
	expect_guarantees();
}

HTEST(empty_and_huge_entries)
{
	struct limine_memmap_entry in[] = {
	        {0x5000, 0, R}, {0xfffffffffff00000ull, 0x200000, R}, {0x100000000ull, 0x1000, U}};
	HT_ASSERT(norm(in, 3) == ERR_OK);
	HT_ASSERT(n == 2);
	EXPECT_ENTRY(0, 0x100000000ull, 0x1000, U);
	HT_EXPECT(out[1].base == 0xfffffffffff00000ull);
	HT_EXPECT(out[1].length == 0xfffff);
	HT_ASSERT(norm(in, 0) == ERR_OK);
	HT_EXPECT_EQ(n, 0);
}

HTEST(capacity_is_checked)
{
	struct limine_memmap_entry in[3] = {
	        {0x1000, 0x1000, U}, {0x3000, 0x1000, R}, {0x5000, 0x1000, U}};
	HT_EXPECT(mmap_normalize(in, 3, out, MMAP_NORM_CAP(3) - 1, &n, scratch) == ERR_NOSPC);
	HT_EXPECT(mmap_normalize(in, 3, out, MMAP_NORM_CAP(3), &n, scratch) == ERR_OK);
}

/* A pseudo-random map: the output still keeps every guarantee, and every
 * usable byte out was usable in. */
HTEST(random_maps_keep_the_guarantees)
{
	static struct limine_memmap_entry in[20];
	uint64_t seed = 12345;
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 20; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			in[i].base = (seed >> 20) % 0x100000;
			in[i].length = (seed >> 44) % 0x20000;
			in[i].type = (seed >> 8) % 9;
		}
		HT_ASSERT(mmap_normalize(in, 20, out, 64, &n, scratch) == ERR_OK);
		expect_guarantees();
		for (size_t k = 0; k < n; k++) {
			if (out[k].type != U)
				continue;
			for (uint64_t a = out[k].base; a < out[k].base + out[k].length; a += 0x800)
				for (int i = 0; i < 20; i++)
					if (a >= in[i].base && a < in[i].base + in[i].length)
						HT_EXPECT(in[i].type == U);
		}
	}
}

HTEST(hhdm_covers_4g_and_non_reserved_memory)
{
	struct limine_memmap_entry in[] = {
	        {0x1000, 0x9f000, U},
	        {0x100000000ull, 0x40000000, U}, /* RAM above 4 GiB */
	        {0x140000000ull, 0x800, AR},     /* unaligned: rounded out */
	        {0x200000000ull, 0x1000, R},     /* reserved above 4 GiB: not mapped */
	        {0x300000000ull, 0x1000, BAD},   /* bad memory: not mapped */
	        {0xfffff000ull, 0x2000, R},      /* straddles 4 GiB: inside 4 GiB part */
	        {0x400000000ull, 0x10000, FB},
	};
	struct limine_memmap_entry r[8];
	size_t k;
	HT_ASSERT(mmap_hhdm_ranges(in, 7, 0, r, 8, &k) == ERR_OK);
	HT_ASSERT(k == 2); /* [0, 5 GiB + the ACPI page), the framebuffer */
	HT_EXPECT(r[0].base == 0 && r[0].length == 0x140001000ull);
	HT_EXPECT(r[1].base == 0x400000000ull && r[1].length == 0x10000);
	HT_ASSERT(mmap_hhdm_ranges(in, 7, 1, r, 8, &k) == ERR_OK); /* revision 0: everything */
	HT_EXPECT_EQ(k, 4);
	HT_EXPECT(mmap_hhdm_ranges(in, 7, 0, r, 7, &k) == ERR_NOSPC);
}

HTEST(efi_types_convert)
{
	HT_EXPECT_EQ(efi_limine_type(EFI_CONVENTIONAL_MEMORY), U);
	HT_EXPECT_EQ(efi_limine_type(EFI_BOOT_SERVICES_CODE), U);
	HT_EXPECT_EQ(efi_limine_type(EFI_BOOT_SERVICES_DATA), U);
	HT_EXPECT_EQ(efi_limine_type(EFI_LOADER_CODE), BR);
	HT_EXPECT_EQ(efi_limine_type(EFI_LOADER_DATA), BR);
	HT_EXPECT_EQ(efi_limine_type(TESSERA_MEM_RECLAIMABLE), BR);
	HT_EXPECT_EQ(efi_limine_type(TESSERA_MEM_KERNEL), KM);
	HT_EXPECT_EQ(efi_limine_type(EFI_RUNTIME_SERVICES_CODE), R);
	HT_EXPECT_EQ(efi_limine_type(EFI_RUNTIME_SERVICES_DATA), R);
	HT_EXPECT_EQ(efi_limine_type(EFI_ACPI_RECLAIM_MEMORY), AR);
	HT_EXPECT_EQ(efi_limine_type(EFI_ACPI_MEMORY_NVS), AN);
	HT_EXPECT_EQ(efi_limine_type(EFI_UNUSABLE_MEMORY), BAD);
	HT_EXPECT_EQ(efi_limine_type(EFI_MEMORY_MAPPED_IO), R);
	HT_EXPECT_EQ(efi_limine_type(EFI_RESERVED_MEMORY), R);
	HT_EXPECT_EQ(efi_limine_type(0x70000000u), R);
}

HTEST(efi_maps_with_a_wide_stride)
{
	/* Firmware may use a descriptor size larger than the structure. */
	static uint8_t raw[4 * 48];
	struct efi_memory_descriptor d[4] = {
	        {EFI_CONVENTIONAL_MEMORY, 0, 0x1000, 0, 0x9f, 0},
	        {EFI_ACPI_MEMORY_NVS, 0, 0x100000, 0, 0, 0}, /* empty: skipped */
	        {TESSERA_MEM_KERNEL, 0, 0x200000, 0, 4, 0},
	        {EFI_RUNTIME_SERVICES_DATA, 0, 0x300000, 0, 1, 0},
	};
	for (int i = 0; i < 4; i++)
		memcpy(raw + i * 48, &d[i], sizeof d[i]);
	struct limine_memmap_entry e[4];
	HT_ASSERT(efi_mmap_convert(raw, sizeof raw, 48, e, 4) == 3);
	HT_EXPECT(e[0].base == 0x1000 && e[0].length == 0x9f000 && e[0].type == U);
	HT_EXPECT(e[1].base == 0x200000 && e[1].length == 0x4000 && e[1].type == KM);
	HT_EXPECT(e[2].type == R);
	HT_EXPECT_EQ(efi_mmap_convert(raw, sizeof raw, 48, e, 1), 3); /* count past cap */
	HT_EXPECT_EQ(efi_mmap_convert(raw, sizeof raw, 16, e, 4), 0); /* bad stride */
}

HTEST_MAIN("boot_mmap")
