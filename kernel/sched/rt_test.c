/* The user library (user/lib/rt) in ring 3, on every core: test programs
 * (user/tests/rt_*.c) in sandboxes of their own (spawn_sandbox), each with
 * a budget (SLOT_UNTYPED) and the modules it needs.  Each program checks
 * itself and ends with 0 or the number of the check that failed; here the
 * kernel checks what it sees independently: the frame's stop reason and
 * fault record, how many fault and run upcalls it counted, how much of
 * the budget is in use, which dispatchers are left.  Also: boot modules
 * given to a program are frames holding exactly the module's bytes. */
#include "sched.h"

#include <string/mem.h>
#include <tessera/bootinfo.h>
#include <tile/tile.h>

#include "boot.h"
#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "hhdm.h"
#include "ktest.h"
#include "ktime.h"
#include "mm/vspace.h"
#include "msgloop.h"
#include "spawn.h"

#define BENCH_BITS  6  /* the spawner's CNode: 64 slots */
#define BENCH_UT    22 /* 4 MiB of untyped */
#define SLOT_UT     2
#define SLOT_LOGCAP 3
#define SLOT_PROG   4
#define RUN_MS      30000
#define PRIORITY    3
#define SLOT_BIG    8 /* rt.segments_linked_...: an untyped of 2^BIG_BITS */
#define BIG_BITS    23

struct bench {
	struct cte cnode, untyped;
	uint64_t offset;
	struct disp_frame *frame;
	struct dcb *dcb;
};

static void bench_up(struct ktest *kt, struct bench *b)
{
	const struct cap_env *env = capboot_env();

	KT_ASSERT(capboot_root() != NULL);
	*b = (struct bench){0};
	KT_ASSERT(capboot_make_space(BENCH_BITS, BENCH_UT, &b->cnode, &b->untyped) == ERR_OK);
	KT_ASSERT(cap_copy(&b->cnode, cnode_slot(env, &b->cnode.cap, SLOT_ROOT)) == ERR_OK);
	KT_ASSERT(cap_copy(&b->untyped, cnode_slot(env, &b->cnode.cap, SLOT_UT)) == ERR_OK);
	KT_ASSERT(cap_copy(capboot_slot(SLOT_LOG), cnode_slot(env, &b->cnode.cap, SLOT_LOGCAP)) ==
	          ERR_OK);
}

static void bench_down(struct ktest *kt, struct bench *b)
{
	const struct cap_env *env = capboot_env();

	KT_EXPECT_EQ(cap_revoke(env, &b->untyped), ERR_OK);
	KT_EXPECT_EQ(cap_untyped_used(&b->untyped), 0);
	KT_EXPECT_EQ(cap_revoke(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->cnode), ERR_OK);
	KT_EXPECT_EQ(cap_delete(env, &b->untyped), ERR_OK);
}

/* Slot n of the program's root CNode. */
static struct cte *prog_slot(struct ktest *kt, struct bench *b, uint64_t n)
{
	struct cte *s;
	uint32_t rights;
	uint64_t addr = (uint64_t)SLOT_PROG << SPAWN_SANDBOX_BITS | n;

	KT_ASSERT(cap_lookup(capboot_env(), &b->cnode, addr, BENCH_BITS + SPAWN_SANDBOX_BITS, &s,
	                     &rights) == ERR_OK);
	return s;
}

/* Starts module with a budget of 2^budget_bits from the untyped in the
 * bench's slot ut_slot, and modules (NULL-ended). */
static void start_from(struct ktest *kt, struct bench *b, const char *module, unsigned ut_slot,
                       unsigned budget_bits, const char *const *modules)
{
	static const char *const none[] = {NULL};
	struct spawn_sandbox p = {.module = module,
	                          .root = &b->cnode,
	                          .root_bits = BENCH_BITS,
	                          .untyped_slot = ut_slot,
	                          .offset = &b->offset,
	                          .cspace_slot = SLOT_PROG,
	                          .log_slot = SLOT_LOGCAP,
	                          .priority = PRIORITY,
	                          .budget_bits = budget_bits,
	                          .modules = modules ? modules : none};
	enum err e = spawn_sandbox(&p, &b->frame);

	if (e) {
		ktest_fail(kt, __FILE__, __LINE__, "%s spawned (%s)", module, err_str(e));
		ktest_abort(kt);
	}
	struct cte *d = prog_slot(kt, b, SLOT_DISPATCHER);
	KT_ASSERT(d->cap.type == CAP_DISPATCHER);
	b->dcb = sched_dcb(d->cap.base);
}

static void start(struct ktest *kt, struct bench *b, const char *module, unsigned budget_bits,
                  const char *const *modules)
{
	start_from(kt, b, module, SLOT_UT, budget_bits, modules);
}

/* Runs the core's top level until the program has stopped. */
static bool run(struct bench *b)
{
	uint64_t deadline = ktime_deadline(RUN_MS);

	while (b->dcb->state != DCB_STOPPED && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	return b->dcb->state == DCB_STOPPED;
}

/* It ran to its end and stopped itself (not the kernel) with code. */
static void expect_end(struct ktest *kt, struct bench *b, uint64_t code)
{
	KT_EXPECT(run(b));
	KT_EXPECT_EQ(b->frame->stopped, DISP_STOPPED_STOP);
	KT_EXPECT_EQ(b->frame->exit_code, code);
}

KTEST(rt, heap_and_stack_grow_on_faults)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_heap", 21, NULL);
	expect_end(kt, &b, 0);
	/* a fault upcall at least for each page of the 512 KiB block and of
	 * the 480 KiB recursion (user/tests/rt_heap.c) */
	KT_EXPECT(b.frame->faults >= 128 + 100);
	KT_EXPECT(b.dcb->faults == b.frame->faults);
	bench_down(kt, &b);
}

KTEST(rt, out_of_budget_ends_with_its_code)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_oom", 18, NULL);
	expect_end(kt, &b, 128 + 14);
	KT_EXPECT_EQ(b.frame->fault.vector, 14);
	KT_EXPECT(b.frame->fault.address >= HEAP_VA &&
	          b.frame->fault.address < HEAP_VA + HEAP_MAX_BYTES);
	/* it ran out: every byte of its 256 KiB budget is in use */
	KT_EXPECT_EQ(cap_untyped_used(prog_slot(kt, &b, SLOT_UNTYPED)), 1ull << 18);
	bench_down(kt, &b);
}

KTEST(rt, a_stack_overflow_hits_its_guard)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_guard", 21, NULL);
	expect_end(kt, &b, 128 + 14);
	/* the guard page of the first thread-stack slot, after the rest of
	 * the slot was mapped page by page */
	KT_EXPECT(b.frame->fault.address >= THREAD_STACKS_VA &&
	          b.frame->fault.address < THREAD_STACKS_VA + 4096);
	KT_EXPECT(b.frame->faults >= THREAD_STACK_BYTES / 4096 - 1);
	bench_down(kt, &b);
}

KTEST(rt, threads_count_under_a_mutex_and_wait_on_conditions)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_threads", 20, NULL);
	expect_end(kt, &b, 0);
	bench_down(kt, &b);
}

KTEST(rt, threads_that_never_yield_are_preempted)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_preempt", 20, NULL);
	expect_end(kt, &b, 0);
	/* every switch between the four threads came with a run upcall */
	KT_EXPECT(b.frame->runs >= 5);
	KT_EXPECT(b.dcb->slices >= 5);
	bench_down(kt, &b);
}

/* user/tests/rt_simd.c: three threads hold patterns in xmm0..xmm15 and
 * rounding modes in MXCSR while run upcalls (whose C code uses SSE)
 * switch between them; every register comes back. */
KTEST(rt, threads_keep_their_simd_registers_across_upcalls)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "rt_simd", 20, NULL);
	expect_end(kt, &b, 0);
	KT_EXPECT(b.frame->runs >= 3);
	bench_down(kt, &b);
}

KTEST(rt, spawned_programs_end_are_killed_and_give_memory_back)
{
	static const char *const modules[] = {"hello", "rt_child", "faulter", "spinner", NULL};
	struct bench b;

	bench_up(kt, &b);
	unsigned before = sched_count(NULL);
	start(kt, &b, "rt_spawn", 21, modules);
	expect_end(kt, &b, 0);
	/* of the five dispatchers, only the spawner's is left */
	KT_EXPECT_EQ(sched_count(NULL), before + 1);
	bench_down(kt, &b);
}

KTEST(rt, init_starts_what_the_startup_description_lists)
{
	static const char *const modules[] = {"startup=rt_startup", "rt_child", NULL};
	struct bench b;

	bench_up(kt, &b);
	unsigned before = sched_count(NULL);
	start(kt, &b, "init", 21, modules);
	/* user/tests/rt_startup.conf: two programs start and end with 0; a
	 * missing module, a core not served yet and a command line its
	 * program's tile refuses fail */
	expect_end(kt, &b, 3);
	KT_EXPECT_EQ(sched_count(NULL), before + 1);
	bench_down(kt, &b);
}

/* The boot module named name. */
static const struct limine_file *find_module(const char *name)
{
	for (size_t i = 0; i < boot_module_count(); i++) {
		const char *path = boot_str(boot_module(i)->path), *base = strrchr(path, '/');
		if (strcmp(base ? base + 1 : path, name) == 0)
			return boot_module(i);
	}
	return NULL;
}

KTEST(rt, modules_given_to_a_program_are_its_bytes_in_frames)
{
	static const char *const modules[] = {"hello", "given=spinner", NULL};
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "hello", 0, modules);
	const struct prog_args *a = hhdm_ptr(prog_slot(kt, &b, SLOT_ARGS)->cap.base);
	KT_ASSERT(a->magic == PROG_ARGS_MAGIC);
	KT_EXPECT_EQ(a->nmodules, 2);
	KT_EXPECT_EQ(a->free_first, SLOT_FIRST_FREE + 2);
	KT_EXPECT(strcmp(a->modules[1].name, "given") == 0);
	for (unsigned i = 0; i < 2 && i < a->nmodules; i++) {
		const struct bootinfo_module *m = &a->modules[i];
		const struct limine_file *f = find_module(i ? "spinner" : "hello");
		KT_ASSERT(f != NULL);
		KT_EXPECT_EQ(m->size, f->size);
		KT_EXPECT_EQ(m->frames, (f->size + 4095) / 4096);
		struct cte *cn = prog_slot(kt, &b, m->cnode);
		KT_ASSERT(cn->cap.type == CAP_CNODE);
		KT_EXPECT_EQ(cn->cap.size_bits, m->cnode_bits + CAP_SLOT_BITS);
		const uint8_t *bytes = (const uint8_t *)(uintptr_t)f->address;
		for (uint32_t j = 0; j < m->frames; j++) {
			struct cte *fr = cnode_slot(capboot_env(), &cn->cap, j);
			uint64_t n = f->size - j * 4096ull < 4096 ? f->size - j * 4096ull : 4096;
			KT_ASSERT(fr->cap.type == CAP_FRAME);
			KT_EXPECT(memcmp(hhdm_ptr(fr->cap.base), bytes + j * 4096ull, n) == 0);
		}
	}
	expect_end(kt, &b, 42);
	bench_down(kt, &b);
}

KTEST(rt, tiles_manifest_random_bases_and_shared_libraries)
{
	static const char *const modules[] = {
	        "hello",        "rt_child",    "tile_greedy", "tile_reloc", "tile_dyn", "tdemo",
	        "tile_badtype", "tile_badver", "tile_nolib",  "tile_args",  NULL};
	struct bench b;

	bench_up(kt, &b);
	unsigned before = sched_count(NULL);
	start(kt, &b, "tile_spawn", 21, modules);
	/* user/tests/tile_spawn.c: every check passed, every child gone */
	expect_end(kt, &b, 0);
	KT_EXPECT_EQ(sched_count(NULL), before + 1);
	bench_down(kt, &b);
}

/* 8 MiB of this core's untyped (its boot caps: the kernel's pool has no
 * block that large on every core) as an untyped in slot SLOT_BIG of
 * cnode. */
static enum err big_untyped(const struct cte *cnode)
{
	const struct capboot_info *bi = capboot_info();
	const struct cap_env *env = capboot_env();

	for (uint32_t i = 0; i < bi->untyped.count; i++) {
		struct cte *u = capboot_slot(bi->untyped.first + i);
		if (!u || !cap_slot_live(u) || u->cap.type != CAP_UNTYPED ||
		    u->cap.size_bits < BIG_BITS)
			continue;
		for (uint64_t k = 0; k < 64 && k < 1ull << (u->cap.size_bits - BIG_BITS); k++) {
			struct cap_retype_args a = {.offset = k << BIG_BITS,
			                            .count = 1,
			                            .dest_index = SLOT_BIG,
			                            .type = CAP_UNTYPED,
			                            .obj_bits = BIG_BITS};
			if (cap_retype(env, u, cnode, &a) == ERR_OK)
				return ERR_OK;
		}
	}
	return ERR_NOMEM;
}

/* 2 MiB pages (docs/tile.md §5): the 2 MiB mappings the runtime's spawn
 * makes for tile_big, counted by this core's kernel, are what the rule
 * says for the tile's segments (read here from the module): one for each
 * whole aligned 2 MiB of a segment with align_bits 21, and one more where
 * that part has file bytes (the spawner maps the frame to write them).
 * user/tests/tile_large.c spawns it twice, tile_big writes and reads it
 * all.  On core 0 only: the spawner's path is the same on every core, and
 * only core 0 is sure to have an 8 MiB block (Limine leaves the others
 * less where its own memory falls). */
KTEST_BSP(rt, segments_linked_2mib_aligned_get_2mib_pages)
{
	static const char *const modules[] = {"tile_big", NULL};
	const struct limine_file *f = find_module("tile_big");
	uint64_t want = 0, whole = 0;
	struct tile t;
	struct bench b;
	char why[128];

	KT_ASSERT(f != NULL);
	KT_ASSERT(tile_check((const void *)(uintptr_t)f->address, f->size, "tile_big",
	                     TILE_ARCH_X86_64, &t, why, sizeof why) == ERR_OK);
	for (uint32_t i = 0; i < t.nsegments; i++) {
		const struct tile_segment *s = &t.segments[i];
		for (uint64_t off = 0; s->align_bits == 21 && s->memsz - off >= TILE_LARGE_PAGE;
		     off += TILE_LARGE_PAGE, whole++)
			want += 1 + (off < s->filesz);
	}
	KT_EXPECT_EQ(whole, 1); /* tile_big.c: a page of data, 2 MiB + 4 KiB of zeros */
	KT_EXPECT_EQ(want, 2);
	bench_up(kt, &b);
	struct cte *big = cnode_slot(capboot_env(), &b.cnode.cap, SLOT_BIG);
	if (big_untyped(&b.cnode) != ERR_OK) { /* a 64 MiB machine: the matrix lists the skip */
		bench_down(kt, &b);
		KT_SKIP("no 8 MiB block in this core's untyped");
	}
	uint64_t before = vspace_large_maps();
	start_from(kt, &b, "tile_large", SLOT_BIG, BIG_BITS - 1, modules);
	expect_end(kt, &b, 0);
	KT_EXPECT_EQ(vspace_large_maps() - before, 2 * want);
	KT_EXPECT_EQ(cap_revoke(capboot_env(), big), ERR_OK);
	KT_EXPECT_EQ(cap_delete(capboot_env(), big), ERR_OK);
	bench_down(kt, &b);
}

/* lib/typed in user space (user/tests/typed_args.c): a command line parsed
 * and checked against the program's schema, a bad one refused with the
 * exact message, the value through the binary encoding into the generated
 * struct, and a configuration text. */
KTEST(rt, typed_args_are_checked_in_user_space)
{
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "typed_args", 20, NULL);
	expect_end(kt, &b, 0);
	bench_down(kt, &b);
}

/* The file service (user/fs) over a FAT32 volume given as a boot module:
 * every file read through its channel protocol and checksummed against
 * the list the build made on the host with cksum(1) (module "fssums"). */
KTEST(rt, file_service_reads_every_file_of_its_volume)
{
	static const char *const modules[] = {"fsimage", "fssums", NULL};
	struct bench b;

	bench_up(kt, &b);
	start(kt, &b, "fs", 21, modules);
	expect_end(kt, &b, 0);
	bench_down(kt, &b);
}
