/* A block driver's side of the block service (blkproto.h), shared by vblk
 * (virtio-blk) and ahci.  The driver's supervisor (the file service)
 * opened the PCI function through the PCI service (rt/pci.h) and lends
 * it the CNode it got, offered as BLKDRV_DEVICE_NAME: the driver reads
 * the answer back from it (rt_pci_lent) and binds the IRQ cap in it to
 * its own notification (BLKDRV_IRQ_BIT); the driver's end deletes that
 * notification, which unbinds the line, and a restarted driver binds it
 * again.  It maps the buffer the client lends
 * (BLK_BUF_NAME) and learns each frame's physical address; the device's
 * own structures go in the control frame lent with it (blkdrv_ctl_frame),
 * so the device's DMA stays within the client's lent frames (which the
 * client may have confined it to with the IOMMU, rt/iommu.h).  Then it
 * serves the channel it was given: each request is checked here (count,
 * alignment, range) and handed to the device's io callback, which starts
 * the transfer and sleeps in blkdrv_wait until the device's interrupt
 * says it is done, or a deadline passes.
 */
#ifndef USER_DRIVERS_BLK_BLKDRV_H
#define USER_DRIVERS_BLK_BLKDRV_H

#include <rt/pci.h>
#include <rt/rt.h>
#include <stdbool.h>
#include <stdint.h>

#include "blkproto.h"

#define BLKDRV_DEVICE_NAME "pcidev"
#define BLKDRV_IRQ_BIT     (1ull << 8) /* the device's interrupt line */
#define BLKDRV_TIMER_BIT   (1ull << 9) /* blkdrv_wait's deadline */
#define BLKDRV_TIMEOUT_MS  10000u      /* a request's deadline */

struct blkdrv {
	const char *name;         /* the driver's, for its log lines */
	struct rt_pci_device pci; /* the function lent */
	struct rt_capref irq;     /* its IRQ cap (in the lent CNode), bound */
	uint8_t *buf;             /* the client's buffer, mapped */
	uint64_t buf_phys[BLK_BUF_PAGES];
	uint64_t sector_count; /* set by the driver before blkdrv_serve */
	uint32_t max_sectors;  /* per request; BLK_BUF_BYTES / 512 unless less */
	char model[28];        /* what BLK_REPLY says it drives */
	bool read_only;
	uint64_t crash_after; /* fault on purpose at this request (0: never) */
	/* The device's part: start BLK_READ, BLK_WRITE (count sectors from
	 * lba, the buffer's bytes from buf_off; checked already) or
	 * BLK_FLUSH and wait for it; its status byte into *dev_status. */
	enum err (*io)(struct blkdrv *d, uint16_t type, uint64_t lba, uint32_t count,
	               uint32_t buf_off, uint8_t *dev_status);
	/* After an interrupt: clears the device's interrupt status and says
	 * whether the request in flight is done. */
	bool (*done)(struct blkdrv *d);
	uint64_t served, irqs, sleeps;
};

/* The lent device (its IRQ bound) and the client's buffer mapped.  NOENT
 * nothing lent; UNSUPPORTED the device has no interrupt line; the
 * PCI, copy, bind and map errors.  Said on the log. */
enum err blkdrv_open(struct blkdrv *d);

/* The lent control frame (blkproto.h, BLK_CTL_SLOT), zeroed: where it is
 * mapped and its physical address.  NOENT before blkdrv_open mapped it. */
enum err blkdrv_ctl_frame(uint8_t **va, uint64_t *phys);

/* Sleeps until d->done holds after an interrupt (each interrupt: done,
 * then IRQ_ACK), or ms pass (TIMEOUT, d->done asked once more).  Other
 * bits that wake it are kept for the channel's wait (rt_chan_stash). */
enum err blkdrv_wait(struct blkdrv *d, unsigned ms);

/* The physical address of the buffer's byte off and how many bytes from
 * there are physically contiguous (within [off, end)). */
uint64_t blkdrv_phys(const struct blkdrv *d, uint32_t off, uint32_t end, uint32_t *len);

/* Serves the channel given (rt_chan_given) for as long as it works; the
 * program's exit code when it does not. */
int blkdrv_serve(struct blkdrv *d);

#endif
