/* Virtio over PCI and one split virtqueue; see virtio.h. */
#include <rt/mem.h>

#include "virtio.h"

#define RW            (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define POLLS_A_YIELD 64
#define TIMEOUT_S     10

static void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* A structure of the capability at cap: its BAR's address plus offset. */
static enum err cap_struct(struct virtio_dev *v, unsigned cap, uint64_t *phys, uint32_t *len)
{
	unsigned bar = pcidev_read32(v->pci, cap + VIRTIO_CAP_BAR) & 0xff;
	uint64_t base = bar < 6 ? pcidev_bar(v->pci, bar) : 0;

	if (!base)
		return ERR_UNSUPPORTED;
	*phys = base + pcidev_read32(v->pci, cap + VIRTIO_CAP_OFFSET);
	*len = pcidev_read32(v->pci, cap + VIRTIO_CAP_LENGTH);
	return ERR_OK;
}

/* Walks the capability list (PCI 3.0 §6.7) for the virtio structures. */
static enum err find_structs(struct virtio_dev *v, uint64_t *notify_phys, uint32_t *mult)
{
	unsigned at = pcidev_read32(v->pci, PCIDEV_CAPS) & 0xfc, guard = 0;
	enum err e = ERR_OK;

	if (!(pcidev_read32(v->pci, PCIDEV_COMMAND) >> 16 & PCIDEV_ST_CAPS))
		return ERR_UNSUPPORTED;
	*notify_phys = 0;
	for (; at >= 0x40 && !e && guard++ < 48;) {
		uint32_t head = pcidev_read32(v->pci, at);
		unsigned next = head >> 8 & 0xfc, type = head >> 24;
		uint64_t phys;
		uint32_t len;
		volatile void *va;
		if ((head & 0xff) != VIRTIO_CAP_VENDOR || cap_struct(v, at, &phys, &len)) {
			at = next;
			continue;
		}
		switch (type) {
		case VIRTIO_PCI_CAP_COMMON:
			e = pcidev_map(v->pci, phys, sizeof(struct virtio_common), &va);
			v->common = va;
			break;
		case VIRTIO_PCI_CAP_ISR:
			e = pcidev_map(v->pci, phys, 1, &va);
			v->isr = va;
			break;
		case VIRTIO_PCI_CAP_DEVICE:
			e = pcidev_map(v->pci, phys, len < 64 ? len : 64, &va);
			v->device = va;
			break;
		case VIRTIO_PCI_CAP_NOTIFY:
			*notify_phys = phys;
			*mult = pcidev_read32(v->pci, at + VIRTIO_CAP_NOTIFY_MULT);
			break;
		}
		at = next;
	}
	if (!e && (!v->common || !v->device || !*notify_phys))
		e = ERR_UNSUPPORTED;
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
	v->features = offered & (wanted | 1ull << VIRTIO_F_VERSION_1);
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

enum err virtio_init(struct virtio_dev *v, struct pcidev *pci, uint64_t wanted)
{
	*v = (struct virtio_dev){.pci = pci};
	/* memory decoding and bus mastering (the device reads and writes
	 * the queue and the buffers) */
	uint32_t cmd = pcidev_read32(pci, PCIDEV_COMMAND);
	pcidev_write32(pci, PCIDEV_COMMAND, (cmd & 0xffff) | PCIDEV_CMD_MEMORY | PCIDEV_CMD_MASTER);
	enum err e = find_structs(v, &v->notify_phys, &v->notify_mult);
	return e ? e : negotiate(v, wanted);
}

/* A zeroed frame of the budget, mapped, and its physical address. */
static enum err dma_frame(uint8_t **va, uint64_t *phys)
{
	struct rt_capref slot;
	struct cap_results_identify id;
	uint64_t offset, at = rt_map_area(1);
	unsigned bits;
	enum err e =
	        at ? rt_retype_slot(rt_memory(), CAP_FRAME, 12, &slot, &offset, &bits) : ERR_NOMEM;

	if (!e)
		e = rt_map(slot, at, RW);
	if (!e)
		e = invoke_identify(slot.addr, slot.depth, &id);
	if (e)
		return e;
	*va = (uint8_t *)(uintptr_t)at;
	*phys = id.base;
	return ERR_OK;
}

enum err virtio_queue(struct virtio_dev *v)
{
	volatile struct virtio_common *c = v->common;
	uint64_t phys;
	volatile void *va;
	uint16_t max;
	enum err e = dma_frame(&v->queue, &phys);

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
	e = pcidev_map(v->pci, v->notify_phys + (uint64_t)c->queue_notify_off * v->notify_mult, 2,
	               &va);
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

/* Waits until the device has used the entry just made available. */
static enum err wait_used(struct virtio_dev *v)
{
	volatile struct virtq_used *used = (void *)(v->queue + VIRTQ_USED_AT);
	uint64_t start = rt_cycles(), limit = rt_cycles_hz() * TIMEOUT_S;

	for (unsigned n = 1; used->idx == v->used_seen; n++) {
		v->polls++;
		if (n % POLLS_A_YIELD)
			continue;
		if (v->common->device_status & VIRTIO_ST_NEEDS_RESET)
			return ERR_IO;
		if (rt_cycles() - start > limit)
			return ERR_TIMEOUT;
		v->yields++;
		rt_yield();
	}
	fence();
	v->used_seen++;
	return ERR_OK;
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
	return wait_used(v);
}
