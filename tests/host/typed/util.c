/* Helpers of the typed-value tests; see util.h. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

char problems[8192];

static void collect(void *ctx, const struct typed_error *e)
{
	size_t n = strlen(problems);
	char line[1024];
	typed_error_format(e, ctx, line, sizeof line);
	snprintf(problems + n, sizeof problems - n, "%s\n", line);
}

struct typed_diag diag = {collect, "t.conf", 0};

void reset_problems(void)
{
	problems[0] = '\0';
	diag.count = 0;
	diag.ctx = "t.conf";
}

struct typed_arena *fresh_arena(void)
{
	static unsigned char mem[1 << 20];
	static struct typed_arena a;
	typed_arena_init(&a, mem, sizeof mem);
	return &a;
}

struct typed_value *load(const char *text)
{
	struct typed_value *v;
	reset_problems();
	enum err e = typed_text_load(&demo_type, text, strlen(text), fresh_arena(), &v, &diag);
	return e == ERR_OK ? v : NULL;
}

struct typed_value *args(const char *arg, ...)
{
	const char *argv[64];
	int argc = 0;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 64; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	reset_problems();
	diag.ctx = NULL; /* command-line problems have no file */
	struct typed_value *v;
	bool help;
	enum err e = typed_cmdline_parse(&demo_type, argc, argv, fresh_arena(), &v, &diag, &help);
	return e == ERR_OK && !help ? v : NULL;
}
