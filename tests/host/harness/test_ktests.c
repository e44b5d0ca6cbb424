/* tools/harness: the scan for declared kernel test cases, and their list. */
#include <unistd.h>

#include "../../../tools/harness/files.h"
#include "../../../tools/harness/ktests.h"
#include "../htest.h"

static struct ktests k;
static char err[512];

static int scan(const char *text)
{
	ktests_free(&k);
	err[0] = '\0';
	return ktests_scan(&k, text, "f.c", err, sizeof err);
}

/* The cases found, "name kind where" each, space-separated. */
static const char *found(void)
{
	static char buf[2048];
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < k.n; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s %s", i ? ", " : "",
		                      k.c[i].name, ktests_kind_name(k.c[i].kind), k.c[i].where);
	return buf;
}

HTEST(declarations_of_each_kind)
{
	HT_ASSERT(scan("#include \"ktest.h\"\n"
	               "KTEST(frame, alloc)\n{\n\tKT_EXPECT(1);\n}\n"
	               "KTEST_BSP(fbcon, draws) { }\n"
	               "KTEST_SMP(\n\turpc, /* the suite */\n\tall_pairs\n)\n{\n}\n"
	               "static void f(void) { KTEST ( a1 , b_2 ) }\n") == 0);
	HT_EXPECT_STREQ(found(), "frame.alloc each f.c:2, fbcon.draws bsp f.c:6, "
	                         "urpc.all_pairs smp f.c:7, a1.b_2 each f.c:13");
}

HTEST(remote_cases_are_declared_but_never_reported)
{
	HT_ASSERT(scan("KTEST_REMOTE(capboot, region_given_up)\n{\n}\n") == 0);
	HT_EXPECT_STREQ(found(), "capboot.region_given_up remote f.c:1");
}

HTEST(comments_literals_and_directives_do_not_count)
{
	HT_EXPECT_EQ(scan("// KTEST(c, line_comment) \\\n   KTEST(c, continued_comment)\n"
	                  "/* KTEST(c, block)\n   KTEST_SMP(c, block2) */\n"
	                  "const char *s = \"KTEST(c, string) \\\" KTEST(c, escaped)\";\n"
	                  "char q = '\"'; int KTEST_BARRIER = 1, MY_KTEST = 2;\n"
	                  "#define KTEST(suite, name) \\\n\tKTEST_FLAGS(suite, name, 0)\n"
	                  "  #  if 0\nKTEST(c, disabled)\nKTEST is gone\n#if X\nKTEST(c, "
	                  "nested)\n#endif\n"
	                  "#elif 0\nKTEST(c, elif0)\n#else\nKTEST(c, after_if0)\n#endif\n"
	                  "#if 1\nKTEST(c, if1)\n#else\nKTEST(c, else_of_if1)\n#endif\n"
	                  "MY_KTEST(c, prefixed) KTEST_X(c, suffixed)\n"
	                  "KTEST(c, last)\n"),
	             0);
	HT_EXPECT_STREQ(err, "");
	HT_EXPECT_STREQ(found(), "c.after_if0 each f.c:18, c.if1 each f.c:21, c.last each f.c:26");
}

HTEST(what_the_scan_cannot_tell_is_an_error)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	        {"\n#ifdef CONFIG_X\nKTEST(a, b)\n#endif\n",
	         "f.c:3: KTEST(a, b) inside #if/#ifdef: the scan cannot tell whether it is "
	         "compiled"},
	        {"#if 0\n#elif X\nKTEST_BSP(a, b)\n#endif\n",
	         "f.c:3: KTEST_BSP(a, b) inside #if/#ifdef: the scan cannot tell whether it is "
	         "compiled"},
	        {"KTEST(a)\n", "f.c:1: KTEST not followed by (suite, name)"},
	        {"KTEST_SMP a, b\n", "f.c:1: KTEST_SMP not followed by (suite, name)"},
	        {"\nKTEST_FLAGS(a, b, 1) {}\n",
	         "f.c:2: KTEST_FLAGS is internal to kernel/ktest.h: declare cases with KTEST, "
	         "KTEST_BSP, KTEST_SMP or KTEST_REMOTE"},
	        {"KTEST(a, b) {}\n\nKTEST_BSP(a, b) {}\n",
	         "f.c:3: a.b declared twice (first at f.c:1)"},
	        {"#endif\n", "f.c:1: #endif without #if"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		HT_EXPECT_EQ(scan(cases[i].text), -1);
		HT_EXPECT_STREQ(err, cases[i].err);
	}
}

HTEST(duplicates_across_files)
{
	ktests_free(&k);
	HT_ASSERT(ktests_scan(&k, "KTEST(a, b) {}\n", "one.c", err, sizeof err) == 0);
	HT_EXPECT_EQ(ktests_scan(&k, "\n\nKTEST_SMP(a, b) {}\n", "two.c", err, sizeof err), -1);
	HT_EXPECT_STREQ(err, "two.c:3: a.b declared twice (first at one.c:1)");
}

/* The header that defines the macros declares no case: its examples are in
 * comments, its definitions are directives. */
HTEST(the_ktest_header_declares_nothing)
{
	char *text = files_read("kernel/ktest.h");
	HT_ASSERT(text != NULL);
	HT_ASSERT(strstr(text, "KTEST(frame, alloc_and_free)") != NULL);
	HT_EXPECT_EQ(scan(text), 0);
	HT_EXPECT_STREQ(err, "");
	HT_EXPECT_EQ(k.n, 0);
	free(text);
}

HTEST(list_round_trip)
{
	HT_ASSERT(scan("KTEST(a, b) {}\nKTEST_BSP(c, d) {}\nKTEST_SMP(e, f) {}\n") == 0);
	char buf[1024];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	ktests_write(&k, f);
	fclose(f);
	HT_EXPECT(strstr(buf, "\na.b each f.c:1\nc.d bsp f.c:2\ne.f smp f.c:3\n") != NULL);
	struct ktests r = {0};
	HT_ASSERT(ktests_read(&r, buf, "l.ktests", err, sizeof err) == 0);
	HT_ASSERT(r.n == 3);
	HT_EXPECT_STREQ(r.c[1].name, "c.d");
	HT_EXPECT_EQ(r.c[1].kind, KTESTS_BSP);
	HT_EXPECT_STREQ(r.c[2].where, "f.c:3");
	HT_EXPECT(ktests_find(&r, "e.f") == &r.c[2]);
	HT_EXPECT(ktests_find(&r, "e") == NULL);
	ktests_free(&r);
}

HTEST(list_errors_name_the_line)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	        {"# c\na.b every f.c:1\n", "l:2: the kind must be each, bsp, smp or remote"},
	        {"ab each f.c:1\n", "l:1: the case must be suite.name"},
	        {"a.b.c each f.c:1\n", "l:1: the case must be suite.name"},
	        {"a.b each\n", "l:1: expected: suite.name each|bsp|smp|remote file:line"},
	        {"a.b each f.c:1 x\n", "l:1: expected: suite.name each|bsp|smp|remote file:line"},
	        {"a.b each f.c:1\na.b smp g.c:2\n",
	         "l:2: g.c:2: a.b declared twice (first at f.c:1)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ktests r = {0};
		HT_EXPECT_EQ(ktests_read(&r, cases[i].text, "l", err, sizeof err), -1);
		HT_EXPECT_STREQ(err, cases[i].err);
		ktests_free(&r);
	}
}

HTEST(the_command_writes_the_list_only_after_a_clean_scan)
{
	char dir[] = "/tmp/ktests-test.XXXXXX", src[64], bad[64], out[64];
	HT_ASSERT(mkdtemp(dir) != NULL);
	snprintf(src, sizeof src, "%s/a_test.c", dir);
	snprintf(bad, sizeof bad, "%s/b_test.c", dir);
	snprintf(out, sizeof out, "%s/test.ktests", dir);
	FILE *f = fopen(src, "w");
	fputs("KTEST(x, y) {}\n", f);
	fclose(f);
	f = fopen(bad, "w");
	fputs("#ifdef Y\nKTEST(x, z) {}\n#endif\n", f);
	fclose(f);
	char *good_argv[] = {"ktests", "--out", out, src};
	HT_EXPECT_EQ(harness_ktests(4, good_argv), 0);
	char *list = files_read(out);
	HT_EXPECT(list && strstr(list, "\nx.y each ") != NULL);
	free(list);
	unlink(out);
	char *bad_argv[] = {"ktests", "--out", out, src, bad};
	HT_EXPECT_EQ(harness_ktests(5, bad_argv), 1);
	HT_EXPECT(access(out, F_OK) != 0);
	char *usage[] = {"ktests", src};
	HT_EXPECT_EQ(harness_ktests(2, usage), 2);
	unlink(src);
	unlink(bad);
	rmdir(dir);
}

HTEST_MAIN("ktests")
