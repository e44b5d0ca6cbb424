/* tools/harness: the KTAP parser and the serial-line helpers. */
#include "../../../tools/harness/ktap.h"
#include "../../../tools/harness/serial.h"
#include "../htest.h"

static struct ktap k;

/* Feeds a multi-line text to a fresh parser; returns ktap_finish's result. */
static int feed(const char *text)
{
	char line[512];
	ktap_free(&k);
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		ktap_line(&k, line);
		p += len + (eol != NULL);
	}
	return ktap_finish(&k);
}

HTEST(valid_report)
{
	ktap_init(&k);
	HT_EXPECT_EQ(feed("loader: hello\nKTAP version 1\n1..3\nok 1 fmt.a\nok 2 - fmt.b\n"
	                  "ok 3 fmt.c # SKIP no disk\n# Totals: pass:2 fail:0 skip:1 total:3\n"),
	             0);
	HT_EXPECT_STREQ(k.error, "");
	HT_EXPECT_EQ(k.plan, 3);
	HT_ASSERT(k.ncases == 3);
	HT_EXPECT_STREQ(k.cases[0].name, "fmt.a");
	HT_EXPECT_STREQ(k.cases[1].name, "fmt.b");
	HT_EXPECT_EQ(k.cases[2].status, KTAP_SKIP);
	HT_EXPECT_STREQ(k.cases[2].reason, "no disk");
	HT_EXPECT_EQ(ktap_count(&k, KTAP_PASS), 2);
	HT_EXPECT_EQ(ktap_count(&k, KTAP_SKIP), 1);
	HT_EXPECT(k.cases[0].diag == NULL);
	ktap_free(&k);
}

HTEST(failure_keeps_diagnostics_and_reason)
{
	HT_EXPECT_EQ(feed("KTAP version 1\n1..2\nok 1 a\n    # EXPECTATION FAILED at x.c:3: y\n"
	                  "frame: log line\nnot ok 2 b # leaked 3 frames\n"),
	             0);
	HT_ASSERT(k.ncases == 2);
	HT_EXPECT_EQ(k.cases[1].status, KTAP_FAIL);
	HT_EXPECT_STREQ(k.cases[1].reason, "leaked 3 frames");
	HT_EXPECT_STREQ(k.cases[1].diag, "    # EXPECTATION FAILED at x.c:3: y\nframe: log line\n");
	HT_EXPECT_EQ(ktap_count(&k, KTAP_FAIL), 1);
	ktap_free(&k);
}

HTEST(skip_and_todo_directives)
{
	HT_EXPECT_EQ(feed("KTAP version 1\n1..3\nok 1 a # skip: lowercase\n"
	                  "not ok 2 b # TODO later\nok 3 c # not a directive\n"),
	             0);
	HT_EXPECT_EQ(k.cases[0].status, KTAP_SKIP);
	HT_EXPECT_STREQ(k.cases[0].reason, "lowercase");
	HT_EXPECT_EQ(k.cases[1].status, KTAP_SKIP);
	HT_EXPECT_EQ(k.cases[2].status, KTAP_PASS);
	HT_EXPECT_STREQ(k.cases[2].reason, "not a directive");
	ktap_free(&k);
}

HTEST(missing_report_or_plan)
{
	HT_EXPECT_EQ(feed("ok 1 looks like a result\nboot log\n"), -1);
	HT_EXPECT_STREQ(k.error, "no KTAP report (no \"KTAP version 1\" line)");
	HT_EXPECT_EQ(k.ncases, 0);
	HT_EXPECT_EQ(feed("KTAP version 1\nok 1 a\n"), -1);
	HT_EXPECT_STREQ(k.error, "no plan line 1..N (1 results)");
	ktap_free(&k);
}

HTEST(count_mismatch)
{
	HT_EXPECT_EQ(feed("KTAP version 1\n1..3\nok 1 a\nok 2 b\n"), -1);
	HT_EXPECT_STREQ(k.error, "plan 1..3 but 2 results");
	HT_EXPECT_EQ(feed("KTAP version 1\n1..1\nok 1 a\nok 2 b\n"), -1);
	HT_EXPECT_STREQ(k.error, "plan 1..1 but 2 results");
	ktap_free(&k);
}

HTEST(garbled_reports)
{
	HT_EXPECT_EQ(feed("KTAP version 1\n1..3\nok 1 a\nok 3 c\nok 2 b\n"), -1);
	HT_EXPECT_STREQ(k.error, "result 3 out of order (expected 2)");
	HT_EXPECT_EQ(feed("KTAP version 1\n1..2\n1..2\nok 1 a\nok 2 b\n"), -1);
	HT_EXPECT_STREQ(k.error, "a second plan line 1..2 (first 1..2)");
	HT_EXPECT_EQ(feed("KTAP version 1\n1..2\nok 1 a\nKTAP version 1\nok 2 b\n"), -1);
	HT_EXPECT_STREQ(k.error, "a second KTAP header after 1 results");
	HT_EXPECT_EQ(feed("KTAP version 1\n1..2\nok 1 a\nBail out! no memory\n"), -1);
	HT_EXPECT_STREQ(k.error, "bail out: no memory");
	/* a result line cut by a crash is not a result */
	HT_EXPECT_EQ(feed("KTAP version 1\n1..2\nok 1 a\nok \n"), -1);
	HT_EXPECT_EQ(k.ncases, 1);
	ktap_free(&k);
}

HTEST(long_diagnostics_keep_the_latest_lines)
{
	ktap_free(&k);
	ktap_line(&k, "KTAP version 1");
	ktap_line(&k, "1..1");
	char line[100];
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "log line %d", i);
		ktap_line(&k, line);
	}
	ktap_line(&k, "not ok 1 a");
	HT_ASSERT(k.cases[0].diag != NULL);
	HT_EXPECT(strlen(k.cases[0].diag) < KTAP_DIAG_MAX);
	HT_EXPECT(strstr(k.cases[0].diag, "log line 999\n") != NULL);
	HT_EXPECT(strstr(k.cases[0].diag, "log line 0\n") == NULL);
	ktap_free(&k);
}

HTEST(serial_clean_removes_escapes)
{
	char a[] = "\033[2J\033[01;01H\033[=3hBdsDxe: loading\r";
	serial_clean(a);
	HT_EXPECT_STREQ(a, "BdsDxe: loading");
	char b[] = "\033[1m\033[33m\033[40mShell> \033[0m\tx\x7f\033]0;title\007y\033cz";
	serial_clean(b);
	HT_EXPECT_STREQ(b, "Shell> \txyz");
	char c[] = "trailing escape \033";
	serial_clean(c);
	HT_EXPECT_STREQ(c, "trailing escape ");
	char d[] = "cut CSI \033[12";
	serial_clean(d);
	HT_EXPECT_STREQ(d, "cut CSI ");
}

HTEST(boot_complete_line)
{
	int x = -1, y = -1;
	HT_EXPECT(serial_boot_complete("tessera: boot complete: 3/4 cores online", &x, &y));
	HT_EXPECT_EQ(x, 3);
	HT_EXPECT_EQ(y, 4);
	HT_EXPECT(serial_boot_complete("[0.5] tessera: boot complete: 1/1 cores online.", &x, &y));
	HT_EXPECT_EQ(x, 1);
	HT_EXPECT(!serial_boot_complete("tessera: boot complete: 3/4", &x, &y));
	HT_EXPECT(!serial_boot_complete("tessera: boot complete: x/4 cores online", &x, &y));
	HT_EXPECT(!serial_boot_complete("boot complete: 1/1 cores online", &x, &y));
}

HTEST_MAIN("ktap")
