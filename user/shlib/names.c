/* Names the command libraries print; see names.h. */
#include "names.h"

#include <fmt/fmt.h>
#include <string/mem.h>

struct class_name {
	uint32_t key;  /* class << 16 | subclass << 8 | prog-if, or without prog-if, or class */
	uint8_t bytes; /* how many of key's bytes: 3, 2 or 1 */
	const char *name;
};

static const struct class_name classes[] = {
        {0x010601, 3, "SATA (AHCI)"}, {0x010802, 3, "NVMe"},
        {0x0c0300, 3, "USB (UHCI)"},  {0x0c0310, 3, "USB (OHCI)"},
        {0x0c0320, 3, "USB (EHCI)"},  {0x0c0330, 3, "USB (xHCI)"},
        {0x0100, 2, "SCSI storage"},  {0x0101, 2, "IDE"},
        {0x0105, 2, "ATA"},           {0x0106, 2, "SATA"},
        {0x0108, 2, "NVM"},           {0x0200, 2, "Ethernet"},
        {0x0300, 2, "VGA"},           {0x0401, 2, "audio"},
        {0x0403, 2, "HD audio"},      {0x0600, 2, "host bridge"},
        {0x0601, 2, "ISA bridge"},    {0x0604, 2, "PCI bridge"},
        {0x0700, 2, "serial"},        {0x0c05, 2, "SMBus"},
        {0x01, 1, "storage"},         {0x02, 1, "network"},
        {0x03, 1, "display"},         {0x04, 1, "multimedia"},
        {0x05, 1, "memory"},          {0x06, 1, "bridge"},
        {0x07, 1, "communication"},   {0x08, 1, "system peripheral"},
        {0x09, 1, "input"},           {0x0c, 1, "serial bus"},
};

const char *shlib_pci_class(uint32_t class)
{
	for (uint8_t bytes = 3; bytes >= 1; bytes--)
		for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
			if (classes[i].bytes == bytes &&
			    classes[i].key == (class & 0xffffffu) >> (8 * (3 - bytes)))
				return classes[i].name;
	return "";
}

struct type_name {
	const char *guid; /* as text */
	const char *name;
};

static const struct type_name types[] = {
        {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system"},
        {"21686148-6449-6E6F-744E-656564454649", "BIOS boot"},
        {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"},
        {"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"},
        {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "basic data"},
        {"E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"},
};

const char *shlib_gpt_type(const uint8_t guid[16])
{
	char text[37];

	shlib_guid_text(guid, text);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(types[i].guid, text))
			return types[i].name;
	return NULL;
}

void shlib_guid_text(const uint8_t g[16], char out[37])
{
	fmt_snprintf(out, 37,
	             "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", g[3],
	             g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
	             g[13], g[14], g[15]);
}

size_t shlib_size_text(uint64_t bytes, char *out, size_t size)
{
	static const char units[] = "KMGTPE";
	unsigned u = 0;

	while (bytes && !(bytes & 1023) && u < sizeof units - 1) {
		bytes >>= 10;
		u++;
	}
	if (!u)
		return (size_t)fmt_snprintf(out, size, "%llu", (unsigned long long)bytes);
	return (size_t)fmt_snprintf(out, size, "%llu%c", (unsigned long long)bytes, units[u - 1]);
}
