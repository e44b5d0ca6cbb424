/* lib/typed: command lines against a record type (every form of option,
 * every message, exact text) and the --help text. */
#include <stdio.h>

#include "../htest.h"
#include "util.h"

#define EXPECT_ARGS_FAIL(want, ...)                         \
	do {                                                \
		HT_EXPECT(args(__VA_ARGS__, NULL) == NULL); \
		HT_EXPECT_STREQ(problems, want);            \
	} while (0)

HTEST(options_of_every_form)
{
	struct typed_value *v =
	        args("--cores", "8", "--memory=2M", "--quiet", "--mode", "small", "--timeout", "2s",
	             "--name", "a b", "--root", "/x", "--log", "log", "--files", "/a,/b",
	             "--files=/c", "--fb.width", "800", "--level=-3", "--tags", "", NULL);
	HT_ASSERT(v != NULL);
	HT_EXPECT_STREQ(problems, "");
	HT_EXPECT_EQ(v->list.items[DEMO_CORES].u, 8);
	HT_EXPECT_EQ(v->list.items[DEMO_MEMORY].u, 2 << 20);
	HT_EXPECT_EQ(v->list.items[DEMO_QUIET].b, 1);
	HT_EXPECT_EQ(v->list.items[DEMO_MODE].u, 1);
	HT_EXPECT_EQ(v->list.items[DEMO_TIMEOUT].some->u, 2000000000);
	HT_EXPECT_STREQ(v->list.items[DEMO_NAME].str.s, "a b");
	HT_EXPECT_STREQ(v->list.items[DEMO_LOG].cap.name, "log");
	const struct typed_value *files = &v->list.items[DEMO_FILES];
	HT_ASSERT(files->list.count == 3); /* a list option adds up */
	HT_EXPECT_STREQ(files->list.items[0].str.s, "/a");
	HT_EXPECT_STREQ(files->list.items[2].str.s, "/c");
	HT_EXPECT_EQ(v->list.items[DEMO_FB].list.items[0].u, 800);
	HT_EXPECT_EQ(v->list.items[DEMO_FB].list.items[1].u, 768);
	HT_EXPECT_EQ(v->list.items[DEMO_LEVEL].i, -3);
	HT_EXPECT_EQ(v->list.items[DEMO_TAGS].some->list.count, 0); /* "" is an empty list */
	/* --no-FLAG, --FLAG=false, defaults */
	v = args("--cores=1", "--log=l", "--no-quiet", NULL);
	HT_ASSERT(v != NULL);
	HT_EXPECT_EQ(v->list.items[DEMO_QUIET].b, 0);
	HT_EXPECT(v->list.items[DEMO_TIMEOUT].some == NULL);
	v = args("--cores=1", "--log=l", "--quiet=false", NULL);
	HT_ASSERT(v != NULL);
	HT_EXPECT_EQ(v->list.items[DEMO_QUIET].b, 0);
}

HTEST(value_problems)
{
	EXPECT_ARGS_FAIL("--cores: 99 is out of range 1..64\n", "--cores", "99", "--log", "l");
	EXPECT_ARGS_FAIL("--cores: expected an integer 1..64, got many\n", "--cores", "many",
	                 "--log", "l");
	EXPECT_ARGS_FAIL("--memory: 2G is out of range 64K..1G\n", "--cores=1", "--log=l",
	                 "--memory", "2G");
	EXPECT_ARGS_FAIL("--mode: slow is not one of: fast, small\n", "--cores=1", "--log=l",
	                 "--mode=slow");
	EXPECT_ARGS_FAIL("--fb.height: 1 is out of range 200..4320\n", "--cores=1", "--log=l",
	                 "--fb.height", "1");
	EXPECT_ARGS_FAIL("--files[1]: b is not an absolute path (it must start with /)\n",
	                 "--cores=1", "--log=l", "--files", "/a,b");
	EXPECT_ARGS_FAIL("--name: \"x y z w v u t s r q\" is longer than 16 bytes\n", "--cores=1",
	                 "--log=l", "--name", "x y z w v u t s r q");
	EXPECT_ARGS_FAIL("--quiet: expected true or false, got yes\n", "--cores=1", "--log=l",
	                 "--quiet=yes");
	EXPECT_ARGS_FAIL("--tags: has 4 items; at most 3 are allowed\n", "--cores=1", "--log=l",
	                 "--tags", "a,b,c,d");
}

HTEST(option_problems)
{
	EXPECT_ARGS_FAIL("--coress: unknown option; known options: --cores, --memory, --quiet, "
	                 "--mode, --timeout, --name, --root, --log, --files, --fb, --level, "
	                 "--tags\n",
	                 "--coress", "4", "--cores", "4", "--log", "l");
	EXPECT_ARGS_FAIL("--fb.depth: unknown option; known options: --fb.width, --fb.height\n",
	                 "--fb.depth=3", "--cores", "4", "--log", "l");
	EXPECT_ARGS_FAIL("--cores: given twice\n", "--cores", "4", "--cores", "5", "--log", "l");
	EXPECT_ARGS_FAIL("--cores: needs a value (an integer 1..64)\n"
	                 "missing required option --log (a capability (log with write))\n",
	                 "--cores");
	EXPECT_ARGS_FAIL("missing required option --cores (an integer 1..64)\n", "--log", "l");
	EXPECT_ARGS_FAIL("unexpected argument 4 (options are --name VALUE)\n", "4", "--cores", "4",
	                 "--log", "l");
	EXPECT_ARGS_FAIL("--fb: a record: give its fields (--fb.width, --fb.height)\n", "--fb",
	                 "--cores", "4", "--log", "l");
	EXPECT_ARGS_FAIL("--level.x: --level is not a record\n", "--level.x", "1", "--cores", "4",
	                 "--log", "l");
	EXPECT_ARGS_FAIL("--no-quiet: takes no value (--quiet or --no-quiet)\n", "--cores=4",
	                 "--log=l", "--quiet", "--no-quiet=1");
}

HTEST(help)
{
	bool help;
	struct typed_value *v = (void *)1;
	const char *argv[] = {"--cores", "99", "--help"};
	reset_problems();
	HT_EXPECT_EQ(typed_cmdline_parse(&demo_type, 3, argv, fresh_arena(), &v, &diag, &help),
	             ERR_OK);
	HT_EXPECT(help);
	HT_EXPECT(v == NULL);
	HT_EXPECT_STREQ(problems, ""); /* nothing else is checked */
	char text[2048];
	typed_help(&demo_type, "demo", text, sizeof text);
	HT_EXPECT_STREQ(text,
	                "usage: demo [options]\n"
	                "  --cores N              cores to run on: an integer 1..64 (required)\n"
	                "  --memory SIZE          memory budget: a size 64K..1G (default 1M)\n"
	                "  --quiet                print less: true or false (default false)\n"
	                "  --mode fast|small      one of: fast, small (default fast)\n"
	                "  --timeout TIME         give up after this long: a duration 1ms..1h "
	                "(optional)\n"
	                "  --name TEXT            a string of at most 16 bytes (default demo)\n"
	                "  --root PATH            an absolute path of at most 64 bytes (default "
	                "/boot)\n"
	                "  --log CAP              the log: a capability (log with write) "
	                "(required)\n"
	                "  --files PATH,...       a list of at most 4 items, each an absolute "
	                "path of at most 64 bytes (default [])\n"
	                "  --fb.width N           pixels: an integer 320..7680 (default 1024)\n"
	                "  --fb.height N          an integer 200..4320 (default 768)\n"
	                "  --level N              an integer -5..5 (default 0)\n"
	                "  --tags TEXT,...        a list of at most 3 items, each a string of at "
	                "most 8 bytes (optional)\n"
	                "  --help                 print this help\n");
}

/* '-' in an option stands for '_' in the field's name, and messages use '-'. */
HTEST(dashes_for_underscores)
{
	static const struct typed_type count = {.kind = TYPED_UINT, .u = {1, 9}};
	static const struct typed_field f[] = {{"max_count", "", &count, NULL}};
	static const struct typed_type rec = {.kind = TYPED_RECORD, .rec = {f, 1}};
	const char *ok[] = {"--max-count", "3"}, *bad[] = {"--max-count=10"}, *none[] = {"--x"};
	struct typed_value *v;
	bool help;
	reset_problems();
	diag.ctx = NULL;
	HT_ASSERT(typed_cmdline_parse(&rec, 2, ok, fresh_arena(), &v, &diag, &help) == ERR_OK);
	HT_EXPECT_EQ(v->list.items[0].u, 3);
	HT_EXPECT_EQ(typed_cmdline_parse(&rec, 1, bad, fresh_arena(), &v, &diag, &help),
	             ERR_CORRUPT);
	HT_EXPECT_EQ(typed_cmdline_parse(&rec, 1, none, fresh_arena(), &v, &diag, &help),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems, "--max-count: 10 is out of range 1..9\n"
	                          "--x: unknown option; known options: --max-count\n"
	                          "missing required option --max-count (an integer 1..9)\n");
}

HTEST_MAIN("typed_cmdline")
