/* bench-exe's kernel side (the bench-exe kernel only): starts the user
 * program tile_bench (bench/exe/tile_bench.c) in a sandbox of its own on
 * core 0, with a budget and the modules it spawns, and runs the core until
 * it has ended.  The figures are the program's own lines. */
#include <arch/arch.h>
#include <tessera/bootinfo.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"
#include "sched/sched.h"
#include "sched/spawn.h"

#define SPACE_BITS 6
#define UT_BITS    24 /* 16 MiB */
#define SLOT_UT    2
#define SLOT_LOGC  3
#define SLOT_PROG  4
#define BUDGET     23 /* 8 MiB */
#define RUN_MS     300000

void bench_run(void);

void bench_run(void)
{
	static const char *const modules[] = {"bdemo", "bdemo_dyn", "bdemo_elf", "tdemo",
	                                      "tbig",  "tbig_user", NULL};
	const struct cap_env *env = capboot_env();
	struct cte cnode, untyped;
	struct disp_frame *frame;
	uint64_t offset = 0;

	if (capboot_make_space(SPACE_BITS, UT_BITS, &cnode, &untyped) ||
	    cap_copy(&cnode, cnode_slot(env, &cnode.cap, SLOT_ROOT)) ||
	    cap_copy(&untyped, cnode_slot(env, &cnode.cap, SLOT_UT)) ||
	    cap_copy(capboot_slot(SLOT_LOG), cnode_slot(env, &cnode.cap, SLOT_LOGC))) {
		log_printf("bench-exe: no capability space for the benchmark\n");
		arch_emulator_exit(false);
	}
	struct spawn_sandbox p = {.module = "tile_bench",
	                          .root = &cnode,
	                          .root_bits = SPACE_BITS,
	                          .untyped_slot = SLOT_UT,
	                          .offset = &offset,
	                          .cspace_slot = SLOT_PROG,
	                          .log_slot = SLOT_LOGC,
	                          .priority = 3,
	                          .budget_bits = BUDGET,
	                          .modules = modules};
	enum err e = spawn_sandbox(&p, &frame);
	if (e) {
		log_printf("bench-exe: tile_bench not started: %s\n", err_str(e));
		arch_emulator_exit(false);
	}
	uint64_t deadline = ktime_deadline(RUN_MS);
	while (!frame->stopped && !ktime_passed(deadline))
		if (!sched_step())
			msgloop_idle();
	log_printf("bench-exe: done (tile_bench ended with %llu)\n",
	           (unsigned long long)frame->exit_code);
	arch_emulator_exit(frame->stopped == DISP_STOPPED_STOP && frame->exit_code == 0);
}
