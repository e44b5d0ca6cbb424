/* The pure parts of the SMP start-up: the processor list of the response
 * (smp_plan.c), the MTRR list an AP replays (arch/x86_64/mtrr.c), and the
 * delay arithmetic (arch/x86_64/tsc.h).  The APIC encodings and the PIT
 * arithmetic are lib/x86's (tests/host/x86). */
#include <arch/x86_64/mtrr.h>
#include <arch/x86_64/tsc.h>
#include <smp_plan.h>

#include "../htest.h"

static struct acpi_info madt;
static struct smp_plan plan;

static void add(uint32_t uid, uint32_t apic_id)
{
	madt.cpus[madt.cpu_count++] = (struct acpi_cpu){uid, apic_id, ACPI_LAPIC_ENABLED};
}

HTEST(plan_keeps_madt_order_and_finds_the_bsp)
{
	memset(&madt, 0, sizeof madt);
	add(1, 4);
	add(2, 0);
	add(3, 2);
	smp_plan(&madt, 0, &plan);
	HT_ASSERT(plan.count == 3);
	HT_EXPECT_EQ(plan.bsp, 1);
	HT_EXPECT_EQ(plan.cpus[0].apic_id, 4);
	HT_EXPECT_EQ(plan.cpus[0].processor_uid, 1);
	HT_EXPECT_EQ(plan.cpus[1].apic_id, 0);
	HT_EXPECT_EQ(plan.cpus[2].processor_uid, 3);
}

HTEST(plan_adds_a_bsp_the_madt_lacks)
{
	memset(&madt, 0, sizeof madt);
	smp_plan(&madt, 7, &plan); /* no MADT */
	HT_ASSERT(plan.count == 1);
	HT_EXPECT_EQ(plan.bsp, 0);
	HT_EXPECT_EQ(plan.cpus[0].apic_id, 7);
	add(5, 1);
	add(6, 2);
	smp_plan(&madt, 9, &plan);
	HT_ASSERT(plan.count == 3);
	HT_EXPECT_EQ(plan.bsp, 0);
	HT_EXPECT_EQ(plan.cpus[0].apic_id, 9);
	HT_EXPECT_EQ(plan.cpus[0].processor_uid, 0);
	HT_EXPECT_EQ(plan.cpus[1].apic_id, 1);
	HT_EXPECT_EQ(plan.cpus[2].apic_id, 2);
}

HTEST(plan_of_a_full_madt)
{
	memset(&madt, 0, sizeof madt);
	for (uint32_t i = 0; i < ACPI_MAX_CPUS; i++)
		add(i, i + 1);
	smp_plan(&madt, 0, &plan); /* the BSP is not among them */
	HT_EXPECT_EQ(plan.count, ACPI_MAX_CPUS + 1);
	HT_EXPECT_EQ(plan.cpus[ACPI_MAX_CPUS].apic_id, ACPI_MAX_CPUS);
}

/* A fake MSR file: each MSR reads as its number times 3, IA32_MTRRCAP as
 * set by the test. */
static uint64_t mtrrcap;
static unsigned reads;

static uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
	reads++;
	return msr == MSR_MTRRCAP ? mtrrcap : (uint64_t)msr * 3;
}

HTEST(mtrr_list_fixed_variable_default_last)
{
	struct ap_msr out[AP_MAX_MSRS];
	unsigned dropped;

	mtrrcap = (1u << 8) | 2; /* fixed ranges, 2 variable */
	size_t n = mtrr_snapshot(1, fake_rdmsr, NULL, out, AP_MAX_MSRS, &dropped);
	HT_ASSERT(n == 11 + 4 + 1);
	HT_EXPECT_EQ(dropped, 0);
	HT_EXPECT_EQ(out[0].msr, 0x250);
	HT_EXPECT_EQ(out[1].msr, 0x258);
	HT_EXPECT_EQ(out[2].msr, 0x259);
	HT_EXPECT_EQ(out[3].msr, 0x268);
	HT_EXPECT_EQ(out[10].msr, 0x26f);
	HT_EXPECT_EQ(out[11].msr, 0x200);
	HT_EXPECT_EQ(out[12].msr, 0x201);
	HT_EXPECT_EQ(out[14].msr, 0x203);
	HT_EXPECT_EQ(out[15].msr, MSR_MTRR_DEF_TYPE);
	for (size_t i = 0; i < n; i++) {
		HT_EXPECT_EQ(out[i].value, (uint64_t)out[i].msr * 3);
		HT_EXPECT_EQ(out[i].pad, 0);
	}
}

HTEST(mtrr_list_without_fixed_ranges_or_mtrrs)
{
	struct ap_msr out[AP_MAX_MSRS];
	unsigned dropped;

	mtrrcap = 8; /* no fixed ranges */
	size_t n = mtrr_snapshot(1, fake_rdmsr, NULL, out, AP_MAX_MSRS, &dropped);
	HT_ASSERT(n == 17);
	HT_EXPECT_EQ(out[0].msr, 0x200);
	HT_EXPECT_EQ(out[15].msr, 0x20f);
	HT_EXPECT_EQ(out[16].msr, MSR_MTRR_DEF_TYPE);
	reads = 0;
	HT_EXPECT_EQ(mtrr_snapshot(0, fake_rdmsr, NULL, out, AP_MAX_MSRS, &dropped), 0);
	HT_EXPECT_EQ(reads, 0); /* no MTRRs: no MSR is touched */
}

HTEST(mtrr_list_that_does_not_fit)
{
	struct ap_msr out[AP_MAX_MSRS];
	unsigned dropped;

	mtrrcap = (1u << 8) | 255;
	size_t n = mtrr_snapshot(1, fake_rdmsr, NULL, out, AP_MAX_MSRS, &dropped);
	HT_EXPECT(n <= AP_MAX_MSRS);
	HT_EXPECT_EQ(out[n - 1].msr, MSR_MTRR_DEF_TYPE);
	HT_EXPECT_EQ(dropped, 255 - (AP_MAX_MSRS - 12) / 2);
	HT_EXPECT_EQ(mtrr_snapshot(1, fake_rdmsr, NULL, out, 11, &dropped), 0);
}

HTEST(tsc_arithmetic)
{
	HT_EXPECT_EQ(tsc_ticks_for_us(2000000000ull, 200), 400000);
	HT_EXPECT_EQ(tsc_ticks_for_us(2500000001ull, 1000000), 2500000001ull);
	HT_EXPECT_EQ(tsc_ticks_for_us(TSC_FALLBACK_HZ, 2000000), 16000000000ull);
	HT_EXPECT_EQ(tsc_ticks_for_us(999999, 3), 2);
}

HTEST(trampoline_layout)
{
	HT_EXPECT_EQ(AP_PARAMS + AP_GDT + 7 * 8, AP_PARAMS + AP_MSRS);
	HT_EXPECT(AP_PARAMS + sizeof(struct ap_params) <= 4096);
	HT_EXPECT_EQ(AP_GDT_BASE - AP_GDT_LIMIT, 2);     /* lgdt: limit, then base */
	HT_EXPECT_EQ(AP_GDT64_BASE - AP_GDT64_LIMIT, 2); /* same in long mode */
	HT_EXPECT_EQ(AP_SEL_CODE64, 5 * 8);              /* the protocol's GDT order */
}

HTEST_MAIN("boot_smp")
