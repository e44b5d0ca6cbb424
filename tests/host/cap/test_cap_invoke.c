/* The invocation layer (cap_invoke) and capability addresses (cap_lookup):
 * every refusal in the order caps.h documents, the rights of the CNodes
 * holding each slot, nested addresses and their edge cases, memory this
 * "core" does not map, and the method table as a stub generator sees it.
 * Expected slots are computed from the arena, not by the code under test. */
#include <stdlib.h>
#include <string.h>

#include "../htest.h"
#include "capenv.h"

#include <cap/invoke.h>

#define MiB   (1ull << 20)
#define R     CAP_RIGHT_READ
#define W     CAP_RIGHT_WRITE
#define G     CAP_RIGHT_GRANT
#define INV_N CAP_INV_ARGS

static struct tenv T;
static struct cte kroot; /* 2^8 slots */
static struct cte *ut;   /* root slot 0: a 2 MiB root untyped */
static struct cap_invocation_result res;

/* Slot i of the CNode object at physical base, from the arena. */
static struct cte *slot_at(uint64_t base, uint64_t i)
{
	return (struct cte *)(T.arena + (base - TENV_PHYS)) + i;
}

static struct cte *S(uint64_t i)
{
	return slot_at(kroot.cap.base, i);
}

static void setup(void)
{
	tenv_init(&T, 16 * MiB);
	memset(&kroot, 0, sizeof kroot);
	HT_ASSERT(tenv_root_cnode(&T, &kroot, 8) == ERR_OK);
	ut = S(0);
	HT_ASSERT(tenv_root_untyped(&T, ut, 21) == ERR_OK);
}

static void teardown(void)
{
	HT_EXPECT_EQ(cap_revoke(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(cap_delete(&T.env, &kroot), ERR_OK);
	HT_EXPECT_EQ(buddy_free_bytes(&T.pool), 16 * MiB);
	tenv_fini(&T);
}

static enum err invoke(uint64_t method, uint64_t cap, uint64_t depth, const uint64_t *arg)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	memcpy(a.arg, arg, sizeof a.arg);
	enum err e = cap_invoke(&T.env, &kroot, &a, &res);
	HT_EXPECT_EQ(res.err, e);
	return e;
}

/* An invocation of the cap at (cap, depth) with arguments in order. */
#define INV(m, cap, depth, ...) invoke(m, cap, depth, (const uint64_t[INV_N]){__VA_ARGS__})

static enum err retype_at(uint64_t type, uint64_t bits, uint64_t off, uint64_t n, uint64_t cn,
                          uint64_t cn_depth, uint64_t index)
{
	return INV(CAP_INV_RETYPE, 0, 8, type, bits, off, n, cn, cn_depth, index);
}

/* Copy/mint/delete within the root CNode's view: addresses from kroot. */
static enum err mint_at(uint64_t dest, uint64_t dd, uint64_t src, uint64_t sd, uint64_t rights)
{
	return INV(CAP_INV_MINT, 1, 8, dest, dd, src, sd, rights);
}

HTEST(lookup_resolves_nested_addresses)
{
	setup();
	struct cte *s;
	uint32_t rights;

	HT_ASSERT(cap_copy(&kroot, S(1)) == ERR_OK);
	HT_ASSERT(retype_at(CAP_CNODE, 4, 0, 1, 1, 8, 5) == ERR_OK);
	HT_ASSERT(retype_at(CAP_CNODE, 2, 0x1000, 1, 0x59, 12, 0) == ERR_TYPE); /* empty */
	HT_ASSERT(retype_at(CAP_CNODE, 2, 0x1000, 1, 5, 8, 9) == ERR_OK);
	uint64_t mid = S(5)->cap.base, inner = slot_at(mid, 9)->cap.base;
	HT_EXPECT_EQ(mid, ut->cap.base);
	HT_EXPECT_EQ(inner, ut->cap.base + 0x1000);

	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 5, 8, &s, &rights), ERR_OK);
	HT_EXPECT(s == S(5) && rights == cap_type_rights(CAP_CNODE)); /* the CNode cap itself */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x59, 12, &s, &rights), ERR_OK);
	HT_EXPECT(s == slot_at(mid, 9));
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x59 << 2 | 3, 14, &s, &rights), ERR_OK);
	HT_EXPECT(s == slot_at(inner, 3));
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x5a, 12, &s, &rights), ERR_OK); /* empty slot */
	HT_EXPECT(s == slot_at(mid, 10));
	/* From a CNode other than the root: its own bits first. */
	HT_EXPECT_EQ(cap_lookup(&T.env, S(5), 9 << 2 | 1, 6, &s, &rights), ERR_OK);
	HT_EXPECT(s == slot_at(inner, 1));

	/* Every error, in order. */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 5, 0, &s, &rights), ERR_INVAL);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 5, 65, &s, &rights), ERR_INVAL);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x100, 0, &s, &rights), ERR_INVAL); /* first */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x100, 8, &s, &rights), ERR_RANGE); /* too wide */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 5, 4, &s, &rights), ERR_RANGE);     /* too small */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x16, 10, &s, &rights), ERR_RANGE); /* 2 < 4 */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x69, 12, &s, &rights), ERR_EMPTY); /* slot 6 */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x09, 12, &s, &rights), ERR_TYPE);  /* untyped */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x59 << 1, 13, &s, &rights), ERR_RANGE); /* 1 < 2 */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x59 << 10, 22, &s, &rights), ERR_EMPTY);
	/* depth 64: the whole address is used, bit 63 included */
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 1ull << 63, 64, &s, &rights), ERR_EMPTY);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0, 64, &s, &rights), ERR_TYPE);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, ~0ull, 64, &s, &rights), ERR_EMPTY);
	/* the starting cap: empty, or no CNode */
	struct cte none = {0};
	HT_EXPECT_EQ(cap_lookup(&T.env, &none, 0, 8, &s, &rights), ERR_EMPTY);
	HT_EXPECT_EQ(cap_lookup(&T.env, ut, 0, 8, &s, &rights), ERR_TYPE);

	/* Walking on through a CNode needs READ on it; holding does not. */
	HT_ASSERT(mint_at(6, 8, 5, 8, W | G) == ERR_OK);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x69, 12, &s, &rights), ERR_OK);
	HT_EXPECT(s == slot_at(mid, 9) && rights == (W | G));
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x69 << 2 | 3, 14, &s, &rights), ERR_PERM);
	HT_EXPECT_EQ(cap_lookup(&T.env, &kroot, 0x59 << 2 | 3, 14, &s, &rights), ERR_OK);
	teardown();
}

/* The space of the refusal tests: root slot 1 a copy of the root CNode cap
 * (root-relative slot methods invoke (1, 8)); slot 2 a CNode "mid" of 16
 * slots, slot 3 a cap to it without READ, slot 4 one without WRITE; mid
 * slot 0 a frame, mid slot 2 a copy of the mid cap; slot 7 a frame; slot 8
 * the untyped without RETYPE; slot 10 untyped of another core's memory;
 * slot 11 an endpoint. */
static void refusal_space(void)
{
	setup();
	HT_ASSERT(cap_copy(&kroot, S(1)) == ERR_OK);
	HT_ASSERT(retype_at(CAP_CNODE, 4, 0, 1, 1, 8, 2) == ERR_OK);
	HT_ASSERT(mint_at(3, 8, 2, 8, W | G) == ERR_OK);
	HT_ASSERT(mint_at(4, 8, 2, 8, R | G) == ERR_OK);
	HT_ASSERT(retype_at(CAP_FRAME, 12, 0x1000, 1, 2, 8, 0) == ERR_OK);
	HT_ASSERT(INV(CAP_INV_COPY, 1, 8, 0x22, 12, 2, 8) == ERR_OK);
	HT_ASSERT(retype_at(CAP_FRAME, 12, 0x2000, 1, 1, 8, 7) == ERR_OK);
	HT_ASSERT(mint_at(8, 8, 0, 8, G) == ERR_OK);
	struct cap far = {.type = CAP_UNTYPED,
	                  .size_bits = 21,
	                  .rights = cap_type_rights(CAP_UNTYPED),
	                  .base = TENV_FAR};
	HT_ASSERT(cap_create_root(&T.env, S(10), &far) == ERR_OK);
	HT_ASSERT(retype_at(CAP_ENDPOINT, 0, 0x3000, 1, 1, 8, 11) == ERR_OK);
}

static uint8_t snap_root[256 * 64], snap_mid[16 * 64];

static void snapshot(void)
{
	memcpy(snap_root, S(0), sizeof snap_root);
	memcpy(snap_mid, slot_at(S(2)->cap.base, 0), sizeof snap_mid);
}

static bool unchanged(void)
{
	return !memcmp(snap_root, S(0), sizeof snap_root) &&
	       !memcmp(snap_mid, slot_at(S(2)->cap.base, 0), sizeof snap_mid);
}

HTEST(invoke_refusals_in_order)
{
	refusal_space();
	snapshot();
	/* method first, before the address */
	HT_EXPECT_EQ(INV(0, 7, 8, 0), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_MON_STATS + 1, 7, 8, 0), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_END, 7, 8, 0), ERR_INVAL);
	HT_EXPECT_EQ(INV(~0ull, 7, 0, 0), ERR_INVAL);
	/* then the invoked cap's address */
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 7, 0, 0), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 0x107, 8, 0), ERR_RANGE);
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 0x90, 12, 0), ERR_EMPTY); /* slot 9 on the way */
	/* EMPTY before PERM before TYPE before spare arguments */
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 9, 8, 0), ERR_EMPTY);
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 0x31, 12, 0), ERR_EMPTY); /* via the no-READ cap */
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 0x30, 12, 0), ERR_PERM);    /* a frame, no READ */
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 0x40, 12, 0), ERR_OK);    /* READ without WRITE */
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 7, 8, 0, 0, 0, 0, 0, 0, 0, 1), ERR_TYPE);
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 0, 8, 0), ERR_TYPE); /* CNode methods need a CNode */
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 7, 8, 0), ERR_TYPE);
	HT_EXPECT_EQ(INV(CAP_INV_IDENTIFY, 7, 8, 1), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 9, 8, 1), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 0, 8, CAP_FRAME, 12, 0x5000, 1, 1, 8, 30, 1), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 30, 8, 7, 8, 0, 0, 0, 1ull << 63), ERR_INVAL);

	/* RETYPE: the destination's address, its CNode's READ, then the source */
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 8, 8, CAP_FRAME, 12, 0x5000, 1, 2, 0, 5), ERR_INVAL);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 0, 8, CAP_IOPORT, 0, 0, 1, 0x32, 12, 5), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 0, 8, CAP_IOPORT, 0, 0, 1, 0x42, 12, 5), ERR_TYPE);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 8, 8, CAP_FRAME, 12, 0x5000, 1, 2, 8, 5), ERR_PERM);
	HT_EXPECT_EQ(retype_at(0x100 + CAP_FRAME, 12, 0x5000, 1, 2, 8, 5), ERR_TYPE); /* wide */
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 0x100 + 12, 0x5000, 1, 2, 8, 5), ERR_INVAL);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5000, 0, 2, 8, 5), ERR_INVAL);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5800, 1, 2, 8, 5), ERR_ALIGN);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x200000, 1, 2, 8, 5), ERR_RANGE);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, 8, CAP_FRAME, 12, 0x200000, 1, 7, 8, 0), ERR_RANGE);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, 8, CAP_FRAME, 12, 0, 1, 7, 8, 0), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(INV(CAP_INV_RETYPE, 10, 8, CAP_CNODE, 1, 0, 1, 7, 8, 0), ERR_UNSUPPORTED);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5000, 1, 7, 8, 5), ERR_TYPE); /* dest a frame */
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5000, 1, 4, 8, 5), ERR_PERM); /* no WRITE */
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5000, 2, 2, 8, 15), ERR_RANGE);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x5000, 1, 2, 8, 0), ERR_EXIST);
	HT_EXPECT_EQ(retype_at(CAP_FRAME, 12, 0x1000, 1, 2, 8, 5), ERR_OVERLAP);

	/* COPY: dest's address and WRITE, then src's address and READ, then
	 * the copy's own */
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 0x100, 8, 7, 0), ERR_RANGE);
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 0x45, 12, 9, 8), ERR_PERM); /* src empty too */
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 20, 8, 9, 0), ERR_INVAL);   /* src depth */
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 7, 8, 0x30, 12), ERR_PERM); /* dest taken too */
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 20, 8, 9, 8), ERR_EMPTY);
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 1, 8, 7, 8, 7, 8), ERR_EXIST);
	HT_EXPECT_EQ(INV(CAP_INV_COPY, 4, 8, 1, 4, 0, 4), ERR_PERM); /* into the no-WRITE CNode */
	/* MINT: as COPY, then its own */
	HT_EXPECT_EQ(INV(CAP_INV_MINT, 1, 8, 0x45, 12, 7, 8, R), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_MINT, 1, 8, 20, 8, 7, 8, 1ull << 32 | R), ERR_PERM); /* wide */
	HT_EXPECT_EQ(INV(CAP_INV_MINT, 1, 8, 20, 8, 7, 8, R | CAP_RIGHT_RETYPE), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_MINT, 1, 8, 20, 8, 7, 8, R, 5), ERR_INVAL); /* badge, frame */
	HT_EXPECT_EQ(INV(CAP_INV_MINT, 1, 8, 20, 8, 7, 8, R, 0, 0x60, 1), ERR_INVAL);
	/* REVOKE, DELETE: the slot's CNode needs WRITE, even for an empty slot */
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 0x40, 12), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 0x4f, 12), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_REVOKE, 1, 8, 0x4f, 12), ERR_PERM);
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 9, 8), ERR_EMPTY);
	HT_EXPECT_EQ(INV(CAP_INV_REVOKE, 1, 8, 9, 8), ERR_EMPTY);
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 0, 8), ERR_BUSY); /* has children */
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 1, 8, 0x200, 9), ERR_RANGE);
	HT_EXPECT(unchanged()); /* no refusal changed a slot */
	static const struct cap_invocation_result zero = {.err = ERR_RANGE};
	HT_EXPECT(!memcmp(&res, &zero, sizeof res));
	teardown();
}

HTEST(invoke_operations)
{
	refusal_space();
	uint64_t mid = S(2)->cap.base;
	/* IDENTIFY */
	HT_ASSERT(INV(CAP_INV_IDENTIFY, 0, 8, 0) == ERR_OK);
	uint64_t want[CAP_INV_RESULTS] = {CAP_UNTYPED, G | CAP_RIGHT_RETYPE, 21, 0, ut->cap.base};
	HT_EXPECT(!memcmp(res.value, want, sizeof want));
	HT_ASSERT(INV(CAP_INV_MINT, 1, 8, 21, 8, 11, 8, W, 0x77) == ERR_OK);
	HT_ASSERT(INV(CAP_INV_IDENTIFY, 21, 8, 0) == ERR_OK);
	uint64_t ep[CAP_INV_RESULTS] = {CAP_ENDPOINT, W, 6, 0, ut->cap.base + 0x3000, 0x77, 0};
	HT_EXPECT(!memcmp(res.value, ep, sizeof ep));
	struct cap io = {.type = CAP_IOPORT, .rights = R | W | G, .base = 0x3f8, .count = 8};
	HT_ASSERT(cap_create_root(&T.env, S(12), &io) == ERR_OK);
	HT_ASSERT(INV(CAP_INV_MINT, 1, 8, 13, 8, 12, 8, R, 0, 0x3fa, 2) == ERR_OK);
	HT_ASSERT(INV(CAP_INV_IDENTIFY, 13, 8, 0) == ERR_OK);
	uint64_t port[CAP_INV_RESULTS] = {CAP_IOPORT, R, 0, 0, 0x3fa, 0, 2};
	HT_EXPECT(!memcmp(res.value, port, sizeof port));
	/* RETYPE into a nested CNode, through an address of depth 12 */
	HT_ASSERT(INV(CAP_INV_RETYPE, 0, 8, CAP_FRAME, 12, 0x8000, 2, 0x22, 12, 6) == ERR_OK);
	for (uint64_t i = 0; i < 2; i++) {
		const struct cte *f = slot_at(mid, 6 + i);
		HT_EXPECT(f->cap.type == CAP_FRAME && f->parent == ut);
		HT_EXPECT_EQ(f->cap.base, ut->cap.base + 0x8000 + 0x1000 * i);
		HT_EXPECT_EQ(*(const uint8_t *)slot_at(f->cap.base, 0), 0); /* zeroed */
	}
	/* Far untyped: untyped children are fine, they touch nothing */
	HT_ASSERT(INV(CAP_INV_RETYPE, 10, 8, CAP_UNTYPED, 16, 0x10000, 1, 1, 8, 14) == ERR_OK);
	HT_EXPECT_EQ(S(14)->cap.base, TENV_FAR + 0x10000);
	/* COPY from a READ-only view into a WRITE-only view */
	HT_ASSERT(INV(CAP_INV_COPY, 1, 8, 0x35, 12, 0x40, 12) == ERR_OK);
	HT_EXPECT(slot_at(mid, 5)->cap.type == CAP_FRAME &&
	          slot_at(mid, 5)->parent == slot_at(mid, 0));
	/* the same through the CNode itself: addresses relative to mid */
	HT_ASSERT(INV(CAP_INV_COPY, 2, 8, 9, 4, 5, 4) == ERR_OK);
	HT_EXPECT(slot_at(mid, 9)->parent == slot_at(mid, 5));
	/* DELETE and REVOKE */
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 3, 8, 5, 4), ERR_BUSY);
	HT_EXPECT_EQ(INV(CAP_INV_REVOKE, 3, 8, 5, 4), ERR_OK);
	HT_EXPECT(!cap_slot_live(slot_at(mid, 9)));
	HT_EXPECT_EQ(INV(CAP_INV_DELETE, 3, 8, 5, 4), ERR_OK);
	HT_EXPECT(!cap_slot_live(slot_at(mid, 5)));
	unsigned before = T.destroyed;
	HT_EXPECT_EQ(INV(CAP_INV_REVOKE, 1, 8, 0, 8), ERR_OK); /* everything from the untyped */
	HT_EXPECT(!cap_slot_live(S(2)) && !cap_slot_live(S(7)) && !cap_slot_live(S(11)));
	HT_EXPECT_EQ(T.destroyed - before, 6); /* mid, 4 frames, the endpoint */
	teardown();
}

/* The table as a stub generator reads it: names in register order. */
#define GEN_NAME(n) " " #n
#define GEN_SIG(NAME, name, num, type, where, ARGS, RES) \
#name "(" ARGS(GEN_NAME) " ) ->" RES(GEN_NAME) " [" #where "]",
static const char *const signatures[] = {CAP_METHOD_TABLE(GEN_SIG)};

HTEST(method_table_is_the_abi)
{
	static const char *const want[] = {
	        "identify( ) -> type rights size_bits flags base badge count [C]",
	        "retype( type obj_bits offset count dest_cnode dest_depth dest_index ) -> [C]",
	        "copy( dest dest_depth src src_depth ) -> [C]",
	        "mint( dest dest_depth src src_depth rights badge port_first port_count ) -> [C]",
	        "revoke( slot slot_depth ) -> [C]",
	        "delete( slot slot_depth ) -> [C]",
	        "map_frame( frame frame_depth va rights attr ) -> [K]",
	        "map_table( table table_depth va ) -> [K]",
	        "unmap( ) -> [K]",
	        "protect( rights ) -> [K]",
	        ("disp_setup( cspace cspace_depth vspace vspace_depth frame frame_depth frame_va "
	         "priority ) -> [K]"),
	        "disp_start( ) -> [K]",
	        "disp_stop( ) -> [K]",
	        "disp_yield( ) -> [K]",
	        "log_write( len w0 w1 w2 w3 w4 w5 w6 ) -> [K]",
	        "ep_send( xfer xfer_depth w0 w1 w2 w3 w4 flags ) -> [K]",
	        "ep_recv( slot slot_depth flags ) -> badge info w0 w1 w2 w3 w4 [K]",
	        "ring_setup( frame frame_depth sq_bits cq_bits ) -> [K]",
	        "ring_enter( count ) -> taken [K]",
	        "notify_signal( bits ) -> [K]",
	        "notify_wait( flags ) -> bits [K]",
	        "mon_introduce( core frame frame_depth notify notify_depth ) -> [K]",
	        "mon_accept( core frame frame_depth notify notify_depth ) -> frame_bits has_frame "
	        "[K]",
	        "disp_notify( notify notify_depth bits ) -> [K]",
	        "mon_send( core what what_depth tag ) -> [K]",
	        "mon_recv( core dest dest_depth ) -> type tag [K]",
	        "ioport_in( port width ) -> value [K]",
	        "ioport_out( port width value ) -> [K]",
	        "irq_bind( notify notify_depth bits ) -> [K]",
	        "irq_ack( ) -> [K]",
	        "notify_timer( us bits ) -> [K]",
	        "mon_stats( core ) -> cycles idle start hz sent received [K]",
	};
	HT_ASSERT(sizeof signatures / sizeof *signatures == sizeof want / sizeof *want);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		HT_EXPECT_STREQ(signatures[i], want[i]);
	HT_EXPECT(CAP_INV_IDENTIFY == 1 && CAP_INV_RETYPE == 2 && CAP_INV_COPY == 3);
	HT_EXPECT(CAP_INV_MINT == 4 && CAP_INV_REVOKE == 5 && CAP_INV_DELETE == 6);
	HT_EXPECT(CAP_INV_MON_ACCEPT == 23 && CAP_INV_DISP_NOTIFY == 24 && CAP_INV_MON_RECV == 26);
	HT_EXPECT(CAP_INV_IOPORT_IN == 27 && CAP_INV_IRQ_ACK == 30);
	HT_EXPECT_EQ(CAP_INV_END, 33);
	HT_EXPECT_EQ(CAP_INV_NOTIFY_TIMER, 31);
	HT_EXPECT_EQ(CAP_INV_MON_STATS, 32);
	HT_EXPECT_EQ(CAP_INV_NARGS(identify), 0);
	HT_EXPECT_EQ(CAP_INV_NARGS(retype), 7);
	HT_EXPECT_EQ(CAP_INV_NARGS(mint), 8);
	HT_EXPECT_EQ(CAP_INV_NARGS(delete), 2);
	HT_EXPECT_EQ(CAP_INV_NRESULTS(identify), 7);
	HT_EXPECT_EQ(CAP_INV_NRESULTS(copy), 0);
	/* a method's view lies over the registers: argument i at arg[i] */
	HT_EXPECT_EQ(offsetof(struct cap_args_mint, port_count),
	             offsetof(struct cap_invocation_args, arg[7]));
	HT_EXPECT_EQ(offsetof(struct cap_args_retype, dest_index),
	             offsetof(struct cap_invocation_args, arg[6]));
	HT_EXPECT_EQ(offsetof(struct cap_results_identify, count),
	             offsetof(struct cap_invocation_result, value[6]));
}

HTEST_MAIN("cap_invoke")
