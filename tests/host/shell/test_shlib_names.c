/* The names the command libraries print (user/shlib/names.c), against the
 * specifications' own text: PCI classes from the PCI Code and ID
 * Assignment Specification, GPT types and their GUIDs as sfdisk(8) and
 * UEFI 2.10 write them, GUID byte order from an sfdisk-made table. */
#include <stdlib.h>
#include <string.h>

#include "../../../user/shlib/names.h"
#include "../fat/fat_test.h"
#include "../htest.h"

HTEST(pci_classes_by_their_most_precise_name)
{
	HT_EXPECT_STREQ(shlib_pci_class(0x010601), "SATA (AHCI)"); /* q35's ICH9 AHCI */
	HT_EXPECT_STREQ(shlib_pci_class(0x010600), "SATA");
	HT_EXPECT_STREQ(shlib_pci_class(0x010000), "SCSI storage"); /* virtio-blk */
	HT_EXPECT_STREQ(shlib_pci_class(0x018000), "storage");
	HT_EXPECT_STREQ(shlib_pci_class(0x060000), "host bridge");
	HT_EXPECT_STREQ(shlib_pci_class(0x060100), "ISA bridge");
	HT_EXPECT_STREQ(shlib_pci_class(0x0c0500), "SMBus");
	HT_EXPECT_STREQ(shlib_pci_class(0x0c0330), "USB (xHCI)");
	HT_EXPECT_STREQ(shlib_pci_class(0x030000), "VGA");
	HT_EXPECT_STREQ(shlib_pci_class(0xff0000), "");
	HT_EXPECT_STREQ(shlib_pci_class(0x12010601), "SATA (AHCI)"); /* the revision byte ignored */
}

/* The GUID at offset 1024 + 0 (the first entry's type) of a table sfdisk
 * wrote for a partition of type text: the name and the text come back. */
static void type_of(const char *text, const char *name)
{
	char p[512], got[37];
	size_t n;
	HT_ASSERT(ft_sh("rm -f g.img && truncate -s 4M g.img && printf 'label: gpt\\nstart=2048, "
	                "size=2048, type=%s\\n' | sfdisk -q g.img",
	                text) == 0);
	uint8_t *img = ft_read_file(ft_path(p, "g.img"), &n);
	HT_ASSERT(img && n > 1024 + 16);
	shlib_guid_text(img + 1024, got);
	HT_EXPECT_STREQ(got, text);
	const char *want = shlib_gpt_type(img + 1024);
	HT_EXPECT(name ? want && !strcmp(want, name) : !want);
	free(img);
}

HTEST(gpt_types_named_and_guids_written_as_sfdisk_writes_them)
{
	type_of("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system");
	type_of("21686148-6449-6E6F-744E-656564454649", "BIOS boot");
	type_of("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem");
	type_of("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "basic data");
	type_of("01234567-89AB-CDEF-0123-456789ABCDEF", NULL);
}

HTEST(sizes_in_the_largest_unit_that_divides_them)
{
	char s[32];
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {{0, "0"},          {256, "256"},       {4096, "4K"},
	             {1536, "1536"},    {16u << 20, "16M"}, {(64ull << 30) + 4096, "67108868K"},
	             {1ull << 40, "1T"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		shlib_size_text(cases[i].bytes, s, sizeof s);
		HT_EXPECT_STREQ(s, cases[i].text);
	}
}

HTEST_MAIN("shlib_names")
