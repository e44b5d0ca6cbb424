/* lib/typed: the configuration text syntax and checking against a type:
 * every kind and bound, defaults, optional fields, nested records and
 * lists, every syntax and checking message (exact text), printing. */
#include <stdio.h>

#include "../htest.h"
#include "util.h"

#define BASE "cores = 4\nlog = log\n"

static const struct typed_value *field(const struct typed_value *v, enum demo_field f)
{
	return &v->list.items[f];
}

/* Checks that text fails with exactly the problem lines want. */
#define EXPECT_PROBLEMS(text, want)              \
	do {                                     \
		HT_EXPECT(load(text) == NULL);   \
		HT_EXPECT_STREQ(problems, want); \
	} while (0)

HTEST(every_kind_from_text)
{
	struct typed_value *v = load("# a comment\n"
	                             "cores = 64   # the most\n"
	                             "memory = 64M\n"
	                             "quiet = true\n"
	                             "mode = small\n"
	                             "timeout = 300ms\n"
	                             "name = \"a \\\"b\\\"\\tc\\x41\"\n"
	                             "root = /boot/x.y\n"
	                             "log = serial.0\n"
	                             "files = [/a, \"/b c\",\n  /d]\n"
	                             "fb = { width = 7680, height = 200 }\n"
	                             "level = -5\n"
	                             "tags = [x]\n");
	HT_ASSERT(v != NULL);
	HT_EXPECT_STREQ(problems, "");
	HT_EXPECT_EQ(field(v, DEMO_CORES)->u, 64);
	HT_EXPECT_EQ(field(v, DEMO_MEMORY)->u, 67108864);
	HT_EXPECT_EQ(field(v, DEMO_QUIET)->b, 1);
	HT_EXPECT_EQ(field(v, DEMO_MODE)->u, 1);
	HT_ASSERT(field(v, DEMO_TIMEOUT)->some != NULL);
	HT_EXPECT_EQ(field(v, DEMO_TIMEOUT)->some->u, 300000000);
	HT_EXPECT_STREQ(field(v, DEMO_NAME)->str.s, "a \"b\"\tcA");
	HT_EXPECT_EQ(field(v, DEMO_NAME)->str.len, 8);
	HT_EXPECT_STREQ(field(v, DEMO_ROOT)->str.s, "/boot/x.y");
	HT_EXPECT_STREQ(field(v, DEMO_LOG)->cap.name, "serial.0");
	HT_EXPECT_EQ(field(v, DEMO_LOG)->cap.slot, TYPED_SLOT_NONE);
	const struct typed_value *files = field(v, DEMO_FILES);
	HT_ASSERT(files->list.count == 3);
	HT_EXPECT_STREQ(files->list.items[1].str.s, "/b c");
	HT_EXPECT_STREQ(files->list.items[2].str.s, "/d");
	HT_EXPECT_EQ(files->list.items[2].line, 11);
	HT_EXPECT_EQ(files->list.items[2].col, 3);
	HT_EXPECT_EQ(field(v, DEMO_FB)->list.items[0].u, 7680);
	HT_EXPECT_EQ(field(v, DEMO_FB)->list.items[1].u, 200);
	HT_EXPECT_EQ(field(v, DEMO_LEVEL)->i, -5);
	HT_ASSERT(field(v, DEMO_TAGS)->some != NULL);
	HT_EXPECT_STREQ(field(v, DEMO_TAGS)->some->list.items[0].str.s, "x");
	HT_EXPECT(typed_get(v, "level") == field(v, DEMO_LEVEL));
	HT_EXPECT(typed_get(v, "nope") == NULL);
}

HTEST(defaults_and_absent_optionals)
{
	struct typed_value *v = load(BASE "fb = { height = 1000 }");
	HT_ASSERT(v != NULL);
	HT_EXPECT_EQ(field(v, DEMO_MEMORY)->u, 1 << 20);
	HT_EXPECT_EQ(field(v, DEMO_QUIET)->b, 0);
	HT_EXPECT_EQ(field(v, DEMO_MODE)->u, 0);
	HT_EXPECT(field(v, DEMO_TIMEOUT)->some == NULL);
	HT_EXPECT(field(v, DEMO_TAGS)->some == NULL);
	HT_EXPECT_STREQ(field(v, DEMO_NAME)->str.s, "demo");
	HT_EXPECT_STREQ(field(v, DEMO_ROOT)->str.s, "/boot");
	HT_EXPECT_EQ(field(v, DEMO_FILES)->list.count, 0);
	HT_EXPECT_EQ(field(v, DEMO_FB)->list.items[0].u, 1024); /* a nested default */
	HT_EXPECT_EQ(field(v, DEMO_FB)->list.items[1].u, 1000);
	HT_EXPECT_EQ(field(v, DEMO_LEVEL)->i, 0);
	/* separators: commas and new lines, a trailing comma, blank lines */
	HT_EXPECT(load("\n\ncores = 1, log = l,\n\n") != NULL);
	HT_EXPECT(load("cores = 1\r\nlog = l\r\n") != NULL);
}

HTEST(integer_bounds)
{
	HT_EXPECT(load("cores = 1\nlog = l") != NULL);
	HT_EXPECT(load("cores = 0x40\nlog = l") != NULL);
	/* a field given twice: the second is not checked */
	EXPECT_PROBLEMS(BASE "cores = 0", "t.conf:3:1: duplicate field \"cores\" (first given on "
	                                  "line 1)\n");
	EXPECT_PROBLEMS("log = l\ncores = 65", "t.conf:2:9: cores: 65 is out of range 1..64\n");
	EXPECT_PROBLEMS("log = l\ncores = -1", "t.conf:2:9: cores: -1 is out of range 1..64\n");
	EXPECT_PROBLEMS("log = l\ncores = 18446744073709551616",
	                "t.conf:2:9: cores: 18446744073709551616 is out of range 1..64\n");
	EXPECT_PROBLEMS("log = l\ncores = 4x", "t.conf:2:9: cores: expected an integer 1..64, got "
	                                       "4x\n");
	EXPECT_PROBLEMS("log = l\ncores = \"4\"",
	                "t.conf:2:9: cores: expected an integer 1..64, got \"4\"\n");
	EXPECT_PROBLEMS(BASE "level = 6", "t.conf:3:9: level: 6 is out of range -5..5\n");
	EXPECT_PROBLEMS(BASE "level = -6", "t.conf:3:9: level: -6 is out of range -5..5\n");
	EXPECT_PROBLEMS(BASE "level = -9223372036854775809",
	                "t.conf:3:9: level: -9223372036854775809 is out of range -5..5\n");
	EXPECT_PROBLEMS(BASE "level = --1", "t.conf:3:9: level: expected an integer -5..5, got "
	                                    "--1\n");
}

HTEST(size_and_duration_units)
{
	static const struct {
		const char *text;
		unsigned long long bytes;
	} sizes[] = {{"65536", 65536}, {"64K", 65536}, {"3M", 3 << 20}, {"1G", 1 << 30}};
	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, BASE "memory = %s", sizes[i].text);
		struct typed_value *v = load(text);
		HT_ASSERT(v != NULL);
		HT_EXPECT_EQ(field(v, DEMO_MEMORY)->u, sizes[i].bytes);
	}
	static const struct {
		const char *text;
		unsigned long long ns;
	} times[] = {{"1ms", 1000000},          {"1000us", 1000000},      {"2s", 2000000000},
	             {"3min", 180000000000ull}, {"1h", 3600000000000ull}, {"5000000ns", 5000000}};
	for (unsigned i = 0; i < sizeof times / sizeof times[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, BASE "timeout = %s", times[i].text);
		struct typed_value *v = load(text);
		HT_ASSERT(v != NULL);
		HT_EXPECT_EQ(field(v, DEMO_TIMEOUT)->some->u, times[i].ns);
	}
	EXPECT_PROBLEMS(BASE "memory = 2G", "t.conf:3:10: memory: 2G is out of range 64K..1G\n");
	EXPECT_PROBLEMS(BASE "memory = 65535",
	                "t.conf:3:10: memory: 65535 is out of range 64K..1G\n");
	EXPECT_PROBLEMS(BASE "memory = 99999999T",
	                "t.conf:3:10: memory: 99999999T is out of range 64K..1G\n");
	EXPECT_PROBLEMS(BASE "memory = 64KiB",
	                "t.conf:3:10: memory: expected a size 64K..1G (like 4096, 64K, 2M: K M G T "
	                "are powers of 1024), got 64KiB\n");
	EXPECT_PROBLEMS(BASE "timeout = 2h", "t.conf:3:11: timeout: 2h is out of range 1ms..1h\n");
	EXPECT_PROBLEMS(BASE "timeout = 999us",
	                "t.conf:3:11: timeout: 999us is out of range 1ms..1h\n");
	EXPECT_PROBLEMS(BASE "timeout = 300",
	                "t.conf:3:11: timeout: expected a duration 1ms..1h (like 300ms: ns us ms s "
	                "min h), got 300\n");
}

HTEST(text_kinds_errors)
{
	EXPECT_PROBLEMS(BASE "quiet = yes", "t.conf:3:9: quiet: expected true or false, got yes\n");
	EXPECT_PROBLEMS(BASE "quiet = \"true\"",
	                "t.conf:3:9: quiet: expected true or false, got \"true\"\n");
	EXPECT_PROBLEMS(BASE "mode = slow", "t.conf:3:8: mode: slow is not one of: fast, small\n");
	EXPECT_PROBLEMS(BASE "mode = \"fast \"",
	                "t.conf:3:8: mode: \"fast \" is not one of: fast, small\n");
	EXPECT_PROBLEMS(BASE "name = \"12345678901234567\"",
	                "t.conf:3:8: name: \"12345678901234567\" is longer than 16 bytes\n");
	EXPECT_PROBLEMS(BASE "root = boot", "t.conf:3:8: root: boot is not an absolute path (it "
	                                    "must start with /)\n");
	EXPECT_PROBLEMS(BASE "root = /a//b",
	                "t.conf:3:8: root: /a//b has an empty, \".\" or \"..\" part\n");
	EXPECT_PROBLEMS(BASE "root = /a/../b",
	                "t.conf:3:8: root: /a/../b has an empty, \".\" or \"..\" part\n");
	EXPECT_PROBLEMS(BASE "root = /a/", "t.conf:3:8: root: /a/ has an empty, \".\" or \"..\" "
	                                   "part\n");
	HT_EXPECT(load(BASE "root = /") != NULL);
	EXPECT_PROBLEMS("cores = 1\nlog = \"a b\"",
	                "t.conf:2:7: log: \"a b\" is not a capability name ([A-Za-z0-9_.-], at "
	                "most 31 bytes)\n");
	EXPECT_PROBLEMS(BASE "name = [a]",
	                "t.conf:3:8: name: expected a string of at most 16 bytes, got a list\n");
	EXPECT_PROBLEMS("log = l\ncores = { a = 1 }",
	                "t.conf:2:9: cores: expected an integer 1..64, got a record\n");
}

HTEST(records_and_lists)
{
	EXPECT_PROBLEMS(
	        BASE "files = [/a, b, /c]",
	        "t.conf:3:14: files[1]: b is not an absolute path (it must start with /)\n");
	EXPECT_PROBLEMS(BASE "files = [/a, /b, /c, /d, /e]",
	                "t.conf:3:9: files: has 5 items; at most 4 are allowed\n");
	EXPECT_PROBLEMS(BASE "files = /a",
	                "t.conf:3:9: files: expected a list of at most 4 items, each an absolute "
	                "path of at most 64 bytes, got /a\n");
	EXPECT_PROBLEMS(BASE "fb = { width = 100, depth = 32 }",
	                "t.conf:3:16: fb.width: 100 is out of range 320..7680\n"
	                "t.conf:3:21: fb: unknown field \"depth\"; known fields: width, height\n");
	EXPECT_PROBLEMS(BASE "fb = [1]", "t.conf:3:6: fb: expected a record {width, height}, got a "
	                                 "list\n");
	EXPECT_PROBLEMS(BASE "fb = { width = 800, width = 900 }",
	                "t.conf:3:21: fb: duplicate field \"width\" (first given on line 3)\n");
	EXPECT_PROBLEMS(BASE "tags = [a, b, c, d]",
	                "t.conf:3:8: tags: has 4 items; at most 3 are allowed\n");
	EXPECT_PROBLEMS(BASE "tags = [\"123456789\"]",
	                "t.conf:3:9: tags[0]: \"123456789\" is longer than 8 bytes\n");
}

HTEST(missing_and_unknown_fields)
{
	EXPECT_PROBLEMS("log = l", "t.conf: missing required field \"cores\" (an integer 1..64)\n");
	EXPECT_PROBLEMS("",
	                "t.conf: missing required field \"cores\" (an integer 1..64)\n"
	                "t.conf: missing required field \"log\" (a capability (log with write))\n");
	EXPECT_PROBLEMS(BASE "coress = 4",
	                "t.conf:3:1: unknown field \"coress\"; known fields: cores, memory, quiet, "
	                "mode, timeout, name, root, log, files, fb, level, tags\n");
	/* every problem at once, in the order of the text */
	EXPECT_PROBLEMS(
	        "cores = 0\nmode = x\nlog = l\nname = 5\nbad = 1\n",
	        "t.conf:1:9: cores: 0 is out of range 1..64\n"
	        "t.conf:2:8: mode: x is not one of: fast, small\n"
	        "t.conf:5:1: unknown field \"bad\"; known fields: cores, memory, quiet, mode, "
	        "timeout, name, root, log, files, fb, level, tags\n");
}

HTEST(syntax_errors)
{
	EXPECT_PROBLEMS("cores 4", "t.conf:1:7: expected '=' after the field name, got 4\n");
	EXPECT_PROBLEMS("cores =", "t.conf:1:8: expected a value, got the end of the text\n");
	EXPECT_PROBLEMS("cores = \n4", "t.conf:1:9: expected a value, got the end of the line\n");
	EXPECT_PROBLEMS("cores = 4 5", "t.conf:1:11: expected ',' or a new line, got 5\n");
	EXPECT_PROBLEMS("Cores = 4",
	                "t.conf:1:1: expected a field name ([a-z][a-z0-9_]*), got Cores\n");
	EXPECT_PROBLEMS("\"cores\" = 4",
	                "t.conf:1:1: expected a field name ([a-z][a-z0-9_]*), got \"cores\"\n");
	EXPECT_PROBLEMS("files = [/a /b]", "t.conf:1:13: expected ',' or a new line or ']', got "
	                                   "/b\n");
	EXPECT_PROBLEMS("files = [/a,\n\n", "t.conf:3:1: expected ']' to close the '[' of line 1, "
	                                    "got the end of the text\n");
	EXPECT_PROBLEMS("fb = { width = 1", "t.conf:1:17: expected '}' to close the '{' of line 1, "
	                                    "got the end of the text\n");
	EXPECT_PROBLEMS("a = ,", "t.conf:1:5: expected a value, got ','\n");
	EXPECT_PROBLEMS("a = 1,, b = 2", "t.conf:1:7: expected a field name ([a-z][a-z0-9_]*), "
	                                 "got ','\n");
	EXPECT_PROBLEMS("name = \"abc", "t.conf:1:12: unterminated string (strings end on their "
	                                "line)\n");
	EXPECT_PROBLEMS("name = \"a\\qb\"",
	                "t.conf:1:10: unknown escape (\\\" \\\\ \\n \\t \\xHH)\n");
	EXPECT_PROBLEMS("name = \"a\\x00\"",
	                "t.conf:1:10: \\x00: strings cannot hold a NUL byte\n");
	EXPECT_PROBLEMS("name = \"a\x01\"", "t.conf:1:10: control character in a string (write "
	                                    "it as \\xHH)\n");
	EXPECT_PROBLEMS("name = a;b", "t.conf:1:9: unexpected character ';'\n");
	EXPECT_PROBLEMS("name = \xc3\xa9", "t.conf:1:8: unexpected byte (control or non-ASCII) "
	                                   "outside a string\n");
	EXPECT_PROBLEMS("cores: 4", "t.conf:1:6: expected '=' after the field name, got ':'\n");
}

HTEST(nesting_is_bounded)
{
	char text[256];
	int n = snprintf(text, sizeof text, "files = ");
	for (int i = 0; i < TYPED_MAX_DEPTH + 1; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, "[");
	EXPECT_PROBLEMS(text, "t.conf:1:25: nested more than 16 deep\n");
	/* sixteen is fine for the parser (the checker then finds no list of lists) */
	struct typed_node *root;
	struct typed_error e;
	const char *ok = "a = [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]";
	HT_EXPECT_EQ(typed_text_parse(ok, strlen(ok), fresh_arena(), &root, &e), ERR_OK);
}

HTEST(arena_too_small)
{
	static unsigned char mem[600];
	struct typed_arena a;
	struct typed_value *v;
	const char *text = BASE "files = [/a, /b, /c, /d]\n";
	reset_problems();
	typed_arena_init(&a, mem, sizeof mem);
	HT_EXPECT_EQ(typed_text_load(&demo_type, text, strlen(text), &a, &v, &diag), ERR_NOMEM);
	HT_EXPECT(strstr(problems, "out of memory") != NULL);
	HT_EXPECT_EQ(diag.count, 1);
}

HTEST(print_reads_back)
{
	const char *text = "cores = 2\nmemory = 1536K\nmode = small\ntimeout = 90s\n"
	                   "name = \"a b\\n\"\nlog = log\nfiles = [/x, \"/y z\"]\n"
	                   "fb = { width = 800 }\ntags = [\"\", t]\n";
	struct typed_value *v = load(text);
	HT_ASSERT(v != NULL);
	char out[1024];
	typed_print(v, out, sizeof out);
	HT_EXPECT_STREQ(out, "cores = 2\nmemory = 1536K\nquiet = false\nmode = small\n"
	                     "timeout = 90s\nname = \"a b\\n\"\nroot = /boot\nlog = log\n"
	                     "files = [/x, \"/y z\"]\nfb = { width = 800, height = 768 }\n"
	                     "level = 0\ntags = [\"\", t]\n");
	static unsigned char mem2[1 << 16];
	struct typed_arena a2;
	struct typed_value *w;
	typed_arena_init(&a2, mem2, sizeof mem2);
	HT_ASSERT(typed_text_load(&demo_type, out, strlen(out), &a2, &w, &diag) == ERR_OK);
	HT_EXPECT(typed_equal(v, w));
	HT_EXPECT(!typed_equal(field(v, DEMO_FB), field(v, DEMO_FILES)));
	/* printing counts what does not fit, like snprintf */
	char small[8];
	HT_EXPECT_EQ(typed_print(v, small, sizeof small), strlen(out));
	HT_EXPECT_STREQ(small, "cores =");
}

HTEST(error_format)
{
	struct typed_error e = {.line = 3, .col = 7, .path = "a.b", .msg = "x\ny"};
	char buf[64];
	HT_EXPECT_EQ(typed_error_format(&e, "f", buf, sizeof buf), strlen("f:3:7: a.b: x\\ny"));
	HT_EXPECT_STREQ(buf, "f:3:7: a.b: x\\ny");
	e.line = 0;
	typed_error_format(&e, "f", buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "f: a.b: x\\ny");
	e.path[0] = '\0';
	typed_error_format(&e, NULL, buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "x\\ny");
	e.line = 1;
	typed_error_format(&e, NULL, buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "1:7: x\\ny");
	/* a file name with a new line once made a message of two lines (found
	 * by fuzzing tcfg) */
	typed_error_format(&e, "a\nb", buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "a\\nb:1:7: x\\ny");
}

HTEST(describe_types)
{
	char buf[256];
	for (uint32_t i = 0; i < DEMO_NFIELDS; i++) {
		typed_describe(demo_type.rec.fields[i].type, buf, sizeof buf);
		static const char *const want[DEMO_NFIELDS] = {
		        "an integer 1..64",
		        "a size 64K..1G",
		        "true or false",
		        "one of: fast, small",
		        "a duration 1ms..1h",
		        "a string of at most 16 bytes",
		        "an absolute path of at most 64 bytes",
		        "a capability (log with write)",
		        "a list of at most 4 items, each an absolute path of at most 64 bytes",
		        "a record {width, height}",
		        "an integer -5..5",
		        "a list of at most 3 items, each a string of at most 8 bytes"};
		HT_EXPECT_STREQ(buf, want[i]);
	}
	struct typed_type any = {.kind = TYPED_INT, .i = {INT64_MIN, INT64_MAX}};
	typed_describe(&any, buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "an integer");
}

HTEST_MAIN("typed_text")
