/* Building this core's initial capability space; see capboot.h. */
#include "capboot.h"

#include "cap/cnode.h"
#include "devices.h"
#include "frame.h"
#include "log.h"
#include "region.h"
#include "sched/device.h"

static struct cte root;
static struct capboot_info info;
static bool built;

struct cte *capboot_root(void)
{
	return built ? &root : NULL;
}

struct cte *capboot_slot(uint64_t i)
{
	if (!built || i >= 1ull << CAPBOOT_CNODE_BITS)
		return NULL;
	return cnode_slot(capboot_env(), &root.cap, i);
}

const struct capboot_info *capboot_info(void)
{
	return &info;
}

struct capboot_info *capboot_info_mut(void)
{
	return &info;
}

/* A root object of 2^bits bytes from the pool, its cap in slot. */
static enum err pool_object(struct cte *slot, unsigned type, unsigned bits)
{
	uint64_t pa;
	unsigned order = bits - CAP_PAGE_BITS;
	enum err e = frame_alloc_block(order, &pa);
	if (e)
		return e;
	struct cap c = {.type = (uint8_t)type,
	                .size_bits = (uint8_t)bits,
	                .rights = cap_type_rights(type),
	                .base = pa};
	e = cap_create_root(capboot_env(), slot, &c);
	if (e)
		frame_free_block(pa, order);
	return e;
}

enum err capboot_make_space(unsigned slot_bits, unsigned untyped_bits, struct cte *cnode,
                            struct cte *untyped)
{
	if (slot_bits + CAP_SLOT_BITS < CAP_PAGE_BITS || untyped_bits < CAP_PAGE_BITS)
		return ERR_INVAL;
	enum err e = pool_object(cnode, CAP_CNODE, slot_bits + CAP_SLOT_BITS);
	if (e)
		return e;
	e = pool_object(untyped, CAP_UNTYPED, untyped_bits);
	if (e)
		cap_delete(capboot_env(), cnode);
	return e;
}

/* This core's own untyped from slot *next on: the boot core makes a cap
 * for every held block of its region; another core's arrive later
 * (capboot_invoke_receive appends them to the range). */
static void add_untyped(uint64_t *next, uint64_t end, bool boot_core)
{
	unsigned n;
	struct region_block *b = region_blocks(&n);

	info.untyped.first = (uint32_t)*next;
	for (unsigned i = 0; boot_core && i < n && *next < end; i++) {
		if (b[i].state != REGION_HELD)
			continue;
		struct cap c = {.type = CAP_UNTYPED,
		                .size_bits = b[i].bits,
		                .rights = cap_type_rights(CAP_UNTYPED),
		                .base = b[i].base};
		if (cap_create_root(capboot_env(), capboot_slot(*next), &c) != ERR_OK)
			continue;
		b[i].state = REGION_CAP;
		info.untyped_bytes += 1ull << b[i].bits;
		(*next)++;
	}
	info.untyped.count = (uint32_t)(*next - info.untyped.first);
	uint64_t left;
	if (boot_core && region_count(REGION_HELD, &left))
		log_printf("capboot: %llu KiB of this core's untyped region left without caps\n",
		           (unsigned long long)(left >> 10));
}

/* The device caps of one type, from slot *next on. */
static enum err add_devices(const struct capboot_devices *d, unsigned type, struct capboot_range *r,
                            uint64_t *next, uint64_t end)
{
	enum err result = ERR_OK;

	r->first = (uint32_t)*next;
	for (size_t i = 0; i < d->n && i < CAPBOOT_MAX_DEVICE_CAPS; i++) {
		if (d->caps[i].type != type)
			continue;
		enum err e = *next < end ? cap_create_root(capboot_env(), capboot_slot(*next),
		                                           &d->caps[i])
		                         : ERR_FULL;
		if (e) {
			log_printf("capboot: device cap (type %u, base %#llx) left out: %s\n", type,
			           (unsigned long long)d->caps[i].base, err_str(e));
			result = ERR_FULL;
			continue;
		}
		if (type == CAP_DEVICE_FRAME)
			info.device_bytes += 1ull << d->caps[i].size_bits;
		if (type == CAP_UNTYPED)
			info.mmio_bytes += 1ull << d->caps[i].size_bits;
		(*next)++;
	}
	r->count = (uint32_t)(*next - r->first);
	return result;
}

static enum err install_devices(uint64_t *next, uint64_t end)
{
	static struct capboot_devices d; /* large: kernel data, not the stack */
	enum err e = ERR_OK;

	capboot_find_devices(&d);
	if (d.dropped)
		e = ERR_FULL;
	if (add_devices(&d, CAP_DEVICE_FRAME, &info.device_frames, next, end))
		e = ERR_FULL;
	if (add_devices(&d, CAP_UNTYPED, &info.device_untyped, next, end))
		e = ERR_FULL;
	if (add_devices(&d, CAP_IOPORT, &info.ioports, next, end))
		e = ERR_FULL;
	if (add_devices(&d, CAP_IRQ, &info.irqs, next, end))
		e = ERR_FULL;
	return e;
}

enum err capboot_init(bool boot_core)
{
	uint64_t next = CAPBOOT_SLOT_FIRST, end = 1ull << CAPBOOT_CNODE_BITS, held;
	unsigned others = 0;
	enum err e = ERR_OK;

	capboot_register_messages();
	info = (struct capboot_info){0};
	root = (struct cte){0};
	region_rehold(); /* first: the root CNode must not take a block of it */
	if (pool_object(&root, CAP_CNODE, CAPBOOT_CNODE_BITS + CAP_SLOT_BITS)) {
		log_printf("capboot: no memory for the root CNode; no capability space\n");
		return ERR_NOMEM;
	}
	built = true;
	cap_copy(&root, capboot_slot(CAPBOOT_SLOT_CNODE));
	struct cap log = {.type = CAP_LOG, .rights = cap_type_rights(CAP_LOG)};
	cap_create_root(capboot_env(), capboot_slot(SLOT_LOG), &log);
	add_untyped(&next, end, boot_core);
	if (boot_core) {
		others = handout_make(&next, end);
		e = install_devices(&next, end);
		irq_init();
	}
	if (boot_core)
		log_printf("capboot: root CNode of %llu slots: %u untyped (%llu MiB), %u for other "
		           "cores (%llu MiB), %u device frames (%llu KiB), %u device untyped (%llu "
		           "MiB), %u I/O-port ranges, %u IRQs\n",
		           (unsigned long long)end, info.untyped.count,
		           (unsigned long long)(info.untyped_bytes >> 20), others,
		           (unsigned long long)(info.others_bytes >> 20), info.device_frames.count,
		           (unsigned long long)(info.device_bytes >> 10), info.device_untyped.count,
		           (unsigned long long)(info.mmio_bytes >> 20), info.ioports.count,
		           info.irqs.count);
	else
		log_printf("capboot: root CNode of %llu slots; %u untyped blocks (%llu MiB) held "
		           "for core 0's caps\n",
		           (unsigned long long)end, region_count(REGION_HELD, &held),
		           (unsigned long long)(held >> 20));
	return e;
}

void capboot_fini(void)
{
	if (!built)
		return;
	cap_revoke(capboot_env(), &root);
	cap_delete(capboot_env(), &root);
	built = false;
	info = (struct capboot_info){0};
}
