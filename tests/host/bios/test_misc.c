/* boot/bios: firmware-table scans, VBE mode choice, EDID, RTC dates. */
#include <stdint.h>
#include <string.h>

#include "../../../boot/bios/rtc.h"
#include "../../../boot/bios/tables.h"
#include "../../../boot/bios/vbe.h"
#include "../htest.h"

static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

static void put_rsdp(uint8_t *p, int rev)
{
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "TESTER", 6);
	p[15] = (uint8_t)rev;
	p[20] = 36;
	fix_sum(p, 20, 8);
	if (rev >= 2)
		fix_sum(p, 36, 32);
}

HTEST(rsdp_scan)
{
	static uint8_t mem[4096];
	memset(mem, 0, sizeof mem);
	HT_EXPECT_EQ(tables_scan_rsdp(mem, sizeof mem), -1);
	put_rsdp(mem + 0x108, 0); /* not 16-byte aligned: ignored */
	HT_EXPECT_EQ(tables_scan_rsdp(mem, sizeof mem), -1);
	put_rsdp(mem + 0x200, 2);
	mem[0x200 + 30] ^= 1; /* extended checksum broken */
	HT_EXPECT_EQ(tables_scan_rsdp(mem, sizeof mem), -1);
	mem[0x200 + 30] ^= 1;
	HT_EXPECT_EQ(tables_scan_rsdp(mem, sizeof mem), 0x200);
	put_rsdp(mem + 0x100, 0); /* ACPI 1.0 at a lower address wins */
	HT_EXPECT_EQ(tables_scan_rsdp(mem, sizeof mem), 0x100);
	uint8_t *tail = mem + 4096 - 48; /* its length runs past the window */
	put_rsdp(tail, 2);
	tail[20] = 64;
	fix_sum(tail, 20, 8);
	HT_EXPECT_EQ(tables_scan_rsdp(mem + 0x400, 4096 - 0x400), -1);
}

HTEST(smbios_scan)
{
	static uint8_t mem[1024];
	memset(mem, 0, sizeof mem);
	uint8_t *p = mem + 0x40;
	memcpy(p, "_SM_", 4);
	p[5] = 31;
	memcpy(p + 16, "_DMI_", 5);
	fix_sum(p + 16, 15, 5);
	fix_sum(p, 31, 4);
	HT_EXPECT_EQ(tables_scan_smbios(mem, sizeof mem, 0), 0x40);
	HT_EXPECT_EQ(tables_scan_smbios(mem, sizeof mem, 1), -1);
	uint8_t *q = mem + 0x80;
	memcpy(q, "_SM3_", 5);
	q[6] = 24;
	fix_sum(q, 24, 5);
	HT_EXPECT_EQ(tables_scan_smbios(mem, sizeof mem, 1), 0x80);
}

static struct vbe_mode mk(uint32_t w, uint32_t h, uint16_t bpp)
{
	struct vbe_mode v = {0};
	v.m.width = w;
	v.m.height = h;
	v.m.bpp = bpp;
	return v;
}

HTEST(mode_choice)
{
	struct vbe_mode modes[] = {mk(640, 480, 32),   mk(1024, 768, 24), mk(800, 600, 32),
	                           mk(1280, 1024, 32), mk(1024, 768, 16), mk(1024, 768, 32)};
	HT_EXPECT_EQ(vbe_pick(modes, 6, 1024, 768, 32), 5);
	HT_EXPECT_EQ(vbe_pick(modes, 5, 1024, 768, 32), 2); /* 32 bpp before size */
	HT_EXPECT_EQ(vbe_pick(modes, 5, 1024, 768, 24), 1);
	HT_EXPECT_EQ(vbe_pick(modes, 6, 4096, 4096, 32), 3);
	HT_EXPECT_EQ(vbe_pick(modes, 6, 320, 200, 32), -1);
	HT_EXPECT_EQ(vbe_pick(modes + 4, 1, 1024, 768, 32), 0); /* any depth if needed */
}

HTEST(edid_preferred)
{
	uint8_t e[128] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	uint32_t w, h;
	e[54] = 0x64, e[55] = 0x19; /* pixel clock: not a display descriptor */
	e[56] = 0x00, e[58] = 0x50; /* 1280 = 0x500 */
	e[59] = 0x00, e[61] = 0x40; /* 1024 = 0x400 */
	fix_sum(e, 128, 127);
	vbe_edid_preferred(e, &w, &h);
	HT_EXPECT_EQ(w, 1280);
	HT_EXPECT_EQ(h, 1024);
	e[1] = 0;
	vbe_edid_preferred(e, &w, &h);
	HT_EXPECT_EQ(w, 0);
}

HTEST(rtc_dates)
{
	struct rtc_time t = {1970, 1, 1, 0, 0, 0};
	HT_EXPECT_EQ(rtc_unix_seconds(&t), 0);
	t = (struct rtc_time){2000, 3, 1, 0, 0, 0};
	HT_EXPECT_EQ(rtc_unix_seconds(&t), 951868800);
	t = (struct rtc_time){2024, 12, 31, 23, 59, 59};
	HT_EXPECT_EQ(rtc_unix_seconds(&t), 1735689599);
	t = (struct rtc_time){2023, 2, 29, 0, 0, 0};
	HT_EXPECT_EQ(rtc_unix_seconds(&t), -1);
	t = (struct rtc_time){2024, 13, 1, 0, 0, 0};
	HT_EXPECT_EQ(rtc_unix_seconds(&t), -1);
}

HTEST_MAIN("bios")
