/* tools/typedc: the schema language (every declaration, its errors), the
 * generated header (demo_args.schema's: its descriptor is the one demo.c builds
 * by hand, its structs are filled from text and from messages) and the
 * command's subcommands on files. */
#include <demo_args.h>
#include <glob.h>
#include <stdio.h>
#include <unistd.h>

#include "../../../tools/typedc/cli.h"
#include "../../../tools/typedc/schema.h"
#include "../htest.h"
#include "util.h"

HTEST(generated_descriptor_is_the_hand_built_one)
{
	uint8_t buf[1024];
	enum err e;
	size_t n = typed_desc_encode(&demo_type, true, buf, sizeof buf, &e);
	HT_ASSERT(e == ERR_OK);
	HT_EXPECT_EQ(n, sizeof demo_args_desc);
	HT_EXPECT(memcmp(buf, demo_args_desc, n) == 0);
	HT_EXPECT_EQ(DEMO_ARGS_ID, typed_desc_id(&demo_type));
}

HTEST(generated_struct_from_text)
{
	const char *text = "cores = 7\nlog = log\ntimeout = 5s\nfiles = [/p, /q]\n"
	                   "fb = { height = 300 }\nmode = small\ntags = [a]\n";
	struct demo_args args;
	reset_problems();
	HT_ASSERT(demo_args_load(text, strlen(text), fresh_arena(), &args, &diag) == ERR_OK);
	HT_EXPECT_EQ(args.cores, 7);
	HT_EXPECT_EQ(args.memory, 1 << 20);
	HT_EXPECT_EQ(args.quiet, false);
	HT_EXPECT_EQ(args.mode, MODE_SMALL);
	HT_EXPECT_STREQ(mode_names[args.mode], "small");
	HT_EXPECT(args.has_timeout);
	HT_EXPECT_EQ(args.timeout, 5000000000ull);
	HT_EXPECT_STREQ(args.name, "demo");
	HT_EXPECT_STREQ(args.root, "/boot");
	HT_EXPECT_EQ(args.log.slot, TYPED_SLOT_NONE);
	HT_EXPECT_STREQ(args.log.name, "log");
	HT_ASSERT(args.files.count == 2);
	HT_EXPECT_STREQ(args.files.items[1], "/q");
	HT_EXPECT_EQ(args.fb.width, 1024);
	HT_EXPECT_EQ(args.fb.height, 300);
	HT_EXPECT_EQ(args.level, 0);
	HT_EXPECT(args.has_tags);
	HT_EXPECT_EQ(args.tags.count, 1);
	HT_EXPECT_STREQ(args.tags.items[0], "a");
	/* problems go to the diagnostics, with the position */
	HT_EXPECT_EQ(demo_args_load("cores = 0", 9, fresh_arena(), &args, &diag), ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "t.conf:1:9: cores: 0 is out of range 1..64\n"
	                "t.conf: missing required field \"log\" (a capability (log with write))\n");
}

HTEST(generated_struct_from_message)
{
	struct typed_value *v = args("--cores", "2", "--log", "l", "--level", "-1", NULL);
	HT_ASSERT(v != NULL);
	v->list.items[DEMO_LOG].cap.slot = 12;
	uint8_t msg[256];
	enum err e;
	size_t n = typed_encode(v, msg, sizeof msg, &e, NULL);
	HT_ASSERT(e == ERR_OK);
	struct demo_args a;
	struct typed_error err;
	static unsigned char mem[1 << 16];
	struct typed_arena arena;
	typed_arena_init(&arena, mem, sizeof mem);
	HT_ASSERT(demo_args_decode(msg, n, &arena, &a, &err) == ERR_OK);
	HT_EXPECT_EQ(a.cores, 2);
	HT_EXPECT_EQ(a.log.slot, 12);
	HT_EXPECT(a.log.name == NULL);
	HT_EXPECT_EQ(a.level, -1);
	HT_EXPECT(!a.has_timeout);
	HT_EXPECT(!a.has_tags);
	HT_EXPECT_EQ(a.files.count, 0);
	msg[0] ^= 1; /* another type's message */
	HT_EXPECT_EQ(demo_args_decode(msg, n, &arena, &a, &err), ERR_CORRUPT);
}

/* Parses a schema text; the problems in `problems`. */
static enum err parse(const char *text, struct schema *s)
{
	reset_problems();
	diag.ctx = "s.schema";
	return schema_parse(text, strlen(text), fresh_arena(), s, &diag);
}

#define EXPECT_SCHEMA_FAILS(text, want)               \
	do {                                          \
		static struct schema s;               \
		HT_EXPECT(parse(text, &s) != ERR_OK); \
		HT_EXPECT_STREQ(problems, want);      \
	} while (0)

HTEST(schema_declarations)
{
	static struct schema s;
	HT_ASSERT(parse("# all of it\n"
	                "type level = int -3..3 \"a level\"\n"
	                "type kinds = enum(a, b_2, C)\n"
	                "record inner { x: bool\n y?: level }\n"
	                "record outer \"the root\" {\n"
	                "  a: size 4K..1M = 8K \"bytes\"\n"
	                "  b: duration ..10s = 1s\n"
	                "  c: list(inner, 3) = [{ x = true }]\n"
	                "  d: cap(endpoint, read, grant)\n"
	                "  e: kinds = C\n"
	                "  f: list(list(string(4), 2), 2) = [[ab], []]\n"
	                "  root: path = /\n"
	                "}\n"
	                "root outer\n",
	                &s) == ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	HT_EXPECT_STREQ(s.root_name, "outer");
	HT_EXPECT_STREQ(s.root_doc, "the root");
	HT_EXPECT_EQ(s.ndecls, 4);
	const struct typed_type *t = s.root;
	HT_ASSERT(t->kind == TYPED_RECORD && t->rec.count == 7);
	HT_EXPECT_EQ(t->rec.fields[0].type->u.min, 4096);
	HT_EXPECT_EQ(t->rec.fields[0].def->u, 8192);
	HT_EXPECT_STREQ(t->rec.fields[0].doc, "bytes");
	HT_EXPECT_EQ(t->rec.fields[1].type->u.min, 0);
	HT_EXPECT_EQ(t->rec.fields[1].type->u.max, 10000000000ull);
	HT_EXPECT_EQ(t->rec.fields[2].def->list.count, 1);
	HT_EXPECT_EQ(t->rec.fields[3].type->cap.cap_type, 11); /* CAP_ENDPOINT */
	HT_EXPECT_EQ(t->rec.fields[3].type->cap.rights, 1 | 8);
	HT_EXPECT_EQ(t->rec.fields[4].def->u, 2);
	HT_EXPECT_STREQ(t->rec.fields[4].type->name, "kinds");
	const struct typed_type *inner = t->rec.fields[2].type->list.elem;
	HT_EXPECT_STREQ(inner->name, "inner");
	HT_EXPECT_EQ(inner->rec.fields[1].type->kind, TYPED_OPTIONAL);
	HT_EXPECT_EQ(inner->rec.fields[1].type->inner->i.min, -3);
}

/* A record without fields once passed memcpy a null pointer (found by
 * fuzzing); it is a record like any other. */
HTEST(schema_empty_record)
{
	static struct schema s;
	HT_ASSERT(parse("record r {\n}\nroot r\n", &s) == ERR_OK);
	HT_EXPECT_EQ(s.root->rec.count, 0);
}

HTEST(schema_errors)
{
	EXPECT_SCHEMA_FAILS("record r { a: uint }\n", "s.schema: no root: say which record it is "
	                                              "with `root NAME`\n");
	EXPECT_SCHEMA_FAILS("record r { a: nope }\nroot r\n",
	                    "s.schema:1:15: nope is not declared (above this line)\n");
	EXPECT_SCHEMA_FAILS("record r { a: uint 5..1 }\nroot r\n",
	                    "s.schema:1:20: range 5..1: the minimum is above the maximum\n");
	EXPECT_SCHEMA_FAILS("record r { a: uint 1..64 = 99 }\nroot r\n",
	                    "s.schema:1:28: 99 is out of range 1..64\n");
	EXPECT_SCHEMA_FAILS(
	        "record r { a: size 1X..2 }\nroot r\n",
	        "s.schema:1:20: expected a size (like 4096, 64K, 2M: K M G T are powers "
	        "of 1024), got 1X\n");
	EXPECT_SCHEMA_FAILS("record r { a?: bool = true }\nroot r\n",
	                    "s.schema:1:23: an optional field has no default\n");
	EXPECT_SCHEMA_FAILS("record r { a: bool\na: int }\nroot r\n",
	                    "s.schema:2:1: field a is declared twice\n");
	EXPECT_SCHEMA_FAILS("record r { a: bool }\nrecord r { b: bool }\nroot r\n",
	                    "s.schema:2:8: r is declared twice\n");
	EXPECT_SCHEMA_FAILS("record list { a: bool }\n", "s.schema:1:8: list is a keyword, not a "
	                                                 "name\n");
	EXPECT_SCHEMA_FAILS("record r { a: enum(x, x) }\nroot r\n",
	                    "s.schema:1:23: x given twice\n");
	EXPECT_SCHEMA_FAILS(
	        "record r { a: cap(door) }\nroot r\n",
	        "s.schema:1:19: expected a capability type (any, endpoint, frame, ...), "
	        "got door\n");
	EXPECT_SCHEMA_FAILS("record r { a: list(bool) }\nroot r\n",
	                    "s.schema:1:24: expected ',', got )\n");
	EXPECT_SCHEMA_FAILS("record r { a: string(0) }\nroot r\n",
	                    "s.schema:1:22: expected a number 1..1048576, got 0\n");
	EXPECT_SCHEMA_FAILS("type t = bool\nroot t\n",
	                    "s.schema:2:6: root t: not a record declared "
	                    "above\n");
	EXPECT_SCHEMA_FAILS("record r { a: bool b: bool }\nroot r\n",
	                    "s.schema:1:20: expected a new line or '}' after the field, got b\n");
	EXPECT_SCHEMA_FAILS("struct r {}\n", "s.schema:1:1: expected record, type or root, got "
	                                     "struct\n");
	EXPECT_SCHEMA_FAILS("record r { a: list(cap, 2) = [log] }\nroot r\n",
	                    "s.schema: a: default: a default cannot name a capability\n");
}

/* Runs typedc with the arguments (NULL-terminated); out and err captured. */
static char out_text[4096], err_text[4096];
static int run(const char *arg, ...)
{
	char *argv[32] = {"typedc"};
	int argc = 1;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	FILE *out = tmpfile(), *err = tmpfile();
	int rc = typedc_main(argc, argv, out, err);
	rewind(out);
	rewind(err);
	out_text[fread(out_text, 1, sizeof out_text - 1, out)] = '\0';
	err_text[fread(err_text, 1, sizeof err_text - 1, err)] = '\0';
	fclose(out);
	fclose(err);
	return rc;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

HTEST(typedc_commands)
{
	char dir[] = "/tmp/typedc-test.XXXXXX", conf[64], bad[64], msg[64];
	HT_ASSERT(mkdtemp(dir) != NULL);
	snprintf(conf, sizeof conf, "%s/good.conf", dir);
	snprintf(bad, sizeof bad, "%s/bad.conf", dir);
	snprintf(msg, sizeof msg, "%s/good.msg", dir);
	const char *schema = "tests/host/typed/demo_args.schema";
	put(conf, "cores = 2\nlog = log\nfiles = [/a]\n");
	put(bad, "cores = 2\nlog = log\nfiles = [a]\nmode = 3\n");
	HT_EXPECT_EQ(run("check", schema, conf, NULL), 0);
	HT_EXPECT_STREQ(err_text, "");
	HT_EXPECT_EQ(run("check", schema, bad, NULL), 1);
	char want[512];
	snprintf(want, sizeof want,
	         "%s:3:10: files[0]: a is not an absolute path (it must start with /)\n"
	         "%s:4:8: mode: 3 is not one of: fast, small\n",
	         bad, bad);
	HT_EXPECT_STREQ(err_text, want);
	HT_EXPECT_EQ(run("args", schema, "--cores", "99", NULL), 1);
	HT_EXPECT_STREQ(err_text,
	                "--cores: 99 is out of range 1..64\n"
	                "missing required option --log (a capability (log with write))\n");
	HT_EXPECT_EQ(run("encode", schema, conf, msg, NULL), 0);
	HT_EXPECT_EQ(run("decode", schema, msg, NULL), 0);
	HT_EXPECT_STREQ(out_text, "cores = 2\nmemory = 1M\nquiet = false\nmode = fast\n"
	                          "name = demo\nroot = /boot\nlog = 0\nfiles = [/a]\n"
	                          "fb = { width = 1024, height = 768 }\nlevel = 0\n");
	HT_EXPECT_EQ(run("decode", schema, conf, NULL), 1); /* text is not a message */
	HT_EXPECT_EQ(run("help", schema, NULL), 2);
	HT_EXPECT_EQ(run("frobnicate", schema, NULL), 2);
	HT_EXPECT_EQ(run("check", "/nonexistent.schema", conf, NULL), 1);
	HT_EXPECT_STREQ(err_text, "/nonexistent.schema: cannot read: No such file or directory\n");
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	HT_EXPECT_EQ(system(cmd), 0);
}

/* Every schema of the tree compiles, and init's startup file checks
 * against its schema (run from the tree's root, as make test does). */
HTEST(tree_schemas_and_startup_file_are_valid)
{
	glob_t g;
	int r = glob("*/*/*.schema", 0, NULL, &g);
	HT_ASSERT(r == 0 || r == GLOB_NOMATCH);
	r = glob("*/*/*/*.schema", GLOB_APPEND, NULL, &g);
	HT_ASSERT(r == 0 || r == GLOB_NOMATCH);
	HT_EXPECT(g.gl_pathc >= 4);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char out[] = "/tmp/typedc-test-XXXXXX";
		int fd = mkstemp(out);
		HT_ASSERT(fd >= 0);
		close(fd);
		HT_EXPECT_EQ(run("header", g.gl_pathv[i], out, NULL), 0);
		HT_EXPECT_STREQ(err_text, "");
		unlink(out);
	}
	globfree(&g);
	HT_EXPECT_EQ(run("check", "user/init/init_startup.schema", "user/init/startup.conf", NULL),
	             0);
	HT_EXPECT_STREQ(err_text, "");
}

HTEST_MAIN("typedc")
