/* A block driver's side of the block service; see blkdrv.h. */
#include <rt/chan.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <string/mem.h>

#include "blkdrv.h"

#define SECTOR 512u
#define PAGE   4096u

static uint8_t *ctl_va; /* the lent control frame (blkdrv_ctl_frame) */
static uint64_t ctl_phys;

/* The client's buffer and control frame: each frame copied out of its
 * CNode, mapped, and its physical address asked for (IDENTIFY's base). */
static enum err take_buffer(struct blkdrv *d)
{
	struct rt_capref cn, slot;
	struct cap_results_identify id;
	struct prog_cap info;
	uint64_t at = rt_map_area(BLK_DMA_PAGES);
	enum err e = at ? rt_named_cap(BLK_BUF_NAME, &cn, &info) : ERR_NOMEM;

	for (unsigned i = 0; !e && i < BLK_DMA_PAGES; i++) {
		e = rt_slot_alloc(&slot);
		if (!e)
			e = rt_copy(slot, rt_ref_in(cn, BLK_BUF_BITS, i));
		if (!e)
			e = invoke_identify(slot.addr, slot.depth, &id);
		if (!e && (id.type != CAP_FRAME || id.size_bits != 12))
			e = ERR_TYPE;
		if (!e)
			e = rt_map(slot, at + (uint64_t)i * PAGE, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		if (i < BLK_BUF_PAGES)
			d->buf_phys[i] = id.base;
		else
			ctl_phys = id.base;
	}
	d->buf = (uint8_t *)(uintptr_t)at;
	ctl_va = e ? NULL : d->buf + BLK_BUF_BYTES;
	return e;
}

enum err blkdrv_ctl_frame(uint8_t **va, uint64_t *phys)
{
	if (!ctl_va)
		return ERR_NOENT;
	memset(ctl_va, 0, PAGE);
	*va = ctl_va;
	*phys = ctl_phys;
	return ERR_OK;
}

/* The IRQ cap in the lent CNode bound to our notification: our end
 * deletes the notification, which unbinds the line (kernel/README.md,
 * "Devices"), so a restarted driver binds it again. */
static enum err bind_irq(struct blkdrv *d)
{
	if (d->pci.a.irq == RT_PCI_NO_IRQ)
		return ERR_UNSUPPORTED;
	d->irq = rt_pci_cap(&d->pci, RT_PCI_SLOT_IRQ);
	return invoke_irq_bind(d->irq.addr, d->irq.depth, rt_cap(SLOT_NOTIFY), rt_depth(),
	                       BLKDRV_IRQ_BIT, NULL);
}

enum err blkdrv_open(struct blkdrv *d)
{
	struct rt_capref cn;
	struct prog_cap info;
	enum err e = rt_named_cap(BLKDRV_DEVICE_NAME, &cn, &info);

	if (!e)
		e = rt_pci_lent(cn, &d->pci);
	if (e) {
		rt_printf("%s: no device lent (%s): %s\n", d->name, BLKDRV_DEVICE_NAME, err_str(e));
		return e;
	}
	e = bind_irq(d);
	if (e) {
		rt_printf("%s: %02x:%02x.%u: interrupt line %d: %s\n", d->name, d->pci.a.bus,
		          d->pci.a.dev, d->pci.a.fn,
		          d->pci.a.irq == RT_PCI_NO_IRQ ? -1 : (int)d->pci.a.irq, err_str(e));
		return e;
	}
	e = take_buffer(d);
	if (e)
		rt_printf("%s: the client's buffer (%s): %s\n", d->name, BLK_BUF_NAME, err_str(e));
	d->max_sectors = BLK_BUF_BYTES / SECTOR;
	return e;
}

/* One interrupt: the device's status cleared, the line acked. */
static bool interrupt(struct blkdrv *d)
{
	bool done = d->done(d);

	d->irqs++;
	invoke_irq_ack(d->irq.addr, d->irq.depth, NULL);
	return done;
}

enum err blkdrv_wait(struct blkdrv *d, unsigned ms)
{
	uint64_t start = rt_cycles(), limit = rt_cycles_hz() / 1000 * ms;
	struct cap_results_notify_wait w;

	invoke_notify_timer(rt_cap(SLOT_NOTIFY), rt_depth(), (uint64_t)ms * 1000, BLKDRV_TIMER_BIT,
	                    NULL);
	for (;;) {
		d->sleeps++;
		enum err e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &w);
		if (e)
			return e;
		if (w.bits & ~(BLKDRV_IRQ_BIT | BLKDRV_TIMER_BIT))
			rt_chan_stash(w.bits & ~(BLKDRV_IRQ_BIT | BLKDRV_TIMER_BIT));
		if ((w.bits & BLKDRV_IRQ_BIT) && interrupt(d))
			break;
		/* a timer bit from an earlier wait's timer is stale */
		if ((w.bits & BLKDRV_TIMER_BIT) && rt_cycles() - start >= limit)
			return d->done(d) ? ERR_OK : ERR_TIMEOUT;
	}
	invoke_notify_timer(rt_cap(SLOT_NOTIFY), rt_depth(), 0, 0, NULL);
	return ERR_OK;
}

uint64_t blkdrv_phys(const struct blkdrv *d, uint32_t off, uint32_t end, uint32_t *len)
{
	uint64_t phys = d->buf_phys[off / PAGE] + off % PAGE;
	uint32_t n = PAGE - off % PAGE;

	while (off + n < end && d->buf_phys[(off + n) / PAGE] == phys + n)
		n += PAGE;
	*len = n < end - off ? n : end - off;
	return phys;
}

/* A read or write checked against the disk and the buffer. */
static enum err read_write(struct blkdrv *d, uint16_t type, const struct blk_req *q,
                           uint8_t *dev_status)
{
	uint64_t bytes = (uint64_t)q->count * SECTOR;

	if (q->count == 0 || q->buf_off % SECTOR)
		return ERR_INVAL;
	if (q->buf_off > BLK_BUF_BYTES || bytes > BLK_BUF_BYTES - q->buf_off ||
	    q->count > d->max_sectors || q->lba >= d->sector_count ||
	    q->count > d->sector_count - q->lba)
		return ERR_RANGE;
	if (type == BLK_WRITE && d->read_only)
		return ERR_PERM;
	return d->io(d, type, q->lba, q->count, q->buf_off, dev_status);
}

static void serve(struct blkdrv *d, struct rt_chan *chan, const struct urpc_msg *m)
{
	struct blk_req q = {0};
	struct blk_reply r = {.sector_size = SECTOR,
	                      .sector_count = d->sector_count,
	                      .max_sectors = d->max_sectors};
	enum err e = ERR_INVAL;

	if (++d->served == d->crash_after) {
		rt_printf("%s: request %llu: faulting on purpose (--crash-after)\n", d->name,
		          (unsigned long long)d->served);
		*(volatile uint64_t *)8 = 0;
	}
	memcpy(&q, m->payload, m->len < sizeof q ? m->len : sizeof q);
	r.tag = q.tag;
	memcpy(r.model, d->model, sizeof r.model);
	switch (m->type) {
	case BLK_INFO: e = ERR_OK; break;
	case BLK_READ:
	case BLK_WRITE: e = read_write(d, m->type, &q, &r.dev_status); break;
	case BLK_FLUSH: e = d->io(d, BLK_FLUSH, 0, 0, 0, &r.dev_status); break;
	}
	r.err = (uint16_t)e;
	rt_chan_send(chan, BLK_REPLY, &r, sizeof r);
}

int blkdrv_serve(struct blkdrv *d)
{
	static struct rt_chan chan;
	struct rt_chan *one[1] = {&chan};
	struct urpc_msg m;
	enum err e = rt_chan_given(&chan);

	if (e) {
		rt_printf("%s: no channel to a client: %s\n", d->name, err_str(e));
		return 1;
	}
	for (;;) {
		e = rt_chan_recv(&chan, &m);
		if (e == ERR_OK) {
			serve(d, &chan, &m);
			continue;
		}
		if (e != ERR_EMPTY)
			return 2;
		/* an interrupt while idle (a late or shared one) is acked */
		if (rt_chan_wait(rt_root_ref(SLOT_NOTIFY), one, 1) & BLKDRV_IRQ_BIT)
			interrupt(d);
	}
}
