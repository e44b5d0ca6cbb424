/* A system-call fuzzer (kernel/sched/sysfuzz_test.c runs it on every core
 * at once): random invocations for run_ms of cycle-counter time, seeded by
 * the kernel test.  Method numbers are random (invalid ones too); cap
 * addresses and depths are biased towards its own slots; arguments towards
 * values at the edges of their fields; a quarter of the draws are
 * operations built to succeed (retype, copy, mint, delete, revoke, map,
 * link, unmap, protect, set up and start dispatchers) on a playground
 * CNode of its own.  Now and then it reads or writes memory where it may
 * have mapped frames, surviving the faults (probe.h).
 *
 * It spares what would end it: no method but IDENTIFY, DISP_YIELD,
 * LOG_WRITE and the page-table maps on its well-known slots (root slots
 * below TESTPAGE_SLOT_UNTYPED), none of them as another invocation's
 * argument but the maps' (their frames and tables are mapped already), and
 * no dispatcher set up above its own priority (it would keep the core).
 * Everything it counts goes to the test page; its exit code says whether
 * its well-known caps were still as they were at the end.
 */
#include <rt/rt.h>
#include <string/mem.h>

#include "probe.h"
#include "testpage.h"

#define PLAY      TESTPAGE_SLOT_FREE /* the playground CNode's root slot */
#define PLAY_BITS 6
#define UT_BITS   18            /* the untyped the kernel test gives */
#define FUZZ_VA   0x40000000ull /* where it maps and links (1 GiB, no tables yet) */
#define OWN_PRIO  3

static struct testpage *const tp = (struct testpage *)(uintptr_t)TESTPAGE_VA;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

static uint64_t interesting(void)
{
	static const uint64_t v[] = {0,
	                             1,
	                             2,
	                             7,
	                             8,
	                             12,
	                             16,
	                             63,
	                             64,
	                             65,
	                             255,
	                             256,
	                             4095,
	                             4096,
	                             1ull << 20,
	                             1ull << 31,
	                             1ull << 32,
	                             (1ull << 32) + 8,
	                             1ull << 47,
	                             0x7ffffffff000ull,
	                             0x800000000000ull,
	                             0xffff800000000000ull,
	                             1ull << 63,
	                             ~0ull - 1,
	                             ~0ull};
	uint64_t i = below(sizeof v / sizeof v[0] + 1);
	return i < sizeof v / sizeof v[0] ? v[i] : rnd();
}

/* ---- cap addresses ---- */

/* A root-relative address (its own slots mostly: the playground, slots
 * in CNodes inside it, root slots), or a wild one. */
static void root_addr(uint64_t *a, uint64_t *d)
{
	uint64_t r = below(100), k = 1 + below(6);

	if (r < 40) {
		*a = PLAY << PLAY_BITS | below(1 << PLAY_BITS);
		*d = 8 + PLAY_BITS;
	} else if (r < 50) {
		*a = (PLAY << PLAY_BITS | below(1 << PLAY_BITS)) << k | below(1ull << k);
		*d = 8 + PLAY_BITS + k;
	} else if (r < 65) {
		*a = below(256);
		*d = 8;
	} else if (r < 75) {
		*a = below(2) ? PLAY : TESTPAGE_SLOT_UNTYPED;
		*d = 8;
	} else if (r < 90) {
		*d = 1 + below(64);
		*a = *d == 64 ? rnd() : rnd() & ((1ull << *d) - 1);
	} else {
		*a = below(2) ? rnd() : interesting();
		*d = below(2) ? interesting() : below(70);
	}
}

/* An address relative to a playground CNode (CNode methods' slots). */
static void play_addr(uint64_t *a, uint64_t *d)
{
	uint64_t r = below(100), k = 1 + below(6);

	if (r < 60) {
		*a = below(1 << PLAY_BITS);
		*d = PLAY_BITS;
	} else if (r < 75) {
		*a = below(1 << PLAY_BITS) << k | below(1ull << k);
		*d = PLAY_BITS + k;
	} else {
		*a = below(2) ? rnd() : interesting();
		*d = below(2) ? interesting() : below(70);
	}
}

/* The root slot a root-relative address goes through, or -1 when its
 * lookup fails before reaching one (bad depth or address). */
static int root_index(uint64_t a, uint64_t d)
{
	if (d < 8 || d > 64 || (d < 64 && (a >> d)))
		return -1;
	return (int)((a >> (d - 8)) & 0xff);
}

static bool well_known(uint64_t a, uint64_t d)
{
	int i = root_index(a, d);
	return i >= 0 && i < TESTPAGE_SLOT_UNTYPED;
}

/* ---- arguments ---- */

enum kind {
	K_ROOT,
	K_PLAY,
	K_DEPTH,
	K_TYPE,
	K_BITS,
	K_OFFSET,
	K_COUNT,
	K_INDEX,
	K_RIGHTS,
	K_BADGE,
	K_PORT,
	K_VA,
	K_ATTR,
	K_PRIO,
	K_LEN,
	K_WORD,
	K_FLAGS, /* EP_SEND/EP_RECV/NOTIFY_WAIT: always EP_NONBLOCK (a wait could last forever) */
	K_CORE,
	K_NONE
};

/* Each method's arguments by kind (an address is followed by its depth). */
static const uint8_t kinds[CAP_INV_END][CAP_INV_ARGS] = {
        [CAP_INV_RETYPE] = {K_TYPE, K_BITS, K_OFFSET, K_COUNT, K_ROOT, K_DEPTH, K_INDEX, K_NONE},
        [CAP_INV_COPY] = {K_PLAY, K_DEPTH, K_PLAY, K_DEPTH, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_MINT] = {K_PLAY, K_DEPTH, K_PLAY, K_DEPTH, K_RIGHTS, K_BADGE, K_PORT, K_PORT},
        [CAP_INV_REVOKE] = {K_PLAY, K_DEPTH, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_DELETE] = {K_PLAY, K_DEPTH, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_MAP_FRAME] = {K_ROOT, K_DEPTH, K_VA, K_RIGHTS, K_ATTR, K_NONE, K_NONE, K_NONE},
        [CAP_INV_MAP_TABLE] = {K_ROOT, K_DEPTH, K_VA, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_PROTECT] = {K_RIGHTS, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_DISP_SETUP] = {K_ROOT, K_DEPTH, K_ROOT, K_DEPTH, K_ROOT, K_DEPTH, K_VA, K_PRIO},
        [CAP_INV_LOG_WRITE] = {K_LEN, K_WORD, K_WORD, K_WORD, K_WORD, K_WORD, K_WORD, K_WORD},
        [CAP_INV_EP_SEND] = {K_ROOT, K_DEPTH, K_WORD, K_WORD, K_WORD, K_WORD, K_WORD, K_FLAGS},
        [CAP_INV_EP_RECV] = {K_PLAY, K_DEPTH, K_FLAGS, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_RING_SETUP] = {K_ROOT, K_DEPTH, K_BITS, K_BITS, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_RING_ENTER] = {K_COUNT, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_NOTIFY_SIGNAL] = {K_WORD, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_NOTIFY_WAIT] = {K_FLAGS, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE, K_NONE},
        [CAP_INV_MON_INTRODUCE] = {K_CORE, K_ROOT, K_DEPTH, K_ROOT, K_DEPTH, K_NONE, K_NONE,
                                   K_NONE},
        [CAP_INV_MON_ACCEPT] = {K_CORE, K_PLAY, K_DEPTH, K_PLAY, K_DEPTH, K_NONE, K_NONE, K_NONE},
};

static uint64_t value(enum kind k)
{
	static const uint8_t bits[] = {0, 1, 2, 3, 4, 6, 8, 10, 12, 13, 14, 16, 18, 21, 30};
	bool wild = below(100) < 20;

	switch (k) {
	case K_TYPE: return wild ? interesting() : below(CAP_TYPE_COUNT + 1);
	case K_BITS: return wild ? interesting() : bits[below(sizeof bits)];
	case K_OFFSET:
		return wild       ? interesting()
		       : below(4) ? below(1u << (UT_BITS - 12)) << 12
		                  : below(1u << UT_BITS);
	case K_COUNT: return wild ? interesting() : below(2) ? 1 : 1 + below(4);
	case K_INDEX: return wild ? interesting() : below(1 << PLAY_BITS);
	case K_RIGHTS: return wild ? interesting() : below(32);
	case K_BADGE: return wild ? interesting() : below(2) ? 0 : below(8);
	case K_PORT: return wild ? interesting() : 0;
	case K_VA: return wild ? interesting() : below(4) ? FUZZ_VA + below(512) * 4096 : FUZZ_VA;
	case K_ATTR: return wild ? interesting() : below(4);
	case K_PRIO: return wild ? interesting() : below(DISP_PRIORITIES + 2);
	case K_LEN: return wild ? interesting() : below(64);
	case K_FLAGS: return EP_NONBLOCK | (wild ? interesting() : 0);
	case K_CORE: return wild ? interesting() : below(8);
	default: return rnd();
	}
}

/* ---- one invocation ---- */

struct draw {
	struct cap_invocation_args a;
	bool valid; /* built to succeed */
};

/* Whether it would touch a well-known slot in a way that could end it. */
static bool spared(const struct draw *w)
{
	uint64_t m = w->a.method;
	const uint8_t *k = m < CAP_INV_END ? kinds[m] : NULL;

	if (well_known(w->a.cap, w->a.depth) && m != CAP_INV_IDENTIFY && m != CAP_INV_DISP_YIELD &&
	    m != CAP_INV_LOG_WRITE && m != CAP_INV_MAP_FRAME && m != CAP_INV_MAP_TABLE && m >= 1 &&
	    m < CAP_INV_END)
		return true;
	for (unsigned i = 0; k && i + 1 < CAP_INV_ARGS; i++)
		if (k[i] == K_ROOT && m != CAP_INV_MAP_FRAME && m != CAP_INV_MAP_TABLE &&
		    well_known(w->a.arg[i], w->a.arg[i + 1]))
			return true;
	return false;
}

/* The invoked cap for a method: mostly one of the right kind. */
static void invoked(uint64_t m, uint64_t *a, uint64_t *d)
{
	if (below(2)) {
		root_addr(a, d);
		return;
	}
	*d = 8;
	switch (m) {
	case CAP_INV_RETYPE: *a = TESTPAGE_SLOT_UNTYPED; return;
	case CAP_INV_COPY:
	case CAP_INV_MINT:
	case CAP_INV_REVOKE:
	case CAP_INV_DELETE: *a = PLAY; return;
	case CAP_INV_MAP_FRAME:
	case CAP_INV_MAP_TABLE: *a = SLOT_VSPACE; return;
	case CAP_INV_LOG_WRITE: *a = SLOT_LOG; return;
	default: root_addr(a, d);
	}
}

static void random_draw(struct draw *w)
{
	uint64_t m = below(10)  ? 1 + below(CAP_INV_END - 1)
	             : below(2) ? below(2 * CAP_INV_END)
	                        : rnd();
	const uint8_t *k = m < CAP_INV_END ? kinds[m] : NULL;

	w->a.method = m;
	invoked(m, &w->a.cap, &w->a.depth);
	for (unsigned i = 0; k && i < CAP_INV_ARGS; i++) {
		if (k[i] == K_ROOT || k[i] == K_PLAY) {
			(k[i] == K_ROOT ? root_addr : play_addr)(&w->a.arg[i], &w->a.arg[i + 1]);
			i++;
		} else if (k[i] != K_NONE) {
			w->a.arg[i] = value(k[i]);
		}
	}
	if (below(10) == 0) /* a spare argument */
		w->a.arg[below(CAP_INV_ARGS)] |= 1;
	if (m == CAP_INV_DISP_SETUP && w->a.arg[7] < OWN_PRIO)
		w->a.arg[7] = OWN_PRIO; /* never above itself: it keeps the core */
}

/* A playground slot, as a root address. */
static uint64_t play(uint64_t i)
{
	return PLAY << PLAY_BITS | i;
}
#define PD (8 + PLAY_BITS)

/* What it last saw in each playground slot (a type; 0: empty), so that
 * operations built to succeed name slots that hold what they need. */
static uint8_t shadow[1 << PLAY_BITS];

/* The last frame mapped into a playground space: its top table's
 * address, the frame's slot and where (a dispatcher set up there runs). */
static struct last_map {
	uint64_t top, frame, va;
} last_map;

/* A slot holding `type` (CAP_NULL: an empty one), or any if none does. */
static uint64_t slot_with(uint8_t type)
{
	uint64_t start = below(1 << PLAY_BITS);

	for (uint64_t n = 0; n < 1 << PLAY_BITS; n++) {
		uint64_t i = (start + n) % (1 << PLAY_BITS);
		if (shadow[i] == type)
			return i;
	}
	return start;
}

static uint64_t occupied(void)
{
	uint64_t start = below(1 << PLAY_BITS);

	for (uint64_t n = 0; n < 1 << PLAY_BITS; n++)
		if (shadow[(start + n) % (1 << PLAY_BITS)])
			return (start + n) % (1 << PLAY_BITS);
	return start;
}

/* A page where it maps frames: often one of the first few, so that a
 * dispatcher's frame is sometimes found where DISP_SETUP says. */
static uint64_t fuzz_page(void)
{
	return FUZZ_VA + (below(2) ? below(4) : below(512)) * 4096;
}

/* A top table to map into: its own, or one in the playground. */
static void top(uint64_t *a, uint64_t *d)
{
	if (below(2)) {
		*a = SLOT_VSPACE;
		*d = 8;
	} else {
		*a = play(slot_with(CAP_PML4));
		*d = PD;
	}
}

/* An operation built to succeed (the shadow may be stale: then it fails). */
static void valid_draw(struct draw *w)
{
	static const uint8_t types[] = {CAP_FRAME,      CAP_FRAME,  CAP_CNODE, CAP_ENDPOINT,
	                                CAP_DISPATCHER, CAP_PT,     CAP_PD,    CAP_PDPT,
	                                CAP_PML4,       CAP_UNTYPED};
	uint8_t type = types[below(sizeof types)];
	unsigned bits = type == CAP_CNODE ? 1 + below(4) : type == CAP_UNTYPED ? 12 + below(5) : 12;
	unsigned size = cap_object_bits(type, bits);
	uint64_t empty = slot_with(CAP_NULL), full = occupied(), frame = slot_with(CAP_FRAME);
	uint64_t disp = slot_with(CAP_DISPATCHER), rw = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
	struct cap_invocation_args *a = &w->a;

	w->valid = true;
	switch (below(11)) {
	case 0:
	case 1:
		*a = (struct cap_invocation_args){
		        TESTPAGE_SLOT_UNTYPED,
		        8,
		        CAP_INV_RETYPE,
		        {type, bits, below(1ull << (UT_BITS - size)) << size, 1, PLAY, 8, empty}};
		break;
	case 2:
		*a = (struct cap_invocation_args){PLAY, 8, CAP_INV_COPY, {empty, 6, full, 6}};
		break;
	case 3:
		*a = (struct cap_invocation_args){
		        PLAY, 8, CAP_INV_MINT, {empty, 6, full, 6, below(32), below(3)}};
		break;
	case 4:
		*a = (struct cap_invocation_args){
		        PLAY, 8, below(2) ? CAP_INV_DELETE : CAP_INV_REVOKE, {full, 6}};
		break;
	case 5:
		*a = (struct cap_invocation_args){
		        0,
		        0,
		        CAP_INV_MAP_FRAME,
		        {play(frame), PD, fuzz_page(), rw | (below(2) ? CAP_RIGHT_EXEC : 0), 0}};
		top(&a->cap, &a->depth);
		break;
	case 6: {
		static const uint8_t tables[] = {CAP_PDPT, CAP_PD, CAP_PT};
		uint8_t t = tables[below(3)];
		*a = (struct cap_invocation_args){
		        0,
		        0,
		        CAP_INV_MAP_TABLE,
		        {play(slot_with(t)), PD, t == CAP_PDPT ? 0 : FUZZ_VA}};
		top(&a->cap, &a->depth);
		break;
	}
	case 7:
		*a = (struct cap_invocation_args){play(frame),
		                                  PD,
		                                  below(2) ? CAP_INV_UNMAP : CAP_INV_PROTECT,
		                                  {below(2) ? CAP_RIGHT_READ : 0}};
		if (a->method == CAP_INV_UNMAP)
			a->arg[0] = 0;
		break;
	case 8: /* often a frame where a playground space maps it: it may run */
		*a = (struct cap_invocation_args){play(disp),
		                                  PD,
		                                  CAP_INV_DISP_SETUP,
		                                  {PLAY, 8, play(slot_with(CAP_PML4)), PD,
		                                   play(frame), PD, fuzz_page(),
		                                   OWN_PRIO + below(DISP_PRIORITIES - OWN_PRIO)}};
		if (last_map.top && below(2)) {
			a->arg[2] = last_map.top;
			a->arg[4] = play(last_map.frame);
			a->arg[6] = last_map.va;
		}
		break;
	case 9:
		*a = (struct cap_invocation_args){
		        SLOT_VSPACE,
		        8,
		        CAP_INV_MAP_FRAME,
		        {play(frame), PD, fuzz_page(), CAP_RIGHT_READ, 0}};
		break;
	default:
		*a = (struct cap_invocation_args){
		        play(disp), PD, below(2) ? CAP_INV_DISP_START : CAP_INV_DISP_STOP, {0}};
	}
}

/* The shadow after an operation that succeeded: its destination slot
 * holds something now, a deleted one nothing (a revoke is seen at the
 * next refresh). */
static void update(const struct draw *w, enum err e)
{
	const uint64_t *x = w->a.arg;

	if (e || !w->valid)
		return;
	if (w->a.method == CAP_INV_MAP_FRAME && w->a.depth == PD)
		last_map = (struct last_map){w->a.cap, x[0] % (1 << PLAY_BITS), x[2]};
	if (w->a.method == CAP_INV_RETYPE)
		shadow[x[6] % (1 << PLAY_BITS)] = (uint8_t)x[0];
	else if (w->a.method == CAP_INV_COPY || w->a.method == CAP_INV_MINT)
		shadow[x[0] % (1 << PLAY_BITS)] = shadow[x[2] % (1 << PLAY_BITS)];
	else if (w->a.method == CAP_INV_DELETE)
		shadow[x[0] % (1 << PLAY_BITS)] = CAP_NULL;
}

static void count(const struct draw *w, enum err e)
{
	tp->calls++;
	tp->valid_ops += w->valid;
	tp->errors[(unsigned)e < TESTPAGE_ERRORS ? e : TESTPAGE_ERRORS - 1]++;
	tp->methods[w->a.method < TESTPAGE_METHODS ? w->a.method : 0]++;
}

/* ---- memory ---- */

static volatile uint64_t touch_at, touch_value __attribute__((used));

/* A read or a write where its frames may be mapped; faults are fine. */
static void touch(void)
{
	touch_at = FUZZ_VA + below(512) * 4096 + below(512) * 8;
	touch_value = rnd();
	probe_clear();
	if (below(2))
		__asm__ volatile(
		        "movq touch_at(%%rip), %%rax\n\t" PROBE_ASM("movq (%%rax), %%rdx")::
		                : "rax", "rdx", "r11", "memory");
	else
		__asm__ volatile("movq touch_at(%%rip), %%rax\n\tmovq touch_value(%%rip), "
		                 "%%rdx\n\t" PROBE_ASM("movq %%rdx, (%%rax)")::
		                         : "rax", "rdx", "r11", "memory");
	tp->touches++;
}

/* ---- the run ---- */

static bool intact(void)
{
	static const uint8_t types[] = {[SLOT_ROOT] = CAP_CNODE,
	                                [SLOT_DISPATCHER] = CAP_DISPATCHER,
	                                [SLOT_DISP_FRAME] = CAP_FRAME,
	                                [SLOT_LOG] = CAP_LOG,
	                                [SLOT_IMAGE] = CAP_CNODE,
	                                [SLOT_ARGS] = CAP_FRAME,
	                                [PLAY] = CAP_CNODE};
	struct cap_results_identify id;

	for (unsigned s = 1; s < sizeof types; s++)
		if (types[s] && (invoke_identify(s, 8, &id) || id.type != types[s]))
			return false;
	return true;
}

static void count(const struct draw *w, enum err e);

/* Looks at every playground slot again (IDENTIFY, counted as calls). */
static void refresh(void)
{
	struct cap_invocation_result r;

	for (uint64_t i = 0; i < 1 << PLAY_BITS; i++) {
		struct draw w = {{play(i), PD, CAP_INV_IDENTIFY, {0}}, false};
		enum err e = invoke_raw(&w.a, &r);
		count(&w, e);
		shadow[i] = e ? CAP_NULL : (uint8_t)r.value[0];
	}
}

int main(void)
{
	struct cap_invocation_result r;

	if (tp->magic != TESTPAGE_MAGIC || tp->mode != SYSFUZZ_RUN || tp->untyped_bits != UT_BITS)
		return 100;
	probe_init();
	rng = tp->seed | 1;
	if (invoke_retype(TESTPAGE_SLOT_UNTYPED, 8, CAP_CNODE, PLAY_BITS, 0, 1, SLOT_ROOT, 8, PLAY,
	                  NULL))
		return 101;
	uint64_t end = rt_cycles() + tp->run_ms * (rt_cycles_hz() / 1000);
	for (uint64_t n = 0; rt_cycles() < end; n++) {
		if (n % 512 == 0)
			refresh();
		if (below(20) == 0) {
			touch();
			continue;
		}
		struct draw w = {0};
		if (below(3) == 0)
			valid_draw(&w);
		else
			random_draw(&w);
		if (spared(&w)) {
			tp->skipped++;
			continue;
		}
		enum err e = invoke_raw(&w.a, &r);
		count(&w, e);
		update(&w, e);
	}
	tp->faults = probe_count();
	return intact() ? 0 : 1;
}
