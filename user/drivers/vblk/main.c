/* vblk: the virtio-blk driver (user/README.md, "Drivers"), a block
 * service (user/drivers/blk/blkproto.h) for the one client that spawned
 * it.  Its client opened the device through the PCI service and lends it
 * (blkdrv.h); vblk sets it up as a modern virtio device with one queue
 * (virtio.h), then serves the client's channel: each request becomes one
 * chain (header, the buffer's pages, status byte) that the device reads
 * or writes by DMA, and its interrupt (PCI INTx, bound to vblk's
 * notification) says when the chain is used.
 *
 *   vblk: virtio-blk 00:02.0: 131072 sectors of 512 bytes (64 MiB), queue of 128, irq 22
 */
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/chan.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#include <vblk_args.h>

#include "../blk/blkdrv.h"
#include "virtio.h"

/* virtio 1.1 §5.2.3 feature bits and §5.2.4 configuration layout. */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO      5
#define VIRTIO_BLK_F_FLUSH   9
#define BLK_CFG_CAPACITY     0 /* le64: 512-byte sectors */
#define BLK_CFG_SEG_MAX      12

/* §5.2.6: struct virtio_blk_req's header, then the data, then a status
 * byte the device writes. */
struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
_Static_assert(sizeof(struct blk_hdr) == 16, "virtio 1.1 §5.2.6");
#define VIRTIO_BLK_T_IN    0u
#define VIRTIO_BLK_T_OUT   1u
#define VIRTIO_BLK_T_FLUSH 4u
#define SECTOR             512u
#define PAGE               4096u
#define SEGS               (BLK_BUF_PAGES + 2)

static struct virtio_dev vio;
static struct blkdrv drv = {.name = "vblk"};
static uint32_t seg_max = BLK_BUF_PAGES;
static struct vblk_args args;

/* One request: the header, the buffer's bytes [off, off + bytes) as
 * segments (physically adjacent pages merged), the status byte; then the
 * wait for its interrupt. */
static enum err request(uint32_t type, uint64_t lba, uint32_t off, uint32_t bytes,
                        uint8_t *dev_status)
{
	struct virtio_seg seg[SEGS];
	uint64_t phys;
	uint8_t *scratch = virtio_scratch(&vio, &phys);
	struct blk_hdr *h = (struct blk_hdr *)scratch;
	volatile uint8_t *status = scratch + sizeof *h;
	unsigned n = 0;
	uint32_t len;

	*h = (struct blk_hdr){.type = type, .sector = lba};
	*status = 0xff;
	seg[n++] = (struct virtio_seg){phys, sizeof *h, false};
	for (uint32_t at = off; at < off + bytes; at += len) {
		if (n - 1 == seg_max)
			return ERR_RANGE;
		seg[n++] = (struct virtio_seg){blkdrv_phys(&drv, at, off + bytes, &len), 0,
		                               type == VIRTIO_BLK_T_IN};
		seg[n - 1].len = len;
	}
	seg[n++] = (struct virtio_seg){phys + sizeof *h, 1, true};
	enum err e = virtio_submit(&vio, seg, n);
	if (!e)
		e = blkdrv_wait(&drv, BLKDRV_TIMEOUT_MS);
	if (e == ERR_TIMEOUT && virtio_broken(&vio))
		e = ERR_IO;
	if (e)
		rt_printf("vblk: %s of sector %llu: %s\n",
		          type == VIRTIO_BLK_T_IN ? "read" : "write", (unsigned long long)lba,
		          err_str(e));
	*dev_status = *status;
	return e ? e : *status ? ERR_IO : ERR_OK;
}

static enum err io(struct blkdrv *d, uint16_t type, uint64_t lba, uint32_t count, uint32_t off,
                   uint8_t *dev_status)
{
	(void)d;
	if (type == BLK_FLUSH)
		return vio.features >> VIRTIO_BLK_F_FLUSH & 1
		               ? request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, dev_status)
		               : ERR_UNSUPPORTED;
	return request(type == BLK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, lba, off,
	               count * SECTOR, dev_status);
}

static bool done(struct blkdrv *d)
{
	(void)d;
	return virtio_used(&vio);
}

/* The device set up; its size printed. */
static enum err bring_up(void)
{
	const struct rt_pci_answer *a = &drv.pci.a;
	enum err e = virtio_init(&vio, &drv.pci,
	                         1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_RO |
	                                 1ull << VIRTIO_BLK_F_FLUSH);

	if (!e)
		e = virtio_queue(&vio);
	if (e) {
		rt_printf("vblk: virtio-blk %02x:%02x.%u: %s\n", a->bus, a->dev, a->fn, err_str(e));
		return e;
	}
	volatile uint32_t *cfg = (volatile uint32_t *)vio.device;
	drv.sector_count = cfg[BLK_CFG_CAPACITY / 4] | (uint64_t)cfg[BLK_CFG_CAPACITY / 4 + 1]
	                                                       << 32;
	if (vio.features >> VIRTIO_BLK_F_SEG_MAX & 1 && cfg[BLK_CFG_SEG_MAX / 4] &&
	    cfg[BLK_CFG_SEG_MAX / 4] < seg_max)
		seg_max = cfg[BLK_CFG_SEG_MAX / 4];
	drv.read_only = vio.features >> VIRTIO_BLK_F_RO & 1;
	fmt_snprintf(drv.model, sizeof drv.model, "virtio-blk %02x:%02x.%u", a->bus, a->dev, a->fn);
	rt_printf("vblk: virtio-blk %02x:%02x.%u: %llu sectors of 512 bytes (%llu MiB), queue of "
	          "%u, irq %u%s\n",
	          a->bus, a->dev, a->fn, (unsigned long long)drv.sector_count,
	          (unsigned long long)(drv.sector_count >> 11), vio.qsize, a->irq,
	          drv.read_only ? ", read-only" : "");
	return ERR_OK;
}

int main(void)
{
	RT_ARGS(vblk_args, &args);
	drv.crash_after = args.crash_after;
	drv.io = io;
	drv.done = done;
	if (blkdrv_open(&drv) || bring_up())
		return 1;
	return blkdrv_serve(&drv);
}
