/* The block service's client side; see blkclient.h. */
#include <rt/iommu.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <string/mem.h>

#include "blkclient.h"
#include "blkdrv.h"

#define RW   (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define PAGE 4096u

/* A new object of type from the budget into a fresh slot. */
static enum err make(unsigned type, unsigned bits, struct rt_capref *slot)
{
	uint64_t offset;
	unsigned got;

	return rt_retype_slot(rt_memory(), type, bits, slot, &offset, &got);
}

/* The buffer: a CNode of BLK_BUF_PAGES frames and the control frame (the
 * driver's to copy), a copy of each buffer page mapped here. */
static enum err make_buffer(struct blkc *b)
{
	uint64_t at = rt_map_area(BLK_BUF_PAGES), offset;
	unsigned bits;
	enum err e = at ? make(CAP_CNODE, BLK_BUF_BITS, &b->bufcn) : ERR_NOMEM;

	for (unsigned i = 0; !e && i < BLK_DMA_PAGES; i++) {
		struct rt_capref own, frame = rt_ref_in(b->bufcn, BLK_BUF_BITS, i);
		e = rt_retype(rt_memory(), CAP_FRAME, 12, b->bufcn, i, &offset, &bits);
		if (!e && i == BLK_CTL_SLOT)
			break;
		if (!e)
			e = rt_slot_alloc(&own);
		if (!e)
			e = rt_copy(own, frame);
		if (!e)
			e = rt_map(own, at + (uint64_t)i * PAGE, RW);
	}
	b->buf = (uint8_t *)(uintptr_t)at;
	return e;
}

/* Every frame the driver's device may reach (the buffer's and the
 * control frame) mapped for its function by the IOMMU service, when there
 * is one (rt/iommu.h); without one the device reaches all memory. */
static enum err confine(struct blkc *b)
{
	struct rt_capref frames[BLK_DMA_PAGES];
	struct rt_iommu_answer a;

	if (!b->iommu)
		return ERR_OK;
	for (unsigned i = 0; i < BLK_DMA_PAGES; i++)
		frames[i] = rt_ref_in(b->bufcn, BLK_BUF_BITS, i);
	enum err e = rt_iommu_map(b->iommu, b->bdf, frames, BLK_DMA_PAGES, &a);
	if (e == ERR_UNSUPPORTED) {
		rt_printf("blk: no IOMMU: %s's device reaches all memory\n", b->driver);
		return ERR_OK;
	}
	if (!e)
		rt_printf("blk: %s's device reaches only its %u lent frames (IOMMU domain %u)\n",
		          b->driver, a.mapped, a.domain);
	return e;
}

/* Spawns the driver and gives it its side of a channel laid out afresh. */
static enum err spawn_driver(struct blkc *b, bool first)
{
	const struct bootinfo_module *m = rt_module(b->driver);
	struct spawn_cap caps[2] = {{BLKDRV_DEVICE_NAME, b->device}, {BLK_BUF_NAME, b->bufcn}};
	struct rt_mapping map;
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e)
		return e;
	struct spawn_args a = {.name = b->driver,
	                       .image = map.data,
	                       .size = map.size,
	                       .log = true,
	                       .notify = true,
	                       .caps = caps,
	                       .ncaps = 2,
	                       .chan = 2,
	                       .argv = first ? b->argv : NULL,
	                       .argc = first ? b->argc : 0,
	                       .end_notify = b->note,
	                       .end_bits = BLKC_BIT_ENDED};
	e = spawn_start(&a, &b->child);
	rt_module_unmap(&map);
	if (e)
		return e;
	b->running = true;
	struct rt_capref peer = spawn_slot(&b->child, SLOT_NOTIFY);
	e = rt_chan_init(&b->chan, (void *)(uintptr_t)b->frame_va, 0, true, b->note, peer,
	                 RT_CHAN_BIT_PEER);
	if (!e)
		e = rt_mint(spawn_slot(&b->child, SLOT_CHAN_FRAME), b->frame, RW);
	if (!e)
		e = rt_mint(spawn_slot(&b->child, SLOT_CHAN_PEER), b->note, CAP_RIGHT_WRITE);
	if (!e)
		e = invoke_notify_signal(peer.addr, peer.depth, RT_CHAN_BIT_GIVEN, NULL);
	return e;
}

/* The driver ended (or never answers): it goes, and a new one comes. */
static enum err restart(struct blkc *b)
{
	rt_printf("blk: %s ended (code %d); starting it again\n", b->driver, spawn_code(&b->child));
	if (b->running && spawn_kill(&b->child))
		return ERR_IO;
	b->running = false;
	b->restarts++;
	return spawn_driver(b, false);
}

/* Waits for the reply tagged tag.  IO the driver ended meanwhile. */
static enum err wait_reply(struct blkc *b, uint64_t tag, struct blk_reply *r)
{
	struct rt_chan *one[1] = {&b->chan};
	struct urpc_msg m;

	for (;;) {
		enum err e = rt_chan_recv(&b->chan, &m);
		if (e == ERR_OK && m.type == BLK_REPLY && m.len == sizeof *r) {
			memcpy(r, m.payload, sizeof *r);
			if (r->tag == tag)
				return ERR_OK;
			continue;
		}
		if (e != ERR_EMPTY && e != ERR_OK)
			return e;
		if (spawn_ended(&b->child))
			return ERR_IO;
		if (e == ERR_EMPTY)
			rt_chan_wait(b->note, one, 1);
	}
}

enum err blkc_call(struct blkc *b, uint16_t type, uint64_t lba, uint32_t count, uint32_t buf_off,
                   struct blk_reply *r)
{
	struct blk_req q = {.lba = lba, .count = count, .buf_off = buf_off};

	for (unsigned tries = 0;; tries++) {
		q.tag = ++b->tag;
		b->requests++;
		enum err e = rt_chan_send(&b->chan, type, &q, sizeof q);
		if (!e)
			e = wait_reply(b, q.tag, r);
		if (!e)
			return (enum err)r->err;
		if (tries == BLKC_RESTARTS || !spawn_ended(&b->child))
			return e;
		e = restart(b);
		if (e)
			return e;
	}
}

static enum err bc_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct blkc *b = ctx;
	struct blk_reply r;

	while (count) {
		uint32_t n = count < b->max_sectors ? count : b->max_sectors;
		enum err e = blkc_call(b, BLK_READ, lba, n, 0, &r);
		if (e)
			return e;
		memcpy(buf, b->buf, (size_t)n * b->dev.sector_size);
		buf = (uint8_t *)buf + (size_t)n * b->dev.sector_size;
		lba += n;
		count -= n;
	}
	return ERR_OK;
}

static enum err bc_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct blkc *b = ctx;
	struct blk_reply r;

	while (count) {
		uint32_t n = count < b->max_sectors ? count : b->max_sectors;
		memcpy(b->buf, buf, (size_t)n * b->dev.sector_size);
		enum err e = blkc_call(b, BLK_WRITE, lba, n, 0, &r);
		if (e)
			return e;
		buf = (const uint8_t *)buf + (size_t)n * b->dev.sector_size;
		lba += n;
		count -= n;
	}
	return ERR_OK;
}

enum err blkc_start(struct blkc *b, const char *driver, struct rt_capref device,
                    const char *const *argv, unsigned argc)
{
	struct blk_reply r;
	const struct rt_service *iommu = b->iommu;
	uint16_t bdf = b->bdf;

	memset(b, 0, sizeof *b);
	b->iommu = iommu;
	b->bdf = bdf;
	b->driver = driver;
	b->device = device;
	b->argv = argv;
	b->argc = argc;
	b->frame_va = rt_map_area(1);
	enum err e = b->frame_va ? make(CAP_NOTIFY, 0, &b->note) : ERR_NOMEM;
	if (!e)
		e = make(CAP_FRAME, 12, &b->frame);
	if (!e)
		e = rt_map(b->frame, b->frame_va, RW);
	if (!e)
		e = make_buffer(b);
	if (!e)
		e = confine(b);
	if (!e)
		e = spawn_driver(b, true);
	if (!e)
		e = blkc_call(b, BLK_INFO, 0, 0, 0, &r);
	if (e)
		return e;
	if (r.sector_size != 512 && r.sector_size != 4096)
		return ERR_UNSUPPORTED;
	b->max_sectors = r.max_sectors ? r.max_sectors : 1;
	memcpy(b->model, r.model, sizeof b->model);
	b->model[sizeof b->model - 1] = '\0';
	b->dev = (struct blockdev){.ctx = b,
	                           .sector_size = r.sector_size,
	                           .sector_count = r.sector_count,
	                           .read = bc_read,
	                           .write = bc_write};
	return ERR_OK;
}
