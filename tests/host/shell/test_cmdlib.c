/* Host tests of command libraries (lib/shell/cmdlib.c, docs/tile.md §16):
 * library tiles made by the tile tool's writer (tools/tile/write.c) with a
 * commands section, loaded with shell_cmdlib_load; lines checked against
 * the signatures from the tile and run with a host function in place of
 * the library's code; every refusal of a bad library with its message
 * (the tile and the field), and the shell going on with a good one. */
#include <stdlib.h>
#include <string.h>

#include "../../../tools/tile/model.h"
#include "../htest.h"
#include "util.h"

/* demo's types, written out here (what a commands schema would say):
 * double(n: uint 1..100 "a number") -> uint, and pick(by: string(31)
 * "a column") taking a table and returning it. */
static const struct typed_type u_1_100 = {.kind = TYPED_UINT, .u = {1, 100}};
static const struct typed_type u_all = {.kind = TYPED_UINT, .u = {0, UINT64_MAX}};
static const struct typed_field double_f[] = {{"n", "a number", &u_1_100, NULL}};
static const struct typed_type double_p = {.kind = TYPED_RECORD, .rec = {double_f, 1}};
static const struct typed_type str31 = {.kind = TYPED_STRING, .str = {31}};
static const struct typed_field pick_f[] = {{"by", "a column", &str31, NULL}};
static const struct typed_type pick_p = {.kind = TYPED_RECORD, .rec = {pick_f, 1}};
static const struct typed_type log_cap = {.kind = TYPED_CAP, .cap = {0, 2}};

/* A mutation of the good library before it is written. */
typedef void (*mutate_fn)(struct model *m);

/* The library tdemo: code at 0 (0x1000, 0x20 bytes in the file), data at
 * 0x1000; commands double (at 0x10) and pick (at 0x18). */
static uint8_t *demo_file(size_t *size, mutate_fn mutate)
{
	struct model m;

	model_init(&m, TILE_KIND_LIBRARY, "tdemo");
	m.h.version_major = 1;
	m.h.image_size = 0x2000;
	for (int i = 0; i < 2; i++) {
		struct model_segment *s = vec_push(&m.segments, sizeof *s);
		s->s = (struct tile_segment){.addr = 0x1000u * (unsigned)i,
		                             .memsz = 0x1000,
		                             .filesz = 0x20,
		                             .prot = TILE_PROT_R | (i ? TILE_PROT_W : TILE_PROT_X),
		                             .align_bits = 12};
		s->bytes = calloc(1, 0x20);
	}
	struct tile_command *c = vec_push(&m.commands, sizeof *c);
	*c = (struct tile_command){.value = 0x10,
	                           .name = model_str(&m, "double"),
	                           .doc = model_str(&m, "twice a number"),
	                           .params = model_desc(&m, &double_p, "double_p"),
	                           .input = TILE_CMD_NONE,
	                           .result = model_desc(&m, &u_all, "count"),
	                           .out = SHELL_IO_TYPE,
	                           .abi = SHELL_CMDLIB_ABI};
	c = vec_push(&m.commands, sizeof *c);
	*c = (struct tile_command){.value = 0x18,
	                           .name = model_str(&m, "pick"),
	                           .doc = model_str(&m, "the input, as it is"),
	                           .params = model_desc(&m, &pick_p, "pick_p"),
	                           .input = TILE_CMD_NONE,
	                           .result = TILE_CMD_NONE,
	                           .kinds = model_str(&m, "c"),
	                           .in = SHELL_IO_TABLE,
	                           .out = SHELL_IO_SAME,
	                           .abi = SHELL_CMDLIB_ABI};
	if (mutate)
		mutate(&m);
	uint8_t *file = model_write(&m, size);
	model_free(&m);
	return file;
}

static const char *ctx_seen;

/* The host's stand-in for both functions: double's result, pick's input. */
static enum err host_fn(struct shell_call *c)
{
	ctx_seen = c->ctx;
	if (!strcmp(c->sig->name, "double")) {
		c->out->u = 2 * c->args->list.items[0].u;
		return ERR_OK;
	}
	*c->out = *c->in;
	return ERR_OK;
}

static uint8_t arena_mem[1u << 20];

/* Loads the file; why (or "loaded") into buf. */
static enum err load(const uint8_t *file, size_t size, struct typed_arena *a,
                     struct shell_cmds *cmds, char *why, size_t len)
{
	snprintf(why, len, "loaded");
	return shell_cmdlib_load(file, size, "tdemo", 0, host_fn, "the host", a, cmds, why, len);
}

HTEST(cmdlib_signatures_come_from_the_tile)
{
	struct typed_arena a;
	struct shell_cmds cmds;
	char why[256];
	size_t size;
	uint8_t *file = demo_file(&size, NULL);

	typed_arena_init(&a, arena_mem, sizeof arena_mem);
	HT_ASSERT(load(file, size, &a, &cmds, why, sizeof why) == ERR_OK);
	HT_EXPECT_STREQ(why, "loaded");
	HT_EXPECT_EQ(cmds.count, 2);
	HT_EXPECT_STREQ(cmds.from, "tdemo");
	HT_EXPECT_STREQ(cmds.sigs[0].name, "double");
	HT_EXPECT_STREQ(cmds.sigs[1].doc, "the input, as it is");
	HT_EXPECT_EQ(cmds.sigs[1].arg_kinds[0], SHELL_ARG_COLUMN);

	static uint8_t mem[4u << 20];
	cmds.next = &shell_std_cmds;
	struct shell *sh = shell_new(mem, sizeof mem, &cmds);
	HT_EXPECT_STREQ(t_run(sh, "double 21", 80), "42\n");
	HT_EXPECT_STREQ(ctx_seen, "the host");
	HT_EXPECT_STREQ(t_run(sh, "double n=101", 80),
	                "double n=101\n         ^\n1:10: expected uint 1..100, found 101\n");
	HT_EXPECT_STREQ(t_run(sh, "help double", 80),
	                "double n: uint 1..100 -> uint\n  twice a number\n  from tdemo\n"
	                "  n          a number\n");
	HT_EXPECT_STREQ(t_run(sh, "[{a: 1}] | pick b", 80),
	                "[{a: 1}] | pick b\n                ^\n1:17: expected a column of the "
	                "input table(a), found 'b'\n");
	HT_EXPECT_STREQ(t_run(sh, "[{a: 7}] | pick a | length", 80), "1\n");
	free(file);
}

static void m_kinds(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 0)->kinds = model_str(m, "vv");
}
static void m_letter(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 0)->kinds = model_str(m, "x");
}
static void m_column_uint(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 0)->kinds = model_str(m, "c");
}
static void m_abi(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 1)->abi = 2;
}
/* A third command that uses double's types, which a mutation took from
 * double (an unused type would be refused for its text). */
static void keep(struct model *m)
{
	struct tile_command *c = vec_push(&m->commands, sizeof *c);
	*c = (struct tile_command){.value = 0x10,
	                           .name = model_str(m, "keep"),
	                           .params = model_desc(m, &double_p, "double_p"),
	                           .input = TILE_CMD_NONE,
	                           .result = model_desc(m, &u_all, "count"),
	                           .out = SHELL_IO_TYPE,
	                           .abi = SHELL_CMDLIB_ABI};
}
static void m_cap(struct model *m)
{
	keep(m);
	VEC_AT(&m->commands, struct tile_command, 0)->result = model_desc(m, &log_cap, "logcap");
}
static void m_no_function(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 1)->value = 0x1008; /* data, not code */
}
static void m_params_not_record(struct model *m)
{
	keep(m);
	VEC_AT(&m->commands, struct tile_command, 0)->params = model_desc(m, &str31, "name");
}
static void m_no_result_type(struct model *m)
{
	keep(m);
	VEC_AT(&m->commands, struct tile_command, 0)->result = TILE_CMD_NONE;
}
static void m_imports(struct model *m)
{
	struct tile_library *l = vec_push(&m->libraries, sizeof *l);
	*l = (struct tile_library){.name = model_str(m, "rt"), .min_major = 1, .max_major = 2};
	struct tile_import *im = vec_push(&m->imports, sizeof *im);
	*im = (struct tile_import){.name = model_str(m, "rt_printf"),
	                           .type = model_desc(m, &u_all, "u64"),
	                           .kind = TILE_SYM_DATA};
}
static void m_forged_hash(struct model *m)
{
	VEC_AT(&m->types, struct tile_type, 0)->hash ^= 1;
}
static void m_twice(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 1)->name = model_str(m, "double");
}
static void m_bad_name(struct model *m)
{
	VEC_AT(&m->commands, struct tile_command, 0)->name = model_str(m, "Double");
}

HTEST(cmdlib_bad_libraries_are_refused_naming_the_field)
{
	static const struct {
		mutate_fn mutate;
		enum err e;
		const char *why; /* the whole message, or its start if it ends in '*' */
	} cases[] = {
	        {m_kinds, ERR_CORRUPT,
	         "tdemo: commands[0] (double).kinds: 2 letters for 1 parameters"},
	        {m_letter, ERR_CORRUPT,
	         "tdemo: commands[0] (double).kinds: 'x' is not one of v c r n p"},
	        {m_column_uint, ERR_CORRUPT,
	         "tdemo: commands[0] (double).kinds: parameter n ('c') is not a string"},
	        {m_abi, ERR_CORRUPT, "tdemo: commands[1] (pick).abi: version 2, the shell's is 1"},
	        {m_cap, ERR_CORRUPT,
	         "tdemo: commands[0] (double).result: logcap holds a capability, which the shell "
	         "cannot"},
	        {m_no_function, ERR_CORRUPT, "tdemo: commands[1].value 0x1008 is not in code"},
	        {m_params_not_record, ERR_CORRUPT,
	         "tdemo: types[3] (name): a command's parameters type is not a record"},
	        {m_no_result_type, ERR_CORRUPT,
	         "tdemo: commands[0] (double).out: 1 with no result type"},
	        {m_imports, ERR_CORRUPT,
	         "tdemo: imports: 1 (a command library has no runtime of its own and imports "
	         "nothing)"},
	        {m_forged_hash, ERR_CORRUPT, "tdemo: types[0] (double_p): hash *"},
	        {m_twice, ERR_CORRUPT, "tdemo: commands[1]: 'double' is named twice"},
	        {m_bad_name, ERR_CORRUPT,
	         "tdemo: commands[0] (Double).name: not a command's name ([a-z][a-z0-9_]*, < 32 "
	         "bytes)"},
	};
	struct typed_arena a;
	struct shell_cmds cmds;
	char why[256];
	size_t size;

	typed_arena_init(&a, arena_mem, sizeof arena_mem);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t *file = demo_file(&size, cases[i].mutate);
		HT_EXPECT_EQ(load(file, size, &a, &cmds, why, sizeof why), cases[i].e);
		size_t n = strlen(cases[i].why);
		if (cases[i].why[n - 1] == '*')
			HT_EXPECT(strncmp(why, cases[i].why, n - 1) == 0);
		else
			HT_EXPECT_STREQ(why, cases[i].why);
		HT_EXPECT_EQ(cmds.count, 0);
		free(file);
	}
	/* and then a good one loads in the same arena: the shell goes on */
	uint8_t *file = demo_file(&size, NULL);
	HT_EXPECT_EQ(load(file, size, &a, &cmds, why, sizeof why), ERR_OK);
	HT_EXPECT_EQ(cmds.count, 2);
	free(file);
}

HTEST(cmdlib_truncated_and_program_tiles)
{
	struct typed_arena a;
	struct shell_cmds cmds;
	char why[256];
	size_t size;
	uint8_t *file = demo_file(&size, NULL);

	typed_arena_init(&a, arena_mem, sizeof arena_mem);
	HT_EXPECT_EQ(load(file, 40, &a, &cmds, why, sizeof why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "tdemo: 40 bytes: too small for a tile header (88)");
	HT_EXPECT_EQ(load(file, size - 4096, &a, &cmds, why, sizeof why), ERR_CORRUPT);
	HT_EXPECT(strncmp(why, "tdemo: header.file_size", 23) == 0);
	free(file);
}

HTEST_MAIN("shell_cmdlib")
