/* lib/shell: plans, running them over the fixtures (tools/tshell/fixtures.c,
 * whose values are written out there), and formatting.  Expected plans and
 * outputs are written by hand. */
#include <stdio.h>

#include "../htest.h"
#include "util.h"

#define SHELL_POLL_OPS_TEST 1024 /* lib/shell/internal.h SHELL_POLL_OPS */

#define EXPECT_RUN(src, want) HT_EXPECT_STREQ(t_run(t_shell(), src, 80), want)

HTEST(plan_pipeline_with_row_argument)
{
	HT_EXPECT_STREQ(t_plan(t_shell(), "ps | where core == 1 | sort mem"),
	                "0: r0 = {state: -}\n"
	                "1: r1 = call ps args r0\n"
	                "2: jump 7\n"
	                "3: r3 = r2.2\n"
	                "4: r4 = 1 : int\n"
	                "5: r5 = r3 == r4\n"
	                "6: return r5\n"
	                "7: r6 = false : bool\n"
	                "8: r7 = {cond: r6}\n"
	                "9: r8 = call where in r1 args r7 row cond: r2 at 3 -> r5\n"
	                "10: r9 = \"mem\" : string\n"
	                "11: r10 = false : bool\n"
	                "12: r11 = {by: r9, reverse: r10}\n"
	                "13: r12 = call sort in r8 args r11\n"
	                "14: print r12\n"
	                "15: return\n");
}

HTEST(plan_for_and_if)
{
	HT_EXPECT_STREQ(t_plan(t_shell(), "for x in [1, 2] { $x }"),
	                "0: r0 = 1 : int\n"
	                "1: r1 = 2 : int\n"
	                "2: r2 = [r0, r1]\n"
	                "3: r3 = 0 : uint\n"
	                "4: r4 = next of r2 at r3, else jump 7\n"
	                "5: print r4\n"
	                "6: jump 4\n"
	                "7: return\n");
	HT_EXPECT_STREQ(t_plan(t_shell(), "if 1 < 2 { 1 } else { 2 }"), "0: r0 = 1 : int\n"
	                                                                "1: r1 = 2 : int\n"
	                                                                "2: r2 = r0 < r1\n"
	                                                                "3: jump 7 unless r2\n"
	                                                                "4: r3 = 1 : int\n"
	                                                                "5: print r3\n"
	                                                                "6: jump 9\n"
	                                                                "7: r4 = 2 : int\n"
	                                                                "8: print r4\n"
	                                                                "9: return\n");
}

HTEST(plan_checks_a_wider_value_when_it_runs)
{
	HT_EXPECT_STREQ(t_plan(t_shell(), "let n = 5\nspawn a core=$n"),
	                "0: r0 = 5 : int\n"
	                "1: global 0 = r0\n"
	                "2: r1 = global 0\n"
	                "3: r2 = r1 as uint 0..63\n"
	                "4: r3 = \"a\" : string\n"
	                "5: r4 = 1M : size 64K..1G\n"
	                "6: r5 = {name: r3, core: r2, memory: r4}\n"
	                "7: r6 = call spawn args r5\n"
	                "8: print r6\n"
	                "9: return\n");
}

HTEST(run_filter_and_sort)
{
	EXPECT_RUN("ps | where core == 1 | sort mem", "pid  name      core  mem  state\n"
	                                              "---  --------  ----  ---  -------\n"
	                                              "  3  counter      1   1M  running\n"
	                                              "  5  pingpong     1   1M  waiting\n");
	EXPECT_RUN("ps | where mem > 1M and state == running | sort pid reverse=true",
	           "pid  name   core  mem  state\n"
	           "---  -----  ----  ---  -------\n"
	           "  4  sieve     3   2M  running\n"
	           "  2  sieve     0   2M  running\n");
	EXPECT_RUN("cores | sort free | first 2", "core  apic  free  programs\n"
	                                          "----  ----  ----  --------\n"
	                                          "   3     6   96M         1\n"
	                                          "   0     0  112M         3\n");
	EXPECT_RUN("ps state=waiting | length", "3\n");
	EXPECT_RUN("ps | where name == nobody", "pid  name  core  mem  state\n"
	                                        "---  ----  ----  ---  -----\n"
	                                        "(no rows)\n");
}

HTEST(run_table_cut_to_width)
{
	HT_EXPECT_STREQ(t_run(t_shell(), "ps", 24), "pid  na~  co~  mem  sta~\n"
	                                            "---  ---  ---  ---  ----\n"
	                                            "  1  in~    0   1M  wai~\n"
	                                            "  2  si~    0   2M  run~\n"
	                                            "  3  co~    1   1M  run~\n"
	                                            "  4  si~    3   2M  run~\n"
	                                            "  5  pi~    1   1M  wai~\n"
	                                            "  6  pi~    2   1M  wai~\n");
}

HTEST(run_records_lists_scalars)
{
	EXPECT_RUN("mem", "total: 512M\n"
	                  "used:  63M\n"
	                  "free:  449M\n");
	EXPECT_RUN("uptime", "1h2min3s\n");
	EXPECT_RUN("90s; 1500ms; 250us; 7ns; 1536M; 64M + 1K; 3 * 1M; 1000",
	           "1min30s\n1.5s\n250us\n7ns\n1.5G\n64.0M\n3M\n1000\n");
	EXPECT_RUN("10 / 3; -5 + 2; \"a\" + \"b\"; 2M - 1M; not (1 > 2)", "3\n-3\nab\n1M\ntrue\n");
	EXPECT_RUN("[1, 2, 3]", "[1, 2, 3]\n");
	HT_EXPECT_STREQ(t_run(t_shell(), "[10, 20, 30]", 8), "10\n20\n30\n");
	EXPECT_RUN("{name: \"x\", size: 64M, when: 300ms, where: /boot/x}", "name:  x\n"
	                                                                    "size:  64M\n"
	                                                                    "when:  300ms\n"
	                                                                    "where: /boot/x\n");
	EXPECT_RUN("(mem).free - (mem).used", "386M\n");
}

HTEST(run_loops_and_branches)
{
	EXPECT_RUN("for c in (cores) { if $c.free < 100M { $c.core } else { \"plenty\" } }",
	           "plenty\nplenty\nplenty\n3\n");
	EXPECT_RUN("for p in (ps | first 3) { $p.name + \" on \" + \"core\" }",
	           "init on core\nsieve on core\ncounter on core\n");
	EXPECT_RUN("if (uptime) > 1h { \"up a while\" } else if (uptime) > 1min { \"just up\" }",
	           "up a while\n");
}

HTEST(run_functions_see_their_arguments_in_row_expressions)
{
	EXPECT_RUN("fn on(core: uint) {\n"
	           "  ps | where core == $core | length\n"
	           "}\n"
	           "on 1; on 3; on core=5\n",
	           "2\n1\n0\n");
}

HTEST(run_variables_outlive_their_line)
{
	struct shell *sh = t_shell();
	HT_EXPECT_STREQ(t_run(sh, "let p = (ps | first 1)", 80), "");
	HT_EXPECT_STREQ(t_run(sh, "ps | length", 80), "6\n"); /* reuses the scratch memory */
	HT_EXPECT_STREQ(t_run(sh, "$p", 80), "pid  name  core  mem  state\n"
	                                     "---  ----  ----  ---  -------\n"
	                                     "  1  init     0   1M  waiting\n");
	HT_EXPECT_STREQ(t_run(sh, "let p = 5", 80), "");
	HT_EXPECT_STREQ(t_run(sh, "$p + 1", 80), "6\n");
}

HTEST(run_errors_stop_and_say_where)
{
	struct shell *sh = t_shell();
	HT_EXPECT_STREQ(t_run(sh, "spawn x; kill 99; spawn y", 80), "pid:   7\n"
	                                                            "name:  x\n"
	                                                            "core:  0\n"
	                                                            "mem:   1M\n"
	                                                            "state: running\n"
	                                                            "spawn x; kill 99; spawn y\n"
	                                                            "         ^\n"
	                                                            "1:10: kill: no program 99\n");
	HT_EXPECT_STREQ(t_run(sh, "ps | length", 80), "7\n"); /* x, not y */
	HT_EXPECT_STREQ(t_run(sh, "kill 99; let z = 1", 80), "kill 99; let z = 1\n"
	                                                     "^\n"
	                                                     "1:1: kill: no program 99\n");
	HT_EXPECT_STREQ(t_run(sh, "$z", 80), "$z\n"
	                                     "^\n"
	                                     "1:1: $z has no value: its line stopped first\n");
	EXPECT_RUN("fn f(n: int) { spawn a core=$n }\nf 99",
	           "fn f(n: int) { spawn a core=$n }\n"
	           "                            ^\n"
	           "1:29: 99 is out of range for uint 0..63\n");
	EXPECT_RUN("1M / 0", "1M / 0\n"
	                     "   ^\n"
	                     "1:4: division by zero\n");
	EXPECT_RUN("9223372036854775807 + 1", "9223372036854775807 + 1\n"
	                                      "                    ^\n"
	                                      "1:21: integer overflow\n");
}

static unsigned polls, cancel_at;

/* The console's stand-in: Ctrl-C typed at the cancel_at-th poll (0: never). */
static bool poll_cancel(void *ctx)
{
	(void)ctx;
	return ++polls == cancel_at;
}

/* 20 * 20 * 20 iterations of a body that prints nothing, then "done". */
#define LONG_LOOP                                                                           \
	"let l = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\n" \
	"for a in $l { for b in $l { for c in $l { if $a == 0 { $b } } } }\n"               \
	"\"done\""

HTEST(run_ctrl_c_stops_a_long_loop)
{
	struct shell *sh = t_shell();
	shell_set_cancel(sh, poll_cancel, NULL);
	polls = 0, cancel_at = 0;
	HT_EXPECT_STREQ(t_run(sh, LONG_LOOP, 80), "done\n");
	HT_EXPECT(polls >= 8000 / SHELL_POLL_OPS_TEST); /* at least one op per iteration */
	unsigned all = polls;
	polls = 0, cancel_at = 2;
	const char *out = t_run(sh, LONG_LOOP, 80);
	HT_EXPECT(strstr(out, "cancelled (Ctrl-C)\n") != NULL);
	HT_EXPECT(strstr(out, "done") == NULL);
	HT_EXPECT_EQ(polls, 2);
	HT_EXPECT(all > 2);
	/* a row expression over a long table is polled too */
	polls = 0, cancel_at = 1;
	out = t_run(sh,
	            "let l = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
	            "for a in $l { for b in $l { for c in $l { [$a] | where $a == 0 } } }",
	            80);
	HT_EXPECT(strstr(out, "cancelled (Ctrl-C)\n") != NULL);
	shell_set_cancel(sh, NULL, NULL);
}

HTEST(run_help_from_signatures)
{
	EXPECT_RUN("help spawn",
	           "spawn name: string [core: uint 0..63 = 0] [memory: size 64K..1G = "
	           "1M] -> record(pid: uint 1.., name: string, core: uint 0..63, mem: "
	           "size, state: enum(running, waiting, stopped))\n"
	           "  start a program from a boot module\n"
	           "  from fixtures\n"
	           "  name       the boot module to start\n"
	           "  core       where it runs\n"
	           "  memory     its budget\n");
	const char *all = t_run(t_shell(), "help", 80);
	HT_EXPECT(strstr(
	        all, "cores      fixtures   online cores with their APIC id and free memory\n"));
	HT_EXPECT(strstr(all, "where      lib/shell  the rows for which a condition holds\n"));
}

HTEST(format_scalars)
{
	struct typed_value v = {.type = &(struct typed_type){.kind = TYPED_SIZE}};
	char buf[32];
	static const struct {
		uint64_t u;
		const char *text;
	} sizes[] = {{0, "0"}, {1023, "1023"}, {1024, "1K"}, {1536, "1.5K"}, {1ull << 40, "1T"}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		v.u = sizes[i].u;
		shell_format_scalar(&v, buf, sizeof buf);
		HT_EXPECT_STREQ(buf, sizes[i].text);
	}
	v.type = &(struct typed_type){.kind = TYPED_DURATION};
	v.u = 3600ull * 1000000000ull + 5000000000ull;
	shell_format_scalar(&v, buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "1h5s");
}

HTEST_MAIN("shell_run")
