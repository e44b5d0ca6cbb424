/* Page-table capabilities backing the MMU's tables (mm/vspace.c), through
 * the kernel's real cap_env: tables retyped from untyped, linked, frames
 * mapped with their rights checked, and mappings gone when caps go.  Every
 * access is a real one (arch_probe); mapped frames are user pages, so the
 * kernel reads them inside a user-access window, as SMAP requires. */
#include <arch/arch.h>
#include <arch/devices.h>
#include <arch/paging.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "mm.h"
#include "vm.h"
#include "vspace.h"

#define VA     0x40000000ull /* 1 GiB: in the lower half, one PDPT entry in */
#define R      CAP_RIGHT_READ
#define W      CAP_RIGHT_WRITE
#define X      CAP_RIGHT_EXEC
#define MIB    (1ull << 20)
#define SLOTS  8 /* 256 slots */
#define UTBITS 22

/* Slots of the test CNode. */
enum { S_ROOT = 1, S_PDPT, S_PD, S_PT, S_FRAME, S_FRAME2, S_LARGE, S_COPY, S_COPY2 };

struct space {
	struct cte cn, ut; /* kernel-held roots */
};

static const struct cap_env *env(void)
{
	return capboot_env();
}

static struct cte *at(struct space *sp, uint64_t i)
{
	return cnode_slot(env(), &sp->cn.cap, i);
}

static enum err retype(struct space *sp, unsigned type, unsigned bits, uint64_t off, uint64_t slot)
{
	struct cap_retype_args a = {.offset = off,
	                            .count = 1,
	                            .dest_index = slot,
	                            .type = (uint8_t)type,
	                            .obj_bits = (uint8_t)bits};
	return cap_retype(env(), &sp->ut, &sp->cn, &a);
}

/* A CNode and an untyped, and from it a top table, the three tables below
 * it, two 4 KiB frames and one 2 MiB frame. */
static void setup(struct ktest *kt, struct space *sp)
{
	KT_ASSERT(mm_ready()); /* an online core runs it */
	*sp = (struct space){0};
	KT_ASSERT(capboot_make_space(SLOTS, UTBITS, &sp->cn, &sp->ut) == ERR_OK);
	KT_ASSERT(retype(sp, vspace_root_type(), 0, 0x0000, S_ROOT) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_PDPT, 0, 0x1000, S_PDPT) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_PD, 0, 0x2000, S_PD) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_PT, 0, 0x3000, S_PT) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_FRAME, CAP_PAGE_BITS, 0x4000, S_FRAME) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_FRAME, CAP_PAGE_BITS, 0x5000, S_FRAME2) == ERR_OK);
	KT_ASSERT(retype(sp, CAP_FRAME, CAP_LARGE_PAGE_BITS, 2 * MIB, S_LARGE) == ERR_OK);
}

/* Links the PDPT, PD and PT over VA, each at the base of what it covers
 * (512 GiB, 1 GiB, 2 MiB; a 5-level top table needs a PML4 too,
 * which the test does not make: such machines skip). */
static void link_tables(struct ktest *kt, struct space *sp)
{
	if (vspace_root_type() != CAP_PML4)
		KT_SKIP("5-level paging: the test builds 4-level spaces");
	KT_EXPECT_EQ(vspace_map_table(at(sp, S_ROOT), at(sp, S_PDPT), VA), ERR_ALIGN);
	KT_ASSERT(vspace_map_table(at(sp, S_ROOT), at(sp, S_PDPT), 0) == ERR_OK);
	KT_ASSERT(vspace_map_table(at(sp, S_ROOT), at(sp, S_PD), VA) == ERR_OK);
	KT_ASSERT(vspace_map_table(at(sp, S_ROOT), at(sp, S_PT), VA) == ERR_OK);
}

static void load(struct ktest *kt, struct space *sp)
{
	struct vm_space *s;
	KT_ASSERT(vspace_space(at(sp, S_ROOT), &s) == ERR_OK);
	vm_activate(s);
}

/* Everything goes: the untyped's children (unmapping, retiring the space),
 * then the two roots, whose memory returns to the pool. */
static void teardown(struct space *sp)
{
	vm_activate(vm_kernel());
	cap_revoke(env(), &sp->ut);
	cap_delete(env(), &sp->ut);
	cap_revoke(env(), &sp->cn);
	cap_delete(env(), &sp->cn);
}

static bool user_read(uintptr_t va, uint64_t *v)
{
	return !arch_probe(va, ARCH_ACCESS_READ, 0, true, v, NULL);
}

static bool user_write(uintptr_t va, uint64_t v, struct arch_fault *f)
{
	return !arch_probe(va, ARCH_ACCESS_WRITE, v, true, NULL, f);
}

KTEST(vspace, frame_mapped_through_cap_tables)
{
	struct space sp;
	uint64_t v = 0;
	unsigned spaces = vspace_count();

	setup(kt, &sp);
	KT_EXPECT_EQ(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_FRAME), VA, R | W, 0), ERR_NOENT);
	KT_EXPECT_EQ(vspace_map_table(at(&sp, S_ROOT), at(&sp, S_PT), VA), ERR_NOENT);
	link_tables(kt, &sp);
	KT_ASSERT(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_FRAME), VA, R | W, 0) == ERR_OK);
	KT_EXPECT_EQ(vspace_count(), spaces + 1);
	load(kt, &sp);
	KT_EXPECT(user_write(VA + 8, 0x1234, NULL));
	KT_EXPECT(user_read(VA + 8, &v));
	KT_EXPECT_EQ(v, 0x1234);
	KT_EXPECT_EQ(((uint64_t *)hhdm_ptr(at(&sp, S_FRAME)->cap.base))[1], 0x1234);
	KT_ASSERT(vspace_unmap(at(&sp, S_FRAME)) == ERR_OK);
	KT_EXPECT(!user_read(VA + 8, &v));
	KT_EXPECT_EQ(vspace_unmap(at(&sp, S_FRAME)), ERR_NOENT);
	/* a 2 MiB frame goes straight into the PD */
	KT_ASSERT(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_LARGE), VA + 2 * MIB, R, 0) ==
	          ERR_OK);
	KT_EXPECT(user_read(VA + 3 * MIB, &v));
	KT_EXPECT_EQ(v, 0);
	teardown(&sp);
	KT_EXPECT_EQ(vspace_count(), spaces);
	KT_EXPECT(vm_current() == vm_kernel());
}

/* A writable mapping needs WRITE, an executable one EXEC; the top table
 * needs WRITE; and type, alignment, address and occupancy are checked. */
KTEST(vspace, rights_types_and_addresses_checked)
{
	struct space sp;
	struct arch_fault f;
	struct cap_mint_args ro = {.rights = R | CAP_RIGHT_GRANT};

	setup(kt, &sp);
	link_tables(kt, &sp);
	struct cte *root = at(&sp, S_ROOT), *frame = at(&sp, S_FRAME);
	KT_ASSERT(cap_mint(frame, at(&sp, S_COPY), &ro) == ERR_OK);
	struct cte *rocopy = at(&sp, S_COPY);
	KT_EXPECT_EQ(vspace_map_frame(root, rocopy, VA, R | W, 0), ERR_PERM);
	KT_EXPECT_EQ(vspace_map_frame(root, rocopy, VA, R | X, 0), ERR_PERM);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, VA, W, 0), ERR_INVAL);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, VA, R | CAP_RIGHT_GRANT, 0), ERR_INVAL);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, VA, R, 7), ERR_INVAL);
	KT_EXPECT_EQ(vspace_map_frame(root, at(&sp, S_PT), VA, R, 0), ERR_TYPE);
	KT_EXPECT_EQ(vspace_map_frame(at(&sp, S_PD), frame, VA, R, 0), ERR_TYPE);
	KT_EXPECT_EQ(vspace_map_table(root, frame, VA), ERR_TYPE);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, VA + 0x800, R, 0), ERR_ALIGN);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, 0xffff900000000000ull, R, 0), ERR_RANGE);
	KT_EXPECT_EQ(vspace_map_frame(root, at(&sp, 200), VA, R, 0), ERR_TYPE); /* empty slot */
	struct cap_mint_args nowrite = {.rights = CAP_RIGHT_GRANT};
	KT_ASSERT(cap_mint(root, at(&sp, S_COPY2), &nowrite) == ERR_OK);
	KT_EXPECT_EQ(vspace_map_frame(at(&sp, S_COPY2), frame, VA, R, 0), ERR_PERM);
	KT_EXPECT_EQ(vspace_map_table(at(&sp, S_COPY2), at(&sp, S_PT), VA), ERR_PERM);

	KT_ASSERT(vspace_map_frame(root, rocopy, VA, R, 0) == ERR_OK);
	KT_EXPECT_EQ(vspace_map_frame(root, rocopy, VA + 0x1000, R, 0), ERR_BUSY);
	KT_EXPECT_EQ(vspace_map_frame(root, frame, VA, R, 0), ERR_EXIST);
	KT_EXPECT_EQ(vspace_map_table(root, at(&sp, S_PT), VA), ERR_BUSY);
	KT_EXPECT_EQ(vspace_protect(rocopy, R | W), ERR_PERM);
	KT_EXPECT_EQ(vspace_protect(frame, R), ERR_NOENT);
	load(kt, &sp);
	KT_EXPECT(!user_write(VA, 1, &f));
	KT_EXPECT(f.present && f.write);
	/* the full-rights cap maps writable next door; then read-only */
	KT_ASSERT(vspace_map_frame(root, frame, VA + 0x1000, R | W, 0) == ERR_OK);
	KT_EXPECT(user_write(VA + 0x1000, 2, NULL));
	KT_ASSERT(vspace_protect(frame, R) == ERR_OK);
	KT_EXPECT(!user_write(VA + 0x1000, 3, &f));
	KT_ASSERT(vspace_protect(frame, R | W | X) == ERR_OK);
	KT_EXPECT(user_write(VA + 0x1000, 4, NULL));
	teardown(&sp);
}

/* Deleting a mapped copy unmaps it; deleting a linked table cuts off what
 * is below it; revoking the untyped takes the whole space with it, loaded
 * or not, and the memory can be retyped again. */
KTEST(vspace, delete_and_revoke_undo_mappings)
{
	struct space sp;
	uint64_t v;
	unsigned spaces = vspace_count();

	setup(kt, &sp);
	link_tables(kt, &sp);
	KT_ASSERT(cap_copy(at(&sp, S_FRAME), at(&sp, S_COPY)) == ERR_OK);
	KT_ASSERT(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_COPY), VA, R, 0) == ERR_OK);
	KT_ASSERT(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_FRAME2), VA + 0x1000, R, 0) ==
	          ERR_OK);
	load(kt, &sp);
	KT_EXPECT(user_read(VA, &v));
	KT_ASSERT(cap_delete(env(), at(&sp, S_COPY)) == ERR_OK);
	KT_EXPECT(!user_read(VA, &v));
	KT_EXPECT(user_read(VA + 0x1000, &v));
	KT_EXPECT_EQ(cap_delete(env(), at(&sp, S_COPY)), ERR_EMPTY);
	KT_ASSERT(cap_delete(env(), at(&sp, S_PT)) == ERR_OK); /* the PT's last cap */
	KT_EXPECT(!user_read(VA + 0x1000, &v));
	KT_EXPECT_EQ(vspace_unmap(at(&sp, S_FRAME2)), ERR_OK); /* its table is gone: a no-op */
	KT_EXPECT(vm_current() != vm_kernel());
	KT_ASSERT(cap_revoke(env(), &sp.ut) == ERR_OK);
	KT_EXPECT(vm_current() == vm_kernel());
	KT_EXPECT_EQ(vspace_count(), spaces);
	KT_EXPECT(!cap_slot_live(at(&sp, S_ROOT)));
	KT_EXPECT_EQ(cap_untyped_used(&sp.ut), 0);
	KT_EXPECT_EQ(retype(&sp, CAP_FRAME, CAP_PAGE_BITS, 0, S_FRAME), ERR_OK);
	teardown(&sp);
}

/* Core 0: the local APIC's registers, a device frame from the boot space,
 * mapped (uncached) into a cap space and read: the APIC id register holds
 * this core's id. */
KTEST_BSP(vspace, device_frame_reads_the_local_apic)
{
	struct space sp;
	const struct capboot_info *bi = capboot_info();
	struct cte *apic = NULL;
	uint64_t v = 0, apic_base = 0;
	struct arch_device dev[40];
	size_t n = arch_devices(dev, 40);

	for (size_t i = 0; i < n && i < 40; i++)
		if (dev[i].kind == ARCH_DEVICE_MMIO)
			apic_base = dev[i].base;
	for (uint32_t i = 0; capboot_root() && i < bi->device_frames.count; i++) {
		struct cte *c = capboot_slot(bi->device_frames.first + i);
		if (c->cap.base == apic_base)
			apic = c;
	}
	if (!apic || !apic_base)
		KT_SKIP("no local APIC device frame in the boot space");
	setup(kt, &sp);
	link_tables(kt, &sp);
	KT_ASSERT(cap_copy(apic, at(&sp, S_COPY)) == ERR_OK);
	KT_ASSERT(vspace_map_frame(at(&sp, S_ROOT), at(&sp, S_COPY), VA, R, 0) == ERR_OK);
	load(kt, &sp);
	KT_EXPECT(user_read(VA + 0x20, &v)); /* APIC ID register (SDM 3A §10.4.6) */
	KT_EXPECT_EQ((uint32_t)v >> 24, arch_cpu_hwid() & 0xff);
	teardown(&sp);
	KT_EXPECT(cap_slot_live(apic)); /* the boot space's cap is untouched */
}
