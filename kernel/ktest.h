/* Kernel tests, KUnit style: cases declared next to the code they test,
 * collected through the .ktest linker section, run by the test kernel after
 * boot on every online core and reported by core 0 over serial in KTAP
 * version 1, one result per case and core: "ok 12 cpu2.frame.alloc_and_free".
 *
 *   KTEST(suite, name)      every core runs it, on its own
 *   KTEST_BSP(suite, name)  core 0 only (boot information, framebuffer)
 *   KTEST_SMP(suite, name)  every core at once, cooperating through
 *                           channels and ktest_barrier()
 *
 *   KTEST(frame, alloc_and_free)
 *   {
 *           uint64_t f;
 *           KT_ASSERT(frame_alloc(&f) == ERR_OK);  // ends the case if false
 *           KT_EXPECT(f % FRAME_SIZE == 0);        // records, carries on
 *           frame_free(f);
 *   }
 *
 * Test sources (*_test.c, kernel/tests/, this runner) are linked only into
 * the test kernel.  Inside a case, `kt` names the running test.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>

struct ktest;

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *kt);
	unsigned flags; /* KTEST_F_* */
};

#define KTEST_F_BSP    1u /* core 0 only */
#define KTEST_F_SMP    2u /* all cores together */
#define KTEST_F_REMOTE 4u /* only when another case asks (ktest_run_remote) */

#define KTEST_FLAGS(suite, name, flags)                                                            \
	static void ktest_fn_##suite##_##name(struct ktest *kt);                                   \
	__attribute__((used, section(".ktest"),                                                    \
	               aligned(8))) static const struct ktest_case ktest_case_##suite##_##name = { \
	        #suite, #name, ktest_fn_##suite##_##name, (flags)};                                \
	static void ktest_fn_##suite##_##name(struct ktest *kt)

#define KTEST(suite, name)        KTEST_FLAGS(suite, name, 0)
#define KTEST_BSP(suite, name)    KTEST_FLAGS(suite, name, KTEST_F_BSP)
#define KTEST_SMP(suite, name)    KTEST_FLAGS(suite, name, KTEST_F_SMP)
/* A case another case runs on a chosen core, online or not; not in the
 * plan, not reported on its own. */
#define KTEST_REMOTE(suite, name) KTEST_FLAGS(suite, name, KTEST_F_REMOTE)

/* Records a failure of cond and continues the case. */
#define KT_EXPECT(cond)                                                  \
	do {                                                             \
		if (!(cond))                                             \
			ktest_fail(kt, __FILE__, __LINE__, "%s", #cond); \
	} while (0)

/* Records a failure of cond and ends the case. */
#define KT_ASSERT(cond)                                                  \
	do {                                                             \
		if (!(cond)) {                                           \
			ktest_fail(kt, __FILE__, __LINE__, "%s", #cond); \
			ktest_abort(kt);                                 \
		}                                                        \
	} while (0)

/* Integer equality, printing both values on failure. */
#define KT_EXPECT_EQ(a, b)                                                                      \
	do {                                                                                    \
		unsigned long long kt_a = (unsigned long long)(a);                              \
		unsigned long long kt_b = (unsigned long long)(b);                              \
		if (kt_a != kt_b)                                                               \
			ktest_fail(kt, __FILE__, __LINE__, "%s == %s (%#llx != %#llx)", #a, #b, \
			           kt_a, kt_b);                                                 \
	} while (0)

/* String equality (NULL-safe), printing both strings on failure. */
#define KT_EXPECT_STREQ(a, b)                                                                     \
	do {                                                                                      \
		const char *kt_a = (a), *kt_b = (b);                                              \
		if (!ktest_streq(kt_a, kt_b))                                                     \
			ktest_fail(kt, __FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")", #a, #b, \
			           kt_a ? kt_a : "(null)", kt_b ? kt_b : "(null)");               \
	} while (0)

/* Ends the case as skipped, with a reason. */
#define KT_SKIP(why) ktest_skip(kt, (why))

void ktest_fail(struct ktest *kt, const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
_Noreturn void ktest_abort(struct ktest *kt);
_Noreturn void ktest_skip(struct ktest *kt, const char *why);
bool ktest_streq(const char *a, const char *b);

/* In a KTEST_SMP case: returns when every online core has reached the same
 * barrier (each core must call it equally often).  A core that does not
 * arrive within KTEST_BARRIER_MS fails the case here and ends it. */
#define KTEST_BARRIER_MS 20000
void ktest_barrier(struct ktest *kt);

/* Core 0, inside a case: runs the KTEST_REMOTE case suite.name on core
 * `core` (which need not be online: a core that is not still serves its
 * messages) and waits for its result: true if it passed (a failure or a
 * skip is recorded as a failure of kt, with the remote reason). */
bool ktest_run_remote_named(struct ktest *kt, unsigned core, const char *suite, const char *name);
#define ktest_run_remote(kt, core, suite, name) ktest_run_remote_named(kt, core, #suite, #name)

/* In a KTEST_SMP case: hands core `to` a value (and a tag); takes the
 * next value core `from` handed this one (waiting up to KTEST_BARRIER_MS;
 * false if none came). */
bool ktest_send_value(unsigned to, uint64_t value, uint64_t tag);
#define KTEST_VALUE_SAMPLE 0x7e57 /* a tag the receiver ignores (msgloop_test.c) */
bool ktest_take_value(unsigned from, uint64_t *value, uint64_t *tag);

/* TEST_SEQ traffic that reached this core's message loop (urpc/test_seq.h):
 * how many came from core `from`, and how many of all were damaged or out
 * of order (each sender's count is the seq expected next).  Reset zeroes
 * both; a test resets before its peers start sending. */
void ktest_seq_reset(void);
uint64_t ktest_seq_got(unsigned from);
uint64_t ktest_seq_bad(void);

/* Entry points of the test kernel.  Weak, so in the normal kernel, which
 * links no tests, they are NULL and kmain skips them. */
/* Called first thing at boot: makes a panic end the emulator run. */
void ktest_boot(void) __attribute__((weak));
/* Core 0, after the boot-complete line: runs every case on every online
 * core, reports KTAP and ends the emulator run with the result. */
void ktest_run_all(void) __attribute__((weak));

#endif
