/* tools/harness: turning run outcomes into results, and printing them. */
#include "../../../tools/harness/report.h"
#include "../htest.h"

static struct run_outcome o;
static struct results rs;
static struct matrix_entry entry = {
        .name = "uefi-q35-2c",
        .image = "test.img",
        .firmware = "uefi",
        .machine = "q35",
        .cores = 2,
        .memory = 256,
        .timeout = 120,
        .expect = EXPECT_KTAP,
        .online = 2,
};

/* A fresh outcome that ended as given, after the lines of text. */
static void outcome(enum run_end end, int code, const char *text)
{
	ktap_free(&o.ktap);
	memset(&o, 0, sizeof o);
	ktap_init(&o.ktap);
	results_free(&rs);
	o.end = end;
	o.code = code;
	o.timeout = 120;
	o.log = "build/x/logs/e.serial";
	char line[256];
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p += len + (eol != NULL);
		outcome_tail(&o, line);
		ktap_line(&o.ktap, line);
		const char *b = strstr(line, "boot complete: ");
		if (b && sscanf(b, "boot complete: %d/%d", &o.online, &o.total) == 2)
			o.boot_seen = 1;
	}
}

/* The printed results. */
static const char *printed(void)
{
	static char buf[16384];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	report_print(&rs, 0, f);
	fclose(f);
	return buf;
}

#define GOOD_KTAP "KTAP version 1\n1..2\nok 1 frame.alloc\nok 2 cap.retype # SKIP no iommu\n"
#define BOOTED    "tessera: boot complete: 2/2 cores online\n"

HTEST(ktap_entry_passes)
{
	outcome(RUN_EXITED, 33, "BdsDxe: starting\n" BOOTED GOOD_KTAP);
	report_entry(&entry, &o, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] frame.alloc\n"
	                           "skip [uefi-q35-2c] cap.retype: no iommu\n"
	                           "ok [uefi-q35-2c] boot\n");
	HT_EXPECT_EQ(rs.passed, 2);
	HT_EXPECT_EQ(rs.skipped, 1);
	HT_EXPECT_EQ(rs.failed, 0);
}

HTEST(ktap_entry_with_a_failing_case)
{
	outcome(RUN_EXITED, 35,
	        BOOTED "KTAP version 1\n1..1\n    # EXPECTATION FAILED at f.c:9: n == 0\n"
	               "not ok 1 frame.alloc_free # leak\n");
	report_entry(&entry, &o, &rs);
	HT_EXPECT_STREQ(printed(), "not ok [uefi-q35-2c] frame.alloc_free\n"
	                           "    # EXPECTATION FAILED at f.c:9: n == 0\n"
	                           "    # leak\n"
	                           "ok [uefi-q35-2c] boot\n");
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT_EQ(rs.passed, 1);
}

HTEST(ktap_exit_code_must_agree)
{
	outcome(RUN_EXITED, 35, BOOTED GOOD_KTAP);
	report_entry(&entry, &o, &rs);
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] run\n    the kernel reported failure "
	                            "(isa-debug-exit 0x11), but 0 cases failed\n") != NULL);
	outcome(RUN_EXITED, 33, BOOTED "KTAP version 1\n1..1\nnot ok 1 a\n");
	report_entry(&entry, &o, &rs);
	HT_EXPECT_EQ(rs.failed, 2);
}

HTEST(ktap_entry_run_failures)
{
	outcome(RUN_TIMEOUT, 0, BOOTED "KTAP version 1\n1..3\nok 1 a\n");
	report_entry(&entry, &o, &rs);
	const char *p = printed();
	HT_EXPECT(strstr(p, "ok [uefi-q35-2c] a\nok [uefi-q35-2c] boot\nnot ok [uefi-q35-2c] run\n"
	                    "    timed out after 120 s; plan 1..3 but 1 results\n"
	                    "    last 4 lines of output (build/x/logs/e.serial):\n"
	                    "    | tessera: boot complete: 2/2 cores online\n") == p);
	HT_EXPECT_EQ(rs.failed, 1);
	outcome(RUN_EXITED, 0, "loader: jumping to kernel\n");
	report_entry(&entry, &o, &rs);
	HT_EXPECT(strstr(printed(),
	                 "    QEMU exited without isa-debug-exit: the guest reset (triple "
	                 "fault, reboot) or powered off before boot complete; no KTAP "
	                 "report") != NULL);
	HT_EXPECT_EQ(rs.failed, 1);
	outcome(RUN_SIGNALED, 11, "");
	report_entry(&entry, &o, &rs);
	HT_EXPECT(strstr(printed(), "killed by signal 11 (Segmentation fault)") != NULL);
	HT_EXPECT(strstr(printed(), "| (no output)") != NULL);
	outcome(RUN_EXITED, 33, GOOD_KTAP);
	report_entry(&entry, &o, &rs);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] boot\n    no \"tessera: boot complete") !=
	          NULL);
}

HTEST(boot_counts_cores)
{
	struct matrix_entry e = entry;
	e.expect = EXPECT_BOOT;
	outcome(RUN_STOPPED, 0, BOOTED);
	report_entry(&e, &o, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] boot\n");
	outcome(RUN_STOPPED, 0, "tessera: boot complete: 1/2 cores online\n");
	report_entry(&e, &o, &rs);
	HT_EXPECT_STREQ(printed(), "not ok [uefi-q35-2c] boot\n"
	                           "    1/2 cores online, expected 2/2\n");
	e.online = 1;
	report_entry(&e, &o, &rs);
	HT_EXPECT_EQ(rs.passed, 1);
	outcome(RUN_TIMEOUT, 0, "x\n");
	report_entry(&e, &o, &rs);
	HT_EXPECT(strncmp(printed(),
	                  "not ok [uefi-q35-2c] boot\n    timed out after 120 s before "
	                  "boot complete\n",
	                  71) == 0);
}

HTEST(error_expectation)
{
	struct matrix_entry e = entry;
	e.expect = EXPECT_ERROR;
	strcpy(e.text, "bad kernel");
	outcome(RUN_STOPPED, 0, "loader: bad kernel\n");
	o.error_seen = 1;
	report_entry(&e, &o, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] error \"bad kernel\"\n");
	outcome(RUN_EXITED, 0, "loader: bad kernel\n");
	o.error_seen = 1;
	report_entry(&e, &o, &rs);
	HT_EXPECT(strstr(printed(),
	                 "not ok [uefi-q35-2c] error \"bad kernel\"\n    the text "
	                 "appeared, but then QEMU exited without isa-debug-exit") != NULL);
	outcome(RUN_TIMEOUT, 0, "");
	report_entry(&e, &o, &rs);
	HT_EXPECT(strstr(printed(), "    timed out after 120 s before the text appeared\n") !=
	          NULL);
}

HTEST(host_binaries)
{
	outcome(RUN_EXITED, 0, "KTAP version 1\n1..1\nok 1 fmt.integers\n");
	report_host("test_fmt", &o, &rs);
	HT_EXPECT_STREQ(printed(), "ok fmt.integers\n");
	outcome(RUN_EXITED, 1, "KTAP version 1\n1..1\nnot ok 1 fmt.integers\n");
	report_host("test_fmt", &o, &rs);
	HT_EXPECT_STREQ(printed(), "not ok fmt.integers\n");
	outcome(RUN_EXITED, 1,
	        "KTAP version 1\n1..1\nok 1 fmt.integers\n==1==ERROR: LeakSanitizer\n");
	report_host("test_fmt", &o, &rs);
	HT_EXPECT(strstr(printed(),
	                 "ok fmt.integers\nnot ok test_fmt\n    exited with status 1\n") != NULL);
	HT_EXPECT(strstr(printed(), "    | ==1==ERROR: LeakSanitizer\n") != NULL);
	outcome(RUN_SIGNALED, 6, "KTAP version 1\n1..2\nok 1 a\n");
	report_host("test_x", &o, &rs);
	HT_EXPECT(strstr(printed(),
	                 "not ok test_x\n    killed by signal 6 (Aborted); plan 1..2 but "
	                 "1 results\n") != NULL);
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT_EQ(rs.passed, 1);
}

HTEST(skips_and_tail)
{
	outcome(RUN_EXITED, 0, "");
	report_skip("[limine] ../limine/test.img", "image build/limine/test.img not found", &rs);
	HT_EXPECT_STREQ(printed(), "skip [limine] ../limine/test.img: image build/limine/test.img "
	                           "not found\n");
	HT_EXPECT_EQ(rs.skipped, 1);
	HT_EXPECT_EQ(rs.passed, 0);
	for (int i = 0; i < 50; i++) {
		char line[16];
		snprintf(line, sizeof line, "l%d", i);
		outcome_tail(&o, line);
	}
	HT_EXPECT_EQ(o.ntail, TAIL_LINES);
	HT_EXPECT_STREQ(o.tail[0], "l30");
	HT_EXPECT_STREQ(o.tail[TAIL_LINES - 1], "l49");
	ktap_free(&o.ktap);
	results_free(&rs);
}

HTEST_MAIN("report")
