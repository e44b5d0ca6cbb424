/* The BIOS stage in long mode: brings up the front end (A20, memory map,
 * boot disk and its EFI system partition), then runs the common loader. */
#include <boot.h>
#include <fat/gpt.h>
#include <string/mem.h>

#include "a20.h"
#include "bios.h"
#include "console.h"
#include "disk.h"
#include "e820.h"
#include "idt.h"
#include "stage.h"

struct bios_state bios_state;

extern char stage_end[]; /* stage.ld: end of .bss, page-aligned */

static uint8_t gpt_scratch[4096 + 16384] __attribute__((aligned(16)));

/* E820 into the map; the stage's own pages become bootloader-reclaimable
 * and the first page is left out, as Limine does. */
static void bios_memory(void)
{
	unsigned n;
	struct memmap *m = &bios_state.map;
	memmap_init(m);
	enum err e = e820_read(m, &n);
	if (e != ERR_OK)
		console_fatal("no usable BIOS memory map (INT 15h E820): %s", err_str(e));
	uint64_t stage_bytes = (uintptr_t)stage_end - MEMMAP_PAGE;
	if (!memmap_covers(m, MEMMAP_PAGE, stage_bytes, LIMINE_MEMMAP_USABLE))
		console_fatal("the loader (0x1000-%#llx) overlaps memory the BIOS reserves",
		              (unsigned long long)(uintptr_t)stage_end);
	e = memmap_mark(m, MEMMAP_PAGE, stage_bytes, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE);
	if (e == ERR_OK)
		e = memmap_mark(m, 0, MEMMAP_PAGE, MEMMAP_HOLE);
	if (e != ERR_OK)
		console_fatal("memory map too large: %s", err_str(e));
}

/* The boot drive and the first EFI system partition on it. */
static void bios_volume(uint8_t drive)
{
	struct gpt_partition part;
	struct gpt_disk disk;
	struct boot_volume *v = &bios_state.volume;
	enum err e = disk_open(drive, &bios_state.disk);
	if (e != ERR_OK)
		console_fatal("boot drive %#x: no INT 13h extended reads: %s", drive, err_str(e));
	e = gpt_find(&bios_state.disk, &gpt_type_esp, gpt_scratch, &part, &disk);
	if (e != ERR_OK)
		console_fatal("boot drive %#x: no EFI system partition in a GPT: %s", drive,
		              err_str(e));
	memset(v, 0, sizeof *v);
	v->dev = &bios_state.disk;
	v->part_lba = part.first_lba;
	v->partition_index = part.index;
	v->mbr_disk_id = disk.mbr_disk_id;
	v->disk_guid = disk.guid;
	v->part_guid = part.guid;
}

void bios_main(uint8_t drive)
{
	bios_state.drive = drive;
	console_init();
	idt_init();
	if (a20_enable() != ERR_OK)
		console_fatal("cannot open the A20 gate");
	bios_memory();
	bios_volume(drive);
	boot_main();
}
