/* The capability core's refusals that depend on the kernel: memory this
 * core does not map (another core's share, or no RAM at all) cannot become
 * RAM objects here, and the invocation layer checks the rights of the
 * CNodes holding each slot — through the kernel's real cap_env. */
#include <arch/arch.h>
#include <string/mem.h>

#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot.h"
#include "hhdm.h"
#include "ktest.h"
#include "smp.h"

#define R   CAP_RIGHT_READ
#define W   CAP_RIGHT_WRITE
#define G   CAP_RIGHT_GRANT
#define FAR (1ull << 40) /* no RAM at 1 TiB in the test machines */

struct space {
	struct cte cn, ut; /* kernel-held roots: 64 slots, 64 KiB */
};

static const struct cap_env *env(void)
{
	return capboot_env();
}

static struct cte *at(struct space *sp, uint64_t i)
{
	return cnode_slot(env(), &sp->cn.cap, i);
}

static void teardown(struct space *sp)
{
	cap_revoke(env(), &sp->ut);
	cap_delete(env(), &sp->ut);
	cap_revoke(env(), &sp->cn);
	cap_delete(env(), &sp->cn);
}

static struct cap_invocation_result res;

/* An invocation of the cap at (cap, depth 6) from the test CNode. */
#define INV(m, addr, ...)                                                               \
	cap_invoke(env(), &sp.cn,                                                       \
	           &(struct cap_invocation_args){                                       \
	                   .cap = addr, .depth = 6, .method = m, .arg = {__VA_ARGS__}}, \
	           &res)

/* Memory this core does not map: another online core's share (its front:
 * handoff page, stack), or, alone, an address with no RAM. */
static uint64_t foreign_memory(void)
{
	for (unsigned c = 0; c < core_count(); c++) {
		const struct smp_core *k = core_info(c);
		if (c != core_self() && k && k->state != SMP_CORE_ABSENT)
			return k->share_base;
	}
	return FAR;
}

KTEST(capboot, memory_not_mapped_here_is_never_retyped)
{
	struct space sp = {0};
	const struct cap_env *e = env();
	uint64_t pa = foreign_memory();

	KT_ASSERT(capboot_make_space(6, 16, &sp.cn, &sp.ut) == ERR_OK);
	/* the oracle: this core's page tables */
	KT_ASSERT(!arch_mapped((uintptr_t)hhdm_ptr(pa), 1));
	KT_EXPECT(!e->reachable(e->ctx, pa, 4096));
	KT_EXPECT(e->reachable(e->ctx, sp.ut.cap.base, 1ull << 16));
	KT_EXPECT(!e->reachable(e->ctx, sp.ut.cap.base, 0));
	KT_EXPECT(!e->reachable(e->ctx, ~0ull - 4095, 4096)); /* wraps */
	/* read-only in the HHDM: the kernel text the loader loaded */
	KT_EXPECT(!e->reachable(e->ctx, core_record()->text_phys, 4096));

	struct cap ut = {.type = CAP_UNTYPED,
	                 .size_bits = 12,
	                 .rights = cap_type_rights(CAP_UNTYPED),
	                 .base = pa};
	KT_ASSERT(cap_create_root(e, at(&sp, 10), &ut) == ERR_OK); /* untyped: never touched */
	KT_ASSERT(cap_copy(&sp.cn, at(&sp, 1)) == ERR_OK);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, CAP_FRAME, 12, 0, 1, 1, 6, 20), ERR_UNSUPPORTED);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, CAP_CNODE, 2, 0, 1, 1, 6, 20), ERR_UNSUPPORTED);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, CAP_PT, 0, 0, 1, 1, 6, 20), ERR_UNSUPPORTED);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, CAP_ENDPOINT, 0, 64, 1, 1, 6, 20), ERR_UNSUPPORTED);
	KT_EXPECT(!cap_slot_live(at(&sp, 20)));
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, CAP_UNTYPED, 11, 0, 2, 1, 6, 20), ERR_OK);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 20, CAP_FRAME, 12, 0, 1, 1, 6, 22), ERR_RANGE);
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 20, CAP_DISPATCHER, 0, 0, 1, 1, 6, 22), ERR_UNSUPPORTED);
	/* roots of RAM objects there too */
	struct cap frame = {.type = CAP_FRAME, .size_bits = 12, .rights = R | W, .base = pa};
	KT_EXPECT_EQ(cap_create_root(e, at(&sp, 30), &frame), ERR_UNSUPPORTED);
	KT_EXPECT(!cap_slot_live(at(&sp, 30)));
	/* this core's memory: made and zeroed as ever */
	KT_ASSERT(cap_copy(&sp.ut, at(&sp, 2)) == ERR_OK);
	KT_ASSERT(INV(CAP_INV_RETYPE, 2, CAP_FRAME, 12, 0x1000, 1, 1, 6, 25) == ERR_OK);
	KT_EXPECT_EQ(*(const uint64_t *)hhdm_ptr(at(&sp, 25)->cap.base), 0);
	teardown(&sp);
}

/* Device registers are not RAM to zero: QEMU's PCs have the local APIC at
 * 0xfee00000 (mapped uncached in the HHDM) and an I/O APIC at 0xfec00000
 * (not mapped at all); only the boot core maps device memory. */
KTEST(capboot, device_registers_are_not_reachable)
{
	const struct cap_env *e = env();

	KT_EXPECT(!e->reachable(e->ctx, 0xfee00000, 4096));
	KT_EXPECT(!e->reachable(e->ctx, 0xfec00000, 4096));
}

KTEST(capboot, cnode_rights_checked_by_invocations)
{
	struct space sp = {0};

	KT_ASSERT(capboot_make_space(6, 16, &sp.cn, &sp.ut) == ERR_OK);
	KT_ASSERT(cap_copy(&sp.cn, at(&sp, 1)) == ERR_OK);
	KT_ASSERT(cap_copy(&sp.ut, at(&sp, 3)) == ERR_OK);
	KT_ASSERT(INV(CAP_INV_RETYPE, 3, CAP_FRAME, 12, 0, 1, 1, 6, 2) == ERR_OK);
	KT_ASSERT(INV(CAP_INV_MINT, 1, 4, 6, 1, 6, R | G) == ERR_OK); /* read-only view */
	KT_ASSERT(INV(CAP_INV_MINT, 1, 5, 6, 1, 6, W | G) == ERR_OK); /* write-only view */
	/* storing needs WRITE, reading READ, emptying WRITE */
	KT_EXPECT_EQ(INV(CAP_INV_RETYPE, 3, CAP_FRAME, 12, 0x1000, 1, 4, 6, 8), ERR_PERM);
	KT_EXPECT_EQ(INV(CAP_INV_COPY, 4, 7, 6, 2, 6), ERR_PERM);
	KT_EXPECT_EQ(INV(CAP_INV_COPY, 5, 7, 6, 2, 6), ERR_PERM);
	KT_EXPECT_EQ(INV(CAP_INV_DELETE, 4, 2, 6), ERR_PERM);
	KT_EXPECT_EQ(INV(CAP_INV_REVOKE, 4, 2, 6), ERR_PERM);
	KT_EXPECT(!cap_slot_live(at(&sp, 7)) && !cap_slot_live(at(&sp, 8)));
	KT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 7, 6, 2, 6), ERR_OK);
	KT_EXPECT_EQ(INV(CAP_INV_DELETE, 5, 7, 6), ERR_OK);
	KT_EXPECT(!cap_slot_live(at(&sp, 7)));
	/* a slot reached through the write-only view cannot be read */
	KT_EXPECT_EQ(cap_invoke(env(), &sp.cn,
	                        &(struct cap_invocation_args){
	                                .cap = 5 << 6 | 2, .depth = 12, .method = CAP_INV_IDENTIFY},
	                        &res),
	             ERR_PERM);
	KT_EXPECT_EQ(cap_invoke(env(), &sp.cn,
	                        &(struct cap_invocation_args){
	                                .cap = 4 << 6 | 2, .depth = 12, .method = CAP_INV_IDENTIFY},
	                        &res),
	             ERR_OK);
	KT_EXPECT_EQ(res.value[0], CAP_FRAME);
	KT_EXPECT_EQ(res.value[4], sp.ut.cap.base);
	teardown(&sp);
}
