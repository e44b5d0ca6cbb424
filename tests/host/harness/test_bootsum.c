/* Loader conformance: boot-summary parsing and the comparison's rules. */
#include <stdio.h>
#include <string.h>

#include "../../../tools/harness/bootsum.h"
#include "../../../tools/harness/matrix.h"
#include "../../../tools/harness/serial.h"
#include "../htest.h"

/* A summary as a kernel prints it (with a log prefix and noise around). */
static const char ours[] =
        "[cpu0] boot noise\n"
        "[cpu0] bootsum: begin\n"
        "[cpu0] bootsum: hhdm ffff800000000000\n"
        "[cpu0] bootsum: module 0 path /boot/modules/motd.txt size 52 cmdline \"motd.txt\"\n"
        "[cpu0] bootsum: smp cpus 2 bsp-lapic 0 x2apic 0\n"
        "[cpu0] bootsum: mem 0000000000001000-00000000000a0000 ram\n"
        "[cpu0] bootsum: mem 00000000000f0000-0000000000100000 reserved\n"
        "[cpu0] bootsum: mem 0000000000100000-0000000001000000 ram\n"
        "[cpu0] bootsum: mem 0000000001000000-0000000001010000 ACPI NVS\n"
        "[cpu0] bootsum: memmap-ram-total 15932 KiB\n"
        "[cpu0] bootsum: end\n";

static void mutate(char *buf, size_t size, const char *from, const char *to)
{
	char *p = strstr(buf, from);
	HT_ASSERT(p != NULL);
	char tail[4096];
	snprintf(tail, sizeof tail, "%s", p + strlen(from));
	snprintf(p, size - (size_t)(p - buf), "%s%s", to, tail);
}

static int compare(const char *a, const char *b, char *fail, char *allowed)
{
	struct bootsum x, y;
	bootsum_parse(a, &x);
	bootsum_parse(b, &y);
	int bad = bootsum_compare(&x, &y, "ref", fail, 4096, allowed, 4096);
	bootsum_free(&x);
	bootsum_free(&y);
	return bad;
}

HTEST(parses_facts_and_memory)
{
	struct bootsum s;
	HT_ASSERT(bootsum_parse(ours, &s) == 1);
	HT_EXPECT_EQ(s.nmem, 4);
	HT_EXPECT_EQ(s.mem[1].base, 0xf0000);
	HT_EXPECT_STREQ(s.mem[3].type, "ACPI NVS");
	HT_EXPECT_EQ(s.nfacts, 4);
	HT_EXPECT_STREQ(s.facts[1].key, "module 0");
	HT_EXPECT_STREQ(s.facts[2].value, "cpus 2 bsp-lapic 0 x2apic 0");
	bootsum_free(&s);
}

HTEST(identical_summaries_agree)
{
	char fail[4096], allowed[4096];
	HT_EXPECT_EQ(compare(ours, ours, fail, allowed), 0);
	HT_EXPECT_STREQ(fail, "");
	HT_EXPECT_STREQ(allowed, "");
}

HTEST(a_different_fact_fails)
{
	char other[4096], fail[4096], allowed[4096];
	snprintf(other, sizeof other, "%s", ours);
	mutate(other, sizeof other, "cpus 2", "cpus 1");
	HT_EXPECT_EQ(compare(ours, other, fail, allowed), 1);
	HT_EXPECT(strstr(fail, "smp:") != NULL);
}

HTEST(ram_kept_reserved_is_allowed)
{
	char other[4096], fail[4096], allowed[4096];
	snprintf(other, sizeof other, "%s", ours);
	mutate(other, sizeof other, "mem 0000000000100000-0000000001000000 ram",
	       "mem 0000000000100000-0000000000200000 ram\n"
	       "bootsum: mem 0000000000200000-0000000000300000 reserved\n"
	       "bootsum: mem 0000000000300000-0000000001000000 ram");
	mutate(other, sizeof other, "15932 KiB", "14908 KiB");
	HT_EXPECT_EQ(compare(ours, other, fail, allowed), 0);
	HT_EXPECT(strstr(allowed, "0000000000200000-0000000000300000: ram here, reserved in ref") !=
	          NULL);
	HT_EXPECT(strstr(allowed, "RAM total") != NULL);
}

HTEST(acpi_memory_must_match)
{
	char other[4096], fail[4096], allowed[4096];
	snprintf(other, sizeof other, "%s", ours);
	mutate(other, sizeof other, "ACPI NVS", "ACPI reclaimable");
	HT_EXPECT_EQ(compare(ours, other, fail, allowed), 1);
	HT_EXPECT(strstr(fail, "ACPI NVS here, ACPI reclaimable in ref") != NULL);
}

HTEST(ram_missing_elsewhere_fails)
{
	char other[4096], fail[4096], allowed[4096];
	snprintf(other, sizeof other, "%s", ours);
	mutate(other, sizeof other, "0000000000100000-0000000001000000 ram",
	       "0000000000100000-0000000000800000 ram");
	HT_EXPECT_EQ(compare(ours, other, fail, allowed), 1);
	HT_EXPECT(strstr(fail, "ram here, none in ref") != NULL);
}

HTEST(incomplete_summary_fails)
{
	char fail[4096], allowed[4096];
	HT_EXPECT_EQ(compare(ours, "bootsum: begin\nbootsum: hhdm 0\n", fail, allowed), 1);
	HT_EXPECT(strstr(fail, "no complete boot summary") != NULL);
}

HTEST(matrix_same_needs_an_earlier_entry_on_the_same_machine)
{
	struct matrix m;
	char err[256];
	const char *good = "a test.img uefi q35 2 256 60 ktap\n"
	                   "b ../limine/test.img uefi q35 2 256 60 ktap same=a online=1 "
	                   "loader=Limine\n";
	HT_ASSERT(matrix_parse(good, "m", &m, err, sizeof err) == 0);
	HT_EXPECT_STREQ(m.entries[1].same, "a");
	HT_EXPECT_EQ(m.entries[1].online, 1);
	HT_EXPECT_STREQ(m.entries[1].loader, "Limine");
	matrix_free(&m);
	HT_EXPECT(matrix_parse("b x uefi q35 2 256 60 ktap same=a\n", "m", &m, err, sizeof err) ==
	          -1);
	HT_EXPECT(strstr(err, "earlier entry") != NULL);
	const char *other = "a test.img uefi q35 2 256 60 ktap\n"
	                    "b test.img bios q35 2 256 60 ktap same=a\n";
	HT_EXPECT(matrix_parse(other, "m", &m, err, sizeof err) == -1);
	HT_EXPECT(strstr(err, "same firmware") != NULL);
}

HTEST(loader_line)
{
	char name[64];
	HT_EXPECT(serial_loader_line("[cpu0] tessera: loader: Limine 8.2.0, firmware: BIOS", name,
	                             sizeof name) == 1);
	HT_EXPECT_STREQ(name, "Limine 8.2.0");
	HT_EXPECT(serial_loader_line("tessera: boot complete: 1/1 cores online", name,
	                             sizeof name) == 0);
}

HTEST_MAIN("bootsum")
