/* Virtio over PCI and one split virtqueue; see virtio.h. */
#include <rt/mem.h>
#include <string/mem.h>

#include "../blk/blkdrv.h"
#include "virtio.h"

#define RW       (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define PAGE     4096u
#define ST_CAPS  0x0010u /* PCI 3.0 §6.2.3: status, a capability list exists */
#define CFG_CMD  0x04
#define CFG_CAPS 0x34

static void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* A dword of the configuration space the PCI service handed out. */
static uint32_t cfg32(const struct virtio_dev *v, unsigned off)
{
	uint32_t x;

	if (off > RT_PCI_CONFIG_BYTES - 4)
		return 0;
	memcpy(&x, v->pci->a.config + (off & ~3u), 4);
	return x;
}

/* The structure at [off, off + len) of BAR bar, mapped (the BAR's first
 * pages, once). */
static enum err map(struct virtio_dev *v, unsigned bar, uint64_t off, uint64_t len,
                    volatile void **va)
{
	const struct rt_pci_bar *b = &v->pci->a.bars[bar];
	uint64_t pages = (b->size + PAGE - 1) / PAGE;

	if (pages > VIRTIO_BAR_PAGES)
		pages = VIRTIO_BAR_PAGES;
	if (len == 0 || off + len > pages * PAGE)
		return ERR_RANGE;
	if (!v->bar_va[bar]) {
		uint64_t at = rt_map_area(pages);
		enum err e = at ? rt_pci_map_bar(v->pci, bar, at, pages) : ERR_NOMEM;
		if (e)
			return e;
		v->bar_va[bar] = at;
	}
	*va = (volatile void *)(uintptr_t)(v->bar_va[bar] + off);
	return ERR_OK;
}

/* The structure a capability at cap names, mapped. */
static enum err cap_map(struct virtio_dev *v, unsigned cap, uint64_t len, volatile void **va)
{
	unsigned bar = cfg32(v, cap + VIRTIO_CAP_BAR) & 0xff;
	uint32_t have = cfg32(v, cap + VIRTIO_CAP_LENGTH);

	if (bar >= RT_PCI_BARS || v->pci->a.bars[bar].kind != RT_PCI_BAR_MEM)
		return ERR_UNSUPPORTED;
	return map(v, bar, cfg32(v, cap + VIRTIO_CAP_OFFSET), len < have ? len : have, va);
}

/* Walks the capability list (PCI 3.0 §6.7) for the virtio structures. */
static enum err find_structs(struct virtio_dev *v)
{
	unsigned at = cfg32(v, CFG_CAPS) & 0xfc, guard = 0, notify_at = 0;
	enum err e = ERR_OK;
	volatile void *va;

	if (!(cfg32(v, CFG_CMD) >> 16 & ST_CAPS))
		return ERR_UNSUPPORTED;
	for (; at >= 0x40 && !e && guard++ < 48;) {
		uint32_t head = cfg32(v, at);
		unsigned next = head >> 8 & 0xfc, type = head >> 24;
		if ((head & 0xff) != VIRTIO_CAP_VENDOR) {
			at = next;
			continue;
		}
		switch (type) {
		case VIRTIO_PCI_CAP_COMMON:
			e = cap_map(v, at, sizeof(struct virtio_common), &va);
			v->common = va;
			break;
		case VIRTIO_PCI_CAP_ISR:
			e = cap_map(v, at, 1, &va);
			v->isr = va;
			break;
		case VIRTIO_PCI_CAP_DEVICE:
			e = cap_map(v, at, 64, &va);
			v->device = va;
			break;
		case VIRTIO_PCI_CAP_NOTIFY: notify_at = at; break;
		}
		at = next;
	}
	if (!e && (!v->common || !v->device || !v->isr || !notify_at))
		e = ERR_UNSUPPORTED;
	if (!e) {
		v->notify_cap = notify_at;
		v->notify_mult = cfg32(v, notify_at + VIRTIO_CAP_NOTIFY_MULT);
	}
	return e;
}

/* §3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK. */
static enum err negotiate(struct virtio_dev *v, uint64_t wanted)
{
	volatile struct virtio_common *c = v->common;
	uint64_t offered;

	c->device_status = 0;
	for (unsigned i = 0; c->device_status != 0; i++)
		if (i > 1000000)
			return ERR_TIMEOUT;
	c->device_status = VIRTIO_ST_ACKNOWLEDGE;
	c->device_status = VIRTIO_ST_ACKNOWLEDGE | VIRTIO_ST_DRIVER;
	c->device_feature_select = 0;
	offered = c->device_feature;
	c->device_feature_select = 1;
	offered |= (uint64_t)c->device_feature << 32;
	if (!(offered >> VIRTIO_F_VERSION_1 & 1))
		return ERR_UNSUPPORTED;
	/* ACCESS_PLATFORM accepted when offered: our addresses are physical,
	 * which is what an IOMMU set up by the client maps (IOVA = physical) */
	v->features =
	        offered & (wanted | 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_ACCESS_PLATFORM);
	c->driver_feature_select = 0;
	c->driver_feature = (uint32_t)v->features;
	c->driver_feature_select = 1;
	c->driver_feature = (uint32_t)(v->features >> 32);
	c->device_status = VIRTIO_ST_ACKNOWLEDGE | VIRTIO_ST_DRIVER | VIRTIO_ST_FEATURES_OK;
	if (!(c->device_status & VIRTIO_ST_FEATURES_OK)) {
		c->device_status = VIRTIO_ST_FAILED;
		return ERR_IO;
	}
	return ERR_OK;
}

enum err virtio_init(struct virtio_dev *v, const struct rt_pci_device *pci, uint64_t wanted)
{
	/* the PCI service turned memory decoding and bus mastering on */
	*v = (struct virtio_dev){.pci = pci};
	enum err e = find_structs(v);
	return e ? e : negotiate(v, wanted);
}

enum err virtio_queue(struct virtio_dev *v)
{
	volatile struct virtio_common *c = v->common;
	uint64_t phys;
	volatile void *va;
	uint16_t max;
	enum err e = blkdrv_ctl_frame(&v->queue, &phys);

	v->queue_phys = phys;
	if (e)
		return e;
	c->queue_select = 0;
	max = c->queue_size;
	if (max == 0)
		return ERR_UNSUPPORTED;
	for (v->qsize = VIRTQ_MAX; v->qsize > max;) /* a power of two (§2.6) */
		v->qsize >>= 1;
	c->queue_size = v->qsize;
	c->queue_msix_vector = VIRTIO_MSI_NO_VECTOR;
	c->queue_desc[0] = (uint32_t)phys;
	c->queue_desc[1] = (uint32_t)(phys >> 32);
	c->queue_driver[0] = (uint32_t)(phys + VIRTQ_AVAIL_AT);
	c->queue_driver[1] = (uint32_t)((phys + VIRTQ_AVAIL_AT) >> 32);
	c->queue_device[0] = (uint32_t)(phys + VIRTQ_USED_AT);
	c->queue_device[1] = (uint32_t)((phys + VIRTQ_USED_AT) >> 32);
	unsigned bar = cfg32(v, v->notify_cap + VIRTIO_CAP_BAR) & 0xff;
	uint64_t off = cfg32(v, v->notify_cap + VIRTIO_CAP_OFFSET) +
	               (uint64_t)c->queue_notify_off * v->notify_mult;
	e = bar < RT_PCI_BARS ? map(v, bar, off, 2, &va) : ERR_UNSUPPORTED;
	if (e)
		return e;
	v->notify = va;
	c->queue_enable = 1;
	c->device_status = c->device_status | VIRTIO_ST_DRIVER_OK;
	return ERR_OK;
}

uint8_t *virtio_scratch(struct virtio_dev *v, uint64_t *phys)
{
	*phys = v->queue_phys + VIRTQ_SCRATCH_AT;
	return v->queue + VIRTQ_SCRATCH_AT;
}

bool virtio_used(struct virtio_dev *v)
{
	volatile struct virtq_used *used = (void *)(v->queue + VIRTQ_USED_AT);

	(void)*v->isr; /* §4.1.4.5: the read clears it and de-asserts INTx */
	if (used->idx == v->used_seen)
		return false;
	fence();
	v->used_seen++;
	return true;
}

bool virtio_broken(const struct virtio_dev *v)
{
	return v->common->device_status & VIRTIO_ST_NEEDS_RESET;
}

enum err virtio_submit(struct virtio_dev *v, const struct virtio_seg *seg, unsigned n)
{
	volatile struct virtq_desc *desc = (void *)v->queue;
	volatile struct virtq_avail *avail = (void *)(v->queue + VIRTQ_AVAIL_AT);

	if (n == 0 || n > v->qsize)
		return ERR_RANGE;
	for (unsigned i = 0; i < n; i++) {
		desc[i].addr = seg[i].phys;
		desc[i].len = seg[i].len;
		desc[i].flags = (uint16_t)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
		                           (seg[i].device_writes ? VIRTQ_DESC_F_WRITE : 0));
		desc[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
	}
	avail->ring[v->avail_idx % v->qsize] = 0; /* the chain's head */
	fence();
	avail->idx = ++v->avail_idx;
	fence(); /* the index is visible before the device is told */
	*v->notify = 0;
	return ERR_OK;
}
