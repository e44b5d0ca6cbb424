/* The kernel's capabilities at work: each core's initial space, the boot
 * core's device caps, and every operation and refusal of the capability
 * core through the kernel's real cap_env (HHDM, frame pool). */
#include <arch/devices.h>

#include <arch/paging.h>

#include "boot.h"
#include "cap/cnode.h"
#include "capboot.h"
#include "frame.h"
#include "ktest.h"
#include "mm/vm.h"
#include "smp.h"

#define RW  (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define ALL CAP_RIGHTS_ALL

static const struct cap_env *env(void)
{
	return capboot_env();
}

static void need_space(struct ktest *kt)
{
	KT_ASSERT(capboot_root()); /* an online core has its space */
}

extern const char __data_start[], __data_end[];

/* Whether [base, base + size) lies inside one usable entry of the loader's
 * memory map. */
static bool usable(uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		if (m->type == LIMINE_MEMMAP_USABLE && base >= m->base &&
		    base + size <= m->base + m->length)
			return true;
	}
	return false;
}

/* The untyped caps of this core's space, against what the running kernel
 * uses: read from the system itself (handoff, data copy, stack, pool
 * metadata, every page table), never from the memory plan. */
struct under {
	struct ktest *kt;
	const struct capboot_range *r;
	unsigned hits;
};

/* Fails if [pa, pa + size), which the kernel uses, is under an untyped cap. */
static void not_untyped(struct under *u, uint64_t pa, uint64_t size, const char *what)
{
	for (uint32_t i = 0; i < u->r->count; i++) {
		const struct cap *c = &capboot_slot(u->r->first + i)->cap;
		if (pa < c->base + (1ull << c->size_bits) && c->base < pa + size && u->hits++ < 4)
			ktest_fail(u->kt, __FILE__, __LINE__, "the %s at %#llx outside the untyped",
			           what, (unsigned long long)pa);
	}
}

static void table_not_untyped(void *ctx, uint64_t pa, unsigned level)
{
	not_untyped(ctx, pa, 4096, "page table");
}

static void kernel_not_untyped(struct ktest *kt, const struct capboot_range *r)
{
	const struct smp_handoff *h = core_record();
	struct under u = {.kt = kt, .r = r};
	uint64_t pa;
	struct arch_pt pt;

	KT_ASSERT(h != NULL);
	KT_ASSERT(arch_virt_to_phys((uintptr_t)h, &pa));
	not_untyped(&u, pa, 4096, "handoff");
	not_untyped(&u, core_info(core_self())->data_phys, (uint64_t)(__data_end - __data_start),
	            "data copy");
	not_untyped(&u, h->meta_phys, h->meta_size, "pool metadata");
	for (uintptr_t va = ARCH_STACK_TOP - SMP_STACK_SIZE; va < ARCH_STACK_TOP; va += 4096)
		if (arch_virt_to_phys(va, &pa))
			not_untyped(&u, pa, 4096, "stack");
	vm_pt(vm_kernel(), &pt);
	arch_pt_walk(&pt, &(struct arch_pt_visit){.ctx = &u, .table = table_not_untyped});
	KT_EXPECT_EQ(u.hits, 0);
}

/* This core's untyped caps: originals for RAM with the untyped rights,
 * naturally aligned, each in usable memory, in this core's pool and held
 * there (not free), none overlapping another or anything the kernel uses;
 * and they are all of the pool but the kernel's part, which the policy of
 * memplan.h bounds: a quarter of the pool or MEMPLAN_KERNEL_RESERVE,
 * whichever is more, cut up to MEMPLAN_UNTYPED_ALIGN. */
static void check_untyped(struct ktest *kt, const struct capboot_range *r, uint64_t *bytes)
{
	uint64_t span, span_size;

	frame_span(&span, &span_size);
	*bytes = 0;
	for (uint32_t i = 0; i < r->count; i++) {
		const struct cte *s = capboot_slot(r->first + i);
		uint64_t base = s->cap.base, size = 1ull << s->cap.size_bits;
		KT_EXPECT(cap_is_original(s));
		KT_EXPECT_EQ(s->cap.type, CAP_UNTYPED);
		KT_EXPECT_EQ(s->cap.flags & CAP_FLAG_DEVICE, 0);
		KT_EXPECT_EQ(s->cap.rights, CAP_RIGHT_GRANT | CAP_RIGHT_RETYPE);
		KT_EXPECT(s->cap.size_bits >= CAP_PAGE_BITS);
		KT_EXPECT_EQ(base & (size - 1), 0);
		KT_EXPECT(usable(base, size));
		KT_EXPECT(base >= span && base + size <= span + span_size);
		enum err e = frame_alloc_at(base, s->cap.size_bits - CAP_PAGE_BITS);
		if (e == ERR_OK)
			frame_free_block(base, s->cap.size_bits - CAP_PAGE_BITS);
		KT_EXPECT_EQ(e, ERR_BUSY); /* held in the pool, not free */
		for (uint32_t j = 0; j < i; j++) {
			const struct cap *o = &capboot_slot(r->first + j)->cap;
			KT_EXPECT(base >= o->base + (1ull << o->size_bits) ||
			          o->base >= base + size);
		}
		*bytes += size;
	}
}

/* This core's space: the root CNode and its self copy, and untyped for all
 * of this core's pool that its kernel does not keep (made here on the boot
 * core, received on the others). */
KTEST(capboot, initial_space_holds_this_cores_region)
{
	KT_ASSERT(capboot_root());
	const struct capboot_info *bi = capboot_info();
	struct cte *root = capboot_root(), *self = capboot_slot(CAPBOOT_SLOT_CNODE);
	uint64_t bytes, pool = frame_total_count() * FRAME_SIZE;
	uint64_t keep = pool / 4 > MEMPLAN_KERNEL_RESERVE ? pool / 4 : MEMPLAN_KERNEL_RESERVE;

	KT_EXPECT_EQ(root->cap.type, CAP_CNODE);
	KT_EXPECT_EQ(cap_cnode_slots(&root->cap), 1u << CAPBOOT_CNODE_BITS);
	KT_EXPECT(cap_is_original(root));
	KT_EXPECT_EQ(self->cap.type, CAP_CNODE);
	KT_EXPECT_EQ(self->cap.base, root->cap.base);
	KT_EXPECT(!cap_is_original(self));
	KT_EXPECT(!cap_slot_live(capboot_slot(0)));
	KT_EXPECT_EQ(bi->untyped.first, CAPBOOT_SLOT_FIRST);
	KT_EXPECT(bi->untyped.count > 0);
	check_untyped(kt, &bi->untyped, &bytes);
	KT_EXPECT_EQ(bi->untyped_bytes, bytes);
	kernel_not_untyped(kt, &bi->untyped);
	KT_EXPECT(bytes <= pool - keep);
	if (bi->untyped.count < MEMPLAN_MAX_BLOCKS) /* the block limit did not cut it */
		KT_EXPECT(bytes + MEMPLAN_UNTYPED_ALIGN >= pool - keep);
}

/* The device caps of a range, by type and base. */
static const struct cap *find_dev(const struct capboot_range *r, unsigned type, uint64_t base)
{
	for (uint32_t i = 0; i < r->count; i++) {
		const struct cap *c = &capboot_slot(r->first + i)->cap;
		if (c->type == type && c->base == base)
			return c;
	}
	return NULL;
}

KTEST_BSP(capboot, boot_core_devices)
{
	need_space(kt);
	const struct capboot_info *bi = capboot_info();
	struct arch_device dev[40];
	size_t n = arch_devices(dev, 40);

	KT_ASSERT(n <= 40);
	for (size_t i = 0; i < n; i++) {
		const struct cap *c = NULL;
		if (dev[i].kind == ARCH_DEVICE_IOPORT)
			c = find_dev(&bi->ioports, CAP_IOPORT, dev[i].base);
		else if (dev[i].kind == ARCH_DEVICE_IRQ)
			c = find_dev(&bi->irqs, CAP_IRQ, dev[i].base);
		else
			c = find_dev(&bi->device_frames, CAP_DEVICE_FRAME, dev[i].base);
		KT_EXPECT(c != NULL);
		if (c && dev[i].kind == ARCH_DEVICE_IOPORT)
			KT_EXPECT_EQ(c->count, dev[i].size);
	}
	const struct cap *com1 = find_dev(&bi->ioports, CAP_IOPORT, 0x3f8);
	KT_ASSERT(com1 != NULL);
	KT_EXPECT_EQ(com1->count, 8);
	KT_EXPECT_EQ(com1->rights, cap_type_rights(CAP_IOPORT));
	KT_EXPECT_EQ(bi->irqs.count, 23); /* ISA lines 0-15 but the cascade; PCI 16-23 */
	KT_EXPECT(find_dev(&bi->irqs, CAP_IRQ, 2) == NULL);
	KT_EXPECT(find_dev(&bi->irqs, CAP_IRQ, 4) != NULL); /* COM1's */
	/* QEMU's PCs: an I/O APIC at 0xfec00000 (from the MADT), the kernel's
	 * (sched/device.h), so not a cap */
	KT_EXPECT(find_dev(&bi->device_frames, CAP_DEVICE_FRAME, 0xfec00000) == NULL);
	for (uint32_t i = 0; i < bi->device_frames.count; i++) {
		const struct cap *c = &capboot_slot(bi->device_frames.first + i)->cap;
		KT_EXPECT(c->size_bits == CAP_PAGE_BITS || c->size_bits == CAP_LARGE_PAGE_BITS);
		KT_EXPECT_EQ(c->rights, cap_type_rights(CAP_DEVICE_FRAME));
	}
	KT_EXPECT(bi->device_bytes >= 2 * 4096); /* the framebuffer, the local APIC */
}

/* ---- operations and refusals in a space of the test's own ---- */

struct space {
	struct cte cn, ut;
};

static struct cte *at(struct space *sp, uint64_t i)
{
	return cnode_slot(env(), &sp->cn.cap, i);
}

static enum err retype(struct space *sp, struct cte *src, unsigned type, unsigned bits,
                       uint64_t off, uint64_t count, uint64_t dest)
{
	struct cap_retype_args a = {.offset = off,
	                            .count = count,
	                            .dest_index = dest,
	                            .type = (uint8_t)type,
	                            .obj_bits = (uint8_t)bits};
	return cap_retype(env(), src, &sp->cn, &a);
}

static void teardown(struct space *sp)
{
	cap_revoke(env(), &sp->ut);
	cap_delete(env(), &sp->ut);
	cap_revoke(env(), &sp->cn);
	cap_delete(env(), &sp->cn);
}

KTEST(capboot, retype_refusals)
{
	struct space sp = {0};
	struct cap_mint_args noretype = {.rights = CAP_RIGHT_GRANT};

	KT_ASSERT(capboot_make_space(6, 16, &sp.cn, &sp.ut) == ERR_OK); /* 64 slots, 64 KiB */
	KT_EXPECT_EQ(retype(&sp, at(&sp, 9), CAP_FRAME, 12, 0, 1, 1), ERR_EMPTY);
	KT_ASSERT(retype(&sp, &sp.ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	KT_EXPECT_EQ(retype(&sp, at(&sp, 1), CAP_FRAME, 12, 0, 1, 2), ERR_TYPE); /* a frame */
	KT_ASSERT(cap_mint(&sp.ut, at(&sp, 3), &noretype) == ERR_OK);
	KT_EXPECT_EQ(retype(&sp, at(&sp, 3), CAP_FRAME, 12, 0x1000, 1, 2), ERR_PERM);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_IOPORT, 0, 0x1000, 1, 2), ERR_TYPE);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_DEVICE_FRAME, 12, 0x1000, 1, 2), ERR_TYPE);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 13, 0x2000, 1, 2), ERR_INVAL);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 12, 0x1000, 0, 2), ERR_INVAL);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 12, 0x1800, 1, 2), ERR_ALIGN);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 12, 0xf000, 2, 2), ERR_RANGE);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 21, 0, 1, 2), ERR_RANGE);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 12, 0x1000, 1, 64), ERR_RANGE);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_FRAME, 12, 0x1000, 1, 1), ERR_EXIST);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_PT, 0, 0, 1, 2), ERR_OVERLAP);
	KT_EXPECT_EQ(retype(&sp, &sp.ut, CAP_UNTYPED, 13, 0, 1, 2), ERR_OVERLAP);
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 4096);
	/* retypes through a copy see the same objects */
	KT_ASSERT(cap_copy(&sp.ut, at(&sp, 4)) == ERR_OK);
	KT_EXPECT_EQ(retype(&sp, at(&sp, 4), CAP_ENDPOINT, 0, 0x40, 1, 5), ERR_OVERLAP);
	KT_ASSERT(retype(&sp, at(&sp, 4), CAP_ENDPOINT, 0, 0x1040, 3, 5) == ERR_OK);
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 4096 + 3 * 64);
	teardown(&sp);
}

KTEST(capboot, copy_mint_delete_revoke)
{
	struct space sp = {0};
	struct cap_mint_args ro = {.rights = CAP_RIGHT_READ};
	struct cap_mint_args more = {.rights = ALL};
	struct cap_mint_args rw_grant = {.rights = RW | CAP_RIGHT_GRANT};

	KT_ASSERT(capboot_make_space(6, 16, &sp.cn, &sp.ut) == ERR_OK);
	KT_ASSERT(retype(&sp, &sp.ut, CAP_FRAME, 12, 0, 1, 1) == ERR_OK);
	KT_ASSERT(cap_mint(at(&sp, 1), at(&sp, 2), &rw_grant) == ERR_OK);
	KT_EXPECT_EQ(at(&sp, 2)->cap.rights, RW | CAP_RIGHT_GRANT);
	KT_EXPECT_EQ(cap_mint(at(&sp, 2), at(&sp, 3), &more), ERR_PERM);
	KT_ASSERT(cap_mint(at(&sp, 2), at(&sp, 3), &ro) == ERR_OK);
	KT_EXPECT_EQ(cap_copy(at(&sp, 3), at(&sp, 4)), ERR_PERM); /* no GRANT */
	KT_EXPECT_EQ(cap_copy(at(&sp, 2), at(&sp, 3)), ERR_EXIST);
	KT_EXPECT_EQ(cap_copy(at(&sp, 20), at(&sp, 4)), ERR_EMPTY);
	KT_ASSERT(cap_copy(at(&sp, 2), at(&sp, 4)) == ERR_OK);
	/* delete refuses while derived caps remain; revoke removes them */
	KT_EXPECT_EQ(cap_delete(env(), at(&sp, 1)), ERR_BUSY);
	KT_EXPECT_EQ(cap_delete(env(), at(&sp, 2)), ERR_BUSY);
	KT_ASSERT(cap_delete(env(), at(&sp, 4)) == ERR_OK);
	KT_EXPECT_EQ(cap_delete(env(), at(&sp, 4)), ERR_EMPTY); /* double delete */
	KT_ASSERT(cap_revoke(env(), at(&sp, 1)) == ERR_OK);
	KT_EXPECT(!cap_slot_live(at(&sp, 2)) && !cap_slot_live(at(&sp, 3)));
	KT_EXPECT(cap_slot_live(at(&sp, 1)));
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 4096);
	KT_ASSERT(cap_delete(env(), at(&sp, 1)) == ERR_OK); /* the object's last cap */
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 0);
	KT_EXPECT_EQ(cap_revoke(env(), at(&sp, 1)), ERR_EMPTY);
	/* revoking the untyped takes everything retyped from it */
	KT_ASSERT(retype(&sp, &sp.ut, CAP_CNODE, 2, 0, 1, 6) == ERR_OK);
	KT_ASSERT(retype(&sp, &sp.ut, CAP_FRAME, 12, 0x8000, 2, 7) == ERR_OK);
	KT_ASSERT(cap_copy(at(&sp, 7), cnode_slot(env(), &at(&sp, 6)->cap, 1)) == ERR_OK);
	KT_ASSERT(cap_revoke(env(), &sp.ut) == ERR_OK);
	for (uint64_t i = 0; i < 64; i++)
		KT_EXPECT(!cap_slot_live(at(&sp, i)));
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 0);
	teardown(&sp);
}

/* Installs cap c as if the boot core had sent it. */
static enum err receive(const struct cap *c)
{
	struct msg_cap_transfer t = {.base = c->base,
	                             .rights = c->rights,
	                             .flags = (uint16_t)(c->flags & ~CAP_FLAG_KERNEL),
	                             .type = c->type,
	                             .size_bits = c->size_bits};
	struct capboot_receive r;
	enum err e = capboot_decode_receive(0, &t, &r);

	if (e == ERR_OK)
		capboot_invoke_receive(&r);
	return e;
}

/* Destroying a root object returns its memory to this core's pool; a
 * whole initial space does too, its untyped region included, and can be
 * built again: the region is held again, its caps made again on the boot
 * core and received again (through the receiving path) on the others. */
KTEST(capboot, roots_return_memory_to_the_pool)
{
	static struct cap saved[MEMPLAN_MAX_BLOCKS]; /* kernel data: each core's own */
	struct space sp = {0};
	size_t before = frame_free_count();
	bool boot = core_self() == 0;

	KT_ASSERT(capboot_make_space(7, 20, &sp.cn, &sp.ut) == ERR_OK);
	KT_EXPECT_EQ(frame_free_count(), before - 2 - 256);
	teardown(&sp);
	KT_EXPECT_EQ(frame_free_count(), before);

	need_space(kt);
	const struct capboot_info *bi = capboot_info();
	uint64_t untyped = bi->untyped_bytes;
	uint32_t n = bi->untyped.count;
	KT_ASSERT(n <= MEMPLAN_MAX_BLOCKS);
	for (uint32_t i = 0; i < n; i++)
		saved[i] = capboot_slot(bi->untyped.first + i)->cap;
	capboot_fini();
	KT_EXPECT(capboot_root() == NULL);
	KT_EXPECT_EQ(frame_free_count(), before + untyped / FRAME_SIZE + 64);
	KT_ASSERT(capboot_init(boot) == ERR_OK);
	KT_EXPECT_EQ(frame_free_count(), before);
	for (uint32_t i = 0; !boot && i < n; i++)
		KT_EXPECT_EQ(receive(&saved[i]), ERR_OK);
	KT_EXPECT_EQ(capboot_info()->untyped_bytes, untyped);
	KT_ASSERT(capboot_info()->untyped.count == n);
	for (uint32_t i = 0; i < n; i++) {
		const struct cap *c = &capboot_slot(bi->untyped.first + i)->cap;
		KT_EXPECT_EQ(c->base, saved[i].base);
		KT_EXPECT_EQ(c->size_bits, saved[i].size_bits);
	}
	KT_EXPECT_EQ(frame_free_count(), before);
}
