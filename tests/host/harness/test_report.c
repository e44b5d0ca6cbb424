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

#define GOOD_KTAP \
	"KTAP version 1\n1..2\nok 1 cpu0.frame.alloc\nok 2 cpu1.cap.retype # SKIP no iommu\n"
#define BOOTED "tessera: boot complete: 2/2 cores online\n"

HTEST(ktap_entry_passes)
{
	struct matrix_entry e = entry;
	strcpy(e.skip, "cpu1.cap.retype");
	outcome(RUN_EXITED, 33, "BdsDxe: starting\n" BOOTED GOOD_KTAP);
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] cpu0.frame.alloc\n"
	                           "skip [uefi-q35-2c] cpu1.cap.retype: no iommu\n"
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
	report_entry(&entry, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "not ok [uefi-q35-2c] frame.alloc_free\n"
	                           "    # EXPECTATION FAILED at f.c:9: n == 0\n"
	                           "    # leak\n"
	                           "ok [uefi-q35-2c] boot\n");
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT_EQ(rs.passed, 1);
}

HTEST(ktap_exit_code_must_agree)
{
	struct matrix_entry e = entry;
	strcpy(e.skip, "cpu1.cap.retype");
	outcome(RUN_EXITED, 35, BOOTED GOOD_KTAP);
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] run\n    the kernel reported failure "
	                            "(isa-debug-exit 0x11), but 0 cases failed\n") != NULL);
	outcome(RUN_EXITED, 33, BOOTED "KTAP version 1\n1..1\nnot ok 1 a\n");
	report_entry(&entry, &o, NULL, &rs);
	HT_EXPECT_EQ(rs.failed, 2);
}

HTEST(ktap_entry_run_failures)
{
	outcome(RUN_TIMEOUT, 0, BOOTED "KTAP version 1\n1..3\nok 1 a\n");
	report_entry(&entry, &o, NULL, &rs);
	const char *p = printed();
	HT_EXPECT(strstr(p, "ok [uefi-q35-2c] a\nok [uefi-q35-2c] boot\nnot ok [uefi-q35-2c] run\n"
	                    "    timed out after 120 s; plan 1..3 but 1 results\n"
	                    "    last 4 lines of output (build/x/logs/e.serial):\n"
	                    "    | tessera: boot complete: 2/2 cores online\n") == p);
	HT_EXPECT_EQ(rs.failed, 1);
	outcome(RUN_EXITED, 0, "loader: jumping to kernel\n");
	report_entry(&entry, &o, NULL, &rs);
	HT_EXPECT(strstr(printed(),
	                 "    QEMU exited without isa-debug-exit: the guest reset (triple "
	                 "fault, reboot) or powered off before boot complete; no KTAP "
	                 "report") != NULL);
	HT_EXPECT_EQ(rs.failed, 1);
	outcome(RUN_SIGNALED, 11, "");
	report_entry(&entry, &o, NULL, &rs);
	HT_EXPECT(strstr(printed(), "killed by signal 11 (Segmentation fault)") != NULL);
	HT_EXPECT(strstr(printed(), "| (no output)") != NULL);
	outcome(RUN_EXITED, 33, GOOD_KTAP);
	report_entry(&entry, &o, NULL, &rs);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] boot\n    no \"tessera: boot complete") !=
	          NULL);
}

HTEST(boot_counts_cores)
{
	struct matrix_entry e = entry;
	e.expect = EXPECT_BOOT;
	outcome(RUN_STOPPED, 0, BOOTED);
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] boot\n");
	outcome(RUN_STOPPED, 0, "tessera: boot complete: 1/2 cores online\n");
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "not ok [uefi-q35-2c] boot\n"
	                           "    1/2 cores online, expected 2/2\n");
	e.online = 1;
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_EQ(rs.passed, 1);
	outcome(RUN_TIMEOUT, 0, "x\n");
	report_entry(&e, &o, NULL, &rs);
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
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] error \"bad kernel\"\n");
	outcome(RUN_EXITED, 0, "loader: bad kernel\n");
	o.error_seen = 1;
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT(strstr(printed(),
	                 "not ok [uefi-q35-2c] error \"bad kernel\"\n    the text "
	                 "appeared, but then QEMU exited without isa-debug-exit") != NULL);
	outcome(RUN_TIMEOUT, 0, "");
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT(strstr(printed(), "    timed out after 120 s before the text appeared\n") !=
	          NULL);
}

HTEST(lines_expectation)
{
	struct matrix_entry e = entry;
	e.expect = EXPECT_LINES;
	strcpy(e.text, "up: 3 programs|0 failed");
	outcome(RUN_STOPPED, 0, "up: 3 programs\n0 failed\n");
	o.lines_seen = 3;
	o.error_seen = 1;
	report_entry(&e, &o, NULL, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] line \"up: 3 programs\"\n"
	                           "ok [uefi-q35-2c] line \"0 failed\"\n");
	outcome(RUN_TIMEOUT, 0, "up: 3 programs\n");
	o.lines_seen = 1;
	report_entry(&e, &o, NULL, &rs);
	const char *p = printed();
	HT_EXPECT(strncmp(p, "ok [uefi-q35-2c] line \"up: 3 programs\"\n", 39) == 0);
	HT_EXPECT(strstr(p, "\nnot ok [uefi-q35-2c] line \"0 failed\"\n    timed out after "
	                    "120 s before the line appeared\n") != NULL);
	outcome(RUN_EXITED, 0, "up: 3 programs\n0 failed\n");
	o.lines_seen = 3;
	o.error_seen = 1;
	report_entry(&e, &o, NULL, &rs);
	p = printed();
	HT_EXPECT(strncmp(p,
	                  "not ok [uefi-q35-2c] line \"up: 3 programs\"\n    the line appeared, "
	                  "but then",
	                  74) == 0);
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

/* The declared cases of the accounting tests: one of each kind. */
static struct ktests decl;

static void declare(void)
{
	char err[256];
	ktests_free(&decl);
	if (ktests_read(
	            &decl,
	            "a.each each k/a_test.c:3\nb.bsp bsp k/b_test.c:5\nc.smp smp k/c_test.c:7\n",
	            "t.ktests", err, sizeof err) != 0)
		abort();
}

/* A complete report of the declared cases on cores 0 and 1. */
#define ALL_TWO_CORES                                                                      \
	"KTAP version 1\n1..5\nok 1 cpu0.a.each\nok 2 cpu1.a.each\nok 3 cpu0.b.bsp\nok 4 " \
	"cpu0.c.smp\n"                                                                     \
	"ok 5 cpu1.c.smp\n"

HTEST(accounting_passes_a_complete_report)
{
	declare();
	struct matrix_entry e = entry;
	e.skip[0] = '\0';
	outcome(RUN_EXITED, 33, BOOTED ALL_TWO_CORES);
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_EQ(rs.failed, 0);
	HT_EXPECT_EQ(rs.passed, 6);
	/* core 2 of 4 held back: cores 0, 1 and 3 report */
	e.cores = 4;
	e.online = 3;
	outcome(RUN_EXITED, 33,
	        "tessera: boot complete: 3/4 cores online\nKTAP version 1\n1..7\n"
	        "ok 1 cpu0.a.each\nok 2 cpu1.a.each\nok 3 cpu3.a.each\nok 4 cpu0.b.bsp\n"
	        "ok 5 cpu0.c.smp\nok 6 cpu1.c.smp\nok 7 cpu3.c.smp\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_EQ(rs.failed, 0);
	HT_EXPECT_EQ(rs.passed, 8);
}

HTEST(accounting_names_missing_cases_and_checks_the_plan)
{
	declare();
	struct matrix_entry e = entry;
	e.skip[0] = '\0';
	/* a test file left out of the link: the kernel counts without it */
	outcome(RUN_EXITED, 33,
	        BOOTED
	        "KTAP version 1\n1..3\nok 1 cpu0.a.each\nok 2 cpu1.a.each\nok 3 cpu0.b.bsp\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] cpu0.a.each\n"
	                           "ok [uefi-q35-2c] cpu1.a.each\n"
	                           "ok [uefi-q35-2c] cpu0.b.bsp\n"
	                           "not ok [uefi-q35-2c] plan\n"
	                           "    the report's plan is 1..3, but the sources declare 5 "
	                           "results: 3 cases (1 on core 0 only) on 2 online cores\n"
	                           "not ok [uefi-q35-2c] cpu0.c.smp\n"
	                           "    missing from the report: declared at k/c_test.c:7 (smp)\n"
	                           "not ok [uefi-q35-2c] cpu1.c.smp\n"
	                           "    missing from the report: declared at k/c_test.c:7 (smp)\n"
	                           "ok [uefi-q35-2c] boot\n");
	HT_EXPECT_EQ(rs.failed, 3);
	/* a core that reported nothing */
	outcome(RUN_EXITED, 33,
	        BOOTED "KTAP version 1\n1..5\nok 1 cpu0.a.each\nok 2 cpu0.b.bsp\nok 3 cpu0.c.smp\n"
	               "ok 4 cpu0.c.smp\nok 5 cpu0.a.each\n");
	report_entry(&e, &o, &decl, &rs);
	const char *p = printed();
	HT_EXPECT(strstr(p,
	                 "not ok [uefi-q35-2c] cpu0.c.smp\n    reported twice (results 3 and 4)\n"
	                 "not ok [uefi-q35-2c] cpu0.a.each\n    reported twice (results 1 and 5)\n"
	                 "not ok [uefi-q35-2c] cores\n    results come from 1 core (0), but 2 "
	                 "are online\n") != NULL);
	HT_EXPECT(strstr(p, "plan") == NULL);
}

HTEST(accounting_refuses_unexpected_results)
{
	declare();
	struct matrix_entry e = entry;
	e.skip[0] = '\0';
	outcome(RUN_EXITED, 33,
	        BOOTED "KTAP version 1\n1..8\nok 1 cpu0.a.each\nok 2 cpu1.a.each\nok 3 cpu0.b.bsp\n"
	               "ok 4 cpu1.b.bsp\nok 5 cpu0.c.smp\nok 6 cpu1.c.smp\nok 7 cpu0.new.case\n"
	               "ok 8 frame.alloc\n");
	report_entry(&e, &o, &decl, &rs);
	const char *p = printed();
	HT_EXPECT(strstr(p, "not ok [uefi-q35-2c] cpu1.b.bsp\n    unexpected: b.bsp is a KTEST_BSP "
	                    "case (core 0 only, k/b_test.c:5)\n") != NULL);
	HT_EXPECT(strstr(p, "not ok [uefi-q35-2c] cpu0.new.case\n    unexpected: no KTEST in the "
	                    "test kernel's sources declares new.case\n") != NULL);
	HT_EXPECT(strstr(p, "not ok [uefi-q35-2c] frame.alloc\n    not a cpuN.suite.name "
	                    "result\n") != NULL);
	HT_EXPECT(strstr(p, "not ok [uefi-q35-2c] plan\n    the report's plan is 1..8, but the "
	                    "sources declare 5 results") != NULL);
	HT_EXPECT_EQ(rs.failed, 4);
}

HTEST(skips_must_be_listed_and_must_happen)
{
	declare();
	struct matrix_entry e = entry;
	snprintf(e.skip, sizeof e.skip, "cpu1.a.each,cpu0.c.smp,cpu1.gone.case");
	outcome(RUN_EXITED, 33,
	        BOOTED "KTAP version 1\n1..5\nok 1 cpu0.a.each\nok 2 cpu1.a.each # SKIP one core\n"
	               "ok 3 cpu0.b.bsp # SKIP no framebuffer\nok 4 cpu0.c.smp\nok 5 cpu1.c.smp\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_STREQ(printed(), "ok [uefi-q35-2c] cpu0.a.each\n"
	                           "skip [uefi-q35-2c] cpu1.a.each: one core\n"
	                           "not ok [uefi-q35-2c] cpu0.b.bsp\n"
	                           "    unexpected skip: cpu0.b.bsp: no framebuffer (the entry's "
	                           "skip= list does not name it)\n"
	                           "ok [uefi-q35-2c] cpu0.c.smp\n"
	                           "ok [uefi-q35-2c] cpu1.c.smp\n"
	                           "not ok [uefi-q35-2c] skip=cpu0.c.smp\n"
	                           "    the entry lists this skip, but cpu0.c.smp did not skip\n"
	                           "not ok [uefi-q35-2c] skip=cpu1.gone.case\n"
	                           "    the entry lists this skip, but it did not happen (no KTEST "
	                           "declares that case)\n"
	                           "ok [uefi-q35-2c] boot\n");
	HT_EXPECT_EQ(rs.failed, 3);
	HT_EXPECT_EQ(rs.skipped, 1);
	/* cpu*: skipped on every core that ran the case */
	snprintf(e.skip, sizeof e.skip, "cpu*.a.each,cpu0.b.bsp");
	outcome(RUN_EXITED, 33,
	        BOOTED "KTAP version 1\n1..5\nok 1 cpu0.a.each\nok 2 cpu1.a.each # SKIP one core\n"
	               "ok 3 cpu0.b.bsp # SKIP no framebuffer\nok 4 cpu0.c.smp\nok 5 cpu1.c.smp\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT(strstr(printed(), "skip [uefi-q35-2c] cpu1.a.each: one core\n") != NULL);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] skip=cpu*.a.each\n    the entry lists "
	                            "this skip, but cpu0.a.each did not skip\n") != NULL);
	HT_EXPECT_EQ(rs.failed, 1);
	outcome(RUN_EXITED, 33,
	        BOOTED
	        "KTAP version 1\n1..5\nok 1 cpu0.a.each # SKIP x\nok 2 cpu1.a.each # SKIP y\n"
	        "ok 3 cpu0.b.bsp # SKIP z\nok 4 cpu0.c.smp\nok 5 cpu1.c.smp\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_EQ(rs.failed, 0);
	HT_EXPECT_EQ(rs.skipped, 3);
}

/* A run that did not finish fails as a run; its missing cases and skips
 * that did not happen yet are not listed one by one. */
HTEST(accounting_waits_for_a_complete_report)
{
	declare();
	struct matrix_entry e = entry;
	snprintf(e.skip, sizeof e.skip, "cpu0.c.smp");
	outcome(RUN_TIMEOUT, 0, BOOTED "KTAP version 1\n1..5\nok 1 cpu0.a.each\n");
	report_entry(&e, &o, &decl, &rs);
	HT_EXPECT_EQ(rs.failed, 1);
	HT_EXPECT(strstr(printed(), "not ok [uefi-q35-2c] run\n    timed out") != NULL);
	ktests_free(&decl);
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
