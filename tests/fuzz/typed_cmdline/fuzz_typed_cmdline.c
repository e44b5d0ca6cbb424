/* Fuzz target: lib/typed's command-line parser, against the tests' type
 * (tests/host/typed/demo_args.schema).  Input: the arguments, separated by
 * NUL bytes (at most 64).  Every problem is one line; a command line is
 * refused with at least one problem or accepted with none; an accepted
 * value is valid and prints to a text that reads back as the same value.
 */
#include <demo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <typed/internal.h>

#define MAX_ARGS 64

static void one_line(void *ctx, const struct typed_error *e)
{
	char line[1024];
	typed_error_format(e, NULL, line, sizeof line);
	if (!e->msg[0] || strpbrk(line, "\n\r"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS];
	int argc = 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (char *p = copy; argc < MAX_ARGS && p <= copy + size; p += strlen(p) + 1)
		argv[argc++] = p;
	size_t arena_size = (64u << 10) + 512 * size;
	void *mem = malloc(arena_size);
	struct typed_arena a;
	struct typed_diag d = {one_line, NULL, 0};
	struct typed_value *v, *w;
	struct typed_error err;
	bool help;
	typed_arena_init(&a, mem, arena_size);
	enum err e =
	        typed_cmdline_parse(&demo_type, argc, (const char *const *)argv, &a, &v, &d, &help);
	if (e == ERR_OK && !help && (d.count != 0 || !typed_value_valid(v, &err)))
		abort();
	if (e != ERR_OK && e != ERR_NOMEM && d.count == 0)
		abort(); /* refused without a word */
	if (e == ERR_OK && !help) {
		size_t n = typed_print(v, NULL, 0);
		char *text = malloc(n + 1);
		typed_print(v, text, n + 1);
		if (typed_text_load(&demo_type, text, n, &a, &w, &d) != ERR_OK ||
		    !typed_equal(v, w))
			abort();
		free(text);
	}
	free(mem);
	free(copy);
	return 0;
}
