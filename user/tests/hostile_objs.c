/* Methods and the kernel's objects: wild method numbers and arguments,
 * DISP_SETUP pointed at the program's own objects in odd ways and a second
 * dispatcher started with entries, stacks and FS bases the kernel must
 * refuse, LOG_WRITE lengths, another program's objects named by every
 * address, and the program's own well-known caps revoked and deleted. */
#include "hostile.h"

#include <string/mem.h>

/* ---- methods ---- */

struct own_method {
	uint64_t method, cap;
	unsigned nargs;
	enum err all_ones; /* the refusal when every argument is ~0 */
};

/* A cap of each method's type, and the refusal of all-ones arguments
 * (the first argument checked: a depth over 64 is INVAL; PROTECT of an
 * unmapped frame is NOENT before its rights; LOG_WRITE's length RANGE). */
static const struct own_method methods[] = {
        {CAP_INV_IDENTIFY, SLOT_ROOT, 0, ERR_OK},
        {CAP_INV_RETYPE, HS_UNTYPED, 7, ERR_INVAL},
        {CAP_INV_COPY, SLOT_ROOT, 4, ERR_INVAL},
        {CAP_INV_MINT, SLOT_ROOT, 8, ERR_INVAL},
        {CAP_INV_REVOKE, SLOT_ROOT, 2, ERR_INVAL},
        {CAP_INV_DELETE, SLOT_ROOT, 2, ERR_INVAL},
        {CAP_INV_MAP_FRAME, SLOT_VSPACE, 5, ERR_INVAL},
        {CAP_INV_MAP_TABLE, SLOT_VSPACE, 3, ERR_INVAL},
        {CAP_INV_UNMAP, HS_FRAME, 0, ERR_OK},
        {CAP_INV_PROTECT, HS_FRAME, 1, ERR_NOENT},
        {CAP_INV_DISP_SETUP, HS_DISP2, 8, ERR_INVAL},
        {CAP_INV_DISP_START, HS_DISP2, 0, ERR_OK},
        {CAP_INV_DISP_STOP, HS_DISP2, 0, ERR_OK},
        {CAP_INV_DISP_YIELD, HS_DISP2, 0, ERR_OK},
        {CAP_INV_LOG_WRITE, SLOT_LOG, 8, ERR_RANGE},
};

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void per_method(const struct own_method *m)
{
	uint64_t a[CAP_INV_ARGS];

	/* a spare argument set (the first, the last): refused before
	 * anything is looked at */
	if (m->nargs < CAP_INV_ARGS) {
		memset(a, 0, sizeof a);
		a[m->nargs] = 1;
		EXPECT_ERR(hostile_inv(m->cap, D8, m->method, a, CAP_INV_ARGS, NULL), ERR_INVAL);
		memset(a, 0, sizeof a);
		a[CAP_INV_ARGS - 1] = ~0ull;
		EXPECT_ERR(hostile_inv(m->cap, D8, m->method, a, CAP_INV_ARGS, NULL), ERR_INVAL);
	}
	if (!m->nargs)
		return;
	memset(a, 0xff, sizeof a);
	EXPECT_ERR(hostile_inv(m->cap, D8, m->method, a, m->nargs, NULL), m->all_ones);
	/* random arguments: never a success (a depth drawn at random is over
	 * 64, a length over 56, rights wider than their field) */
	unsigned refused = 0;
	for (unsigned i = 0; i < 64; i++) {
		for (unsigned k = 0; k < m->nargs; k++)
			a[k] = next() | 1ull << 40;
		refused += hostile_inv(m->cap, D8, m->method, a, m->nargs, NULL) != ERR_OK;
	}
	EXPECT_TRUE(refused == 64);
}

void hostile_methods(void)
{
	static const uint64_t bad[] = {0,          CAP_INV_END, CAP_INV_END + 1,
	                               255,        256,         1ull << 32 | CAP_INV_IDENTIFY,
	                               1ull << 63, ~0ull};

	rng = tp->seed | 1;
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		EXPECT_ERR(hostile_inv(SLOT_ROOT, D8, bad[i], NULL, 0, NULL), ERR_INVAL);
	for (unsigned i = 0; i < sizeof methods / sizeof methods[0]; i++)
		per_method(&methods[i]);
	/* TYPE: a method of another type (EMPTY first, spare arguments after) */
	const uint64_t one[CAP_INV_ARGS] = {[7] = 1};
	EXPECT_ERR(hostile_inv(HS_FRAME, D8, CAP_INV_RETYPE, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(HS_FRAME, D8, CAP_INV_RETYPE, one, 8, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(0, D8, CAP_INV_RETYPE, NULL, 0, NULL), ERR_EMPTY);
	EXPECT_ERR(hostile_inv(HS_UNTYPED, D8, CAP_INV_COPY, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(SLOT_DISPATCHER, D8, CAP_INV_MINT, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(SLOT_LOG, D8, CAP_INV_REVOKE, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(HS_FRAME, D8, CAP_INV_DELETE, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(SLOT_ROOT, D8, CAP_INV_DISP_SETUP, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(HS_FRAME, D8, CAP_INV_DISP_START, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(SLOT_ROOT, D8, CAP_INV_DISP_STOP, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(HS_FRAME, D8, CAP_INV_DISP_YIELD, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(hostile_inv(SLOT_DISPATCHER, D8, CAP_INV_LOG_WRITE, NULL, 0, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_unmap(SLOT_ROOT, D8, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_unmap(HS_ENDPOINT, D8, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_protect(HS_PT, D8, CAP_RIGHT_READ, NULL), ERR_TYPE);
	/* MAP_FRAME, MAP_TABLE: the argument's lookup comes first, then
	 * kernel/mm/vspace.h's TYPE for the cap invoked */
	EXPECT_ERR(invoke_map_frame(SLOT_ROOT, D8, HS_FRAME, 0, HOSTILE_MAP_VA, 1, 0, NULL),
	           ERR_INVAL);
	EXPECT_ERR(invoke_map_frame(SLOT_ROOT, D8, HS_FRAME, D8, HOSTILE_MAP_VA, 1, 0, NULL),
	           ERR_TYPE);
	EXPECT_ERR(invoke_map_table(HS_FRAME, D8, HS_PT, 0, HOSTILE_PT_VA, NULL), ERR_INVAL);
	EXPECT_ERR(invoke_map_table(HS_FRAME, D8, HS_PT, D8, HOSTILE_PT_VA, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_map_frame(SLOT_VSPACE, D8, HS_PT, D8, HOSTILE_MAP_VA, 1, 0, NULL),
	           ERR_TYPE);
	EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, HS_FRAME, D8, HOSTILE_PT_VA, NULL), ERR_TYPE);
	EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, SLOT_VSPACE, D8, HOSTILE_PT_VA, NULL),
	           ERR_TYPE); /* its top table under itself */
}

/* ---- dispatchers ---- */

#define D2_VA 0x104000ull
static struct disp_frame *const d2f = (struct disp_frame *)(uintptr_t)D2_VA;
static uint8_t d2_stack[4096] __attribute__((aligned(16)));
static volatile uint64_t d2_ran;

/* The second dispatcher's run upcall: says it ran, stops itself. */
_Noreturn void hostile_d2_entry(struct disp_frame *f)
{
	d2_ran = f->id;
	invoke_disp_stop(HS_DISP2, D8, NULL);
	for (;;)
		d2_ran = ~0ull;
}

static enum err setup(uint64_t cs, uint64_t cs_depth, uint64_t vs, uint64_t fr, uint64_t va,
                      uint64_t priority)
{
	return invoke_disp_setup(HS_DISP2, D8, cs, cs_depth, vs, D8, fr, D8, va, priority, NULL);
}

/* DISP_SETUP's refusals in caps.h's order. */
static void setup_refusals(void)
{
	const unsigned c = HOSTILE_CNODE_BITS;
	const uint64_t fr = HS_DISP2_FRAME, vs = SLOT_VSPACE;

	EXPECT_ERR(invoke_disp_start(HS_DISP2, D8, NULL), ERR_INVAL); /* never set up */
	EXPECT_OK(invoke_disp_stop(HS_DISP2, D8, NULL));
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA, 4), ERR_INVAL); /* frame not there */
	EXPECT_OK(invoke_map_frame(SLOT_VSPACE, D8, fr, D8, D2_VA, CAP_RIGHT_READ | CAP_RIGHT_WRITE,
	                           0, NULL));
	EXPECT_ERR(invoke_disp_setup(SLOT_DISPATCHER, D8, SLOT_ROOT, D8, vs, D8, fr, D8, D2_VA, 4,
	                             NULL),
	           ERR_BUSY); /* itself, running */
	EXPECT_ERR(setup(SLOT_ROOT, 0, vs, fr, D2_VA, 4), ERR_INVAL);
	EXPECT_ERR(setup(0, D8, vs, fr, D2_VA, 4), ERR_EMPTY);
	EXPECT_ERR(setup(hs_in(HS_CNODE_W, c, 3), D8 + c, vs, fr, D2_VA, 4), ERR_PERM);
	EXPECT_ERR(setup(HS_FRAME, D8, vs, fr, D2_VA, 4), ERR_TYPE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, SLOT_ROOT, fr, D2_VA, 4), ERR_TYPE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, HS_PT, D2_VA, 4), ERR_TYPE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, HS_ENDPOINT, D2_VA, 4), ERR_TYPE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, HS_CHILD, D2_VA, 4), ERR_TYPE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, HS_FRAME_R, D2_VA, 4), ERR_PERM);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA, DISP_PRIORITIES), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA, 1ull << 32), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA, ~0ull), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA + 1, 4), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, 0xffff800000000000ull, 4), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, tp->kernel_data & ~0xfffull, 4), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, 0x0000800000000000ull, 4), ERR_RANGE);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, 0, 4), ERR_INVAL);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, DISP_FRAME_VA, 4), ERR_INVAL);
	EXPECT_ERR(setup(SLOT_ROOT, D8, vs, fr, D2_VA + 0x1000, 4), ERR_INVAL);
	/* a CNode of 4 slots as its root: addresses of 2 bits */
	EXPECT_OK(setup(HS_CNODE, D8, vs, fr, D2_VA, 4));
	EXPECT_TRUE(d2f->magic == DISP_MAGIC && d2f->cspace_bits == c && d2f->stopped == 0);
}

/* Starts the second dispatcher with these entries; it must end as said. */
static void run_d2(int line, uint64_t entry, uint64_t stack, uint64_t fs, uint64_t stopped,
                   unsigned v1, unsigned v2)
{
	hostile_err(line, "DISP_SETUP", setup(SLOT_ROOT, D8, SLOT_VSPACE, HS_DISP2_FRAME, D2_VA, 0),
	            ERR_OK);
	d2f->run_entry = entry;
	d2f->upcall_stack = stack;
	d2f->fault_entry = 0;
	d2f->enabled_area.fs_base = fs;
	d2_ran = 0;
	hostile_err(line, "DISP_START", invoke_disp_start(HS_DISP2, D8, NULL), ERR_OK);
	for (unsigned i = 0; i < 1000 && !d2f->stopped; i++)
		rt_yield();
	bool ok = d2f->stopped == stopped;
	if (ok && stopped == DISP_STOPPED_FAULT)
		ok = d2f->fault.vector == v1 || d2f->fault.vector == v2;
	if (ok && stopped == DISP_STOPPED_STOP)
		ok = d2_ran == d2f->id;
	if (!ok)
		rt_printf("hostile: second dispatcher: stopped %llu, vector %llu\n",
		          (unsigned long long)d2f->stopped, (unsigned long long)d2f->fault.vector);
	hostile_true(line, "the second dispatcher ended as it must", ok);
	hostile_err(line, "DISP_START when stopped", invoke_disp_start(HS_DISP2, D8, NULL),
	            ERR_INVAL);
}

static void second_dispatcher(void)
{
	const uint64_t top = (uint64_t)(uintptr_t)(d2_stack + sizeof d2_stack);
	const uint64_t entry = (uint64_t)(uintptr_t)hostile_d2_entry;
	const uint64_t fault = DISP_STOPPED_FAULT;

	run_d2(__LINE__, 0, top, 0, fault, 14, 14);               /* no code at 0 */
	run_d2(__LINE__, tp->kernel_text, top, 0, fault, 13, 13); /* a kernel rip */
	run_d2(__LINE__, 0x0000800000000000ull, top, 0, fault, 13, 13);
	run_d2(__LINE__, entry, 0x0000800000000010ull, 0, fault, 12, 13); /* odd stacks */
	run_d2(__LINE__, entry, 0xffff800000001000ull, 0, fault, 14, 14);
	run_d2(__LINE__, entry, tp->kernel_stack, 0, fault, 14, 14);
	run_d2(__LINE__, entry, top, 0x0000800000000000ull, fault, 13, 13); /* FS bases */
	run_d2(__LINE__, entry, top, 0xffff800000000000ull, fault, 13, 13);
	run_d2(__LINE__, entry, top, 0, DISP_STOPPED_STOP, 0, 0); /* and well */
}

/* Its objects going away under it: a root CNode (stopped, GONE), and the
 * dispatcher itself (its frame says so). */
static void objects_gone(void)
{
	EXPECT_OK(invoke_retype(HS_UNTYPED, D8, CAP_CNODE, 2, 0x10000, 1, SLOT_ROOT, D8, HS_SCRATCH,
	                        NULL));
	EXPECT_OK(setup(HS_SCRATCH, D8, SLOT_VSPACE, HS_DISP2_FRAME, D2_VA, 0));
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, HS_SCRATCH, D8, NULL));
	EXPECT_TRUE(d2f->stopped == DISP_STOPPED_GONE);
	EXPECT_ERR(invoke_disp_start(HS_DISP2, D8, NULL), ERR_INVAL);
	EXPECT_OK(setup(SLOT_ROOT, D8, SLOT_VSPACE, HS_DISP2_FRAME, D2_VA, 0));
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, HS_DISP2, D8, NULL)); /* its minted copy */
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, HS_DISP2, D8, NULL));
	EXPECT_TRUE(d2f->stopped == DISP_STOPPED_GONE);
	EXPECT_ERR(invoke_disp_start(HS_DISP2, D8, NULL), ERR_EMPTY);
	EXPECT_ERR(invoke_identify(HS_DISP2_R, D8, NULL), ERR_EMPTY);
}

void hostile_dispatch(void)
{
	setup_refusals();
	second_dispatcher();
	objects_gone();
}

/* ---- the log ---- */

void hostile_log(void)
{
	static const uint64_t lengths[] = {57, 64, 256, 1ull << 32, 1ull << 63, ~0ull};
	uint64_t w[7];

	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
		EXPECT_ERR(invoke_log_write(SLOT_LOG, D8, lengths[i], 0, 0, 0, 0, 0, 0, 0, NULL),
		           ERR_RANGE);
	EXPECT_OK(invoke_log_write(SLOT_LOG, D8, 0, 0, 0, 0, 0, 0, 0, 0, NULL));
	memset(w, '.', sizeof w);
	memcpy(w, "hostile: a write of 56 bytes, the most there is", 47);
	((char *)w)[55] = '\n';
	EXPECT_OK(
	        invoke_log_write(SLOT_LOG, D8, 56, w[0], w[1], w[2], w[3], w[4], w[5], w[6], NULL));
	EXPECT_ERR(invoke_log_write(HS_LOG_R, D8, 57, 0, 0, 0, 0, 0, 0, 0, NULL), ERR_PERM);
}

/* ---- another program ---- */

static bool is_other(uint64_t base, uint64_t size_bits)
{
	uint64_t end = size_bits < 64 ? base + (1ull << size_bits) : ~0ull;

	for (unsigned k = 0; k < TESTPAGE_OTHERS; k++)
		if (tp->other[k] >= base && tp->other[k] < end)
			return true;
	return false;
}

/* Every cap in a CNode of 2^bits slots at (prefix, depth): none names
 * another program's object. */
static bool none_is_other(uint64_t prefix, unsigned depth, unsigned bits)
{
	struct cap_results_identify id;

	for (uint64_t i = 0; i < 1ull << bits; i++)
		if (!invoke_identify(prefix << bits | i, depth + bits, &id) &&
		    is_other(id.base, id.size_bits))
			return false;
	return true;
}

void hostile_other(void)
{
	struct cap_results_identify id, ut;

	EXPECT_TRUE(none_is_other(0, 0, 8));
	EXPECT_TRUE(none_is_other(SLOT_IMAGE, 8, 8));
	EXPECT_OK(invoke_identify(HS_UNTYPED, D8, &ut));
	for (unsigned k = 0; k < TESTPAGE_OTHERS; k++) {
		uint64_t p = tp->other[k];
		/* its physical address, cut to every depth, as a cap address:
		 * never one of its objects, through IDENTIFY or a COPY */
		for (unsigned d = 8; d <= 64; d += 8) {
			uint64_t a = d == 64 ? p : p & ((1ull << d) - 1);
			bool bad = !invoke_identify(a, d, &id) && is_other(id.base, id.size_bits);
			if (!invoke_copy(SLOT_ROOT, D8, HS_SCRATCH, D8, a, d, NULL)) {
				bad |= invoke_identify(HS_SCRATCH, D8, &id) ||
				       is_other(id.base, id.size_bits);
				invoke_delete(SLOT_ROOT, D8, HS_SCRATCH, D8, NULL);
			}
			EXPECT_TRUE(!bad);
		}
		/* as an offset into its own untyped (ALIGN before RANGE) */
		uint64_t off = p - ut.base;
		EXPECT_ERR(invoke_retype(HS_UNTYPED, D8, CAP_FRAME, 12, off, 1, SLOT_ROOT, D8,
		                         HS_SCRATCH, NULL),
		           off & 0xfff ? ERR_ALIGN : ERR_RANGE);
	}
}

/* ---- its own well-known caps ---- */

void hostile_own(void)
{
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_ROOT, D8, NULL));
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_DISPATCHER, D8, NULL));
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_VSPACE, D8, NULL));
	EXPECT_ERR(invoke_identify(HS_VSPACE_G, D8, NULL), ERR_EMPTY); /* derived from it */
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_IMAGE, D8, NULL));
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_DISP_FRAME, D8, NULL));
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, SLOT_LOG, D8, NULL));
	EXPECT_ERR(invoke_identify(HS_LOG_R, D8, NULL), ERR_EMPTY);
	/* everything made from its untyped goes, and all of it can be made again */
	EXPECT_OK(invoke_revoke(SLOT_ROOT, D8, HS_UNTYPED, D8, NULL));
	EXPECT_ERR(invoke_identify(HS_FRAME, D8, NULL), ERR_EMPTY);
	EXPECT_ERR(invoke_identify(HS_CNODE, D8, NULL), ERR_EMPTY);
	EXPECT_ERR(invoke_identify(HS_UNTYPED_2, D8, NULL), ERR_EMPTY);
	EXPECT_OK(invoke_retype(HS_UNTYPED, D8, CAP_UNTYPED, HOSTILE_UNTYPED_BITS, 0, 1, SLOT_ROOT,
	                        D8, HS_SCRATCH, NULL));
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, HS_SCRATCH, D8, NULL));
	/* its root CNode's copy of itself: gone, yet the program goes on
	 * (its dispatcher holds the root), only unable to name the root */
	EXPECT_OK(invoke_delete(SLOT_ROOT, D8, SLOT_ROOT, D8, NULL));
	EXPECT_ERR(invoke_identify(SLOT_ROOT, D8, NULL), ERR_EMPTY);
	EXPECT_ERR(invoke_copy(SLOT_ROOT, D8, HS_SCRATCH, D8, SLOT_LOG, D8, NULL), ERR_EMPTY);
	EXPECT_OK(invoke_identify(SLOT_DISPATCHER, D8, NULL));
}
