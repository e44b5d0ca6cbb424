/* The kernel test runner (test kernel only): runs every KTEST case on every
 * online core and has core 0 report KTAP version 1 over the log without
 * line prefixes:
 *
 *   KTAP version 1
 *   1..N
 *   # cpu0.frame.alloc_free: EXPECTATION FAILED at kernel/frame_test.c:12
 *   # Expected f != 0
 *   not ok 1 cpu0.frame.alloc_free # EXPECTATION FAILED at kernel/frame_test.c:12
 *   ok 2 cpu1.frame.alloc_free
 *   ok 3 cpu0.fbcon.draws # SKIP no framebuffer
 *   # Totals: pass:2 fail:1 skip:0 total:3
 *
 * Cases run in table order, in lock-step: core 0 sends a CORE_RUN job to
 * every other online core, runs the case itself, then collects each core's
 * TEST_RESULT and prints the results in core order.  Every wait here is a
 * wait of the core's message loop (msgloop.h); on the other cores a case
 * runs as a job, at the loop's top level.  N is known before the
 * first case (cases times online cores, core-0-only cases once).  An AP's
 * diagnostics reach the console as log lines, before its result.
 *
 * Each case also fails if it changes the number of free frames on its core
 * (a leak check, after xv6's usertests).  At the end the emulator exits with
 * pass or fail; a panic or fatal exception on any core during boot or a
 * test ends the run as a failure instead of hanging.
 */
#include "ktest.h"

#include <arch/arch.h>
#include <fmt/fmt.h>
#include <stdarg.h>
#include <string/mem.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

#include "frame.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"
#include "panic.h"
#include "smp.h"

#define KTEST_REASON_MAX 96

/* How long core 0 waits for another core's result. */
#define KTEST_RESULT_MS 60000

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

/* Core 0: what the other cores sent (one result per core and case). */
static struct {
	bool have;
	struct msg_test_result r;
} stash[SMP_MAX_CORES];
static uint32_t barrier_arrived[SMP_MAX_CORES];  /* core 0: barriers each core reached */
static uint32_t barrier_go;                      /* others: barriers core 0 released */
static uint32_t barriers_done;                   /* barriers this core passed */
static uint64_t silent;                          /* core 0: cores that stopped answering */
static uint64_t seq_got[SMP_MAX_CORES], seq_bad; /* TEST_SEQ traffic taken here */

#define BIT(c) (1ull << (c))

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
	log_rawf("# cpu%u.%s.%s: EXPECTATION FAILED at %s:%d\n# Expected %s\n", core_self(),
	         kt->c->suite, kt->c->name, file, line, what);
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

/* Ends the run (core 0): the totals, then the emulator's exit status. */
static _Noreturn void finish(void)
{
	log_rawf("# Totals: pass:%zu fail:%zu skip:%zu total:%zu\n", passed, failed, skipped,
	         passed + failed + skipped);
	arch_emulator_exit(failed == 0);
	log_printf("ktest: no emulator exit device; halting\n");
	arch_halt();
}

/* How long a panicking core waits for core 0 to print its last words. */
#define KTEST_PANIC_DRAIN_MS 5000

/* A panic or fatal exception.  Core 0 fails the running case and stops the
 * run; another core reports the case failed to core 0, waits (halted, so
 * an emulator gives core 0 the time) until core 0 has taken its report,
 * and ends the run itself. */
static void on_panic(void)
{
	if (core_self() != 0) {
		struct msg_test_result r = {.status = MSG_TEST_FAIL};
		r.index = current_index ? (uint32_t)(current_index - 1) : UINT32_MAX;
		mem_strlcpy(r.reason, "panic", sizeof r.reason);
		if (current_index)
			chan_send_wait(0, MSG_TEST_RESULT, &r, sizeof r, 500);
		uint64_t deadline = ktime_deadline(KTEST_PANIC_DRAIN_MS);
		while (!chan_drained(0) && !ktime_passed(deadline))
			arch_idle();
		ktime_delay_us(100000); /* core 0 prints what it took */
		arch_emulator_exit(false);
		return;
	}
	if (current_index)
		log_rawf("not ok %zu cpu0.%s.%s # panic\n", current_index, current.c->suite,
		         current.c->name);
	else
		log_rawf("# panic outside any test case\n");
	failed++;
	finish();
}

/* Core 0: a core's result for the case in progress. */
static void on_result(unsigned from, const struct urpc_msg *m)
{
	if (from < SMP_MAX_CORES && msg_decode_test_result(m, &stash[from].r) == ERR_OK)
		stash[from].have = true;
}

/* TEST_SEQ traffic that reaches the message loop: checked in order and
 * counted per sender. */
static void on_test_seq(unsigned from, const struct urpc_msg *m)
{
	struct msg_test_seq t;

	if (from >= SMP_MAX_CORES)
		return;
	if (msg_decode_test_seq(m, &t) != ERR_OK || !urpc_test_seq_check(&t, from, seq_got[from]))
		seq_bad++;
	seq_got[from]++;
}

void ktest_seq_reset(void)
{
	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		seq_got[c] = 0;
	seq_bad = 0;
}

uint64_t ktest_seq_got(unsigned from)
{
	return from < SMP_MAX_CORES ? seq_got[from] : 0;
}

uint64_t ktest_seq_bad(void)
{
	return seq_bad;
}

/* A barrier's CORE_CTRL: an arrival (core 0), core 0's go (the others). */
void ktest_barrier_msg(unsigned from)
{
	if (core_self() == 0 && from < SMP_MAX_CORES)
		barrier_arrived[from]++;
	else if (from == 0)
		barrier_go++;
}

static struct msg_test_value values[SMP_MAX_CORES];
static bool value_have[SMP_MAX_CORES];

static void on_test_value(unsigned from, const struct urpc_msg *m)
{
	struct msg_test_value v;

	if (from < SMP_MAX_CORES && msg_decode_test_value(m, &v) == ERR_OK &&
	    v.tag != KTEST_VALUE_SAMPLE) {
		values[from] = v;
		value_have[from] = true;
	}
}

static bool value_in(void *from)
{
	return value_have[*(unsigned *)from];
}

bool ktest_send_value(unsigned to, uint64_t value, uint64_t tag)
{
	struct msg_test_value v = {.value = value, .tag = tag};
	return msgloop_send(to, MSG_TEST_VALUE, &v, sizeof v, ktime_deadline(KTEST_BARRIER_MS)) ==
	       ERR_OK;
}

bool ktest_take_value(unsigned from, uint64_t *value, uint64_t *tag)
{
	if (from >= SMP_MAX_CORES ||
	    msgloop_wait(value_in, &from, ktime_deadline(KTEST_BARRIER_MS)) != ERR_OK)
		return false;
	value_have[from] = false;
	*value = values[from].value;
	if (tag)
		*tag = values[from].tag;
	return true;
}

void ktest_boot(void)
{
	panic_set_hook(on_panic);
	msgloop_register(MSG_TEST_RESULT, on_result, MSGLOOP_NESTED);
	msgloop_register(MSG_TEST_SEQ, on_test_seq, MSGLOOP_NESTED);
	msgloop_register(MSG_TEST_VALUE, on_test_value, MSGLOOP_NESTED);
}

/* Runs case i (0-based) here; its status and reason to *r. */
static void run_local(size_t i, struct msg_test_result *r)
{
	const struct ktest_case *c = &__ktest_start[i];
	size_t frames_before = frame_free_count();

	memset(&current, 0, sizeof current);
	current.c = c;
	current_index = i + 1;
	if (arch_setjmp(&current.abort) == 0)
		c->fn(&current);
	size_t frames_after = frame_free_count();
	if (!current.skipped && frames_after != frames_before) {
		log_rawf("# cpu%u.%s.%s: leak check: %zu free frames before, %zu after\n",
		         core_self(), c->suite, c->name, frames_before, frames_after);
		if (current.failures++ == 0)
			mem_strlcpy(current.reason, "leak check: free frame count changed",
			            sizeof current.reason);
	}
	current_index = 0;
	memset(r, 0, sizeof *r);
	r->index = (uint32_t)i;
	r->status = current.failures  ? MSG_TEST_FAIL
	            : current.skipped ? MSG_TEST_SKIP
	                              : MSG_TEST_PASS;
	mem_strlcpy(r->reason,
	            current.failures  ? current.reason
	            : current.skipped ? current.skip_reason
	                              : "",
	            sizeof r->reason);
}

/* Prints result number num of case c on core `core`. */
static void print_result(size_t num, unsigned core, const struct ktest_case *c,
                         const struct msg_test_result *r)
{
	if (r->status == MSG_TEST_FAIL) {
		log_rawf("not ok %zu cpu%u.%s.%s # %s\n", num, core, c->suite, c->name, r->reason);
		failed++;
	} else if (r->status == MSG_TEST_SKIP) {
		log_rawf("ok %zu cpu%u.%s.%s # SKIP %s\n", num, core, c->suite, c->name, r->reason);
		skipped++;
	} else {
		log_rawf("ok %zu cpu%u.%s.%s\n", num, core, c->suite, c->name);
		passed++;
	}
}

static bool have_result(void *p)
{
	return stash[*(unsigned *)p].have;
}

/* Core 0: core p's result for case i.  For a KTEST_SMP case every core's
 * messages are handled meanwhile (the cores may depend on each other);
 * otherwise the other cores' channels are held, so p's diagnostics print
 * right before its result. */
static void collect(unsigned p, size_t i, bool all, struct msg_test_result *r)
{
	uint64_t held = msgloop_hold(all ? 0 : core_online() & ~BIT(0) & ~BIT(p));

	if (!(silent & BIT(p)) &&
	    msgloop_wait(have_result, &p, ktime_deadline(KTEST_RESULT_MS)) != ERR_OK)
		silent |= BIT(p);
	msgloop_unhold(held);
	memset(r, 0, sizeof *r);
	r->status = MSG_TEST_FAIL;
	if (stash[p].have && stash[p].r.index == i)
		*r = stash[p].r;
	else if (stash[p].have)
		mem_strlcpy(r->reason, "result for another case", sizeof r->reason);
	else
		fmt_snprintf(r->reason, sizeof r->reason, "core %u stopped answering", p);
	stash[p].have = false;
}

static bool all_arrived(void *unused)
{
	for (unsigned p = 1; p < SMP_MAX_CORES; p++)
		if ((core_online() & BIT(p)) && barrier_arrived[p] < barriers_done)
			return false;
	return true;
}

/* Core 0 side of a barrier: every other online core arrived, then go. */
static bool barrier_bsp(uint64_t deadline)
{
	struct msg_core_ctrl go = {.op = MSG_CTRL_BARRIER, .arg = barriers_done};
	bool ok = msgloop_wait(all_arrived, NULL, deadline) == ERR_OK;

	for (unsigned p = 1; p < SMP_MAX_CORES; p++)
		if (core_online() & BIT(p))
			msgloop_send(p, MSG_CORE_CTRL, &go, sizeof go, ktime_deadline(1000));
	return ok;
}

static bool released(void *unused)
{
	return barrier_go >= barriers_done;
}

/* Another core's side: arrive, then wait for core 0's go. */
static bool barrier_ap(uint64_t deadline)
{
	struct msg_core_ctrl ctl = {.op = MSG_CTRL_BARRIER, .arg = barriers_done};

	if (msgloop_send(0, MSG_CORE_CTRL, &ctl, sizeof ctl, ktime_deadline(1000)) != ERR_OK)
		return false;
	return msgloop_wait(released, NULL, deadline) == ERR_OK;
}

void ktest_barrier(struct ktest *kt)
{
	uint64_t deadline = ktime_deadline(KTEST_BARRIER_MS);

	barriers_done++;
	bool ok = core_self() == 0 ? barrier_bsp(deadline) : barrier_ap(deadline);
	if (!ok) {
		ktest_fail(kt, __FILE__, __LINE__, "every core at barrier %u", barriers_done);
		ktest_abort(kt);
	}
}

/* The number of results: cases times online cores, core-0-only cases
 * once, remote cases not at all. */
static size_t plan(size_t n, unsigned cores)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		if (!(__ktest_start[i].flags & KTEST_F_REMOTE))
			total += (__ktest_start[i].flags & KTEST_F_BSP) ? 1 : cores;
	return total;
}

bool ktest_run_remote_named(struct ktest *kt, unsigned core, const char *suite, const char *name)
{
	size_t n = (size_t)(__ktest_end - __ktest_start), i;
	struct msg_test_result r;

	for (i = 0; i < n; i++)
		if ((__ktest_start[i].flags & KTEST_F_REMOTE) &&
		    ktest_streq(__ktest_start[i].suite, suite) &&
		    ktest_streq(__ktest_start[i].name, name))
			break;
	if (i == n || core_self() != 0 || core == 0 || core >= SMP_MAX_CORES) {
		ktest_fail(kt, __FILE__, __LINE__, "remote case %s.%s on core %u", suite, name,
		           core);
		return false;
	}
	struct msg_core_run run = {.job = MSG_RUN_TEST, .arg = (uint32_t)i};
	stash[core].have = false;
	if (msgloop_send(core, MSG_CORE_RUN, &run, sizeof run, ktime_deadline(1000))) {
		ktest_fail(kt, __FILE__, __LINE__, "core %u takes remote case %s.%s", core, suite,
		           name);
		return false;
	}
	silent &= ~BIT(core);
	collect(core, i, true, &r);
	if (r.status != MSG_TEST_PASS)
		ktest_fail(kt, __FILE__, __LINE__, "remote case %s.%s on core %u passes (%s)",
		           suite, name, core, r.reason);
	return r.status == MSG_TEST_PASS;
}

void ktest_run_all(void)
{
	size_t n = (size_t)(__ktest_end - __ktest_start), num = 1;
	uint64_t online = core_online();
	struct msg_test_result r;

	log_rawf("KTAP version 1\n1..%zu\n", plan(n, (unsigned)__builtin_popcountll(online)));
	for (size_t i = 0; i < n; i++) {
		const struct ktest_case *c = &__ktest_start[i];
		bool all = !(c->flags & KTEST_F_BSP);
		msgloop_settle(); /* between cases this core is at its top level */
		if (c->flags & KTEST_F_REMOTE)
			continue;
		struct msg_core_run run = {.job = MSG_RUN_TEST, .arg = (uint32_t)i};
		for (unsigned p = 1; all && p < SMP_MAX_CORES; p++)
			if ((online & BIT(p)) && !(silent & BIT(p)) &&
			    msgloop_send(p, MSG_CORE_RUN, &run, sizeof run, ktime_deadline(1000)))
				silent |= BIT(p);
		run_local(i, &r);
		print_result(num++, 0, c, &r);
		for (unsigned p = 1; all && p < SMP_MAX_CORES; p++) {
			if (!(online & BIT(p)))
				continue;
			collect(p, i, c->flags & KTEST_F_SMP, &r);
			print_result(num++, p, c, &r);
		}
	}
	finish();
}

void ktest_ap_run(unsigned index)
{
	struct msg_test_result r = {.index = index, .status = MSG_TEST_FAIL};

	if (index < (size_t)(__ktest_end - __ktest_start))
		run_local(index, &r);
	else
		mem_strlcpy(r.reason, "no such case", sizeof r.reason);
	if (msgloop_send(0, MSG_TEST_RESULT, &r, sizeof r, ktime_deadline(KTEST_RESULT_MS)))
		log_printf("ktest: core 0 did not take the result of case %u\n", index);
}
