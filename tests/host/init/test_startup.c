/* init's startup description (user/init/startup.h): the two descriptions
 * in the tree read into the entries written out here by hand (the normal
 * image's five programs, its drivers, input, shell and desktop, init's test), and bad descriptions
 * refused with every problem at its line and column.  A program's
 * configuration (startup_config): texts checked against a schema written
 * here, encoded, and refused with exact messages. */
#include "../../../tools/typedc/schema.h"
#include "../../../user/init/startup.h"

#include <stdio.h>
#include <stdlib.h>

#include "../htest.h"

#define MAX 32

static struct startup_entry entries[MAX];
static unsigned n;
static char problems[1024];
static uint8_t arena_mem[STARTUP_ARENA];

static void keep(void *ctx, const struct typed_error *e)
{
	size_t at = strlen(problems);

	typed_error_format(e, ctx, problems + at, sizeof problems - at - 1);
	strcat(problems, "\n");
}

/* text as the description named file; its problems in `problems`. */
static enum err read_text(const char *text, const char *file, size_t arena)
{
	struct typed_arena a;
	struct typed_diag d = {keep, (void *)file, 0};

	problems[0] = 0;
	typed_arena_init(&a, arena_mem, arena);
	return startup_read(text, strlen(text), &a, entries, MAX, &n, &d);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[8192];
	size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

	if (f)
		fclose(f);
	buf[len] = 0;
	return buf;
}

/* Entry i is name on core with 2^bits bytes, the log or not, channel
 * chan, and the command line args (words separated by blanks). */
static void expect(unsigned i, const char *name, unsigned core, unsigned bits, bool log,
                   const char *chan, const char *args)
{
	char line[256] = "";

	HT_ASSERT(i < n);
	const struct startup_entry *e = &entries[i];
	HT_EXPECT_STREQ(e->name, name);
	HT_EXPECT_EQ(e->core, core);
	HT_EXPECT_EQ(e->budget_bits, bits);
	HT_EXPECT_EQ(e->log, log);
	HT_EXPECT_STREQ(e->chan, chan);
	for (unsigned k = 0; k < e->argc; k++)
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", k ? " " : "",
		         e->argv[k]);
	HT_EXPECT_STREQ(line, args);
}

HTEST(startup_conf_starts_the_five_programs_the_drivers_the_file_service_and_the_console)
{
	HT_ASSERT(read_text(slurp("user/init/startup.conf"), "startup", STARTUP_ARENA) == ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	HT_ASSERT(n == 13);
	expect(0, "sieve", 2, 21, true, "", "--limit 1000000");
	HT_EXPECT_STREQ(entries[0].config, "sieve.conf");
	for (unsigned i = 1; i < 13; i++)
		HT_EXPECT_STREQ(entries[i].config, "");
	expect(1, "counter", 1, 20, true, "", "--threads 4 --rounds 20000");
	expect(2, "sieve", 3, 21, true, "", "");
	expect(3, "pingpong", 2, 18, true, "pp", "--rounds 2000");
	expect(4, "pingpong", 1, 18, true, "pp", "--rounds 2000");
	expect(5, "pci", 0, 20, true, "", "");
	HT_EXPECT_EQ(entries[5].ndevs, 1);
	HT_EXPECT_STREQ(entries[5].devs[0], "devices");
	expect(6, "ps2", 0, 19, true, "", "");
	HT_EXPECT_EQ(entries[6].ndevs, 4);
	HT_EXPECT_STREQ(entries[6].devs[0], "port60");
	HT_EXPECT_STREQ(entries[6].devs[1], "port64");
	HT_EXPECT_STREQ(entries[6].devs[2], "irq1");
	HT_EXPECT_STREQ(entries[6].devs[3], "irq12");
	HT_EXPECT_STREQ(entries[6].serves[0], "input");
	expect(8, "inputmon", 0, 17, true, "", "");
	HT_EXPECT_EQ(entries[8].nuses, 1);
	HT_EXPECT_STREQ(entries[8].uses[0], "input");
	HT_EXPECT_EQ(entries[5].nserves, 1);
	HT_EXPECT_STREQ(entries[5].serves[0], "pci");
	expect(7, "edu", 0, 18, true, "", "");
	HT_EXPECT_EQ(entries[7].ndevs, 0);
	HT_EXPECT_EQ(entries[7].nuses, 1);
	HT_EXPECT_STREQ(entries[7].uses[0], "pci");
	HT_EXPECT_EQ(entries[0].ndevs, 0);
	/* the file service: the PCI service (its disk's controller), and
	 * `files` (init's channel to it) */
	expect(9, "fs", 0, 20, true, "", "");
	HT_EXPECT_EQ(entries[9].ndevs, 0);
	HT_EXPECT_EQ(entries[9].nuses, 1);
	HT_EXPECT_STREQ(entries[9].uses[0], "pci");
	HT_EXPECT_EQ(entries[9].nserves, 1);
	HT_EXPECT_STREQ(entries[9].serves[0], "files");
	HT_EXPECT(!entries[9].system && !entries[9].modules);
	expect(10, "serial", 0, 18, true, "console", "");
	HT_EXPECT_EQ(entries[10].ndevs, 2);
	HT_EXPECT_STREQ(entries[10].devs[0], "port3f8");
	HT_EXPECT_STREQ(entries[10].devs[1], "irq4");
	HT_EXPECT(!entries[10].system && !entries[10].modules);
	expect(11, "shell", 0, 21, true, "console", "");
	HT_EXPECT_EQ(entries[11].ndevs, 0);
	HT_EXPECT(entries[11].system && entries[11].modules);
	HT_EXPECT(!entries[5].system && !entries[0].system && !entries[0].modules);
	/* the desktop: input, init's control service, every module; the
	 * lowest priority (7 of 1..7), optional; the others the defaults */
	expect(12, "desktop", 0, 24, true, "", "");
	HT_EXPECT_EQ(entries[12].nuses, 1);
	HT_EXPECT_STREQ(entries[12].uses[0], "input");
	HT_EXPECT(entries[12].control && entries[12].modules && !entries[12].system);
	HT_EXPECT_EQ(entries[12].priority, 7);
	HT_EXPECT(entries[12].optional);
	for (unsigned i = 0; i < 13; i++) {
		if (i == 12)
			continue;
		HT_EXPECT_EQ(entries[i].priority, 3);
		HT_EXPECT(!entries[i].optional && !entries[i].control);
	}
}

/* userspace.img's description (mk/image.mk): startup.conf without its
 * closing bracket, tests/userspace/refused.startup, the bracket. */
HTEST(userspace_image_adds_the_refused_configuration)
{
	static char text[16384];
	size_t len;

	snprintf(text, sizeof text, "%s",
	         slurp("user/init/startup.conf")); /* slurp's buffer is one */
	char *end = strrchr(text, ']');
	HT_ASSERT(end != NULL);
	len = (size_t)(end - text);
	snprintf(text + len, sizeof text - len, "%s]\n", slurp("tests/userspace/refused.startup"));
	HT_ASSERT(read_text(text, "userspace", STARTUP_ARENA) == ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	HT_ASSERT(n == 14);
	expect(13, "sieve", 0, 21, true, "", "");
	HT_EXPECT_STREQ(entries[13].config, "sieve-bad.conf");
}

HTEST(startup_priority_optional_and_control)
{
	HT_ASSERT(read_text("programs = [\n"
	                    "\t{ name = a, priority = 1, optional = true, caps = [control] }\n"
	                    "\t{ name = b, optional = false }\n"
	                    "]\n",
	                    "startup", STARTUP_ARENA) == ERR_OK);
	HT_ASSERT(n == 2);
	HT_EXPECT_EQ(entries[0].priority, 1);
	HT_EXPECT(entries[0].optional && entries[0].control && entries[0].nuses == 0);
	HT_EXPECT_EQ(entries[1].priority, 3);
	HT_EXPECT(!entries[1].optional && !entries[1].control);
	/* 0 is the kernel's highest, not init's to give; 8 is past the lowest */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = a, priority = 0 }\n"
	                       "\t{ name = b, priority = 8 }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems, "startup:2:25: programs[0].priority: 0 is out of range 1..7\n"
	                          "startup:3:25: programs[1].priority: 8 is out of range 1..7\n");
	HT_EXPECT_EQ(n, 0);
	/* control is init's: no program serves it, and it is core 0's */
	HT_EXPECT_EQ(read_text("programs = [\n\t{ name = a, serves = [control] }\n]\n", "startup",
	                       STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:2:24: programs[0].serves[0]: 'control' cannot name a service "
	                "(log, init, modules, control and device names are init's; at most 15 "
	                "characters)\n");
	HT_EXPECT_EQ(read_text("programs = [\n\t{ name = b, core = 1, caps = [control] }\n]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:2:2: programs[0]: services join programs on core 0 that "
	                "init starts itself (an endpoint is one core's): core 0, no chan\n");
	HT_EXPECT_EQ(n, 0);
}

HTEST(startup_conf_of_inits_test)
{
	HT_ASSERT(read_text(slurp("user/tests/rt_startup.conf"), "startup", STARTUP_ARENA) ==
	          ERR_OK);
	HT_ASSERT(n == 5);
	expect(0, "rt_child", 0, 18, true, "", "");
	expect(1, "rt_child", 0, 17, true, "", "");
	expect(2, "nosuch", 0, 20, false, "", "");
	expect(3, "rt_child", 1, 20, true, "", "");
	expect(4, "rt_child", 0, 20, true, "", "--rounds 3");
}

HTEST(startup_refusals_name_line_column_field_and_rule)
{
	/* columns count bytes from 1, a tab is one */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = sieve, core = 64, memory = 3G }\n"
	                       "\t{ name = counter, colour = red }\n"
	                       "\t{ core = 1 }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:2:25: programs[0].core: 64 is out of range 0..63\n"
	                "startup:2:38: programs[0].memory: 3G is out of range 64K..1G\n"
	                "startup:3:20: programs[1]: unknown field \"colour\"; known fields: "
	                "name, core, memory, caps, serves, args, chan, priority, config, optional\n"
	                "startup:4:2: programs[2]: missing required field \"name\" (a string "
	                "of at most 31 bytes)\n");
	HT_EXPECT_EQ(n, 0);
	/* what only init checks: the caps it can give */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = a, caps = [log] }\n"
	                       "\t{ name = b, caps = [log, serial.0] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:3:27: programs[1].caps[1]: init gives no capability "
	                "'serial.0' (it gives: log, init, modules, control, devices, portN, "
	                "irqN, frameN, mmioN, ecamN, and the services programs serve)\n");
	HT_EXPECT_EQ(n, 0);
	/* device caps by name (rt/device.h), for drivers */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = ps2, caps = [log, port60, port64, irq1] }\n"
	                       "\t{ name = pci, caps = [devices] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	HT_ASSERT(n == 2);
	HT_EXPECT(entries[0].log);
	HT_EXPECT_EQ(entries[0].ndevs, 3);
	HT_EXPECT_STREQ(entries[0].devs[0], "port60");
	HT_EXPECT_STREQ(entries[0].devs[1], "port64");
	HT_EXPECT_STREQ(entries[0].devs[2], "irq1");
	HT_EXPECT(!entries[1].log);
	HT_EXPECT_EQ(entries[1].ndevs, 1);
	HT_EXPECT_STREQ(entries[1].devs[0], "devices");
	HT_EXPECT_EQ(read_text("programs = [\n\t{ name = b, caps = [portxyz] }\n]\n", "startup",
	                       STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:2:22: programs[0].caps[0]: init gives no capability "
	                "'portxyz' (it gives: log, init, modules, control, devices, portN, "
	                "irqN, frameN, mmioN, ecamN, and the services programs serve)\n");
	HT_EXPECT_EQ(read_text("programs = [\n\t{ name = a, chan = a_name_too_long_ }\n]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems, "startup:2:21: programs[0].chan: a_name_too_long_ is longer "
	                          "than 15 bytes\n");
	HT_EXPECT_EQ(read_text("programs = [\n\t{ name = sieve\n]\n", "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:3:1: expected a field name ([a-z][a-z0-9_]*), got ']'\n");
	HT_EXPECT_EQ(read_text("", "startup", STARTUP_ARENA), ERR_CORRUPT);
	HT_EXPECT_STREQ(problems, "startup: missing required field \"programs\" (a list of at "
	                          "most 32 items, each a record {name, core, memory, caps, serves, "
	                          "args, chan, priority, config, optional})\n");
}

HTEST(startup_services_are_served_once_and_used_by_name)
{
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = ps2, caps = [irq1], serves = [input] }\n"
	                       "\t{ name = pci, caps = [devices], serves = [pci] }\n"
	                       "\t{ name = mon, caps = [log, input, pci] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	HT_ASSERT(n == 3);
	HT_EXPECT_EQ(entries[2].nuses, 2);
	HT_EXPECT_STREQ(entries[2].uses[0], "input");
	HT_EXPECT_STREQ(entries[2].uses[1], "pci");
	HT_EXPECT_EQ(entries[2].ndevs, 0);
	HT_EXPECT_EQ(entries[0].nserves, 1);
	HT_EXPECT_STREQ(entries[0].serves[0], "input");
	HT_EXPECT_EQ(entries[0].nuses, 0);
	HT_EXPECT_STREQ(entries[1].serves[0], "pci");
	/* a user before its server; a user on another core */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = mon, caps = [log, input] }\n"
	                       "\t{ name = ps2, serves = [input] }\n"
	                       "\t{ name = mon, core = 1, caps = [input] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:2:29: programs[0].caps[1]: 'input' is served by programs[1], "
	                "listed after this one (a server starts before its users)\n"
	                "startup:4:2: programs[2]: services join programs on core 0 that init "
	                "starts itself (an endpoint is one core's): core 0, no chan\n");
	/* a service nobody serves, one served twice, a device name as a service */
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = a, caps = [log, mouse] }\n"
	                       "\t{ name = b, serves = [input] }\n"
	                       "\t{ name = c, serves = [input] }\n"
	                       "\t{ name = d, serves = [irq1] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "startup:5:24: programs[3].serves[0]: 'irq1' cannot name a service (log, "
	                "init, modules, control and device names are init's; at most 15 "
	                "characters)\n");
	HT_EXPECT_EQ(read_text("programs = [\n"
	                       "\t{ name = a, caps = [log, mouse] }\n"
	                       "\t{ name = b, serves = [input] }\n"
	                       "\t{ name = c, serves = [input] }\n"
	                       "]\n",
	                       "startup", STARTUP_ARENA),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(
	        problems,
	        "startup:2:27: programs[0].caps[1]: init gives no capability 'mouse' (it "
	        "gives: log, init, modules, control, devices, portN, irqN, frameN, mmioN, ecamN, "
	        "and the services programs serve)\n"
	        "startup:4:24: programs[2].serves[0]: programs[1] serves 'input' already\n");
	HT_EXPECT_EQ(n, 0);
}

HTEST(startup_too_small_an_arena_is_nomem_not_a_crash)
{
	const char *text = slurp("user/init/startup.conf");

	for (size_t size = 0; size < 4096; size += 64) {
		enum err e = read_text(text, "startup", size);
		HT_EXPECT(e == ERR_NOMEM);
		HT_EXPECT_EQ(n, 0);
	}
}

/* ---- A program's configuration ---- */

/* A configuration schema written here (not a program's): what
 * startup_config checks a text against. */
static const char demo_schema[] = "type theme = enum(light, dark)\n"
                                  "record demo_config \"a program's configuration\" {\n"
                                  "\tlines: uint 1..100 = 24 \"lines on the screen\"\n"
                                  "\tclock: bool = true \"show the clock\"\n"
                                  "\ttheme: theme = light \"its colours\"\n"
                                  "\ttitle?: string(15) \"a title\"\n"
                                  "}\n"
                                  "root demo_config\n";

static uint8_t msg[256];
static size_t msg_len;

/* text as the configuration module `file` against demo_schema, encoded
 * into msg (room bytes); its problems in `problems`. */
static enum err config_text(const char *text, const char *file, size_t room,
                            const struct typed_type **root)
{
	static uint8_t schema_mem[16384];
	static struct schema s;
	struct typed_arena sa, a;
	struct typed_diag d = {keep, (void *)file, 0};

	problems[0] = 0;
	typed_arena_init(&sa, schema_mem, sizeof schema_mem);
	if (schema_parse(demo_schema, strlen(demo_schema), &sa, &s, &d) || !s.root)
		return ERR_INVAL;
	*root = s.root;
	typed_arena_init(&a, arena_mem, STARTUP_ARENA);
	msg_len = room;
	return startup_config(s.root, text, strlen(text), &a, msg, &msg_len, &d);
}

HTEST(config_text_is_encoded_with_its_schemas_identity_and_defaults)
{
	const struct typed_type *t;
	struct typed_value *v;
	struct typed_error err;
	struct typed_arena a;
	static uint8_t mem[4096];

	HT_ASSERT(config_text("# the desk\nlines = 40\ntheme = dark\n", "demo.conf", sizeof msg,
	                      &t) == ERR_OK);
	HT_EXPECT_STREQ(problems, "");
	/* the identity first (lib/typed/README.md: 8 bytes, little-endian) */
	uint64_t id = 0;
	for (int i = 0; i < 8; i++)
		id |= (uint64_t)msg[i] << (8 * i);
	HT_EXPECT_EQ(id, typed_desc_id(t));
	/* varints after it: lines 40, clock true (the default), theme 1
	 * (dark), title absent */
	HT_ASSERT(msg_len == 12);
	HT_EXPECT_EQ(msg[8], 40);
	HT_EXPECT_EQ(msg[9], 1);
	HT_EXPECT_EQ(msg[10], 1);
	HT_EXPECT_EQ(msg[11], 0);
	typed_arena_init(&a, mem, sizeof mem);
	HT_ASSERT(typed_decode(t, msg, msg_len, &a, &v, &err) == ERR_OK);
	HT_EXPECT_EQ(typed_get(v, "lines")->u, 40);
	HT_EXPECT(typed_get(v, "clock")->b);

	/* an empty file: every default */
	HT_ASSERT(config_text("", "demo.conf", sizeof msg, &t) == ERR_OK);
	HT_ASSERT(msg_len == 12);
	HT_EXPECT_EQ(msg[8], 24);
	HT_EXPECT_EQ(msg[10], 0);
}

HTEST(config_refusals_name_the_module_line_column_field_and_rule)
{
	const struct typed_type *t;

	HT_EXPECT_EQ(config_text("lines = 0\n"
	                         "clock = sometimes\n"
	                         "colour = red\n"
	                         "theme = blue\n"
	                         "title = \"a title far too long\"\n",
	                         "demo.conf", sizeof msg, &t),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "demo.conf:1:9: lines: 0 is out of range 1..100\n"
	                "demo.conf:2:9: clock: expected true or false, got sometimes\n"
	                "demo.conf:3:1: unknown field \"colour\"; known fields: lines, clock, "
	                "theme, title\n"
	                "demo.conf:4:9: theme: blue is not one of: light, dark\n"
	                "demo.conf:5:9: title: \"a title far too long\" is longer than 15 "
	                "bytes\n");
	HT_EXPECT_EQ(msg_len, 0);
	/* a syntax error stops it at its place */
	HT_EXPECT_EQ(config_text("lines = [1,\n", "demo.conf", sizeof msg, &t), ERR_CORRUPT);
	HT_EXPECT_STREQ(problems, "demo.conf:2:1: expected ']' to close the '[' of line 1, got "
	                          "the end of the text\n");
	/* no room for the message: said, not written past */
	memset(msg, 0xee, sizeof msg);
	HT_EXPECT_EQ(config_text("lines = 40\n", "demo.conf", 10, &t), ERR_NOSPC);
	HT_EXPECT_STREQ(problems, "demo.conf:1:1: it takes 12 bytes encoded, at most 10\n");
	HT_EXPECT_EQ(msg[10], 0xee);
}

/* The tree's: sieve's configuration on the normal image, and the bad one
 * its last startup entry is given (user/apps/sieve). */
HTEST(config_of_sieve_in_the_tree)
{
	static uint8_t schema_mem[16384];
	static struct schema s;
	static char text[1024];
	struct typed_arena sa, a;
	struct typed_diag d = {keep, "sieve-bad.conf", 0};

	problems[0] = 0;
	strcpy(text, slurp("user/apps/sieve/sieve_config.schema"));
	typed_arena_init(&sa, schema_mem, sizeof schema_mem);
	HT_ASSERT(schema_parse(text, strlen(text), &sa, &s, &d) == ERR_OK);
	strcpy(text, slurp("user/apps/sieve/sieve.conf"));
	typed_arena_init(&a, arena_mem, STARTUP_ARENA);
	msg_len = sizeof msg;
	HT_ASSERT(startup_config(s.root, text, strlen(text), &a, msg, &msg_len, &d) == ERR_OK);
	HT_ASSERT(msg_len == 10);
	HT_EXPECT_EQ(msg[8], 3); /* largest = 3 */
	HT_EXPECT_EQ(msg[9], 1); /* heap: the default, true */
	/* another core's spawn gets it after the arguments: the first of two
	 * messages in a row ends where its value does */
	static uint8_t two[20], amem[4096];
	struct typed_value *v;
	struct typed_error err;
	size_t used = 0;
	memcpy(two, msg, 10);
	memcpy(two + 10, msg, 10);
	typed_arena_init(&sa, amem, sizeof amem);
	HT_EXPECT_EQ(typed_decode(s.root, two, 20, &sa, &v, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "10 bytes after the value (byte 10)");
	HT_ASSERT(typed_decode_prefix(s.root, two, 20, &used, &sa, &v, &err) == ERR_OK);
	HT_EXPECT_EQ(used, 10);
	HT_EXPECT_EQ(typed_get(v, "largest")->u, 3);
	HT_EXPECT_EQ(typed_decode_prefix(s.root, two, 9, &used, &sa, &v, &err), ERR_CORRUPT);
	HT_EXPECT_EQ(used, 0);
	strcpy(text, slurp("user/apps/sieve/sieve-bad.conf"));
	typed_arena_init(&a, arena_mem, STARTUP_ARENA);
	msg_len = sizeof msg;
	HT_EXPECT_EQ(startup_config(s.root, text, strlen(text), &a, msg, &msg_len, &d),
	             ERR_CORRUPT);
	HT_EXPECT_STREQ(problems,
	                "sieve-bad.conf:3:11: largest: 9 is out of range 0..8\n"
	                "sieve-bad.conf:4:8: heap: expected true or false, got maybe\n"
	                "sieve-bad.conf:5:1: unknown field \"colour\"; known fields: largest, "
	                "heap\n");
}

HTEST_MAIN("startup")
