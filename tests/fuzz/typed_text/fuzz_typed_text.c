/* Fuzz target: lib/typed's configuration text parser and checker, against
 * the tests' type (tests/host/typed/demo_args.schema: a field of every
 * kind).  Every problem is one line; a text is refused with at least one
 * problem or accepted with none; an accepted value is valid, prints to a
 * text that reads back as the same value, and survives a message round
 * trip (its capabilities numbered first).
 */
#include <demo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <typed/internal.h>

static void one_line(void *ctx, const struct typed_error *e)
{
	char line[1024];
	typed_error_format(e, "f", line, sizeof line);
	if (!e->msg[0] || strpbrk(line, "\n\r")) {
		fprintf(stderr, "fuzz_typed_text: message '%s'\n", line);
		abort();
	}
}

static enum err number(void *ctx, struct typed_value *cap)
{
	cap->cap.slot = (*(uint32_t *)ctx)++;
	return ERR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t arena_size = (64u << 10) + 256 * size;
	void *mem = malloc(arena_size);
	struct typed_arena a;
	struct typed_diag d = {one_line, NULL, 0};
	struct typed_value *v, *w;
	struct typed_error err;
	typed_arena_init(&a, mem, arena_size);
	enum err e = typed_text_load(&demo_type, (const char *)data, size, &a, &v, &d);
	if ((e == ERR_OK) != (d.count == 0) || (e == ERR_OK && !typed_value_valid(v, &err)))
		abort();
	if (e == ERR_OK) {
		size_t n = typed_print(v, NULL, 0);
		char *text = malloc(n + 1);
		if (typed_print(v, text, n + 1) != n || strlen(text) != n)
			abort();
		if (typed_text_load(&demo_type, text, n, &a, &w, &d) != ERR_OK ||
		    !typed_equal(v, w))
			abort(); /* printing reads back */
		uint32_t slot = 0;
		typed_each_cap(v, number, &slot);
		size_t len = typed_encode(v, NULL, 0, &e, &err);
		uint8_t *msg = malloc(len);
		if (e != ERR_NOSPC || typed_encode(v, msg, len, &e, &err) != len || e != ERR_OK ||
		    typed_decode(&demo_type, msg, len, &a, &w, &err) != ERR_OK ||
		    !typed_equal(v, w))
			abort(); /* a message round trip */
		free(msg);
		free(text);
	}
	free(mem);
	return 0;
}
