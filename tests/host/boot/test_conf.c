/* boot/common/conf.c: limine.conf parsing, good and bad input, entry
 * choice, and Limine path splitting. */
#include <conf.h>
#include <string/mem.h>

#include "../htest.h"

struct notes {
	int count;
	unsigned last_line;
	char last[128];
};

static void on_note(void *ctx, unsigned line, const char *msg)
{
	struct notes *n = ctx;
	n->count++;
	n->last_line = line;
	snprintf(n->last, sizeof n->last, "%s", msg);
}

static struct conf conf;
static struct notes notes;
static struct conf_diag diag;
static char buf[4096];

/* Parses a copy of text; returns the error code. */
static enum err parse(const char *text)
{
	memset(&notes, 0, sizeof notes);
	memset(&diag, 0, sizeof diag);
	diag.note = on_note;
	diag.note_ctx = &notes;
	size_t n = strlen(text);
	memcpy(buf, text, n + 1);
	return conf_parse(buf, n, &conf, &diag);
}

HTEST(parses_the_image_writer_config)
{
	HT_ASSERT(parse("timeout: 0\n"
	                "serial: yes\n"
	                "\n"
	                "/Tessera\n"
	                "    protocol: limine\n"
	                "    kernel_path: boot():/boot/tessera.elf\n"
	                "    cmdline: test a=b\n"
	                "    resolution: 1024x768x32\n"
	                "    module_path: boot():/boot/modules/motd.txt\n"
	                "    module_cmdline: motd.txt\n") == ERR_OK);
	HT_EXPECT_EQ(conf.timeout, 0);
	HT_EXPECT_EQ(conf.serial, 1);
	HT_ASSERT(conf.entry_count == 1);
	const struct conf_entry *e = &conf.entries[0];
	HT_EXPECT_STREQ(e->title, "Tessera");
	HT_EXPECT_EQ(e->line, 4);
	HT_EXPECT_STREQ(e->protocol, "limine");
	HT_EXPECT_STREQ(e->kernel_path, "boot():/boot/tessera.elf");
	HT_EXPECT_EQ(e->kernel_line, 6);
	HT_EXPECT_STREQ(e->cmdline, "test a=b");
	HT_EXPECT_EQ(e->width, 1024);
	HT_EXPECT_EQ(e->height, 768);
	HT_EXPECT_EQ(e->bpp, 32);
	HT_ASSERT(e->module_count == 1);
	HT_EXPECT_STREQ(e->modules[0].path, "boot():/boot/modules/motd.txt");
	HT_EXPECT_STREQ(e->modules[0].cmdline, "motd.txt");
	HT_EXPECT_EQ(e->modules[0].line, 9);
	HT_EXPECT_EQ(notes.count, 0);
}

HTEST(defaults_and_empty_cmdline)
{
	HT_ASSERT(parse("/A\nprotocol: limine\nkernel_path: /k\n") == ERR_OK);
	HT_EXPECT_EQ(conf.timeout, 5);
	HT_EXPECT_EQ(conf.default_entry, 1);
	HT_EXPECT_STREQ(conf.entries[0].cmdline, "");
	HT_EXPECT_EQ(conf.entries[0].width, 0);
	HT_EXPECT_EQ(conf.entries[0].module_count, 0);
}

HTEST(names_are_case_insensitive_and_blanks_trimmed)
{
	HT_ASSERT(parse("TIMEOUT : 3\r\n/X  \r\n\tProtocol:   limine  \r\n"
	                "KERNEL_PATH:boot():/k\r\nKernel_Cmdline: a b \r\n") == ERR_OK);
	HT_EXPECT_EQ(conf.timeout, 3);
	HT_EXPECT_STREQ(conf.entries[0].title, "X");
	HT_EXPECT_STREQ(conf.entries[0].protocol, "limine");
	HT_EXPECT_STREQ(conf.entries[0].kernel_path, "boot():/k");
	HT_EXPECT_STREQ(conf.entries[0].cmdline, "a b");
}

HTEST(comments_and_hash_in_values)
{
	HT_ASSERT(parse("# top\n  # indented\n/E\n# inside\nkernel_path: boot():/k#abc\n") ==
	          ERR_OK);
	HT_EXPECT_STREQ(conf.entries[0].kernel_path, "boot():/k#abc");
}

HTEST(modules_and_their_cmdlines)
{
	HT_ASSERT(parse("/E\nmodule_path: /a\nmodule_path: /b\nmodule_cmdline: for b\n"
	                "module_cmdline: again b\nmodule_path: /c\n") == ERR_OK);
	const struct conf_entry *e = &conf.entries[0];
	HT_ASSERT(e->module_count == 3);
	HT_EXPECT_STREQ(e->modules[0].cmdline, "");
	HT_EXPECT_STREQ(e->modules[1].cmdline, "again b");
	HT_EXPECT_STREQ(e->modules[2].path, "/c");
}

HTEST(resolution_forms)
{
	HT_ASSERT(parse("/E\nresolution: 800x600\n") == ERR_OK);
	HT_EXPECT_EQ(conf.entries[0].width, 800);
	HT_EXPECT_EQ(conf.entries[0].bpp, 32);
	HT_ASSERT(parse("/E\nresolution: 640X480X16\n") == ERR_OK);
	HT_EXPECT_EQ(conf.entries[0].bpp, 16);
}

HTEST(unknown_options_are_noted)
{
	HT_ASSERT(parse("wallpaper: boot():/w.png\n/E\ntextmode: yes\nfrobnicate: 1\n") == ERR_OK);
	HT_EXPECT_EQ(notes.count, 3);
	HT_EXPECT_EQ(notes.last_line, 4);
	HT_EXPECT(strstr(notes.last, "frobnicate") != NULL);
	HT_ASSERT(parse("kernel_path: /k\n/E\n") == ERR_OK);
	HT_EXPECT_EQ(notes.count, 1);
	HT_EXPECT(strstr(notes.last, "outside an entry") != NULL);
	HT_ASSERT(parse("${X}=y\n/E\n") == ERR_OK);
	HT_EXPECT_EQ(notes.count, 1);
}

HTEST(kaslr_option)
{
	HT_ASSERT(parse("/E\nkernel_path: /k\n") == ERR_OK);
	HT_EXPECT_EQ(conf.entries[0].kaslr, 1); /* the default */
	HT_ASSERT(parse("/A\nkaslr: no\n/B\nKASLR: yes\n/C\n") == ERR_OK);
	HT_EXPECT_EQ(conf.entries[0].kaslr, 0);
	HT_EXPECT_EQ(conf.entries[1].kaslr, 1);
	HT_EXPECT_EQ(conf.entries[2].kaslr, 1);
	HT_EXPECT_EQ(notes.count, 0);
	HT_EXPECT_EQ(parse("/E\nkaslr: maybe\n"), ERR_CORRUPT);
	HT_EXPECT_EQ(diag.line, 2);
	HT_EXPECT_STREQ(diag.msg, "kaslr: 'maybe' is not 'yes' or 'no'");
}

HTEST(test_absent_cpu)
{
	HT_ASSERT(parse("/E\nkernel_path: /k\n") == ERR_OK);
	HT_EXPECT_EQ(conf.has_absent_cpu, 0);
	HT_ASSERT(parse("TESSERA_test_absent_cpu: 200\n/E\nkernel_path: /k\n") == ERR_OK);
	HT_EXPECT_EQ(conf.has_absent_cpu, 1);
	HT_EXPECT_EQ(conf.absent_cpu, 200);
	HT_EXPECT_EQ(notes.count, 0);
	HT_EXPECT(parse("tessera_test_absent_cpu: x1\n") == ERR_CORRUPT);
	/* a bad value sets nothing (it once stored an uninitialised id) */
	HT_EXPECT_EQ(conf.has_absent_cpu, 0);
	HT_EXPECT_EQ(diag.line, 1);
	HT_EXPECT_STREQ(diag.msg, "tessera_test_absent_cpu: 'x1' is not an APIC id");
}

HTEST(globals_anywhere)
{
	HT_ASSERT(parse("/E\nkernel_path: /k\ntimeout: no\nverbose: yes\ndefault_entry: 2\n") ==
	          ERR_OK);
	HT_EXPECT_EQ(conf.timeout, -1);
	HT_EXPECT_EQ(conf.verbose, 1);
	HT_EXPECT_EQ(conf.default_entry, 2);
}

/* Each malformed input fails on the expected line with a message. */
static void expect_error(const char *text, unsigned line, const char *needle)
{
	enum err e = parse(text);
	HT_EXPECT(e != ERR_OK);
	HT_EXPECT_EQ(diag.line, line);
	if (!strstr(diag.msg, needle)) {
		char m[300];
		snprintf(m, sizeof m, "message '%s' lacks '%s'", diag.msg, needle);
		htest_fail(__FILE__, __LINE__, m);
	}
}

HTEST(malformed_lines_name_the_line)
{
	expect_error("/E\nkernel_path /k\n", 2, "option: value");
	expect_error("/E\nkernel path: /k\n", 2, "option: value");
	expect_error("\n\n: value\n", 3, "option: value");
	expect_error("timeout: soon\n", 1, "timeout");
	expect_error("timeout: -1\n", 1, "timeout");
	expect_error("serial: maybe\n", 1, "serial");
	expect_error("default_entry: 0\n", 1, "default_entry");
	expect_error("/E\nresolution: big\n", 2, "resolution");
	expect_error("/E\nresolution: 800x\n", 2, "resolution");
	expect_error("/E\nresolution: 0x600\n", 2, "resolution");
	expect_error("/E\nresolution: 800x600x32x1\n", 2, "resolution");
	expect_error("/E\nresolution: 99999999999x1\n", 2, "resolution");
	expect_error("/E\nmodule_cmdline: x\n", 2, "module_cmdline");
	expect_error("/E\nmodule_path:\n", 2, "module_path");
	expect_error("/\n", 1, "title");
	expect_error("//+  \n", 1, "title");
}

HTEST(nul_byte_is_an_error)
{
	char text[] = "/E\nkernel_path: /k\0x\n";
	memset(&diag, 0, sizeof diag);
	memcpy(buf, text, sizeof text);
	HT_EXPECT(conf_parse(buf, sizeof text - 1, &conf, &diag) == ERR_CORRUPT);
	HT_EXPECT_EQ(diag.line, 2);
}

HTEST(table_limits)
{
	char text[4096] = "";
	for (int i = 0; i <= CONF_MAX_ENTRIES; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "/E%d\n", i);
	HT_EXPECT(parse(text) == ERR_FULL);
	HT_EXPECT_EQ(diag.line, CONF_MAX_ENTRIES + 1);
	strcpy(text, "/E\n");
	for (int i = 0; i <= CONF_MAX_MODULES; i++)
		strcat(text, "module_path: /m\n");
	HT_EXPECT(parse(text) == ERR_FULL);
}

HTEST(picks_entries_skipping_directories)
{
	const struct conf_entry *e;
	HT_ASSERT(parse("/Dir\n//+Inner\nkernel_path: /a\n/Second\nkernel_path: /b\n") == ERR_OK);
	HT_EXPECT_EQ(conf.entries[0].directory, 1);
	HT_EXPECT_EQ(conf.entries[1].depth, 2);
	HT_ASSERT(conf_pick(&conf, &e, &diag) == ERR_OK);
	HT_EXPECT_STREQ(e->title, "Inner");
	conf.default_entry = 2;
	HT_ASSERT(conf_pick(&conf, &e, &diag) == ERR_OK);
	HT_EXPECT_STREQ(e->title, "Second");
	conf.default_entry = 3;
	HT_EXPECT(conf_pick(&conf, &e, &diag) == ERR_NOENT);
	HT_EXPECT(strstr(diag.msg, "default_entry") != NULL);
	HT_ASSERT(parse("timeout: 1\n") == ERR_OK);
	HT_EXPECT(conf_pick(&conf, &e, &diag) == ERR_NOENT);
}

HTEST(limine_paths)
{
	struct conf_path p;
	char b[64];
	HT_ASSERT(conf_path_parse("boot():/boot/tessera.elf", b, sizeof b, &p) == ERR_OK);
	HT_EXPECT_STREQ(p.resource, "boot");
	HT_EXPECT_STREQ(p.argument, "");
	HT_EXPECT_STREQ(p.path, "/boot/tessera.elf");
	HT_EXPECT_EQ(p.has_hash, 0);
	HT_ASSERT(conf_path_parse("boot(2):/m#0123abcd", b, sizeof b, &p) == ERR_OK);
	HT_EXPECT_STREQ(p.argument, "2");
	HT_EXPECT_STREQ(p.path, "/m");
	HT_EXPECT_EQ(p.has_hash, 1);
	HT_ASSERT(conf_path_parse("guid(736b5698-5ae1-4dff-be2c-ef8f44a61c52):/x", b, sizeof b,
	                          &p) == ERR_OK);
	HT_EXPECT_STREQ(p.resource, "guid");
	HT_ASSERT(conf_path_parse("/bare/path", b, sizeof b, &p) == ERR_OK);
	HT_EXPECT_STREQ(p.resource, "");
	HT_EXPECT_STREQ(p.path, "/bare/path");
	HT_EXPECT(conf_path_parse("boot:/x", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("boot()/x", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("boot():x", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("(1):/x", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("boot(:/x", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("relative", b, sizeof b, &p) == ERR_CORRUPT);
	HT_EXPECT(conf_path_parse("boot():/0123456789", b, 8, &p) == ERR_NAME);
}

HTEST_MAIN("boot_conf")
