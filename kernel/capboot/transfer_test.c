/* Untyped memory from the boot core: what it made covers all usable RAM
 * but the kernels' own structures (against the memory map and a plan
 * computed again from it), each online core's part moved to that core and
 * gone from the boot core, a missing core's part kept and usable there,
 * and the receiving side's refusals. */
#include <tessera/msg.h>

#include "boot.h"
#include "cap/cnode.h"
#include "capboot.h"
#include "chan.h"
#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "msgloop.h"
#include "region.h"
#include "smp.h"
#include "tests/fault_inject.h"

#define MiB (1ull << 20)

extern const char __data_start[], __data_end[];

/* The usable entries of the memory map, as smp_build.c reads them. */
static size_t usable_ranges(struct memplan_range *out)
{
	size_t n = 0;

	for (size_t i = 0; i < boot_memmap_count() && n < MEMPLAN_MAX_INPUT; i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		if (m->type == LIMINE_MEMMAP_USABLE)
			out[n++] = (struct memplan_range){m->base, m->length};
	}
	return n;
}

/* Whether [base, base + size) lies in one of n ranges. */
static bool inside(const struct memplan_range *r, size_t n, uint64_t base, uint64_t size)
{
	for (size_t k = 0; k < n; k++)
		if (base >= r[k].base && base - r[k].base < r[k].size &&
		    size <= r[k].size - (base - r[k].base))
			return true;
	return false;
}

/* Before the hand-out, the boot core's untyped covered all usable RAM but
 * the kernels' own structures.  From the loader's map and what each core
 * reports, not from the memory plan: usable memory above 1 MiB is exactly
 * the channel blocks plus every core's share (each share in usable memory,
 * starting where its handoff says, the shares and the channel area
 * disjoint); the untyped made for each other core lay in usable memory
 * inside that core's share (naturally aligned, none overlapping another);
 * each core checks its own untyped against its kernel's structures
 * (capboot.initial_space_holds_this_cores_region). */
KTEST_BSP(capboot, boot_untyped_is_all_usable_ram_but_the_kernels)
{
	struct memplan_range usable[MEMPLAN_MAX_INPUT];
	size_t n = usable_ranges(usable);
	uint64_t total = 0, shares = 0, chan = chan_area_size(core_count());
	uint64_t chan_base = core_record()->chan_phys;

	KT_ASSERT(capboot_root());
	KT_EXPECT(inside(usable, n, chan_base, chan));
	for (size_t k = 0; k < n; k++)
		if (usable[k].base + usable[k].size > MEMPLAN_LOW_LIMIT)
			total += usable[k].base + usable[k].size -
			         (usable[k].base > MEMPLAN_LOW_LIMIT ? usable[k].base
			                                             : MEMPLAN_LOW_LIMIT);
	for (unsigned c = 0; c < core_count(); c++) {
		const struct smp_core *k = core_info(c);
		const struct capboot_handout *h = capboot_handout(c);
		if (k->state == SMP_CORE_ABSENT)
			continue;
		shares += k->share_bytes;
		KT_EXPECT(inside(usable, n, k->share_base, 4096));
		KT_EXPECT(k->share_base >= chan_base + chan ||
		          k->share_base + k->share_bytes <= chan_base);
		for (unsigned o = 0; o < c; o++)
			if (core_info(o)->state != SMP_CORE_ABSENT)
				KT_EXPECT(k->share_base != core_info(o)->share_base);
		if (c == 0)
			continue;
		KT_EXPECT(h->bytes > 0 && h->bytes <= k->share_bytes);
	}
	/* every usable byte above 1 MiB is someone's (no share ran out of range
	 * slots on a map this small) */
	if (n <= MEMPLAN_MAX_RANGES)
		KT_EXPECT_EQ(total, chan + shares);
	KT_EXPECT(total >= chan + shares);
}

/* A live untyped cap in the boot core's space overlapping [base, +size). */
static bool holds_any(uint64_t base, uint64_t size)
{
	for (uint64_t i = 0; i < 1ull << CAPBOOT_CNODE_BITS; i++) {
		const struct cte *s = capboot_slot(i);
		uint64_t end = s->cap.base + (1ull << s->cap.size_bits);
		if (cap_slot_live(s) && s->cap.type == CAP_UNTYPED && s->cap.base < base + size &&
		    base < end)
			return true;
	}
	return false;
}

/* Core 0 retypes a frame from a kept untyped and uses it through its HHDM. */
static void use_kept(struct ktest *kt, struct cte *ut)
{
	struct cte cn = {0}, scratch = {0};
	struct cap_retype_args a = {.count = 1, .type = CAP_FRAME, .obj_bits = CAP_PAGE_BITS};

	KT_ASSERT(capboot_make_space(6, 12, &cn, &scratch) == ERR_OK);
	KT_EXPECT(arch_mapped((uintptr_t)hhdm_ptr(ut->cap.base), 1));
	if (cap_retype(capboot_env(), ut, &cn, &a) == ERR_OK) {
		volatile uint64_t *p = hhdm_ptr(ut->cap.base);
		*p = 0x6b657074ull;
		KT_EXPECT_EQ(*p, 0x6b657074ull);
	} else {
		ktest_fail(kt, __FILE__, __LINE__, "a frame from a kept untyped");
	}
	cap_revoke(capboot_env(), &cn);
	cap_delete(capboot_env(), &cn);
	cap_delete(capboot_env(), &scratch);
	KT_EXPECT_EQ(cap_untyped_used(ut), 0);
}

/* Transfers sent again and answers that came twice, as the test kernel's
 * fault rules (fault.h) make them for core c: each dropped transfer or
 * answer is sent again once; each duplicated one is answered twice. */
static uint32_t expected_resent(unsigned c)
{
	return fault_rules("drop", MSG_CAP_TRANSFER, 0, c) +
	       fault_rules("drop", MSG_CAP_TRANSFER_ACK, c, 0);
}

static uint32_t expected_duplicates(unsigned c)
{
	return fault_rules("dup", MSG_CAP_TRANSFER, 0, c) +
	       fault_rules("dup", MSG_CAP_TRANSFER_ACK, c, 0);
}

static bool settled(void *c)
{
	return capboot_handout(*(unsigned *)c)->state != CAPBOOT_HANDOUT_LIMBO;
}

/* Core c, online: every cap moved, each exactly once, whatever the rules
 * dropped or duplicated on the way. */
static void check_moved(struct ktest *kt, unsigned c)
{
	const struct capboot_handout *h = capboot_handout(c);

	KT_EXPECT_EQ(h->state, CAPBOOT_HANDOUT_SENT);
	KT_EXPECT(h->slots.count > 0);
	KT_EXPECT_EQ(h->sent, h->slots.count);
	KT_EXPECT_EQ(h->moved, h->slots.count);
	KT_EXPECT_EQ(h->refused, 0);
	KT_EXPECT_EQ(h->moved_bytes, h->bytes);
	KT_EXPECT_EQ(h->resent, expected_resent(c));
	KT_EXPECT_EQ(h->duplicates, expected_duplicates(c));
	for (uint32_t i = 0; i < h->slots.count; i++)
		KT_EXPECT_EQ(h->cap[i], CAPBOOT_CAP_MOVED);
}

/* Core c, not online: kept here, mapped and usable, once it is the boot
 * core's: at once for a core that never ran; for one that ran (late, or a
 * part of it failed) after it retired, which it confirms itself. */
static void check_kept(struct ktest *kt, unsigned c)
{
	const struct capboot_handout *h = capboot_handout(c);

	if (core_info(c)->state == SMP_CORE_RELEASED) {
		KT_EXPECT(msgloop_wait_top(settled, &c, ktime_deadline(10000)) == ERR_OK);
		KT_EXPECT(ktest_run_remote(kt, c, capboot, region_given_up));
	}
	KT_EXPECT_EQ(h->state, CAPBOOT_HANDOUT_KEPT);
	KT_EXPECT_EQ(h->sent, 0);
	if (h->slots.count && h->state == CAPBOOT_HANDOUT_KEPT) {
		KT_EXPECT(h->mapped);
		use_kept(kt, capboot_slot(h->slots.first));
	}
}

/* After boot: every online core's untyped moved (all acknowledged, none
 * left here), every other core's kept here, in this core's HHDM. */
KTEST_BSP(capboot, untyped_moved_to_online_cores_kept_for_missing_ones)
{
	KT_ASSERT(capboot_root());
	for (unsigned c = 1; c < core_count(); c++) {
		const struct smp_core *k = core_info(c);
		const struct capboot_handout *h = capboot_handout(c);
		if (k->state == SMP_CORE_ABSENT) {
			KT_EXPECT_EQ(h->state, CAPBOOT_HANDOUT_NONE);
			continue;
		}
		bool online = core_online() & (1ull << c);
		if (online)
			check_moved(kt, c);
		else
			check_kept(kt, c);
		for (uint32_t i = 0; i < h->slots.count; i++)
			KT_EXPECT_EQ(cap_slot_live(capboot_slot(h->slots.first + i)), !online);
		KT_EXPECT_EQ(holds_any(k->share_base, k->share_bytes), !online);
	}
}

/* On a core that retired (run by the case above): its whole untyped
 * region is given up and no page of it is mapped here any more. */
KTEST_REMOTE(capboot, region_given_up)
{
	unsigned n;
	const struct region_block *b = region_blocks(&n);

	KT_EXPECT(capboot_retired());
	KT_EXPECT(n > 0);
	for (unsigned i = 0; i < n; i++) {
		KT_EXPECT_EQ(b[i].state, REGION_GONE);
		for (uint64_t off = 0; off < 1ull << b[i].bits; off += FRAME_SIZE)
			if (arch_mapped((uintptr_t)hhdm_ptr(b[i].base + off), 1)) {
				ktest_fail(kt, __FILE__, __LINE__, "%#llx unmapped",
				           (unsigned long long)(b[i].base + off));
				return;
			}
	}
}

static enum err decode(unsigned from, const struct msg_cap_transfer *t)
{
	struct capboot_receive r;
	return capboot_decode_receive(from, t, &r);
}

/* A received untyped must be RAM from the boot core, lie inside this
 * core's share, be aligned, and be one of the blocks its pool holds for
 * caps: not its kernel's memory, not one it has already. */
KTEST(capboot, receiving_refuses_what_is_not_this_cores_to_take)
{
	const struct smp_core *me = core_info(core_self());
	const struct capboot_info *bi = capboot_info();
	uint64_t span, size;

	if (core_self() == 0)
		KT_SKIP("the boot core receives no untyped");
	KT_ASSERT(capboot_root() && bi->untyped.count > 0);
	const struct cap *have = &capboot_slot(bi->untyped.first)->cap;
	const struct msg_cap_transfer good = {.base = have->base,
	                                      .rights = cap_type_rights(CAP_UNTYPED),
	                                      .type = CAP_UNTYPED,
	                                      .size_bits = have->size_bits};
	struct msg_cap_transfer t;
	uint32_t count = bi->untyped.count;

	frame_span(&span, &size);
	KT_EXPECT_EQ(decode(core_self(), &good), ERR_PERM); /* not from the boot core */
	t = good, t.type = CAP_FRAME;
	KT_EXPECT_EQ(decode(0, &t), ERR_TYPE);
	t = good, t.flags = CAP_FLAG_DEVICE;
	KT_EXPECT_EQ(decode(0, &t), ERR_TYPE);
	t = good, t.rights = CAP_RIGHTS_ALL;
	KT_EXPECT_EQ(decode(0, &t), ERR_PERM);
	t = good, t.base = have->base + 0x800, t.size_bits = CAP_PAGE_BITS;
	KT_EXPECT_EQ(decode(0, &t), ERR_ALIGN);
	t = good, t.base = span + size, t.size_bits = CAP_PAGE_BITS; /* past the share */
	KT_EXPECT_EQ(decode(0, &t), ERR_RANGE);
	t = good, t.base = core_info(0)->share_base, t.size_bits = CAP_PAGE_BITS; /* core 0's */
	KT_EXPECT_EQ(decode(0, &t), ERR_RANGE);
	t = good, t.base = me->share_base, t.size_bits = CAP_PAGE_BITS; /* its handoff page */
	KT_EXPECT_EQ(decode(0, &t), ERR_OVERLAP);
	KT_EXPECT_EQ(decode(0, &good), ERR_EXIST); /* it has that one: answered installed */
	if (have->size_bits > CAP_PAGE_BITS) {
		t = good, t.size_bits = have->size_bits - 1; /* half of a block */
		KT_EXPECT_EQ(decode(0, &t), ERR_INVAL);
	}
	KT_EXPECT_EQ(bi->untyped.count, count);
	KT_EXPECT(!cap_slot_live(capboot_slot(bi->untyped.first + count)));
}
