/* lib/shell: the parser and the checker.  Every error is compared whole:
 * the line, the caret under the column, the position and the message
 * (expected and found types), written out by hand. */
#include <stdio.h>

#include "../htest.h"
#include "util.h"

#define EXPECT_ERROR(src, want) HT_EXPECT_STREQ(t_error(t_shell(), src), want)

/* ---- Syntax ---- */

HTEST(syntax_pipe_without_command)
{
	EXPECT_ERROR("ps |", "ps |\n"
	                     "    ^\n"
	                     "1:5: expected a command after '|', found the end\n");
}

HTEST(syntax_let_without_name)
{
	EXPECT_ERROR("let = 5", "let = 5\n"
	                        "    ^\n"
	                        "1:5: expected a variable's name, found '='\n");
}

HTEST(syntax_unclosed_list)
{
	EXPECT_ERROR("[1, 2", "[1, 2\n"
	                      "     ^\n"
	                      "1:6: expected ',' or ']', found the end\n");
}

HTEST(syntax_lexer_errors)
{
	EXPECT_ERROR("echo \"abc", "echo \"abc\n"
	                           "     ^\n"
	                           "1:6: unterminated string\n");
	EXPECT_ERROR("first 5x",
	             "first 5x\n"
	             "      ^\n"
	             "1:7: unknown unit (sizes: K M G T; durations: ns us ms s min h)\n");
	EXPECT_ERROR("ls /a//b", "ls /a//b\n"
	                         "   ^\n"
	                         "1:4: a path has an empty, \".\" or \"..\" part\n");
	EXPECT_ERROR("first 99999999999999999999", "first 99999999999999999999\n"
	                                           "      ^\n"
	                                           "1:7: number does not fit 64 bits\n");
	EXPECT_ERROR("ps ? 1", "ps ? 1\n"
	                       "   ^\n"
	                       "1:4: unexpected character\n");
}

HTEST(syntax_comparisons_do_not_chain)
{
	EXPECT_ERROR("ps | where core == 1 == 2",
	             "ps | where core == 1 == 2\n"
	             "                     ^\n"
	             "1:22: expected parentheses around a comparison before another, found '=='\n");
}

HTEST(syntax_unclosed_block_on_a_later_line)
{
	EXPECT_ERROR("ps\nif true {\n  mem", "  mem\n"
	                                     "     ^\n"
	                                     "3:6: expected '}', found the end\n");
}

HTEST(syntax_parameter_needs_type)
{
	EXPECT_ERROR("fn f(a) { 1 }", "fn f(a) { 1 }\n"
	                              "      ^\n"
	                              "1:7: expected ':' and the parameter's type, found ')'\n");
}

HTEST(syntax_deep_nesting_is_refused)
{
	char src[512];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < 100; i++)
		src[n++] = ')';
	src[n] = 0;
	const char *e = t_error(t_shell(), src);
	HT_EXPECT(strstr(e, "expected less nesting") != NULL);
}

HTEST(syntax_comments_and_separators)
{
	EXPECT_ERROR("# a comment\nps; mem   # another\n\n  uptime\n", "compiled");
	EXPECT_ERROR("ps |\n  where core == 1 |\n  sort mem", "compiled");
}

/* ---- Types ---- */

HTEST(check_unknown_column)
{
	EXPECT_ERROR(
	        "ps | sort memory",
	        "ps | sort memory\n"
	        "          ^\n"
	        "1:11: expected a column of the input table(pid, name, core, mem, state), found "
	        "'memory'\n");
	EXPECT_ERROR("ps | where nme == 1",
	             "ps | where nme == 1\n"
	             "           ^\n"
	             "1:12: no column 'nme' (columns: pid, name, core, mem, state)\n");
}

HTEST(check_ranges_of_literals)
{
	EXPECT_ERROR("spawn sieve core=99", "spawn sieve core=99\n"
	                                    "                 ^\n"
	                                    "1:18: expected uint 0..63, found 99\n");
	EXPECT_ERROR("spawn sieve memory=2G", "spawn sieve memory=2G\n"
	                                      "                   ^\n"
	                                      "1:20: expected size 64K..1G, found 2G\n");
	EXPECT_ERROR("ps | first n=-1", "ps | first n=-1\n"
	                                "             ^\n"
	                                "1:14: expected uint 0..65536, found -1\n");
	EXPECT_ERROR("spawn sieve core=3 memory=64K", "compiled");
}

HTEST(check_kinds_of_literals)
{
	EXPECT_ERROR("spawn sieve memory=300ms", "spawn sieve memory=300ms\n"
	                                         "                   ^\n"
	                                         "1:20: expected size 64K..1G, found 300ms\n");
	EXPECT_ERROR("spawn 5", "spawn 5\n"
	                        "      ^\n"
	                        "1:7: expected string, found 5\n");
	EXPECT_ERROR("if 5 { ps }", "if 5 { ps }\n"
	                            "   ^\n"
	                            "1:4: expected bool, found 5\n");
	EXPECT_ERROR("ps | where core", "ps | where core\n"
	                                "           ^\n"
	                                "1:12: expected bool, found uint 0..63\n");
}

HTEST(check_operators)
{
	EXPECT_ERROR("ps | where core == \"a\"",
	             "ps | where core == \"a\"\n"
	             "                ^\n"
	             "1:17: '==' expected two values of one type, found uint 0..63 and string\n");
	EXPECT_ERROR(
	        "(uptime) + 1M",
	        "(uptime) + 1M\n"
	        "         ^\n"
	        "1:10: '+' expected numbers, sizes, durations or strings that go together, found "
	        "duration and size\n");
	EXPECT_ERROR(
	        "[1] < [2]",
	        "[1] < [2]\n"
	        "    ^\n"
	        "1:5: '<' expected numbers, sizes, durations, strings or enums, found list(int) "
	        "and list(int)\n");
	EXPECT_ERROR("ps | where mem > 1M and state != stopped", "compiled");
}

HTEST(check_enum_values)
{
	EXPECT_ERROR("ps | where state == runing",
	             "ps | where state == runing\n"
	             "                    ^\n"
	             "1:21: expected enum(running, waiting, stopped), found 'runing'\n");
	EXPECT_ERROR("ps state=\"waiting\"", "compiled");
}

HTEST(check_inputs)
{
	EXPECT_ERROR("uptime | sort mem",
	             "uptime | sort mem\n"
	             "         ^\n"
	             "1:10: sort: expected a table as input, found duration\n");
	EXPECT_ERROR("sort mem", "sort mem\n"
	                         "^\n"
	                         "1:1: sort: expected a table as input, found nothing\n");
	EXPECT_ERROR("ps | mem",
	             "ps | mem\n"
	             "     ^\n"
	             "1:6: mem takes no input, found table(pid, name, core, mem, state)\n");
}

HTEST(check_arguments)
{
	EXPECT_ERROR("mem 5", "mem 5\n"
	                      "    ^\n"
	                      "1:5: mem takes no arguments\n");
	EXPECT_ERROR("spawn", "spawn\n"
	                      "^\n"
	                      "1:1: spawn: missing argument 'name' (string)\n");
	EXPECT_ERROR("spawn a b", "spawn a b\n"
	                          "        ^\n"
	                          "1:9: expected uint 0..63, found 'b'\n");
	EXPECT_ERROR("spawn a 1 1M 2", "spawn a 1 1M 2\n"
	                               "             ^\n"
	                               "1:14: spawn takes 3 arguments; this one is one too many\n");
	EXPECT_ERROR("spawn a core=1 core=2", "spawn a core=1 core=2\n"
	                                      "               ^\n"
	                                      "1:16: spawn: argument 'core' given twice\n");
	EXPECT_ERROR("spawn a colour=red",
	             "spawn a colour=red\n"
	             "        ^\n"
	             "1:9: spawn has no argument 'colour' (arguments: name, core, memory)\n");
	EXPECT_ERROR("spawn memory=1M core=2 sieve", "compiled");
	EXPECT_ERROR("help nope", "help nope\n"
	                          "     ^\n"
	                          "1:6: expected a command's name, found 'nope'\n");
}

HTEST(check_names)
{
	EXPECT_ERROR("nope", "nope\n"
	                     "^\n"
	                     "1:1: unknown command 'nope' (help lists them)\n");
	EXPECT_ERROR("$nope", "$nope\n"
	                      "^\n"
	                      "1:1: unknown variable $nope\n");
	EXPECT_ERROR("[x]", "[x]\n"
	                    " ^\n"
	                    "1:2: unknown name 'x' (a variable is written $x)\n");
	EXPECT_ERROR("(mem).total", "compiled");
	EXPECT_ERROR("mem.total", "mem.total\n"
	                          "   ^\n"
	                          "1:4: expected the end of the statement, found '.'\n");
	EXPECT_ERROR("(mem).totl", "(mem).totl\n"
	                           "     ^\n"
	                           "1:6: no field 'totl' in record(total: size, used: size, free: "
	                           "size)\n");
}

HTEST(check_statements)
{
	EXPECT_ERROR("let x = kill 1", "let x = kill 1\n"
	                               "        ^\n"
	                               "1:9: expected a value for $x, found nothing\n");
	EXPECT_ERROR("for x in 5 { ps }",
	             "for x in 5 { ps }\n"
	             "         ^\n"
	             "1:10: expected a list or table to loop over, found int\n");
	EXPECT_ERROR("{a: 1, a: 2}", "{a: 1, a: 2}\n"
	                             "       ^\n"
	                             "1:8: field 'a' given twice\n");
	EXPECT_ERROR("if true { fn f() { 1 } }",
	             "if true { fn f() { 1 } }\n"
	             "          ^\n"
	             "1:11: functions are defined at the top of a script\n");
	EXPECT_ERROR("for c in (cores) { $c.free }\n$c", "$c\n"
	                                                 "^\n"
	                                                 "2:1: unknown variable $c\n");
}

/* A type error on line 4 of a script: nothing before it runs (spawn's
 * fixture would add a program). */
HTEST(check_whole_script_before_running)
{
	struct shell *sh = t_shell();
	const char *script = "spawn a\n"
	                     "fn big(min: size) {\n"
	                     "  ps | where mem >= $min\n"
	                     "}\n"
	                     "big 5\n";
	HT_EXPECT_STREQ(t_run(sh, script, 80), "big 5\n"
	                                       "    ^\n"
	                                       "5:5: expected size, found 5\n");
	HT_EXPECT_STREQ(t_run(sh, "ps | length", 80), "6\n");
}

HTEST(check_functions)
{
	struct shell *sh = t_shell();
	EXPECT_ERROR("fn f(a: int, a: int) { 1 }", "fn f(a: int, a: int) { 1 }\n"
	                                           "             ^\n"
	                                           "1:14: parameter 'a' given twice\n");
	EXPECT_ERROR(
	        "fn f(a: float) { 1 }",
	        "fn f(a: float) { 1 }\n"
	        "        ^\n"
	        "1:9: expected a type (int uint size duration string path bool list(T)), found "
	        "'float'\n");
	HT_EXPECT_STREQ(t_error(sh, "fn f(n: int) { $n }\nps | f 1"),
	                "ps | f 1\n"
	                "     ^\n"
	                "2:6: f takes no input, found table(pid, name, core, mem, state)\n");
	/* A function defined by an earlier compile is known to later ones. */
	HT_EXPECT_STREQ(t_error(sh, "fn twice(n: int) { $n * 2 }"), "compiled");
	HT_EXPECT_STREQ(t_error(sh, "twice n=3"), "compiled");
	HT_EXPECT_STREQ(t_error(sh, "twice 3M"), "twice 3M\n"
	                                         "      ^\n"
	                                         "1:7: expected int, found 3M\n");
}

HTEST(type_text)
{
	const struct typed_type *t;
	char buf[200];
	struct shell *sh = t_shell();
	(void)sh;
	extern const struct shell_cmds tshell_fixtures;
	t = tshell_fixtures.sigs[4].params; /* spawn */
	shell_type_text(t, buf, sizeof buf);
	HT_EXPECT_STREQ(buf, "record(name: string, core: uint 0..63, memory: size 64K..1G)");
	shell_sig_text(&tshell_fixtures.sigs[4], buf, sizeof buf);
	HT_EXPECT_STREQ(buf,
	                "spawn name: string [core: uint 0..63 = 0] [memory: size 64K..1G = 1M] "
	                "-> record(pid: uint 1.., name: string, core: uint 0..63, mem: size, "
	                "state: enum(running, waiting, stopped))");
}

HTEST_MAIN("shell_lang")
