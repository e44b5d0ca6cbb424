/* tools/tcfg: the schema's error classes (lib/typed's messages: positions
 * are file:line:column, fields named without quotes), overrides,
 * --emit-make writing only on change, and every config/NAME.json of the
 * tree being valid.  The
 * test runs tcfg_main in-process with its diagnostics captured in a file;
 * it expects to run from the repository root (as make test does). */
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../tools/tcfg/cli.h"
#include "../../../tools/tcfg/schema.h"
#include "../htest.h"

static char dir[64];
static char diag[8192];

/* A fresh temporary directory per case. */
static const char *tmpdir(void)
{
	snprintf(dir, sizeof dir, "/tmp/tcfg-test.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	return dir;
}

/* Writes text to DIR/name; returns the path (static buffer per call slot). */
static const char *put(const char *name, const char *text)
{
	static char paths[4][256];
	static int slot;
	char *p = paths[slot++ % 4];
	snprintf(p, 256, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* Runs tcfg with the given arguments (NULL-terminated); diagnostics land
 * in diag.  Returns the exit status. */
static int run(const char *arg, ...)
{
	char *argv[32] = {"tcfg"};
	int argc = 1;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	FILE *err = tmpfile();
	int rc = tcfg_main(argc, argv, err);
	rewind(err);
	size_t n = fread(diag, 1, sizeof diag - 1, err);
	diag[n] = '\0';
	fclose(err);
	return rc;
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
}

#define GOOD                                                                            \
	"{\n\"arch\": \"x86_64\",\n\"loader\": \"tessera\",\n\"firmware\": \"uefi\",\n" \
	"\"machine\": \"q35\",\n\"accel\": \"tcg\",\n\"cores\": 2,\n\"memory\": 512,\n" \
	"\"display\": \"none\",\n\"framebuffer\": {\"width\": 800, \"height\": 600}\n}\n"

/* A copy of GOOD with one "key": value line replaced by line. */
static const char *good_with(const char *key, const char *line)
{
	static char text[1024];
	const char *at = strstr(GOOD, key);
	const char *eol = strchr(at, '\n');
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD, line, eol);
	return text;
}

/* Checks one broken file: exit status 1 and exactly the message want. */
static void expect_error(const char *text, const char *want)
{
	const char *p = put("x.json", text);
	char full[1024];
	snprintf(full, sizeof full, "%s:%s\n", p, want);
	HT_EXPECT_EQ(run("check", p, NULL), 1);
	HT_EXPECT_STREQ(diag, full);
}

HTEST(every_tree_config_is_valid)
{
	glob_t g;
	HT_ASSERT(glob("config/*.json", 0, NULL, &g) == 0);
	HT_EXPECT(g.gl_pathc >= 1);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		HT_EXPECT_EQ(run("check", g.gl_pathv[i], NULL), 0);
		HT_EXPECT_STREQ(diag, "");
	}
	globfree(&g);
}

HTEST(value_errors)
{
	tmpdir();
	expect_error(good_with("\"firmware\"", "\"firmware\": \"bioss\","),
	             "4:13: firmware: \"bioss\" is not one of: uefi, bios");
	expect_error(good_with("\"cores\"", "\"cores\": \"2\","),
	             "7:10: cores: expected an integer 1..64, got \"2\"");
	expect_error(good_with("\"cores\"", "\"cores\": 0,"),
	             "7:10: cores: 0 is out of range 1..64");
	expect_error(good_with("\"cores\"", "\"cores\": 2.5,"),
	             "7:10: cores: expected an integer 1..64, got 2.5");
	expect_error(good_with("\"memory\"", "\"memory\": 99999999999999999999,"),
	             "8:11: memory: 99999999999999999999 is out of range 64..65536");
	expect_error(good_with("\"accel\"", "\"accel\": true,"),
	             "6:10: accel: true is not one of: tcg, kvm");
	expect_error(
	        good_with("\"framebuffer\"", "\"framebuffer\": {\"width\": 100, \"height\": 600}"),
	        "10:26: framebuffer.width: 100 is out of range 320..7680");
	expect_error(good_with("\"framebuffer\"", "\"framebuffer\": [800, 600]"),
	             "10:16: framebuffer: expected a record {width, height}, got a list");
	cleanup();
}

HTEST(key_errors)
{
	tmpdir();
	expect_error(
	        good_with("\"cores\"", "\"coress\": 2,\n\"cores\": 2,"),
	        "7:1: unknown field \"coress\"; known fields: arch, loader, firmware, machine, "
	        "accel, cores, memory, display, framebuffer");
	expect_error(
	        good_with("\"framebuffer\"", "\"framebuffer\": {\"width\": 800, \"depth\": 32}"),
	        "10:31: framebuffer: unknown field \"depth\"; known fields: width, height");
	expect_error(good_with("\"memory\"", "\"memory\": 512,\n\"memory\": 64,"),
	             "9:1: duplicate field \"memory\" (first given on line 8)");
	expect_error(good_with("\"cores\"", ""),
	             " missing required field \"cores\" (an integer 1..64)");
	expect_error(
	        "[1]",
	        "1:1: expected a record {arch, loader, firmware, machine, accel, cores, memory, "
	        "display, framebuffer}, got a list");
	cleanup();
}

HTEST(defaults_fill_optional_keys)
{
	tmpdir();
	const char *p = put("min.json", "{\"loader\": \"limine\", \"firmware\": \"bios\", "
	                                "\"machine\": \"pc\", \"cores\": 1, \"memory\": 64}");
	char out[256];
	snprintf(out, sizeof out, "%s/config.mk", dir);
	HT_EXPECT_EQ(run("check", p, "--emit-make", out, NULL), 0);
	FILE *f = fopen(out, "r");
	HT_ASSERT(f);
	char text[1024];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	HT_EXPECT(strstr(text, "CFG_ARCH := x86_64\n") != NULL);
	HT_EXPECT(strstr(text, "CFG_LOADER := limine\n") != NULL);
	HT_EXPECT(strstr(text, "CFG_ACCEL := tcg\n") != NULL);
	HT_EXPECT(strstr(text, "CFG_DISPLAY := auto\n") != NULL);
	HT_EXPECT(strstr(text, "CFG_WIDTH := 1024\nCFG_HEIGHT := 768\n") != NULL);
	cleanup();
}

/* Reads a whole small file into a static buffer. */
static const char *slurp(const char *path)
{
	static char text[2048];
	FILE *f = fopen(path, "r");
	if (!f)
		return "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* The same configuration in lib/typed's syntax (NAME.conf): same checks,
 * same settings. */
HTEST(typed_syntax_files)
{
	tmpdir();
	const char *p =
	        put("good.conf", "arch = x86_64, loader = tessera, firmware = uefi\n"
	                         "machine = q35\naccel = tcg\ncores = 2\nmemory = 512\n"
	                         "display = none\nframebuffer = { width = 800, height = 600 }\n");
	char out[256];
	snprintf(out, sizeof out, "%s/config.mk", dir);
	HT_EXPECT_EQ(run("check", p, "--emit-make", out, NULL), 0);
	HT_EXPECT_STREQ(diag, "");
	HT_EXPECT(strstr(slurp(out), "CFG_CORES := 2\nCFG_MEMORY := 512\nCFG_DISPLAY := none\n"
	                             "CFG_WIDTH := 800\nCFG_HEIGHT := 600\n") != NULL);
	const char *q = put("bad.conf", "loader = tessera\nfirmware = bioss\nmachine = q35\n"
	                                "cores = 2\nmemory = 512\n");
	char want[512];
	HT_EXPECT_EQ(run("check", q, NULL), 1);
	snprintf(want, sizeof want, "%s:2:12: firmware: bioss is not one of: uefi, bios\n", q);
	HT_EXPECT_STREQ(diag, want);
	q = put("syntax.conf", "cores = \n");
	HT_EXPECT_EQ(run("check", q, NULL), 1);
	snprintf(want, sizeof want, "%s:1:9: expected a value, got the end of the line\n", q);
	HT_EXPECT_STREQ(diag, want);
	cleanup();
}

HTEST(syntax_error_has_line_and_column)
{
	tmpdir();
	expect_error("{\n  \"cores\": 2\n  \"memory\": 64\n}\n",
	             "3:3: expected ',' or '}' after object member");
	HT_EXPECT_EQ(run("check", "/nonexistent/x.json", NULL), 1);
	HT_EXPECT_STREQ(diag, "/nonexistent/x.json: cannot read: No such file or directory\n");
	cleanup();
}

HTEST(overrides_are_checked_and_named_by_make_variable)
{
	tmpdir();
	const char *p = put("good.json", GOOD);
	HT_EXPECT_EQ(run("check", p, "--set", "cores=0", NULL), 1);
	HT_EXPECT_STREQ(diag, "command line: CORES: 0 is out of range 1..64\n");
	HT_EXPECT_EQ(run("check", p, "--set", "framebuffer.width=wide", NULL), 1);
	HT_EXPECT_STREQ(diag, "command line: WIDTH: expected an integer 320..7680, got wide\n");
	HT_EXPECT_EQ(run("check", p, "--set", "firmware=efi", "--set", "memory=", NULL), 1);
	HT_EXPECT_STREQ(diag, "command line: FIRMWARE: efi is not one of: uefi, bios\n"
	                      "command line: MEMORY: expected an integer 64..65536, got \"\"\n");
	HT_EXPECT_EQ(run("check", p, "--set", "cores=99999999999999999999", NULL), 1);
	HT_EXPECT_STREQ(diag, "command line: CORES: 99999999999999999999 is out of range 1..64\n");
	HT_EXPECT_EQ(run("check", p, "--set", "nope=1", NULL), 1);
	HT_EXPECT(strncmp(diag, "command line: unknown key \"nope\"; known keys: arch,", 50) == 0);
	HT_EXPECT_EQ(run("check", p, "--set", "cores", NULL), 1);
	HT_EXPECT_STREQ(diag, "command line: --set expects key=value, got \"cores\"\n");
	/* a required key may come from the command line alone */
	const char *q = put("nocores.json", good_with("\"cores\"", ""));
	HT_EXPECT_EQ(run("check", q, "--set", "cores=8", NULL), 0);
	cleanup();
}

HTEST(emit_make_writes_only_on_change)
{
	tmpdir();
	const char *p = put("good.json", GOOD);
	char out[256];
	snprintf(out, sizeof out, "%s/config.mk", dir);
	HT_ASSERT(run("check", p, "--emit-make", out, NULL) == 0);
	HT_EXPECT(strstr(slurp(out), "CFG_CORES := 2\nCFG_MEMORY := 512\n") != NULL);
	/* age the file, then an identical result must leave it alone */
	struct timespec old[2] = {{1000000, 0}, {1000000, 0}};
	HT_ASSERT(utimensat(AT_FDCWD, out, old, 0) == 0);
	struct stat st;
	HT_ASSERT(run("check", p, "--emit-make", out, NULL) == 0);
	HT_ASSERT(stat(out, &st) == 0);
	HT_EXPECT_EQ(st.st_mtime, 1000000);
	/* a different value rewrites it */
	HT_ASSERT(run("check", p, "--set", "cores=4", "--emit-make", out, NULL) == 0);
	HT_ASSERT(stat(out, &st) == 0);
	HT_EXPECT(st.st_mtime != 1000000);
	HT_EXPECT(strstr(slurp(out), "CFG_CORES := 4\n") != NULL);
	/* an error leaves it untouched, and no temporary file behind */
	HT_ASSERT(utimensat(AT_FDCWD, out, old, 0) == 0);
	HT_EXPECT_EQ(run("check", p, "--set", "cores=65", "--emit-make", out, NULL), 1);
	HT_ASSERT(stat(out, &st) == 0);
	HT_EXPECT_EQ(st.st_mtime, 1000000);
	HT_EXPECT(strstr(slurp(out), "CFG_CORES := 4\n") != NULL);
	glob_t g;
	char pattern[300];
	snprintf(pattern, sizeof pattern, "%s/*", dir);
	HT_EXPECT(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 2);
	globfree(&g);
	cleanup();
}

HTEST(several_files_and_usage)
{
	tmpdir();
	const char *a = put("a.json", GOOD);
	const char *b = put("b.json", good_with("\"machine\"", "\"machine\": \"virt\","));
	HT_EXPECT_EQ(run("check", a, b, NULL), 1);
	HT_EXPECT(strstr(diag, "b.json:5:12: machine: \"virt\" is not one of: q35, pc\n") != NULL);
	HT_EXPECT_EQ(run("check", a, a, NULL), 0);
	HT_EXPECT_EQ(run("check", a, b, "--emit-make", "/tmp/never", NULL), 2);
	HT_EXPECT_EQ(run("check", NULL), 2);
	HT_EXPECT_EQ(run("verify", a, NULL), 2);
	HT_EXPECT_EQ(run("check", a, "--bogus", NULL), 2);
	cleanup();
}

/* Every leaf of the schema has a make variable and every variable a leaf
 * (the variables are listed by hand in schema.c, the leaves in the schema
 * file); the variables are the ones the Makefile passes (OVERRIDE_VARS). */
HTEST(schema_and_make_variables_agree)
{
	static uint8_t mem[1 << 16];
	struct typed_arena a;
	typed_arena_init(&a, mem, sizeof mem);
	const struct typed_type *t = tcfg_type(&a);
	HT_ASSERT(t != NULL);
	unsigned leaves = 0;
	for (uint32_t i = 0; i < t->rec.count; i++) {
		const struct typed_type *ft = t->rec.fields[i].type;
		leaves += ft->kind == TYPED_RECORD ? ft->rec.count : 1;
	}
	HT_EXPECT_EQ(leaves, TCFG_NVARS);
	static const char *const make_vars[] = {"ARCH",  "LOADER", "FIRMWARE", "MACHINE", "ACCEL",
	                                        "CORES", "MEMORY", "DISPLAY",  "WIDTH",   "HEIGHT"};
	for (int i = 0; i < TCFG_NVARS; i++) {
		const char *key = tcfg_vars[i].key;
		HT_EXPECT(tcfg_field(t, key, strlen(key)) != NULL);
		HT_EXPECT_STREQ(tcfg_vars[i].var, make_vars[i]);
	}
	HT_EXPECT(tcfg_field(t, "framebuffer", 11) == NULL); /* not a leaf */
}

static void keep_message(void *ctx, const char *msg)
{
	snprintf(ctx, 2048, "%s", msg);
}

/* A file name longer than the message buffer once made tcfg_report write
 * past it (its length was used as an offset into the buffer): the message
 * is cut short instead. */
HTEST(long_file_name_is_cut_short)
{
	static char name[2000], got[2048];
	memset(name, 'a', sizeof name - 1);
	struct tcfg_reporter r = {keep_message, got, name, 0};
	tcfg_report(&r, 7, "\"cores\": %d is out of range", 0);
	HT_EXPECT_EQ(r.errors, 1);
	HT_EXPECT_EQ(strlen(got), 1023);
	HT_EXPECT(strncmp(got, name, 1023) == 0);
	r.file = "config/x.json";
	tcfg_report(&r, 7, "\"cores\": %d is out of range", 0);
	HT_EXPECT_STREQ(got, "config/x.json:7: \"cores\": 0 is out of range");
}

/* A value with a newline or another control character stays on the
 * message's one line, escaped (found by fuzzing: an override holding a
 * newline made a message of two lines). */
HTEST(control_characters_are_escaped)
{
	static char got[2048];
	static uint8_t mem[1 << 16];
	struct typed_arena a;
	typed_arena_init(&a, mem, sizeof mem);
	struct tcfg_reporter r = {keep_message, got, "command line", 0};
	HT_EXPECT_EQ(tcfg_check_override(tcfg_type(&a), "firmware=ue\nfi\t\x01", &a, &r), 1);
	HT_EXPECT_STREQ(got,
	                "command line: FIRMWARE: \"ue\\nfi\\t\\x01\" is not one of: uefi, bios");
	tmpdir();
	HT_EXPECT_EQ(run("check", put("nl.json", "{\"machine\": \"q\\n35\"}"), NULL), 1);
	HT_EXPECT(strstr(diag, "nl.json:1:13: machine: \"q\\n35\" is not one of: q35, pc\n") !=
	          NULL);
	cleanup();
}

HTEST_MAIN("tcfg")
