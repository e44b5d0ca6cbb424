/* INT 13h extended disk access ("BIOS Enhanced Disk Drive Specification";
 * Ralf Brown's list, INT 13h AH=41h, 42h, 48h).  The BIOS reads into a
 * bounce buffer below 1 MiB that never crosses a 64 KiB boundary; the data
 * is copied to the caller's buffer, which may lie anywhere. */
#include "disk.h"

#include <string/mem.h>

#include "bioscall.h"
#include "console.h"

#define BOUNCE_BYTES 0x8000 /* 32 KiB, aligned to its size */
#define READ_TRIES   3

/* Disk address packet (EDD 3.0, "Device Address Packet"). */
struct disk_dap {
	uint8_t size; /* 16 */
	uint8_t reserved;
	uint16_t count;
	uint16_t offset;
	uint16_t segment;
	uint64_t lba;
} __attribute__((packed));
_Static_assert(sizeof(struct disk_dap) == 16, "EDD disk address packet");

/* Result buffer of AH=48h, the EDD 1.x part. */
struct disk_params {
	uint16_t size;
	uint16_t flags;
	uint32_t cylinders, heads, sectors_per_track;
	uint64_t sectors;
	uint16_t bytes_per_sector;
} __attribute__((packed));
_Static_assert(sizeof(struct disk_params) == 26, "EDD drive parameters");

struct disk {
	uint8_t drive;
	uint32_t sector_size;
};

static uint8_t bounce[BOUNCE_BYTES] __attribute__((aligned(BOUNCE_BYTES)));
static struct disk_dap dap;
static struct disk_params params;
static struct disk boot_disk;

/* One AH=42h read into the bounce buffer; returns the BIOS status (AH),
 * 0 on success. */
static uint8_t disk_read_once(struct disk *d, uint64_t lba, uint16_t count)
{
	struct bios_regs r = {0};
	dap = (struct disk_dap){16, 0, count, bios_off(bounce), bios_seg(bounce), lba};
	r.eax = 0x4200;
	r.edx = d->drive;
	r.ds = bios_seg(&dap);
	r.esi = bios_off(&dap);
	bios_call(0x13, &r);
	if (!(r.eflags & BIOS_EFLAGS_CF))
		return 0;
	return (uint8_t)(r.eax >> 8) ? (uint8_t)(r.eax >> 8) : 0xff;
}

static void disk_reset(struct disk *d)
{
	struct bios_regs r = {0};
	r.edx = d->drive; /* AH=00h */
	bios_call(0x13, &r);
}

static enum err disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct disk *d = ctx;
	uint32_t chunk_max = BOUNCE_BYTES / d->sector_size;
	uint8_t *out = buf;
	while (count) {
		uint16_t n = (uint16_t)(count < chunk_max ? count : chunk_max);
		uint8_t status = 1;
		for (int t = 0; t < READ_TRIES && status; t++) {
			status = disk_read_once(d, lba, n);
			if (status)
				disk_reset(d);
		}
		if (status) {
			console_printf(
			        "tessera-loader: disk %#x: INT 13h read of %u sectors at LBA "
			        "%llu failed (status %#x)\n",
			        d->drive, n, (unsigned long long)lba, status);
			return ERR_IO;
		}
		memcpy(out, bounce, (size_t)n * d->sector_size);
		out += (size_t)n * d->sector_size;
		lba += n;
		count -= n;
	}
	return ERR_OK;
}

enum err disk_open(uint8_t drive, struct blockdev *dev)
{
	struct bios_regs r = {0};
	r.eax = 0x4100;
	r.ebx = 0x55aa;
	r.edx = drive;
	bios_call(0x13, &r);
	if ((r.eflags & BIOS_EFLAGS_CF) || (r.ebx & 0xffff) != 0xaa55 || !(r.ecx & 1))
		return ERR_UNSUPPORTED;

	boot_disk = (struct disk){drive, 512};
	dev->sector_count = 0;
	params = (struct disk_params){.size = sizeof params};
	r = (struct bios_regs){0};
	r.eax = 0x4800;
	r.edx = drive;
	r.ds = bios_seg(&params);
	r.esi = bios_off(&params);
	bios_call(0x13, &r);
	if (!(r.eflags & BIOS_EFLAGS_CF)) {
		if (params.bytes_per_sector == 512 || params.bytes_per_sector == 4096)
			boot_disk.sector_size = params.bytes_per_sector;
		dev->sector_count = params.sectors == UINT64_MAX ? 0 : params.sectors;
	}
	dev->ctx = &boot_disk;
	dev->sector_size = boot_disk.sector_size;
	dev->read = disk_read;
	return ERR_OK;
}
