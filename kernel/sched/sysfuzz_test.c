/* The system-call fuzzer (user/tests/sysfuzz.c) on every core at once, for
 * SYSFUZZ_MS of each core's time: afterwards every core still answers (the
 * barriers), the program ended by itself with its own caps intact, every
 * invocation it made is accounted for, and revoking the test untyped gives
 * back every frame (the leak check) with the core's dispatchers and address
 * spaces as before. */
#include "sandbox_test.h"

#include <arch/arch.h>

#include "core.h"
#include "ktime.h"
#include "log.h"
#include <fmt/fmt.h>

#define SYSFUZZ_MS 2000
#define BENCH_BITS 22
#define WAIT_MS    60000
#define MIN_CALLS  1000 /* far fewer than 2 s of them, even under TCG */

static void report(const struct testpage *t, uint64_t seed, uint64_t us)
{
	char line[400];
	size_t n = 0;

	for (unsigned e = 0; e < TESTPAGE_ERRORS && n < sizeof line; e++)
		if (t->errors[e])
			n += fmt_snprintf(line + n, sizeof line - n, " %s %llu",
			                  e ? err_str((enum err)e) : "ok",
			                  (unsigned long long)t->errors[e]);
	log_printf("sysfuzz: seed %#llx: %llu ms, %llu calls (%llu built to succeed, %llu spared), "
	           "%llu touches, %llu faults:%s\n",
	           (unsigned long long)seed, (unsigned long long)(us / 1000),
	           (unsigned long long)t->calls, (unsigned long long)t->valid_ops,
	           (unsigned long long)t->skipped, (unsigned long long)t->touches,
	           (unsigned long long)t->faults, line);
}

KTEST_SMP(sysfuzz, every_core_at_once)
{
	struct sandbox b;
	struct sandbox_prog p;

	sandbox_up(kt, &b, BENCH_BITS);
	sandbox_spawn(kt, &b, "sysfuzz", 0, 3, SYSFUZZ_RUN, 18, SANDBOX_SLOT_LOGR, &p);
	p.page->run_ms = SYSFUZZ_MS;
	uint64_t seed = p.page->seed;
	ktest_barrier(kt); /* every core fuzzes at the same time */
	uint64_t start = arch_cycles();
	KT_EXPECT(sandbox_run_until(sandbox_stopped, &p, SYSFUZZ_MS + WAIT_MS));
	uint64_t us = ktime_cycles_to_us(arch_cycles() - start);
	KT_EXPECT_EQ(p.frame->stopped, DISP_STOPPED_STOP);
	KT_EXPECT_EQ(p.frame->exit_code, 0);
	report(p.page, seed, us);
	uint64_t sum = 0;
	for (unsigned e = 0; e < TESTPAGE_ERRORS; e++)
		sum += p.page->errors[e];
	KT_EXPECT_EQ(sum, p.page->calls);
	KT_EXPECT(p.page->calls >= MIN_CALLS);
	KT_EXPECT(p.page->errors[0] > 0); /* some succeeded */
	KT_EXPECT_EQ(p.page->faults, p.frame->faults);
	ktest_barrier(kt); /* every core still answers */
	sandbox_down(kt, &b);
	ktest_barrier(kt);
}
