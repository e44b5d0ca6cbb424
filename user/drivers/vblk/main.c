/* vblk: the virtio-blk driver (user/README.md, "Drivers"), a block
 * service (user/drivers/blk/blkproto.h) for the one client that spawned
 * it.  It finds its device among the device caps it is given (pcidev.h),
 * sets it up as a modern virtio device with one queue (virtio.h), maps
 * the buffer its client lends it (the CNode "blkbuf") and learns the
 * buffer's physical addresses (IDENTIFY), then serves the client's
 * channel: each request becomes one chain (header, the buffer's pages,
 * status byte) that the device reads or writes by DMA.  Polling: PCI INTx
 * on q35 arrives at I/O APIC inputs 16-23, which the kernel does not route
 * yet (kernel/README.md, "Devices").
 *
 *   vblk: virtio-blk 00:02.0: 131072 sectors of 512 bytes (64 MiB), queue of 128
 */
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/chan.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#include <vblk_args.h>

#include "../blk/blkproto.h"
#include "virtio.h"

#define VENDOR_VIRTIO 0x1af4
/* virtio 1.1 §4.1.2: 0x1040 + 2 for a modern block device; 0x1001 the
 * transitional one (QEMU's default), which has the modern interface too */
static const uint16_t blk_ids[] = {0x1042, 0x1001};

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

static struct pcidev pci;
static struct virtio_dev vio;
static struct rt_chan chan;
static uint64_t capacity, buf_phys[BLK_BUF_PAGES];
static uint32_t seg_max = BLK_BUF_PAGES;
static struct vblk_args args;
static uint64_t served;
static bool absent; /* no virtio-blk device: every request is answered NOENT */

/* The client's buffer: each frame copied out of its CNode, mapped, and
 * its physical address asked for. */
static enum err take_buffer(void)
{
	struct rt_capref cn, slot;
	struct cap_results_identify id;
	struct prog_cap info;
	uint64_t at = rt_map_area(BLK_BUF_PAGES);
	enum err e = at ? rt_named_cap(BLK_BUF_NAME, &cn, &info) : ERR_NOMEM;

	for (unsigned i = 0; !e && i < BLK_BUF_PAGES; i++) {
		e = rt_slot_alloc(&slot);
		if (!e)
			e = rt_copy(slot, rt_ref_in(cn, BLK_BUF_BITS, i));
		if (!e)
			e = invoke_identify(slot.addr, slot.depth, &id);
		if (!e && (id.type != CAP_FRAME || id.size_bits != 12))
			e = ERR_TYPE;
		if (!e)
			e = rt_map(slot, at + (uint64_t)i * PAGE, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		buf_phys[i] = id.base;
	}
	return e;
}

/* One request: the header, the buffer's bytes [off, off + bytes) as
 * segments (physically adjacent pages merged), the status byte. */
static enum err request(uint32_t type, uint64_t lba, uint32_t off, uint32_t bytes,
                        uint8_t *dev_status)
{
	struct virtio_seg seg[SEGS];
	uint64_t phys;
	uint8_t *scratch = virtio_scratch(&vio, &phys);
	struct blk_hdr *h = (struct blk_hdr *)scratch;
	volatile uint8_t *status = scratch + sizeof *h;
	unsigned n = 0;

	*h = (struct blk_hdr){.type = type, .sector = lba};
	*status = 0xff;
	seg[n++] = (struct virtio_seg){phys, sizeof *h, false};
	for (uint32_t at = off; at < off + bytes;) {
		uint32_t in = at % PAGE,
		         len = PAGE - in < off + bytes - at ? PAGE - in : off + bytes - at;
		uint64_t p = buf_phys[at / PAGE] + in;
		struct virtio_seg *last = &seg[n - 1];
		if (n > 1 && last->phys + last->len == p)
			last->len += len;
		else if (n - 1 < seg_max)
			seg[n++] = (struct virtio_seg){p, len, type == VIRTIO_BLK_T_IN};
		else
			return ERR_RANGE;
		at += len;
	}
	seg[n++] = (struct virtio_seg){phys + sizeof *h, 1, true};
	enum err e = virtio_submit(&vio, seg, n);
	*dev_status = *status;
	return e ? e : *status ? ERR_IO : ERR_OK;
}

static enum err read_write(uint16_t type, const struct blk_req *q, uint8_t *dev_status)
{
	uint64_t bytes = (uint64_t)q->count * SECTOR;

	if (q->count == 0 || q->buf_off % SECTOR)
		return ERR_INVAL;
	if (q->buf_off > BLK_BUF_BYTES || bytes > BLK_BUF_BYTES - q->buf_off ||
	    q->lba >= capacity || q->count > capacity - q->lba)
		return ERR_RANGE;
	if (type == BLK_WRITE && (vio.features >> VIRTIO_BLK_F_RO & 1))
		return ERR_PERM;
	return request(type == BLK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, q->lba, q->buf_off,
	               (uint32_t)bytes, dev_status);
}

static void serve(const struct urpc_msg *m)
{
	struct blk_req q = {0};
	struct blk_reply r = {.sector_size = SECTOR,
	                      .sector_count = capacity,
	                      .max_sectors = BLK_BUF_BYTES / SECTOR};
	enum err e = ERR_INVAL;

	if (++served == args.crash_after) {
		rt_printf("vblk: request %llu: faulting on purpose (--crash-after)\n",
		          (unsigned long long)served);
		*(volatile uint64_t *)8 = 0;
	}
	memcpy(&q, m->payload, m->len < sizeof q ? m->len : sizeof q);
	r.tag = q.tag;
	fmt_snprintf(r.model, sizeof r.model, "virtio-blk %02x:%02x.%u", pci.bus, pci.dev, pci.fn);
	switch (absent ? 0 : m->type) {
	case 0: e = ERR_NOENT; break;
	case BLK_INFO: e = ERR_OK; break;
	case BLK_READ:
	case BLK_WRITE: e = read_write(m->type, &q, &r.dev_status); break;
	case BLK_FLUSH:
		e = vio.features >> VIRTIO_BLK_F_FLUSH & 1
		            ? request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, &r.dev_status)
		            : ERR_UNSUPPORTED;
		break;
	}
	r.err = (uint16_t)e;
	rt_chan_send(&chan, BLK_REPLY, &r, sizeof r);
}

/* The device found and set up; its size printed. */
static enum err bring_up(void)
{
	struct rt_capref devices;
	struct prog_cap info;
	enum err e = rt_named_cap("devices", &devices, &info);

	if (!e)
		e = pcidev_find(&pci, devices, VENDOR_VIRTIO, blk_ids, 2);
	if (e) {
		rt_printf("vblk: no virtio-blk device (%s)\n", err_str(e));
		return e;
	}
	e = virtio_init(&vio, &pci,
	                1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_RO |
	                        1ull << VIRTIO_BLK_F_FLUSH);
	if (!e)
		e = virtio_queue(&vio);
	if (e) {
		rt_printf("vblk: virtio-blk %02x:%02x.%u: %s\n", pci.bus, pci.dev, pci.fn,
		          err_str(e));
		return e;
	}
	volatile uint32_t *cfg = (volatile uint32_t *)vio.device;
	capacity = cfg[BLK_CFG_CAPACITY / 4] | (uint64_t)cfg[BLK_CFG_CAPACITY / 4 + 1] << 32;
	if (vio.features >> VIRTIO_BLK_F_SEG_MAX & 1 && cfg[BLK_CFG_SEG_MAX / 4] &&
	    cfg[BLK_CFG_SEG_MAX / 4] < seg_max)
		seg_max = cfg[BLK_CFG_SEG_MAX / 4];
	rt_printf("vblk: virtio-blk %02x:%02x.%u: %llu sectors of 512 bytes (%llu MiB), queue of "
	          "%u%s\n",
	          pci.bus, pci.dev, pci.fn, (unsigned long long)capacity,
	          (unsigned long long)(capacity >> 11), vio.qsize,
	          vio.features >> VIRTIO_BLK_F_RO & 1 ? ", read-only" : "");
	return ERR_OK;
}

int main(void)
{
	struct rt_chan *one[1] = {&chan};
	struct urpc_msg m;
	enum err e;

	RT_ARGS(vblk_args, &args);
	e = bring_up();
	/* a machine without the disk: said to the client, which stops asking
	 * (ending instead would only get this driver restarted) */
	absent = e == ERR_NOENT;
	if (absent)
		e = ERR_OK;

	if (!e && (e = take_buffer()) != ERR_OK)
		rt_printf("vblk: the client's buffer (%s): %s\n", BLK_BUF_NAME, err_str(e));
	if (!e && (e = rt_chan_given(&chan)) != ERR_OK)
		rt_printf("vblk: no channel to a client: %s\n", err_str(e));
	if (e)
		return 1;
	for (;;) {
		e = rt_chan_recv(&chan, &m);
		if (e == ERR_EMPTY)
			rt_chan_wait(rt_root_ref(SLOT_NOTIFY), one, 1);
		else if (e == ERR_OK)
			serve(&m);
		else
			return 2;
	}
}
