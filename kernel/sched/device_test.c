/* Device capabilities from ring 3 (device.h; core 0, which holds the
 * machine's device caps and owns the I/O APICs): a program uses exactly
 * the ports of its caps, and an `in` instruction faults and ends only it;
 * an interrupt line arrives as a notification, twice, with an ack between;
 * a second bind is refused; the line is unbound when the program's caps go.
 * Plus the boot caps: the I/O APIC is the kernel's, ECAM (when the MCFG
 * says so) is device untyped, device frames are mapped uncached. */
#include <arch/arch.h>
#include <tessera/bootinfo.h>

#include "acpi.h"
#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "capboot/devices.h"
#include "device.h"
#include "ktest.h"
#include "ktime.h"
#include "msgloop.h"
#include "sched.h"
#include "spawn.h"

#define BITS    6  /* the spawner's CNode: 64 slots */
#define UT_BITS 21 /* 2 MiB of untyped */
#define S_UT    2
#define S_LOG   3
#define S_PROG  4 /* the program's root CNode */
#define S_DEV   8 /* caps for the program from here */
#define RUN_MS  20000

struct bench {
	struct cte cnode, untyped;
	uint64_t offset;
};

static void bench_up(struct ktest *kt, struct bench *b)
{
	const struct cap_env *env = capboot_env();

	KT_ASSERT(capboot_root() != NULL);
	*b = (struct bench){0};
	KT_ASSERT(capboot_make_space(BITS, UT_BITS, &b->cnode, &b->untyped) == ERR_OK);
	KT_ASSERT(cap_copy(&b->cnode, cnode_slot(env, &b->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&b->untyped, cnode_slot(env, &b->cnode.cap, S_UT)) == ERR_OK);
	KT_ASSERT(cap_copy(capboot_slot(SLOT_LOG), cnode_slot(env, &b->cnode.cap, S_LOG)) ==
	          ERR_OK);
}

static void bench_down(struct ktest *kt, struct bench *b)
{
	const struct cap_env *env = capboot_env();

	KT_EXPECT_EQ(cap_revoke(env, &b->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_revoke(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->untyped), ERR_OK);
}

/* The boot cap of a type whose base is base (NULL: none). */
static struct cte *boot_dev(unsigned type, uint64_t base)
{
	const struct capboot_info *bi = capboot_info();
	const struct capboot_range *r[] = {&bi->device_frames, &bi->device_untyped, &bi->ioports,
	                                   &bi->irqs};

	for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
		for (uint32_t i = 0; i < r[k]->count; i++) {
			struct cte *c = capboot_slot(r[k]->first + i);
			if (c->cap.type == type && c->cap.base == base)
				return c;
		}
	return NULL;
}

/* Bench slot s gets a copy of src minted with rights and ports. */
static void give(struct ktest *kt, struct bench *b, uint64_t s, struct cte *src, uint32_t rights,
                 uint64_t first, uint64_t count)
{
	struct cap_mint_args m = {.rights = rights, .port_first = first, .port_count = count};

	KT_ASSERT(src != NULL);
	KT_ASSERT(cap_mint(src, cnode_slot(capboot_env(), &b->cnode.cap, s), &m) == ERR_OK);
}

static struct dcb *start(struct ktest *kt, struct bench *b, const char *module,
                         const struct spawn_grant *g, unsigned n, struct disp_frame **frame)
{
	struct spawn_sandbox p = {.module = module,
	                          .root = &b->cnode,
	                          .root_bits = BITS,
	                          .untyped_slot = S_UT,
	                          .offset = &b->offset,
	                          .cspace_slot = S_PROG,
	                          .log_slot = S_LOG,
	                          .grants = g,
	                          .ngrants = n,
	                          .priority = 3};
	struct cte *disp;
	uint32_t rights;

	enum err e = spawn_sandbox(&p, frame);
	if (e) {
		ktest_fail(kt, __FILE__, __LINE__, "%s spawned (%s)", module, err_str(e));
		ktest_abort(kt);
	}
	uint64_t addr = (uint64_t)S_PROG << SPAWN_SANDBOX_BITS | SLOT_DISPATCHER;
	KT_ASSERT(cap_lookup(capboot_env(), &b->cnode, addr, BITS + SPAWN_SANDBOX_BITS, &disp,
	                     &rights) == ERR_OK);
	return sched_dcb(disp->cap.base);
}

static bool run_until_stopped(struct dcb *d)
{
	uint64_t deadline = ktime_deadline(RUN_MS);

	while (d->state != DCB_STOPPED && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	return d->state == DCB_STOPPED;
}

KTEST_BSP(device, a_program_uses_exactly_its_ports)
{
	struct bench b;
	struct disp_frame *f;
	const uint32_t rw = CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;

	bench_up(kt, &b);
	give(kt, &b, S_DEV, boot_dev(CAP_IOPORT, 0x64), rw, 0, 0);
	give(kt, &b, S_DEV + 1, boot_dev(CAP_IOPORT, 0x40), CAP_RIGHT_READ | CAP_RIGHT_GRANT, 0x40,
	     4);
	const struct spawn_grant g[] = {{S_DEV, 16, 0, 0}, {S_DEV + 1, 17, 0, 0}};
	struct dcb *d = start(kt, &b, "dev_ports", g, 2, &f);
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 128 + 13); /* every check passed, then the #GP */
	KT_EXPECT_EQ(f->faults, 1);
	KT_EXPECT_EQ(f->fault.vector, 13);
	bench_down(kt, &b);
}

KTEST_BSP(device, an_interrupt_arrives_as_a_notification)
{
	enum { NOTE = 12 };
	struct bench b;
	struct disp_frame *f;
	const uint32_t rw = CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;
	const struct cap_env *env = capboot_env();

	bench_up(kt, &b);
	unsigned long before = irq_count(0);
	KT_ASSERT(!irq_bound(0));
	give(kt, &b, S_DEV, boot_dev(CAP_IOPORT, 0x40), rw, 0, 0);
	give(kt, &b, S_DEV + 1, boot_dev(CAP_IRQ, 0), rw, 0, 0);
	struct cap_retype_args r = {.count = 1, .dest_index = NOTE, .type = CAP_NOTIFY};
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	b.offset = 4096;
	const struct spawn_grant g[] = {
	        {S_DEV, 16, 0, 0}, {S_DEV + 1, 17, 0, 0}, {NOTE, 18, 0, 0}, {S_DEV + 1, 19, 0, 0}};
	struct dcb *d = start(kt, &b, "dev_irq", g, 4, &f);
	KT_EXPECT(run_until_stopped(d));
	KT_EXPECT_EQ(f->exit_code, 0);
	KT_EXPECT(irq_count(0) >= before + 2);
	KT_EXPECT(irq_bound(0)); /* until its caps go */
	bench_down(kt, &b);
	KT_EXPECT(!irq_bound(0));
}

/* The PCI lines (<arch/arch.h>): a cap for each of 16-23, read back from
 * the I/O APIC as GSI = line, level-triggered, active low (82093AA §3.2.4:
 * bit 15 trigger mode, bit 13 polarity, bit 16 mask), masked until bound,
 * unmasked by IRQ_BIND and masked again when the binding cap goes; the
 * ISA line 1 (the keyboard's: no MADT override on QEMU) stays edge, high. */
KTEST_BSP(device, pci_lines_are_gsi_16_to_23_level_low)
{
	enum { NOTE = 12 };
	const struct cap_env *env = capboot_env();
	struct arch_irq_line how;
	unsigned vector;
	bool masked;
	struct bench b;

	KT_ASSERT(irq_init());
	KT_ASSERT(arch_irq_read(1, &how, &vector, &masked) == ERR_OK);
	KT_EXPECT(how.gsi == 1 && !how.level && !how.low);
	for (unsigned line = 16; line < 24; line++) {
		KT_EXPECT(boot_dev(CAP_IRQ, line) != NULL);
		KT_ASSERT(arch_irq_read(line, &how, &vector, &masked) == ERR_OK);
		KT_EXPECT_EQ(how.gsi, line);
		KT_EXPECT(how.level && how.low);
		KT_EXPECT_EQ(vector, 0x30 + line);
		KT_EXPECT(masked || irq_bound(line));
	}
	KT_EXPECT(boot_dev(CAP_IRQ, 24) == NULL);
	bench_up(kt, &b);
	unsigned line = 23;
	KT_ASSERT(!irq_bound(line));
	give(kt, &b, S_DEV, boot_dev(CAP_IRQ, line), CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0, 0);
	struct cap_retype_args r = {.count = 1, .dest_index = NOTE, .type = CAP_NOTIFY};
	KT_ASSERT(cap_retype(env, &b.untyped, &b.cnode, &r) == ERR_OK);
	struct cte *irq = cnode_slot(env, &b.cnode.cap, S_DEV);
	const uint64_t args[3] = {NOTE, BITS, 1};
	KT_ASSERT(irq_bind(env, &b.cnode, irq, args) == ERR_OK);
	KT_ASSERT(arch_irq_read(line, &how, &vector, &masked) == ERR_OK);
	KT_EXPECT(!masked && irq_bound(line));
	KT_EXPECT_EQ(cap_delete(env, irq), ERR_OK);
	KT_ASSERT(arch_irq_read(line, &how, &vector, &masked) == ERR_OK);
	KT_EXPECT(masked && !irq_bound(line));
	bench_down(kt, &b);
}

KTEST_BSP(device, boot_caps_for_drivers)
{
	static struct acpi_mcfg mcfg;
	const struct capboot_info *bi = capboot_info();

	KT_ASSERT(capboot_root() != NULL);
	/* QEMU's PCs: the I/O APIC at 0xfec00000 is the kernel's, not a cap */
	KT_EXPECT(boot_dev(CAP_DEVICE_FRAME, 0xfec00000) == NULL);
	KT_EXPECT(boot_dev(CAP_IOPORT, 0xcf8) != NULL);
	KT_EXPECT(boot_dev(CAP_IOPORT, 0x1000) != NULL);
	KT_EXPECT(bi->device_untyped.count > 0);
	for (uint32_t i = 0; i < bi->device_untyped.count; i++) {
		const struct cap *c = &capboot_slot(bi->device_untyped.first + i)->cap;
		KT_EXPECT_EQ(c->type, CAP_UNTYPED);
		KT_EXPECT(c->flags & CAP_FLAG_DEVICE);
		KT_EXPECT(c->base >= 1ull << 20);
	}
	/* q35 has an MCFG (QEMU's ECAM at 0xb0000000, 256 buses); pc has none */
	if (capboot_acpi_mcfg(&mcfg) == ERR_OK) {
		KT_EXPECT_EQ(mcfg.count, 1);
		KT_EXPECT_EQ(mcfg.entries[0].base, 0xb0000000);
		const struct cte *ecam = boot_dev(CAP_UNTYPED, 0xb0000000);
		KT_EXPECT(ecam && ecam->cap.size_bits == 28 && (ecam->cap.flags & CAP_FLAG_ECAM));
	}
}
