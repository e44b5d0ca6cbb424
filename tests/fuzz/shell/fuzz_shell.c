/* Fuzz target: lib/shell's lexer, parser and checker (shell_compile) over
 * tshell's fixture commands, the plan's text, the error display, and the
 * line editor and completion fed the same bytes.  A text either compiles
 * or gives one error with a position inside it and a one-line message;
 * nothing crashes.  Plans are not run (a script may loop a long time). */
#include <fixtures.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM (2u << 20)

static void sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

static void check_error(const char *src, size_t len, const struct shell_error *e)
{
	char shown[4096];
	if (!e->msg[0] || strchr(e->msg, '\n') || e->line == 0 || e->col == 0) {
		fprintf(stderr, "fuzz_shell: bad error %u:%u '%s'\n", e->line, e->col, e->msg);
		abort();
	}
	uint32_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += src[i] == '\n';
	if (e->line > lines) {
		fprintf(stderr, "fuzz_shell: error on line %u of %u\n", e->line, lines);
		abort();
	}
	shell_error_show(src, len, e, "f", shown, sizeof shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *mem;
	static struct shell_edit ed;
	struct shell_plan *plan;
	struct shell_error err;
	struct shell_out out = {sink, NULL, 40};
	const char *src = (const char *)data;
	if (!mem)
		mem = malloc(MEM);
	struct shell *sh = shell_new(mem, MEM, &tshell_fixtures);
	enum err e = shell_compile(sh, src, size, &plan, &err);
	if (e == ERR_OK) {
		size_t n = shell_plan_text(plan, NULL, 0);
		char *text = malloc(n + 1);
		if (shell_plan_text(plan, text, n + 1) != n || strlen(text) != n)
			abort();
		free(text);
	} else if (e == ERR_CORRUPT || e == ERR_NOMEM) {
		check_error(src, size, &err);
	} else {
		abort();
	}
	shell_edit_init(&ed, &out, sh, "> ");
	shell_edit_start(&ed);
	for (size_t i = 0; i < size; i++)
		if (shell_edit_feed(&ed, data[i]) != SHELL_EDIT_NONE)
			shell_edit_start(&ed);
	return 0;
}
