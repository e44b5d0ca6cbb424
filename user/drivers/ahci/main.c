/* ahci: the AHCI driver (user/README.md, "Drivers") for the SATA
 * controller of q35 (ICH9, 8086:2922, class 01.06.01), a block service
 * (user/drivers/blk/blkproto.h) for the one client that spawned it, as
 * vblk is for virtio-blk.  Its client opened the controller through the
 * PCI service and lends it (blkdrv.h); ahci maps ABAR (BAR 5), resets the
 * HBA, looks at every implemented port and serves the first ATA disk
 * (ahci.h): IDENTIFY DEVICE for its size and model, then READ/WRITE DMA
 * EXT with the client's buffer in the PRDT and FLUSH CACHE EXT; each
 * command's end is the port's interrupt (PCI INTx, bound to ahci's
 * notification).  A failed command is reported with its port and LBA and
 * answered IO; the port is restarted, never waited on for ever.
 *
 *   ahci: 00:1f.2 port 0: QEMU HARDDISK, 131072 sectors of 512 bytes (64 MiB), irq 16, ...
 */
#include <ahci_args.h>
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/mem.h>
#include <rt/pci.h>
#include <rt/rt.h>

#include "../blk/blkdrv.h"
#include "ahci.h"

#define ABAR       5
#define ABAR_PAGES 1 /* the registers of 32 ports end at 0x1100: ICH9's ABAR is 2 KiB */
#define SECTOR     512u

static struct ahci hba;
static struct blkdrv drv = {.name = "ahci"};
static struct ahci_args args;

/* One command and its wait; a failure is said with the port and LBA. */
static enum err command(uint8_t cmd, uint64_t lba, uint32_t count, bool write,
                        const struct ahci_seg *seg, unsigned n)
{
	enum err e = ahci_start(&hba, cmd, lba, count, write, seg, n);

	if (!e)
		e = blkdrv_wait(&drv, BLKDRV_TIMEOUT_MS);
	if (e == ERR_TIMEOUT)
		ahci_restart(&hba);
	else if (!e)
		e = ahci_result(&hba);
	if (e)
		rt_printf("ahci: port %u: command %#x at LBA %llu (%u sectors): %s (PxIS %#x, "
		          "PxTFD %#x: status %#x error %#x)\n",
		          hba.port, cmd, (unsigned long long)lba, count, err_str(e), hba.last_is,
		          hba.last_tfd, hba.last_tfd & 0xff, hba.last_tfd >> 8 & 0xff);
	return e;
}

static enum err io(struct blkdrv *d, uint16_t type, uint64_t lba, uint32_t count, uint32_t off,
                   uint8_t *dev_status)
{
	struct ahci_seg seg[AHCI_PRDS];
	unsigned n = 0;
	uint32_t len, end = off + count * SECTOR;

	if (type == BLK_FLUSH)
		return command(ATA_FLUSH_EXT, 0, 0, false, NULL, 0);
	for (uint32_t at = off; at < end; at += len, n++) {
		if (n == AHCI_PRDS)
			return ERR_RANGE;
		seg[n].phys = blkdrv_phys(d, at, end, &len);
		seg[n].len = len;
	}
	bool write = type == BLK_WRITE;
	enum err e =
	        command(write ? ATA_WRITE_DMA_EXT : ATA_READ_DMA_EXT, lba, count, write, seg, n);
	*dev_status = e ? (uint8_t)(hba.last_tfd >> 8) : 0;
	return e;
}

static bool done(struct blkdrv *d)
{
	(void)d;
	return ahci_over(&hba);
}

/* ABAR mapped, the HBA up, the disk identified. */
static enum err bring_up(void)
{
	const struct rt_pci_answer *a = &drv.pci.a;
	uint64_t va = rt_map_area(ABAR_PAGES);
	enum err e = va ? rt_pci_map_bar(&drv.pci, ABAR, va, ABAR_PAGES) : ERR_NOMEM;

	if (e) {
		rt_printf("ahci: %02x:%02x.%u: ABAR (BAR 5): %s\n", a->bus, a->dev, a->fn,
		          err_str(e));
		return e;
	}
	e = ahci_init(&hba, (volatile uint32_t *)(uintptr_t)va);
	if (e) {
		rt_printf("ahci: %02x:%02x.%u: %s\n", a->bus, a->dev, a->fn,
		          e == ERR_NOENT ? "no ATA disk on any port" : err_str(e));
		return e;
	}
	struct ahci_seg id = {hba.frame_phys + AHCI_AT_IDENTIFY, 512};
	e = command(ATA_IDENTIFY, 0, 0, false, &id, 1);
	if (!e)
		e = ahci_parse_identify(&hba, (const uint16_t *)(hba.frame + AHCI_AT_IDENTIFY));
	if (e) {
		rt_printf("ahci: port %u: IDENTIFY DEVICE: %s\n", hba.port, err_str(e));
		return e;
	}
	drv.sector_count = hba.sectors;
	fmt_snprintf(drv.model, sizeof drv.model, "ahci %02x:%02x.%u port %u", a->bus, a->dev,
	             a->fn, hba.port);
	rt_printf("ahci: %02x:%02x.%u port %u: %s, %llu sectors of 512 bytes (%llu MiB), irq %u, "
	          "AHCI %x.%x, "
	          "%u ports, %u slots\n",
	          a->bus, a->dev, a->fn, hba.port, hba.model, (unsigned long long)hba.sectors,
	          (unsigned long long)(hba.sectors >> 11), a->irq,
	          (unsigned)(hba.regs[AHCI_VS / 4] >> 16),
	          (unsigned)(hba.regs[AHCI_VS / 4] & 0xffff), (hba.cap & AHCI_CAP_NP) + 1,
	          AHCI_CAP_NCS(hba.cap) + 1);
	return ERR_OK;
}

/* --dma-outside (the IOMMU test, README.md "Drivers"): READ DMA EXT of
 * sector 0 into a frame of our own budget, which the client never lent
 * and so never had mapped for the device, filled with a pattern first.
 * Said on the log: the command's end, whether the frame changed, and its
 * physical address (the IOMMU service logs its fault with the same). */
static void dma_outside(void)
{
	struct rt_capref slot;
	struct cap_results_identify id;
	uint64_t offset, at = rt_map_area(1);
	unsigned bits, changed = 0;
	enum err e =
	        at ? rt_retype_slot(rt_memory(), CAP_FRAME, 12, &slot, &offset, &bits) : ERR_NOMEM;

	if (!e)
		e = rt_map(slot, at, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_identify(slot.addr, slot.depth, &id);
	if (e) {
		rt_printf("ahci: --dma-outside: no frame of our own: %s\n", err_str(e));
		return;
	}
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)at;
	for (unsigned i = 0; i < 4096; i++)
		p[i] = 0xa5;
	struct ahci_seg seg = {id.base, SECTOR};
	e = command(ATA_READ_DMA_EXT, 0, 1, false, &seg, 1);
	for (unsigned i = 0; i < 4096; i++)
		changed += p[i] != 0xa5;
	rt_printf("ahci: --dma-outside: sector 0 into %#llx (not lent): command %s, frame %s (%u "
	          "of 4096 bytes differ)\n",
	          (unsigned long long)id.base, e ? err_str(e) : "OK",
	          changed ? "CHANGED" : "unchanged", changed);
}

int main(void)
{
	RT_ARGS(ahci_args, &args);
	drv.crash_after = args.crash_after;
	drv.io = io;
	drv.done = done;
	if (blkdrv_open(&drv) || bring_up())
		return 1;
	if (args.dma_outside)
		dma_outside();
	return blkdrv_serve(&drv);
}
