/* tools/harness: the boot-matrix parser, and the tree's matrices. */
#include <unistd.h>

#include "../../../tools/harness/files.h"
#include "../../../tools/harness/matrix.h"
#include "../../../tools/harness/monitor.h"
#include "../../../tools/harness/script.h"
#include "../htest.h"

static struct matrix m;
static char err[512];

static int parse(const char *text)
{
	matrix_free(&m);
	err[0] = '\0';
	return matrix_parse(text, "m.txt", &m, err, sizeof err);
}

HTEST(entries_and_defaults)
{
	HT_ASSERT(
	        parse("# comment\n\n  \t\nuefi-2c test.img uefi q35 2 256 120 ktap\n"
	              "b.1\t../x/disk.img\tbios\tpc\t4\t3072\t60\tboot online=3\n"
	              "bad-kernel corrupt.img uefi pc 1 64 30 error:kernel image is corrupt  \n") ==
	        0);
	HT_ASSERT(m.n == 3);
	struct matrix_entry *e = &m.entries[0];
	HT_EXPECT_STREQ(e->name, "uefi-2c");
	HT_EXPECT_STREQ(e->image, "test.img");
	HT_EXPECT_STREQ(e->firmware, "uefi");
	HT_EXPECT_STREQ(e->machine, "q35");
	HT_EXPECT_EQ(e->cores, 2);
	HT_EXPECT_EQ(e->memory, 256);
	HT_EXPECT_EQ(e->timeout, 120);
	HT_EXPECT_EQ(e->expect, EXPECT_KTAP);
	HT_EXPECT_EQ(e->online, 2);
	HT_EXPECT_EQ(e->line, 4);
	e = &m.entries[1];
	HT_EXPECT_STREQ(e->image, "../x/disk.img");
	HT_EXPECT_EQ(e->expect, EXPECT_BOOT);
	HT_EXPECT_EQ(e->online, 3);
	e = &m.entries[2];
	HT_EXPECT_EQ(e->expect, EXPECT_ERROR);
	HT_EXPECT_STREQ(e->text, "kernel image is corrupt");
	HT_EXPECT_EQ(e->line, 6);
	matrix_free(&m);
}

HTEST(lines_expectation)
{
	char part[64];

	HT_ASSERT(parse("u disk.img bios q35 4 256 120 lines:user space up: 3 programs|init: "
	                "every program has ended; 0 failed \n") == 0);
	struct matrix_entry *e = &m.entries[0];
	HT_EXPECT_EQ(e->expect, EXPECT_LINES);
	HT_EXPECT_STREQ(e->text,
	                "user space up: 3 programs|init: every program has ended; 0 failed");
	HT_EXPECT(matrix_line_part(e->text, 0, part, sizeof part));
	HT_EXPECT_STREQ(part, "user space up: 3 programs");
	HT_EXPECT(matrix_line_part(e->text, 1, part, sizeof part));
	HT_EXPECT_STREQ(part, "init: every program has ended; 0 failed");
	HT_EXPECT(!matrix_line_part(e->text, 2, part, sizeof part));
	HT_EXPECT(parse("u disk.img bios q35 4 256 120 lines:a||b\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: lines: an empty part (TEXT|TEXT...)");
	HT_EXPECT(parse("u disk.img bios q35 4 256 120 lines:\n") != 0);
	/* 48 parts (the bits of lines_seen) are fine, 49 are not */
	HT_EXPECT(parse("u disk.img bios q35 4 256 120 lines:a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q"
	                "|r|s|t|u|v|w|x|y|z|A|B|C|D|E|F|G|H|I|J|K|L|M|N|O|P|Q|R|S|T|U|V\n") == 0);
	HT_EXPECT(parse("u disk.img bios q35 4 256 120 lines:a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q"
	                "|r|s|t|u|v|w|x|y|z|A|B|C|D|E|F|G|H|I|J|K|L|M|N|O|P|Q|R|S|T|U|V|W\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: lines: at most 48 parts");
	matrix_free(&m);
}

/* Monitor commands among the parts, and columns after a tab (monitor.h). */
HTEST(lines_with_commands_and_columns)
{
	char part[64];
	uint64_t seen = 0;
	struct monitor mon;

	HT_ASSERT(
	        parse("u\tdisk.img\tbios\tq35\t1\t128\t60\tlines:ready now|>sendkey a|>mouse_move "
	              "1 2|key a\tdevice=edu\n") == 0);
	struct matrix_entry *e = &m.entries[0];
	HT_EXPECT_STREQ(e->text, "ready now|>sendkey a|>mouse_move 1 2|key a");
	HT_EXPECT_STREQ(e->device, "edu");
	HT_EXPECT(matrix_line_part(e->text, 1, part, sizeof part));
	HT_EXPECT_STREQ(part, ">sendkey a");
	HT_EXPECT(monitor_wanted(e));
	monitor_init(&mon, e, "build/x/logs/u.serial");
	HT_EXPECT_STREQ(mon.path, "build/x/logs/u.monitor");
	/* nothing is sent before the line before it; a socket nobody serves
	 * is an error that names it, and the command stays unsent */
	monitor_step(&mon, e, &seen, 10.0);
	HT_EXPECT_EQ(seen, 0);
	HT_EXPECT_STREQ(mon.error, "");
	seen = 1;
	monitor_step(&mon, e, &seen, 11.0);
	HT_EXPECT_EQ(seen, 1);
	HT_EXPECT(strstr(mon.error, "monitor build/x/logs/u.monitor: ") == mon.error);
	monitor_close(&mon);
	HT_EXPECT(!monitor_wanted(&(struct matrix_entry){.expect = EXPECT_LINES, .text = "a|b"}));
	HT_EXPECT(parse("u\tdisk.img\tbios\tq35\t1\t128\t60\tlines:a b\tcolour=red\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: optional columns are online=N, same=NAME, loader=NAME, "
	                     "device=NAME, disk=virtio and skip=LIST");
	matrix_free(&m);
}

/* script:FILE: its steps read relative to the matrix file, escapes and
 * the entry's variables done; bad scripts refused with their line. */
HTEST(script_expectation)
{
	static struct script s;
	char path[] = "/tmp/matrix-script.XXXXXX", file[64], matrix[64];
	HT_ASSERT(mkdtemp(path) != NULL);
	snprintf(file, sizeof file, "%s/s.txt", path);
	snprintf(matrix, sizeof matrix, "%s/m.txt", path);
	FILE *f = fopen(file, "w");
	HT_ASSERT(f != NULL);
	fputs("# a comment\n\nwait tessera> \nsend cores\\r\\x03\\t\\\\\n"
	      "expect ${cores} cores, ${memory} MiB\nline   ^\n",
	      f);
	fclose(f);
	matrix_free(&m);
	HT_ASSERT(matrix_parse("a disk.img bios q35 4 256 60 script:s.txt\n", matrix, &m, err,
	                       sizeof err) == 0);
	const struct script *sc = m.entries[0].script;
	HT_ASSERT(sc != NULL && sc->n == 4);
	HT_EXPECT_EQ(m.entries[0].expect, EXPECT_SCRIPT);
	HT_EXPECT(sc->steps[0].op == SCRIPT_WAIT && !strcmp(sc->steps[0].text, "tessera> "));
	HT_EXPECT(sc->steps[1].op == SCRIPT_SEND && sc->steps[1].len == 9 &&
	          !memcmp(sc->steps[1].text, "cores\r\x03\t\\", 9));
	HT_EXPECT_STREQ(sc->steps[2].text, "4 cores, 256 MiB");
	HT_EXPECT_EQ(sc->steps[2].line, 5);
	HT_EXPECT(sc->steps[3].op == SCRIPT_LINE && !strcmp(sc->steps[3].text, "  ^"));
	HT_EXPECT(script_match(&sc->steps[3], "  ^  "));
	HT_EXPECT(!script_match(&sc->steps[3], "   ^"));
	HT_EXPECT(script_match(&sc->steps[2], "x 4 cores, 256 MiB y"));
	HT_EXPECT_EQ(script_tests(sc), 2);
	/* refusals */
	HT_EXPECT(parse("a disk.img bios q35 4 256 60 script:nosuch.txt\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: script:nosuch.txt: cannot read ./nosuch.txt");
	HT_EXPECT(parse("a disk.img bios q35 4 256 60 script:s.txt more\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: optional columns are online=N, same=NAME, loader=NAME, "
	                     "device=NAME, disk=virtio and skip=LIST");
	HT_EXPECT(parse("a disk.img bios q35 4 256 60 script:\n") != 0);
	HT_EXPECT_STREQ(err, "m.txt:1: script: needs a file name");
	matrix_free(&m);
	HT_ASSERT(matrix_parse("a disk.img bios q35 4 256 60 script:s.txt disk=virtio\n", matrix,
	                       &m, err, sizeof err) == 0);
	HT_EXPECT(m.entries[0].virtio_disk == 1 && m.entries[0].expect == EXPECT_SCRIPT);
	static const struct {
		const char *text, *err;
	} bad[] = {{"wait x\nshout y\n", "2: a step is wait, send, expect or line"},
	           {"send a\\qb\n", "1: a bad escape (\\r \\n \\t \\\\ \\xNN)"},
	           {"send \\x4\n", "1: a bad escape (\\r \\n \\t \\\\ \\xNN)"},
	           {"expect\n", "1: the step needs a text"},
	           {"# only\n", " no steps"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[256];
		HT_EXPECT(script_parse(bad[i].text, "f", 1, 64, &s, err, sizeof err) != 0);
		snprintf(want, sizeof want, "f%s%s", bad[i].err[0] == ' ' ? ":" : ":", bad[i].err);
		HT_EXPECT_STREQ(err, want);
	}
	remove(file);
	rmdir(path);
	matrix_free(&m);
}

HTEST(errors_name_the_line)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	        {"a test.img uefi q35 2 256 120\n",
	         "m.txt:1: expected: name image firmware machine "
	         "cores memory timeout expect [online=N] [same=NAME] [loader=NAME] [skip=LIST]"},
	        {"\na test.img efi q35 2 256 120 ktap\n", "m.txt:2: firmware must be uefi or bios"},
	        {"a test.img uefi virt 2 256 120 ktap\n", "m.txt:1: machine must be q35 or pc"},
	        {"a test.img uefi q35 0 256 120 ktap\n", "m.txt:1: cores must be an integer 1..64"},
	        {"a test.img uefi q35 2 32 120 ktap\n",
	         "m.txt:1: memory must be an integer 64..65536 (MiB)"},
	        {"a test.img uefi q35 2 256 0 ktap\n",
	         "m.txt:1: timeout must be an integer number of seconds, at least 1"},
	        {"a test.img uefi q35 2 256 1x ktap\n",
	         "m.txt:1: timeout must be an integer number of seconds, at least 1"},
	        {"a test.img uefi q35 2 256 9 tap\n",
	         "m.txt:1: expect must be ktap, boot, error:TEXT, lines:TEXT|TEXT..., "
	         "screen:FILE or script:FILE"},
	        {"a test.img uefi q35 2 256 9 error:\n",
	         "m.txt:1: error: needs the text to wait for"},
	        {"a test.img uefi q35 2 256 9 boot online=3\n",
	         "m.txt:1: online=N needs N <= cores"},
	        {"a test.img uefi q35 2 256 9 boot x=1\n",
	         "m.txt:1: optional columns are online=N, same=NAME, loader=NAME, device=NAME, "
	         "disk=virtio and skip=LIST"},
	        {"a test.img uefi q35 2 256 9 boot online=1 more\n",
	         "m.txt:1: optional columns are online=N, same=NAME, loader=NAME, device=NAME, "
	         "disk=virtio and skip=LIST"},
	        {"a test.img uefi q35 2 256 9 boot disk=ide\n",
	         "m.txt:1: disk=virtio is the only disk option"},
	        {"a test.img uefi q35 2 256 9 boot same=a/b\n",
	         "m.txt:1: same=NAME needs an entry name"},
	        {"a/b test.img uefi q35 2 256 9 boot\n",
	         "m.txt:1: name must be letters, digits, '.', '_' or '-' (at most 63)"},
	        {"a x uefi q35 2 256 9 boot\n# c\na y bios pc 1 64 9 boot\n",
	         "m.txt:3: duplicate entry name"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		HT_EXPECT_EQ(parse(cases[i].text), -1);
		HT_EXPECT_STREQ(err, cases[i].err);
		HT_EXPECT_EQ(m.n, 0);
	}
}

HTEST(skip_lists)
{
	HT_ASSERT(parse("a test.img uefi q35 4 256 9 ktap skip=cpu0.capboot.receiving,cpu*.b.c "
	                "online=3 skip=cpu3.x_1.y2\n") == 0);
	struct matrix_entry *e = &m.entries[0];
	HT_EXPECT_STREQ(e->skip, "cpu0.capboot.receiving,cpu*.b.c,cpu3.x_1.y2");
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu0.capboot.receiving"), 0);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu1.capboot.receiving"), -1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu0.capboot.receivin"), -1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu0.capboot.receiving2"), -1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu2.b.c"), 1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu12.b.c"), 1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu.b.c"), -1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpux.b.c"), -1);
	HT_EXPECT_EQ(matrix_skip_listed(e, "cpu3.x_1.y2"), 2);
	HT_EXPECT_EQ(matrix_skip_listed(e, "b.c"), -1);
	static const char *const bad[] = {
	        "a test.img uefi q35 2 256 9 ktap skip=cpu2.a.b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a.b.c\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a..b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a.b,\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a.b,,cpu1.a.b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu**.a.b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=a.b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=cpu0.a-1.b\n",
	        "a test.img uefi q35 2 256 9 ktap skip=\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		HT_EXPECT_EQ(parse(bad[i]), -1);
		HT_EXPECT_STREQ(err, "m.txt:1: skip=LIST needs cpuN.suite.name or cpu*.suite.name, "
		                     "comma-separated, N < cores");
	}
	HT_EXPECT_EQ(parse("a disk.img uefi q35 2 256 9 boot skip=cpu0.a.b\n"), -1);
	HT_EXPECT_STREQ(err, "m.txt:1: skip=LIST is for ktap entries");
	matrix_free(&m);
}

HTEST(tree_matrices_parse)
{
	static const char *const files[] = {"tests/matrix/test.txt", "tests/matrix/all.txt",
	                                    "tests/matrix/limine.txt"};
	for (size_t i = 0; i < 3; i++) {
		char *text = files_read(files[i]);
		HT_ASSERT(text != NULL);
		matrix_free(&m);
		err[0] = '\0';
		HT_EXPECT_EQ(matrix_parse(text, files[i], &m, err, sizeof err),
		             0); /* scripts beside it */
		HT_EXPECT_STREQ(err, "");
		HT_EXPECT(m.n >= 3);
		free(text);
	}
	/* make test: {1, 2, 4} cores on test.img, and at least one boot entry */
	char *text = files_read("tests/matrix/test.txt");
	matrix_free(&m);
	HT_ASSERT(text && matrix_parse(text, "tests/matrix/test.txt", &m, err, sizeof err) == 0);
	int ktap_cores = 0, boots = 0;
	for (int i = 0; i < m.n; i++) {
		struct matrix_entry *e = &m.entries[i];
		if (e->expect == EXPECT_KTAP && strcmp(e->image, "test.img") == 0)
			ktap_cores |= 1 << e->cores;
		boots += e->expect == EXPECT_BOOT && strcmp(e->image, "disk.img") == 0;
	}
	HT_EXPECT_EQ(ktap_cores, (1 << 1) | (1 << 2) | (1 << 4));
	HT_EXPECT(boots >= 1);
	free(text);
	matrix_free(&m);
}

HTEST_MAIN("matrix")
