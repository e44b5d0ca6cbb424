/* The kernel test runner (test kernel only): runs every KTEST case in link
 * order and reports KTAP version 1 over the log without line prefixes:
 *
 *   KTAP version 1
 *   1..N
 *   # frame.alloc_free: EXPECTATION FAILED at kernel/frame_test.c:12
 *   # Expected f != 0
 *   not ok 1 frame.alloc_free # EXPECTATION FAILED at kernel/frame_test.c:12
 *   ok 2 frame.exhaustion
 *   ok 3 fbcon.draws # SKIP no framebuffer
 *   # Totals: pass:1 fail:1 skip:1 total:3
 *
 * Each case also fails if it changes the number of free frames (a leak
 * check, after xv6's usertests).  At the end the emulator exits with pass
 * or fail; a panic or fatal exception during boot or a test ends the run
 * as a failure instead of hanging.
 */
#include "ktest.h"

#include <arch/arch.h>
#include <fmt/fmt.h>
#include <stdarg.h>
#include <string/mem.h>

#include "frame.h"
#include "log.h"
#include "panic.h"

#define KTEST_REASON_MAX 96

struct ktest {
	const struct ktest_case *c;
	int failures;
	bool skipped;
	const char *skip_reason;
	char reason[KTEST_REASON_MAX]; /* the first failure, for the result line */
	struct arch_jmp abort;
};

extern const struct ktest_case __ktest_start[], __ktest_end[];

static struct ktest current;
static size_t current_index; /* 1-based; 0 while no case runs */
static size_t passed, failed, skipped;

bool ktest_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

void ktest_fail(struct ktest *kt, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char what[160];

	va_start(ap, fmt);
	fmt_vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	log_rawf("# %s.%s: EXPECTATION FAILED at %s:%d\n# Expected %s\n", kt->c->suite, kt->c->name,
	         file, line, what);
	if (kt->failures++ == 0)
		fmt_snprintf(kt->reason, sizeof kt->reason, "EXPECTATION FAILED at %s:%d", file,
		             line);
}

_Noreturn void ktest_abort(struct ktest *kt)
{
	arch_longjmp(&kt->abort, 1);
}

_Noreturn void ktest_skip(struct ktest *kt, const char *why)
{
	kt->skipped = true;
	kt->skip_reason = why;
	arch_longjmp(&kt->abort, 1);
}

/* Ends the run: the totals, then the emulator's exit status. */
static _Noreturn void finish(void)
{
	log_rawf("# Totals: pass:%zu fail:%zu skip:%zu total:%zu\n", passed, failed, skipped,
	         passed + failed + skipped);
	arch_emulator_exit(failed == 0);
	log_printf("ktest: no emulator exit device; halting\n");
	arch_halt();
}

/* A panic or fatal exception: fail the running case (if any), then stop. */
static void on_panic(void)
{
	if (current_index) {
		log_rawf("not ok %zu %s.%s # panic\n", current_index, current.c->suite,
		         current.c->name);
		failed++;
	} else {
		log_rawf("# panic outside any test case\n");
		failed++;
	}
	finish();
}

void ktest_boot(void)
{
	panic_set_hook(on_panic);
}

/* Runs case c as test number i and prints its result line. */
static void run_case(const struct ktest_case *c, size_t i)
{
	size_t frames_before = frame_free_count();

	memset(&current, 0, sizeof current);
	current.c = c;
	current_index = i;
	if (arch_setjmp(&current.abort) == 0)
		c->fn(&current);
	size_t frames_after = frame_free_count();
	if (!current.skipped && frames_after != frames_before) {
		log_rawf("# %s.%s: leak check: %zu free frames before, %zu after\n", c->suite,
		         c->name, frames_before, frames_after);
		if (current.failures++ == 0)
			mem_strlcpy(current.reason, "leak check: free frame count changed",
			            sizeof current.reason);
	}
	current_index = 0;

	if (current.failures) {
		log_rawf("not ok %zu %s.%s # %s\n", i, c->suite, c->name, current.reason);
		failed++;
	} else if (current.skipped) {
		log_rawf("ok %zu %s.%s # SKIP %s\n", i, c->suite, c->name, current.skip_reason);
		skipped++;
	} else {
		log_rawf("ok %zu %s.%s\n", i, c->suite, c->name);
		passed++;
	}
}

void ktest_run_all(void)
{
	size_t n = (size_t)(__ktest_end - __ktest_start);

	log_rawf("KTAP version 1\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++)
		run_case(&__ktest_start[i], i + 1);
	finish();
}
