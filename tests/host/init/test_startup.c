/* init's startup description (user/init/startup.h): every field, the
 * defaults, whitespace, comments, each refusal with what it names, and the
 * two descriptions in the tree (the normal image's and init's test). */
#include "../../../user/init/startup.h"

#include <stdio.h>

#include "../htest.h"

static enum err parse(const char *s, struct startup_entry *e, char *why)
{
	return startup_line(s, strlen(s), e, why, 96);
}

HTEST(startup_reads_every_field)
{
	struct startup_entry e;
	char why[96];

	HT_ASSERT(parse("program sieve core 0 memory 2048", &e, why) == ERR_OK);
	HT_EXPECT_STREQ(e.name, "sieve");
	HT_EXPECT_EQ(e.core, 0);
	HT_EXPECT_EQ(e.budget_bits, 21); /* 2 MiB */
	HT_ASSERT(parse("\t program  a.b_c-9\tmemory 100   core 63\r", &e, why) == ERR_OK);
	HT_EXPECT_STREQ(e.name, "a.b_c-9");
	HT_EXPECT_EQ(e.core, 63);
	HT_EXPECT_EQ(e.budget_bits, 17); /* 100 KiB rounded up to 128 KiB */
	HT_ASSERT(parse("program x core 2", &e, why) == ERR_OK);
	HT_EXPECT_EQ(e.budget_bits, 20); /* the default, 1 MiB */
	HT_ASSERT(parse("program x core 1 memory 64", &e, why) == ERR_OK);
	HT_EXPECT_EQ(e.budget_bits, 16);
	HT_ASSERT(parse("program x core 1 memory 1048576", &e, why) == ERR_OK);
	HT_EXPECT_EQ(e.budget_bits, 30);
	HT_EXPECT_STREQ(e.chan, "");
	HT_ASSERT(parse("program x chan p.q-1 core 1", &e, why) == ERR_OK);
	HT_EXPECT_STREQ(e.chan, "p.q-1");
	HT_EXPECT_EQ(e.core, 1);
	HT_EXPECT_EQ(e.ndevs, 0);
	HT_ASSERT(parse("program ps2 core 0 dev port60 dev irq1 memory 256", &e, why) == ERR_OK);
	HT_EXPECT_EQ(e.ndevs, 2);
	HT_EXPECT_STREQ(e.devs[0], "port60");
	HT_EXPECT_STREQ(e.devs[1], "irq1");
	HT_EXPECT_EQ(e.budget_bits, 18);
}

HTEST(startup_skips_blank_and_comment_lines)
{
	struct startup_entry e;
	char why[96];

	HT_EXPECT_EQ(parse("", &e, why), ERR_NOENT);
	HT_EXPECT_EQ(parse(" \t \r", &e, why), ERR_NOENT);
	HT_EXPECT_EQ(parse("# program x core 0", &e, why), ERR_NOENT);
	HT_EXPECT_EQ(parse("   #", &e, why), ERR_NOENT);
}

/* Refused, with why naming what. */
static void refused(const char *line, const char *names)
{
	struct startup_entry e;
	char why[96] = "";

	HT_EXPECT_EQ(parse(line, &e, why), ERR_CORRUPT);
	if (!strstr(why, names)) {
		printf("# '%s': why is '%s', expected it to name '%s'\n", line, why, names);
		htest_state.failed = 1;
	}
}

HTEST(startup_refuses_malformed_lines)
{
	refused("programme sieve core 0", "'programme'");
	refused("program", "module name");
	refused("program si/eve core 0", "'si/eve'");
	refused("program 0123456789012345678901234567890123 core 0", "module name");
	refused("program sieve", "'core N' missing");
	refused("program sieve memory 128", "'core N' missing");
	refused("program sieve core", "'core' needs a number");
	refused("program sieve core x", "'core' needs a number");
	refused("program sieve core -1", "'core' needs a number");
	refused("program sieve core 64", "core 64");
	refused("program sieve core 0 memory 63", "memory 63");
	refused("program sieve core 0 memory 1048577", "memory 1048577");
	refused("program sieve core 0 memory 9999999999", "'memory' needs a number");
	refused("program sieve core 0 cores 1", "'cores'");
	refused("program sieve core 0 # a comment", "'#'");
	refused("program sieve core 0 chan", "'chan' needs a channel name");
	refused("program sieve core 0 chan a/b", "'chan' needs a channel name");
	refused("program sieve core 0 chan 0123456789abcdef", "'chan' needs a channel name");
	refused("program a core 0 core 0 core 0 core 0 core 0 core 0 core 0 core 0 core 0 core 0 "
	        "core 0 core 0",
	        "too many words");
	refused("program a core 0 dev", "'dev' needs a device cap name");
	refused("program a core 0 dev 0123456789abcdef01234567", "'dev' needs a device cap name");
	refused("program a core 0 dev a dev a dev a dev a dev a dev a dev a dev a dev a",
	        "more than 8 'dev' caps");
}

/* Counts the entries and refusals of a description file. */
static void count_file(const char *path, unsigned *ok, unsigned *bad)
{
	FILE *f = fopen(path, "r");
	char line[256];

	*ok = *bad = 0;
	HT_ASSERT(f != NULL);
	while (fgets(line, sizeof line, f)) {
		struct startup_entry e;
		char why[96];
		line[strcspn(line, "\n")] = '\0';
		enum err err = parse(line, &e, why);
		*ok += err == ERR_OK;
		*bad += err == ERR_CORRUPT;
	}
	fclose(f);
}

HTEST(startup_files_in_the_tree)
{
	unsigned ok, bad;

	count_file("user/init/startup.txt", &ok, &bad);
	HT_EXPECT_EQ(ok, 6); /* sieve, counter, sieve again, the two sides of pingpong, pci */
	HT_EXPECT_EQ(bad, 0);
	count_file("user/tests/rt_startup.txt", &ok, &bad);
	HT_EXPECT_EQ(ok, 4); /* two that run, a missing module, a core not served */
	HT_EXPECT_EQ(bad, 1);
}

HTEST_MAIN("startup")
