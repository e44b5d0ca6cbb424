/* Capabilities: the objects the other families use (made from the
 * program's own untyped, so it has every kind to misuse), capability
 * addresses at every depth edge with every lookup error, rights removed by
 * mint and then used anyway, and badges and port ranges that may not be
 * changed.  Expected errors come from tessera/caps.h's lists, in order. */
#include "hostile.h"

static enum err retype(uint64_t ut, uint64_t type, uint64_t bits, uint64_t offset, uint64_t slot)
{
	return invoke_retype(ut, D8, type, bits, offset, 1, SLOT_ROOT, D8, slot, NULL);
}

static enum err copy(uint64_t dest, uint64_t src)
{
	return invoke_copy(SLOT_ROOT, D8, dest, D8, src, D8, NULL);
}

static enum err mint(uint64_t dest, uint64_t src, uint64_t rights, uint64_t badge)
{
	return invoke_mint(SLOT_ROOT, D8, dest, D8, src, D8, rights, badge, 0, 0, NULL);
}

static struct cap_results_identify id_of(uint64_t cap, uint64_t depth, enum err *e)
{
	struct cap_results_identify r = {0};
	*e = invoke_identify(cap, depth, &r);
	return r;
}

void hostile_objects(void)
{
	const uint64_t rg = CAP_RIGHT_READ | CAP_RIGHT_GRANT, rw = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
	const unsigned c = HOSTILE_CNODE_BITS;

	EXPECT_OK(retype(HS_UNTYPED, CAP_FRAME, 12, OFF_FRAME, HS_FRAME));
	EXPECT_OK(retype(HS_UNTYPED, CAP_PT, 12, OFF_PT, HS_PT));
	EXPECT_OK(retype(HS_UNTYPED, CAP_FRAME, 12, OFF_DISP_FRAME, HS_DISP2_FRAME));
	EXPECT_OK(retype(HS_UNTYPED, CAP_DISPATCHER, 0, OFF_DISP, HS_DISP2));
	EXPECT_OK(retype(HS_UNTYPED, CAP_CNODE, c, OFF_CNODE, HS_CNODE));
	EXPECT_OK(retype(HS_UNTYPED, CAP_ENDPOINT, 0, OFF_ENDPOINT, HS_ENDPOINT));
	EXPECT_OK(retype(HS_UNTYPED, CAP_UNTYPED, 15, OFF_CHILD, HS_CHILD));
	EXPECT_OK(mint(HS_FRAME_R, HS_FRAME, rg, 0));
	EXPECT_OK(mint(HS_FRAME_RW, HS_FRAME, rg | CAP_RIGHT_WRITE, 0));
	EXPECT_OK(mint(HS_FRAME_NOG, HS_FRAME, rw, 0));
	EXPECT_OK(mint(HS_CNODE_R, HS_CNODE, CAP_RIGHT_READ, 0));
	EXPECT_OK(mint(HS_CNODE_W, HS_CNODE, CAP_RIGHT_WRITE, 0));
	EXPECT_OK(mint(HS_UNTYPED_NR, HS_UNTYPED, CAP_RIGHT_GRANT, 0));
	EXPECT_OK(copy(HS_UNTYPED_2, HS_UNTYPED));
	EXPECT_OK(
	        mint(HS_EP_BADGED, HS_ENDPOINT, CAP_RIGHTS_ALL & cap_type_rights(CAP_ENDPOINT), 5));
	EXPECT_OK(mint(HS_DISP2_R, HS_DISP2, rg, 0));
	EXPECT_OK(mint(HS_LOG_R, SLOT_LOG, rg, 0));
	EXPECT_OK(mint(HS_VSPACE_G, SLOT_VSPACE, CAP_RIGHT_GRANT, 0));
	/* the small CNode: slot 1 a copy of the frame, slot 3 a copy of itself */
	EXPECT_OK(invoke_copy(SLOT_ROOT, D8, hs_in(HS_CNODE, c, 1), D8 + c, HS_FRAME, D8, NULL));
	EXPECT_OK(invoke_copy(SLOT_ROOT, D8, hs_in(HS_CNODE, c, 3), D8 + c, HS_CNODE, D8, NULL));
}

static enum err identify(uint64_t cap, uint64_t depth)
{
	struct cap_invocation_result r;
	return hostile_inv(cap, depth, CAP_INV_IDENTIFY, NULL, 0, &r);
}

/* tessera/caps.h, "Lookup errors, in the order checked", at each edge. */
void hostile_addresses(void)
{
	const unsigned c = HOSTILE_CNODE_BITS;
	const uint64_t cn = HS_CNODE, cw = HS_CNODE_W;
	enum err e;

	/* INVAL: depth 0 or over 64, never truncated */
	EXPECT_ERR(identify(SLOT_ROOT, 0), ERR_INVAL);
	EXPECT_ERR(identify(SLOT_ROOT, 65), ERR_INVAL);
	EXPECT_ERR(identify(SLOT_ROOT, (1ull << 32) + 8), ERR_INVAL);
	EXPECT_ERR(identify(SLOT_ROOT, 256 + 8), ERR_INVAL);
	EXPECT_ERR(identify(SLOT_ROOT, ~0ull), ERR_INVAL);
	/* RANGE: a bit at or above depth */
	EXPECT_ERR(identify(256, 8), ERR_RANGE);
	EXPECT_ERR(identify(1ull << 8 | SLOT_ROOT, 8), ERR_RANGE);
	EXPECT_ERR(identify(2, 1), ERR_RANGE);
	EXPECT_ERR(identify(1ull << 63, 63), ERR_RANGE);
	EXPECT_ERR(identify(~0ull, 63), ERR_RANGE);
	/* RANGE: fewer bits left than a CNode's slot bits */
	EXPECT_ERR(identify(SLOT_ROOT, 7), ERR_RANGE);
	EXPECT_ERR(identify(0, 1), ERR_RANGE);
	EXPECT_ERR(identify(SLOT_IMAGE << 1, 9), ERR_RANGE);
	EXPECT_ERR(identify(cn << 1 | 1, 9), ERR_RANGE);
	EXPECT_ERR(identify(hs_in(cn, c, 3) << 1, D8 + c + 1), ERR_RANGE);
	/* EMPTY: the slot named, or one walked through */
	EXPECT_ERR(identify(0, 8), ERR_EMPTY);
	EXPECT_ERR(identify(200, 8), ERR_EMPTY);
	EXPECT_ERR(identify(0 << 8 | 1, 16), ERR_EMPTY);
	EXPECT_ERR(identify(255ull << 56, 64), ERR_EMPTY);
	EXPECT_ERR(identify(hs_in(cn, c, 0), D8 + c), ERR_EMPTY);
	/* TYPE: walking through a cap that is not a CNode */
	EXPECT_ERR(identify(SLOT_DISPATCHER << 8, 16), ERR_TYPE);
	EXPECT_ERR(identify(HS_FRAME << 4, 12), ERR_TYPE);
	EXPECT_ERR(identify(hs_in(cn, c, 1) << 2, D8 + 2 * c), ERR_TYPE);
	EXPECT_ERR(identify((uint64_t)SLOT_DISPATCHER << 56, 64), ERR_TYPE);
	/* PERM: invoking a cap whose CNode lacks READ (EMPTY first), walking
	 * on through one */
	EXPECT_ERR(identify(hs_in(cw, c, 1), D8 + c), ERR_PERM);
	EXPECT_ERR(identify(hs_in(cw, c, 0), D8 + c), ERR_EMPTY);
	EXPECT_ERR(identify(hs_in(cw, c, 3) << c | 1, D8 + 2 * c), ERR_PERM);
	/* and what must resolve: through a READ-only CNode, a CNode holding
	 * itself, the root's copy of itself seven times (depth 64 exactly) */
	struct cap_results_identify frame = id_of(HS_FRAME, D8, &e), got;
	EXPECT_OK(e);
	got = id_of(hs_in(HS_CNODE_R, c, 1), D8 + c, &e);
	EXPECT_OK(e);
	EXPECT_TRUE(got.type == CAP_FRAME && got.base == frame.base);
	got = id_of(hs_in(cn, c, 3) << c | 1, D8 + 2 * c, &e);
	EXPECT_OK(e);
	EXPECT_TRUE(got.type == CAP_FRAME && got.base == frame.base);
	got = id_of(0x0101010101010100ull | SLOT_DISPATCHER, 64, &e);
	EXPECT_OK(e);
	EXPECT_TRUE(got.type == CAP_DISPATCHER);
	got = id_of(cn, D8, &e);
	EXPECT_OK(e);
	EXPECT_TRUE(got.type == CAP_CNODE && got.size_bits == c + CAP_SLOT_BITS);
	/* the method is checked before the address */
	EXPECT_ERR(hostile_inv(SLOT_ROOT, 0, 99, NULL, 0, NULL), ERR_INVAL);
	EXPECT_ERR(hostile_inv(256, 8, 0, NULL, 0, NULL), ERR_INVAL);
}

static enum err map(uint64_t frame, uint64_t va, uint64_t rights)
{
	return invoke_map_frame(SLOT_VSPACE, D8, frame, D8, va, rights, 0, NULL);
}

static volatile uint64_t at;

static void write_at(uint64_t va)
{
	at = va;
	probe_clear();
	__asm__ volatile("movq at(%%rip), %%rax\n\t" PROBE_ASM("movb $0xc3, (%%rax)")::
	                         : "rax", "r11", "memory");
}

static void jump_to(uint64_t va)
{
	at = va;
	probe_clear();
	__asm__ volatile("movq at(%%rip), %%rax\n\t" PROBE_ASM("jmp *%%rax")::
	                         : "rax", "r11", "memory");
}

/* Frames: each right a mapping needs, taken away by mint. */
static void frame_rights(void)
{
	const uint64_t r = CAP_RIGHT_READ, w = CAP_RIGHT_WRITE, x = CAP_RIGHT_EXEC;
	const uint64_t va = HOSTILE_MAP_VA;

	EXPECT_ERR(map(HS_FRAME_R, va, r | w), ERR_PERM);
	EXPECT_ERR(map(HS_FRAME_R, va, r | x), ERR_PERM);
	EXPECT_OK(map(HS_FRAME_R, va, r));
	write_at(va);
	hostile_page_fault(__LINE__, "write through a read-only copy", va, 7, 7);
	EXPECT_ERR(invoke_protect(HS_FRAME_R, D8, r | w, NULL), ERR_PERM);
	EXPECT_OK(invoke_protect(HS_FRAME_R, D8, r, NULL));
	EXPECT_OK(invoke_unmap(HS_FRAME_R, D8, NULL));
	EXPECT_ERR(invoke_unmap(HS_FRAME_R, D8, NULL), ERR_NOENT);
	EXPECT_ERR(map(HS_FRAME_RW, va, r | w | x), ERR_PERM);
	EXPECT_OK(map(HS_FRAME_RW, va, r | w));
	write_at(va); /* a ret: executing it must still fault (no EXEC) */
	hostile_fault(__LINE__, "write through a writable copy", NO_FAULT);
	jump_to(va);
	hostile_page_fault(__LINE__, "execute a page mapped without EXEC", va, 0x15, 0x15);
	EXPECT_ERR(invoke_protect(HS_FRAME_RW, D8, r | w | x, NULL), ERR_PERM);
	/* mapped once per cap; BUSY before the rights are looked at, also
	 * rights wider than their field */
	EXPECT_ERR(map(HS_FRAME_RW, va + 0x1000, r), ERR_BUSY);
	EXPECT_ERR(map(HS_FRAME_RW, va + 0x1000, 1ull << 32 | r), ERR_BUSY);
	EXPECT_OK(invoke_unmap(HS_FRAME_RW, D8, NULL));
	/* rights a mapping cannot have; a page already taken */
	EXPECT_ERR(map(HS_FRAME, va, 0), ERR_INVAL);
	EXPECT_ERR(map(HS_FRAME, va, w), ERR_INVAL);
	EXPECT_ERR(map(HS_FRAME, va, r | CAP_RIGHT_GRANT), ERR_INVAL);
	EXPECT_ERR(map(HS_FRAME, va, 1ull << 32 | r), ERR_INVAL);
	EXPECT_ERR(invoke_map_frame(SLOT_VSPACE, D8, HS_FRAME, D8, va, r, 3, NULL), ERR_INVAL);
	EXPECT_ERR(invoke_map_frame(SLOT_VSPACE, D8, HS_FRAME, D8, va, r, 0x101, NULL), ERR_INVAL);
	EXPECT_ERR(map(HS_FRAME, DISP_FRAME_VA, r), ERR_EXIST);
	EXPECT_ERR(map(HS_FRAME, TESTPAGE_VA, r), ERR_EXIST);
	/* an unmapped frame: NOENT before the rights' INVAL, even wide ones */
	EXPECT_ERR(invoke_protect(HS_FRAME, D8, 0, NULL), ERR_NOENT);
	EXPECT_ERR(invoke_protect(HS_FRAME, D8, 1ull << 32 | r, NULL), ERR_NOENT);
}

/* Mint may only take rights away; GRANT is what delegation needs. */
static void mint_rights(void)
{
	const uint64_t s = HS_SCRATCH;
	enum err e;

	EXPECT_ERR(copy(s, HS_FRAME_NOG), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_NOG, CAP_RIGHT_READ, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_R, CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_R, 1u << 5, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_R, 1ull << 32, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_R, 1ull << 32 | CAP_RIGHT_READ, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME_R, ~0ull, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_UNTYPED, CAP_RIGHT_READ, 0), ERR_PERM);
	EXPECT_ERR(mint(s, HS_FRAME, CAP_RIGHT_RETYPE, 0), ERR_PERM);
	EXPECT_OK(mint(s, HS_FRAME_R, 0, 0)); /* no rights at all */
	struct cap_results_identify got = id_of(s, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.rights == 0);
	EXPECT_ERR(map(s, HOSTILE_MAP_VA, CAP_RIGHT_READ), ERR_PERM);
	EXPECT_ERR(copy(s + 1, s), ERR_PERM);
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, s, D8, NULL));
}

/* CNodes, untyped, dispatchers, the log and the top table without the
 * rights their methods need. */
static void object_rights(void)
{
	const unsigned c = HOSTILE_CNODE_BITS;
	const uint64_t frame = CAP_FRAME;

	EXPECT_ERR(invoke_copy(HS_CNODE_R, D8, 2, c, 1, c, NULL), ERR_PERM);
	EXPECT_ERR(invoke_mint(HS_CNODE_R, D8, 2, c, 1, c, CAP_RIGHT_READ, 0, 0, 0, NULL),
	           ERR_PERM);
	EXPECT_ERR(invoke_delete(HS_CNODE_R, D8, 1, c, NULL), ERR_PERM);
	EXPECT_ERR(invoke_revoke(HS_CNODE_R, D8, 1, c, NULL), ERR_PERM);
	EXPECT_ERR(invoke_copy(HS_CNODE_W, D8, 2, c, 1, c, NULL), ERR_PERM);
	EXPECT_ERR(invoke_delete(HS_CNODE_W, D8, 2, c, NULL), ERR_EMPTY); /* WRITE suffices */
	EXPECT_ERR(invoke_retype(HS_UNTYPED, D8, frame, 12, 0x10000, 1, HS_CNODE_R, D8, 0, NULL),
	           ERR_PERM);
	EXPECT_ERR(invoke_retype(HS_UNTYPED, D8, frame, 12, 0x10000, 1, hs_in(HS_CNODE_W, c, 3),
	                         D8 + c, 0, NULL),
	           ERR_PERM);
	EXPECT_ERR(retype(HS_UNTYPED_NR, frame, 12, 0x10000, HS_SCRATCH), ERR_PERM);
	EXPECT_ERR(invoke_disp_start(HS_DISP2_R, D8, NULL), ERR_PERM);
	EXPECT_ERR(invoke_disp_stop(HS_DISP2_R, D8, NULL), ERR_PERM);
	EXPECT_ERR(invoke_disp_setup(HS_DISP2_R, D8, SLOT_ROOT, D8, SLOT_VSPACE, D8, HS_DISP2_FRAME,
	                             D8, 0x104000, 3, NULL),
	           ERR_PERM);
	EXPECT_OK(invoke_disp_yield(HS_DISP2_R, D8, NULL)); /* any dispatcher cap */
	EXPECT_ERR(invoke_log_write(HS_LOG_R, D8, 1, 'x', 0, 0, 0, 0, 0, 0, NULL), ERR_PERM);
	EXPECT_ERR(invoke_log_write(HS_LOG_R, D8, 100, 0, 0, 0, 0, 0, 0, 0, NULL), ERR_PERM);
	EXPECT_ERR(invoke_map_frame(HS_VSPACE_G, D8, HS_FRAME, D8, HOSTILE_MAP_VA, CAP_RIGHT_READ,
	                            0, NULL),
	           ERR_PERM);
	EXPECT_ERR(invoke_map_table(HS_VSPACE_G, D8, HS_PT, D8, HOSTILE_PT_VA, NULL), ERR_PERM);
}

void hostile_rights(void)
{
	frame_rights();
	mint_rights();
	object_rights();
}

/* Badges: set once, never changed; a badge or a port range only where
 * the type has one. */
void hostile_badges(void)
{
	const uint64_t s = HS_SCRATCH, ep = cap_type_rights(CAP_ENDPOINT);
	enum err e;

	struct cap_results_identify got = id_of(HS_EP_BADGED, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.badge == 5);
	EXPECT_ERR(mint(s, HS_EP_BADGED, ep, 6), ERR_PERM);
	EXPECT_ERR(mint(s, HS_EP_BADGED, ep, ~0ull), ERR_PERM);
	EXPECT_ERR(mint(s, HS_EP_BADGED, ep | CAP_RIGHT_EXEC, 5), ERR_PERM);
	EXPECT_OK(mint(s, HS_EP_BADGED, ep, 0)); /* keeps 5 */
	got = id_of(s, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.badge == 5);
	EXPECT_ERR(mint(s + 1, s, CAP_RIGHT_READ | CAP_RIGHT_GRANT, 7), ERR_PERM);
	EXPECT_OK(mint(s + 1, s, CAP_RIGHT_READ, 5)); /* the same badge is no change */
	EXPECT_OK(copy(s + 2, HS_EP_BADGED));
	got = id_of(s + 2, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.badge == 5);
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, s, D8, NULL));
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, s, D8, NULL));
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, s + 2, D8, NULL));
	EXPECT_ERR(identify(s + 1, D8), ERR_EMPTY); /* revoked with its source */
	EXPECT_OK(mint(s, HS_ENDPOINT, ep, ~0ull));
	got = id_of(s, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.badge == ~0ull);
	EXPECT_ERR(mint(s + 1, s, ep, 1), ERR_PERM);
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, s, D8, NULL));
	/* no badges or ports on other types */
	EXPECT_ERR(mint(s, HS_FRAME, CAP_RIGHT_READ, 1), ERR_INVAL);
	EXPECT_ERR(mint(s, HS_UNTYPED, CAP_RIGHT_GRANT, 1), ERR_INVAL);
	EXPECT_ERR(
	        invoke_mint(SLOT_ROOT, D8, s, D8, HS_FRAME, D8, CAP_RIGHT_READ, 0, 0x3f8, 8, NULL),
	        ERR_INVAL);
	EXPECT_ERR(invoke_mint(SLOT_ROOT, D8, s, D8, HS_ENDPOINT, D8, ep, 0, 0, 1, NULL),
	           ERR_INVAL);
	EXPECT_ERR(invoke_mint(SLOT_ROOT, D8, s, D8, SLOT_LOG, D8, 0, 0, 0x60, 0, NULL), ERR_INVAL);
	got = id_of(HS_FRAME, D8, &e);
	EXPECT_TRUE(e == ERR_OK && got.badge == 0 && got.count == 0);
}
