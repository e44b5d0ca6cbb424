/* Scans for the RSDP and the SMBIOS entry points: see tables.h. */
#include "tables.h"

#include <string/mem.h>

#define RSDP_V1_LEN  20
#define RSDP_V2_LEN  36
#define RSDP_MAX_LEN 4096 /* sanity bound for the length field */

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int rsdp_valid(const uint8_t *p, size_t avail)
{
	if (avail < RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0 || sum(p, RSDP_V1_LEN) != 0)
		return 0;
	if (p[15] < 2)
		return 1; /* ACPI 1.0: 20 bytes */
	uint32_t len = get32(p + 20);
	return len >= RSDP_V2_LEN && len <= RSDP_MAX_LEN && len <= avail && sum(p, len) == 0;
}

long tables_scan_rsdp(const uint8_t *mem, size_t len)
{
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16)
		if (rsdp_valid(mem + off, len - off))
			return (long)off;
	return -1;
}

static int smbios_valid(const uint8_t *p, size_t avail, int want64)
{
	if (want64) {
		if (avail < 24 || memcmp(p, "_SM3_", 5) != 0)
			return 0;
		return p[6] >= 24 && p[6] <= avail && sum(p, p[6]) == 0;
	}
	if (avail < 31 || memcmp(p, "_SM_", 4) != 0)
		return 0;
	return p[5] >= 31 && p[5] <= avail && sum(p, p[5]) == 0 &&
	       memcmp(p + 16, "_DMI_", 5) == 0 && sum(p + 16, 15) == 0;
}

long tables_scan_smbios(const uint8_t *mem, size_t len, int want64)
{
	for (size_t off = 0; off + 16 <= len; off += 16)
		if (smbios_valid(mem + off, len - off, want64))
			return (long)off;
	return -1;
}

#define BDA_EBDA_SEG 0x40e /* word: EBDA segment (BIOS data area) */
#define BIOS_AREA    0xe0000
#define BIOS_END     0x100000
#define SMBIOS_AREA  0xf0000

void tables_find(uint64_t *rsdp, uint64_t *smbios32, uint64_t *smbios64)
{
	uintptr_t ebda = (uintptr_t) * (volatile const uint16_t *)BDA_EBDA_SEG << 4;
	long off = -1;
	*rsdp = 0;
	if (ebda >= 0x500 && ebda + 1024 <= 0xa0000) /* a plausible EBDA only */
		off = tables_scan_rsdp((const uint8_t *)ebda, 1024);
	if (off >= 0)
		*rsdp = ebda + (uint64_t)off;
	else if ((off = tables_scan_rsdp((const uint8_t *)BIOS_AREA, BIOS_END - BIOS_AREA)) >= 0)
		*rsdp = BIOS_AREA + (uint64_t)off;

	const uint8_t *area = (const uint8_t *)SMBIOS_AREA;
	off = tables_scan_smbios(area, BIOS_END - SMBIOS_AREA, 0);
	*smbios32 = off >= 0 ? SMBIOS_AREA + (uint64_t)off : 0;
	off = tables_scan_smbios(area, BIOS_END - SMBIOS_AREA, 1);
	*smbios64 = off >= 0 ? SMBIOS_AREA + (uint64_t)off : 0;
}
