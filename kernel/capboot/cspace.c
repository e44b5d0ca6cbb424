/* Building this core's initial capability space; see capboot.h. */
#include "capboot.h"

#include "cap/cnode.h"
#include "devices.h"
#include "frame.h"
#include "log.h"

#define BUDDY_ORDERS 19 /* 4 KiB .. 1 GiB blocks (lib/buddy) */

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

/* Sets one large block aside for the kernel (the largest up to 2^ASIDE_ORDER
 * pages), so the reserve is not all fragments; its order in *order, -1 if
 * none. */
#define ASIDE_ORDER 11 /* 8 MiB */
static uint64_t set_aside(int *order)
{
	uint64_t pa = 0;
	for (*order = ASIDE_ORDER; *order >= 0; (*order)--)
		if (frame_alloc_block((unsigned)*order, &pa) == ERR_OK)
			return pa;
	return 0;
}

/* This core's RAM beyond the reserve as untyped, largest blocks first,
 * from slot *next on. */
static void add_untyped(uint64_t *next, uint64_t end)
{
	uint64_t free = frame_free_count() * FRAME_SIZE;
	uint64_t reserve = free / 4 > CAPBOOT_KERNEL_RESERVE ? free / 4 : CAPBOOT_KERNEL_RESERVE;
	int aside_order;
	uint64_t aside = set_aside(&aside_order);

	info.untyped.first = (uint32_t)*next;
	for (int order = BUDDY_ORDERS - 1; order >= 0; order--) {
		uint64_t size = FRAME_SIZE << order;
		while (*next < end && free >= reserve + size &&
		       pool_object(capboot_slot(*next), CAP_UNTYPED, CAP_PAGE_BITS + order) ==
		               ERR_OK) {
			(*next)++;
			free -= size;
			info.untyped_bytes += size;
		}
	}
	if (aside_order >= 0)
		frame_free_block(aside, (unsigned)aside_order);
	info.untyped.count = (uint32_t)(*next - info.untyped.first);
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
	if (add_devices(&d, CAP_IOPORT, &info.ioports, next, end))
		e = ERR_FULL;
	if (add_devices(&d, CAP_IRQ, &info.irqs, next, end))
		e = ERR_FULL;
	return e;
}

enum err capboot_init(bool devices)
{
	uint64_t next = CAPBOOT_SLOT_FIRST, end = 1ull << CAPBOOT_CNODE_BITS;
	enum err e = ERR_OK;

	info = (struct capboot_info){0};
	root = (struct cte){0};
	if (pool_object(&root, CAP_CNODE, CAPBOOT_CNODE_BITS + CAP_SLOT_BITS)) {
		log_printf("capboot: no memory for the root CNode; no capability space\n");
		return ERR_NOMEM;
	}
	built = true;
	cap_copy(&root, capboot_slot(CAPBOOT_SLOT_CNODE));
	add_untyped(&next, end);
	if (devices)
		e = install_devices(&next, end);
	log_printf("capboot: root CNode of %llu slots: %u untyped (%llu MiB), %u device frames "
	           "(%llu KiB), %u I/O-port ranges, %u IRQs\n",
	           (unsigned long long)end, info.untyped.count,
	           (unsigned long long)(info.untyped_bytes >> 20), info.device_frames.count,
	           (unsigned long long)(info.device_bytes >> 10), info.ioports.count,
	           info.irqs.count);
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
