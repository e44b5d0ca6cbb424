/* The BIOS stage in long mode: initialises the front end, then hands over to
 * the common loader. */
#include <stdint.h>

#include "a20.h"
#include "bioscall.h"
#include "console.h"
#include "disk.h"
#include "e820.h"
#include "memmap.h"
#include "tables.h"
#include "vbe.h"

static struct memmap map;
static struct vbe_mode modes[64];

__attribute__((noreturn)) void bios_main(uint8_t drive);

void bios_main(uint8_t drive)
{
	console_init();
	console_printf("stage: drive %#x\n", drive);
	if (a20_enable() != ERR_OK)
		console_fatal("cannot enable the A20 gate");
	unsigned n;
	memmap_init(&map);
	enum err e = e820_read(&map, &n);
	console_printf("e820: %u entries, %s\n", n, err_str(e));
	for (size_t i = 0; i < map.count; i++)
		console_printf("  %016llx %016llx %llu\n", (unsigned long long)map.e[i].base,
			       (unsigned long long)map.e[i].length, (unsigned long long)map.e[i].type);
	uint64_t rsdp, s32, s64;
	tables_find(&rsdp, &s32, &s64);
	console_printf("rsdp %llx smbios %llx %llx\n", (unsigned long long)rsdp,
		       (unsigned long long)s32, (unsigned long long)s64);
	size_t count;
	e = vbe_list_modes(modes, 64, &count);
	console_printf("vbe: %s, %zu modes\n", err_str(e), count);
	long best = vbe_pick(modes, count, 1024, 768, 32);
	if (best >= 0)
		console_printf("best %ux%ux%u at %llx\n", (unsigned)modes[best].m.width,
			       (unsigned)modes[best].m.height, modes[best].m.bpp,
			       (unsigned long long)modes[best].phys);
	struct blockdev dev;
	e = disk_open(drive, &dev);
	console_printf("disk: %s, %u-byte sectors, %llu\n", err_str(e), dev.sector_size,
		       (unsigned long long)dev.sector_count);
	static uint8_t sec[512];
	e = dev.read(dev.ctx, 1, 1, sec);
	console_printf("lba1: %s %.8s\n", err_str(e), (char *)sec);
	console_fatal("end of test");
}
