/* lib/x86: the pure encoders of desc.h, apic.h and pte.h, apic.h's
 * register access on a fake xAPIC page, pit.h's arithmetic, and the CPUID
 * helpers of x86.h (user-mode instructions, so they run on the host). */
#include <x86/apic.h>
#include <x86/desc.h>
#include <x86/pit.h>
#include <x86/pte.h>
#include <x86/x86.h>

#include "../htest.h"

HTEST(register_bits)
{
	HT_EXPECT(X86_CR0_PG == 0x80000000ull);
	HT_EXPECT(X86_CR0_WP == 0x10000ull);
	HT_EXPECT(X86_CR4_OSXSAVE == 0x40000ull);
	HT_EXPECT(X86_CR4_LA57 == 0x1000ull);
	HT_EXPECT(X86_EFER_LME == 0x100ull);
	HT_EXPECT(X86_EFER_NXE == 0x800ull);
	HT_EXPECT(APIC_BASE_EXTD == 0x400ull);
	HT_EXPECT(APIC_BASE_EN == 0x800ull);
}

/* The protocol's GDT (boot/common), the kernel's and the BIOS stage's
 * fixed values, encoded. */
HTEST(segment_descriptors)
{
	uint8_t code = DESC_P | DESC_S | DESC_CODE | DESC_RW, data = DESC_P | DESC_S | DESC_RW;

	HT_EXPECT(desc_segment(0, 0xfffff, code, DESC_FL_G | DESC_FL_L) == 0x00af9a000000ffffull);
	HT_EXPECT(desc_segment(0, 0xfffff, data, DESC_FL_G | DESC_FL_DB) == 0x00cf92000000ffffull);
	HT_EXPECT(desc_segment(0, 0xffff, code | DESC_ACCESSED, 0) == 0x00009b000000ffffull);
	HT_EXPECT(desc_segment(0, 0xfffff, data | DESC_DPL(3), DESC_FL_G | DESC_FL_DB) ==
	          0x00cff2000000ffffull);
	HT_EXPECT(desc_segment(0x12345678, 0xabcde, 0, 0) == 0x120a00345678bcdeull);
}

HTEST(tss_descriptor)
{
	uint64_t d[2];

	desc_tss64(d, 0xffffffff80123456ull, 103);
	HT_EXPECT(d[0] == 0x8000891234560067ull);
	HT_EXPECT(d[1] == 0xffffffffull);
}

HTEST(interrupt_gates)
{
	uint64_t g[2];

	desc_gate64(g, 0xffffffff80101234ull, 0x08, 2, 0);
	HT_EXPECT(g[0] == 0x80108e0200081234ull);
	HT_EXPECT(g[1] == 0xffffffffull);
	desc_gate64(g, 0x9000, 0x28, 9, 3); /* ist has 3 bits */
	HT_EXPECT(g[0] == 0x0000ee0100289000ull);
	HT_EXPECT(g[1] == 0);
}

HTEST(page_table_entries)
{
	uint64_t va = 0xffff800012345678ull;
	uint64_t pde_2m = 0x40000000ull | PTE_PAT_LARGE | PTE_PS | PTE_P; /* PAT bit 12 set */

	HT_EXPECT_EQ(pte_index(va, 4), 256);
	HT_EXPECT_EQ(pte_index(va, 2), 0x91);
	HT_EXPECT_EQ(pte_index(va, 1), 0x145);
	HT_EXPECT_EQ(pte_level_bits(3), 30);
	HT_EXPECT(pte_is_leaf(0, 1));
	HT_EXPECT(pte_is_leaf(pde_2m, 2));
	HT_EXPECT(!pte_is_leaf(pde_2m, 4)); /* PS is reserved in a PML4E */
	HT_EXPECT(pte_addr(pde_2m, 2) == 0x40000000ull);
	HT_EXPECT(pte_addr(PTE_NX | 0x1234000ull | PTE_P, 1) == 0x1234000ull);
	HT_EXPECT(pte_addr_field(0x000fffffffe01fffull | PTE_NX) == 0x000fffffffe01000ull);
	HT_EXPECT(!pte_present(PTE_RW));
}

HTEST(icr_encodings)
{
	/* INIT: delivery mode 101b, level assert; start-up: 110b + vector */
	HT_EXPECT_EQ(apic_icr_init(), 0x4500);
	HT_EXPECT_EQ(apic_icr_startup(0x9c), 0x469c);
	HT_EXPECT_EQ(apic_icr_fixed(0xf1), 0x40f1);
	HT_EXPECT(apic_icr_value(apic_icr_init(), 3, false) == 0x0300000000004500ull);
	HT_EXPECT(apic_icr_value(apic_icr_startup(0x08), 0x1234, true) == 0x0000123400004608ull);
	HT_EXPECT(apic_icr_value(apic_icr_init(), 0x1ff, false) == 0xff00000000004500ull);
}

HTEST(apic_registers)
{
	/* SDM 3A table 10-6 (2022): the x2APIC MSR numbers */
	HT_EXPECT_EQ(X2APIC_MSR(LAPIC_ID), 0x802);
	HT_EXPECT_EQ(X2APIC_MSR(LAPIC_EOI), 0x80b);
	HT_EXPECT_EQ(X2APIC_MSR(LAPIC_ICR_LO), 0x830);
	HT_EXPECT_EQ(X2APIC_MSR(LAPIC_TIMER_DIV), 0x83e);
	/* figure 10-8: mask bit 16, timer mode bits 18:17 */
	HT_EXPECT_EQ(LVT_MASKED, 0x10000);
	HT_EXPECT_EQ(LVT_TIMER_PERIODIC, 0x20000);
}

HTEST(apic_addressing)
{
	HT_EXPECT(apic_addressable(0, false));
	HT_EXPECT(apic_addressable(254, false));
	HT_EXPECT(!apic_addressable(255, false)); /* the xAPIC broadcast */
	HT_EXPECT(!apic_addressable(300, false));
	HT_EXPECT(apic_addressable(300, true));
	HT_EXPECT(!apic_addressable(0xffffffffu, true));
}

HTEST(sipi_vectors)
{
	HT_EXPECT_EQ(apic_sipi_vector(0x8000), 0x08);
	HT_EXPECT_EQ(apic_sipi_vector(0x9f000), 0x9f);
	HT_EXPECT_EQ(apic_sipi_vector(0), -1);
	HT_EXPECT_EQ(apic_sipi_vector(0x8800), -1);
	HT_EXPECT_EQ(apic_sipi_vector(0x100000), -1);
}

static uint32_t page[1024];

/* xAPIC mode on a buffer: the id's bits 31:24, an IPI as two writes with
 * the high dword first, and a send refused while the ICR stays busy. */
HTEST(xapic_access)
{
	memset(page, 0, sizeof page);
	page[LAPIC_ID / 4] = 7u << 24;
	HT_EXPECT_EQ(apic_read_id(page), 7);
	apic_write(page, LAPIC_TPR, 0x20);
	HT_EXPECT_EQ(apic_read(page, LAPIC_TPR), 0x20);
	HT_ASSERT(apic_send(page, apic_icr_value(apic_icr_fixed(0xf1), 3, false)));
	HT_EXPECT_EQ(page[LAPIC_ICR_HI / 4], 3u << 24);
	HT_EXPECT_EQ(page[LAPIC_ICR_LO / 4], 0x40f1);
	page[LAPIC_ICR_LO / 4] = ICR_PENDING;
	HT_EXPECT(!apic_send(page, apic_icr_value(apic_icr_init(), 5, false)));
	HT_EXPECT_EQ(page[LAPIC_ICR_HI / 4], 3u << 24); /* untouched */
}

HTEST(pit_arithmetic)
{
	/* 2 GHz: 11932 PIT periods (10.00015 ms) are 20 000 301 ticks */
	uint64_t hz = pit_tsc_hz(20000301, 11932);
	HT_EXPECT(hz > 1999999000ull && hz < 2000001000ull);
	HT_EXPECT_EQ(pit_tsc_hz(123, 0), 0);
	HT_EXPECT_EQ(PIT_HZ / PIT_WINDOWS_PER_SECOND, 11931);
}

HTEST(pit_median_sorts)
{
	uint64_t five[] = {50, 10, 40, 20, 30}, four[] = {4, 1, 3, 2}, one[] = {9};

	HT_EXPECT_EQ(pit_median(five, 5), 30);
	for (int i = 0; i < 5; i++)
		HT_EXPECT_EQ(five[i], 10 * (i + 1));
	HT_EXPECT_EQ(pit_median(four, 4), 3);
	HT_EXPECT_EQ(pit_median(one, 1), 9);
	HT_EXPECT_EQ(pit_median(NULL, 0), 0);
}

/* CPUID runs in user mode: leaves past the maximum read as absent, and
 * every x86-64 CPU reports PAT and NX. */
HTEST(cpuid_has)
{
	uint32_t r[4];

	x86_cpuid(0, 0, r);
	HT_EXPECT(r[0] >= 1);
	HT_EXPECT(!x86_cpuid_has(r[0] + 1, 3, 0));
	HT_EXPECT(!x86_cpuid_has(0x8fffffffu, 3, 0));
	HT_EXPECT(x86_cpuid_has(X86_CPUID_PAT));
	HT_EXPECT(x86_cpuid_has(X86_CPUID_NX));
	uint64_t t0 = x86_rdtsc();
	x86_pause();
	HT_EXPECT(x86_rdtsc() >= t0);
}

HTEST_MAIN("x86")
