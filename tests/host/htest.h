/* A small host unit-test framework that reports in KTAP version 1, the same
 * format the kernel's guest tests use, so tools/harness parses both.
 *
 *   HTEST(fat_reads_root) { HT_EXPECT(x == 1); HT_ASSERT(p != NULL); }
 *   int main(void) { return htest_main("fat"); }
 *
 * EXPECT records a failure and continues; ASSERT ends the case.  Cases are
 * registered by constructors, so a test file only declares them.
 */
#ifndef TESTS_HOST_HTEST_H
#define TESTS_HOST_HTEST_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct htest_case {
	const char *name;
	void (*fn)(void);
	struct htest_case *next;
};

struct htest_state {
	struct htest_case *head, **tail;
	int failed; /* current case */
	jmp_buf abort;
};

extern struct htest_state htest_state;

#define HTEST(name)                                                                  \
	static void htest_fn_##name(void);                                           \
	static struct htest_case htest_case_##name = {#name, htest_fn_##name, NULL}; \
	__attribute__((constructor)) static void htest_reg_##name(void)              \
	{                                                                            \
		htest_register(&htest_case_##name);                                  \
	}                                                                            \
	static void htest_fn_##name(void)

#define HT_EXPECT(cond)                                        \
	do {                                                   \
		if (!(cond))                                   \
			htest_fail(__FILE__, __LINE__, #cond); \
	} while (0)

#define HT_ASSERT(cond)                                        \
	do {                                                   \
		if (!(cond)) {                                 \
			htest_fail(__FILE__, __LINE__, #cond); \
			longjmp(htest_state.abort, 1);         \
		}                                              \
	} while (0)

#define HT_EXPECT_EQ(a, b)                                                                       \
	do {                                                                                     \
		long long ht_a = (long long)(a), ht_b = (long long)(b);                          \
		if (ht_a != ht_b) {                                                              \
			char ht_msg[256];                                                        \
			snprintf(ht_msg, sizeof ht_msg, "%s == %s (%lld != %lld)", #a, #b, ht_a, \
			         ht_b);                                                          \
			htest_fail(__FILE__, __LINE__, ht_msg);                                  \
		}                                                                                \
	} while (0)

#define HT_EXPECT_STREQ(a, b)                                                                  \
	do {                                                                                   \
		const char *ht_a = (a), *ht_b = (b);                                           \
		if (!ht_a || !ht_b || strcmp(ht_a, ht_b) != 0) {                               \
			char ht_msg[512];                                                      \
			snprintf(ht_msg, sizeof ht_msg, "%s == %s (\"%s\" != \"%s\")", #a, #b, \
			         ht_a ? ht_a : "(null)", ht_b ? ht_b : "(null)");              \
			htest_fail(__FILE__, __LINE__, ht_msg);                                \
		}                                                                              \
	} while (0)

static inline void htest_register(struct htest_case *c)
{
	if (!htest_state.tail)
		htest_state.tail = &htest_state.head;
	*htest_state.tail = c;
	htest_state.tail = &c->next;
}

static inline void htest_fail(const char *file, int line, const char *what)
{
	printf("    # EXPECTATION FAILED at %s:%d: %s\n", file, line, what);
	htest_state.failed = 1;
}

/* Runs every registered case; prints KTAP; returns the process exit code.
 * A filter (argv[1]) runs only the cases whose name contains it. */
static inline int htest_run(const char *suite, int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int n = 0, pass = 0, fail = 0;
	for (struct htest_case *c = htest_state.head; c; c = c->next)
		if (!filter || strstr(c->name, filter))
			n++;
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
	int i = 0;
	for (struct htest_case *c = htest_state.head; c; c = c->next) {
		if (filter && !strstr(c->name, filter))
			continue;
		htest_state.failed = 0;
		if (!setjmp(htest_state.abort))
			c->fn();
		i++;
		printf("%s %d %s.%s\n", htest_state.failed ? "not ok" : "ok", i, suite, c->name);
		fflush(stdout);
		if (htest_state.failed)
			fail++;
		else
			pass++;
	}
	printf("# Totals: pass:%d fail:%d skip:0 total:%d\n", pass, fail, n);
	return fail ? 1 : 0;
}

#define HTEST_MAIN(suite)                            \
	struct htest_state htest_state;              \
	int main(int argc, char **argv)              \
	{                                            \
		return htest_run(suite, argc, argv); \
	}

#endif
