/* Fuzz target: tools/typedc's schema language and C generator.  Input: a
 * schema text.  Every problem is one line; a schema that parses has a valid
 * root whose descriptor decodes back to the same identity and bytes, and
 * its C header can be generated.
 */
#include <cli.h>
#include <gen.h>
#include <schema.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void one_line(void *ctx, const struct typed_error *e)
{
	char line[1024];
	typed_error_format(e, "s", line, sizeof line);
	if (!e->msg[0] || strpbrk(line, "\n\r"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char mem[16u << 20];
	static struct schema s;
	struct typed_arena a;
	struct typed_diag d = {one_line, NULL, 0};
	typed_arena_init(&a, mem, sizeof mem);
	enum err e = schema_parse((const char *)data, size, &a, &s, &d);
	if ((e == ERR_OK) != (d.count == 0))
		abort();
	if (e != ERR_OK)
		return 0;
	struct typed_error err;
	enum err ee;
	size_t n = typed_desc_encode(s.root, true, NULL, 0, &ee);
	uint8_t *buf = malloc(n), *again = malloc(n);
	const struct typed_type *t;
	if (typed_desc_check(s.root, &err) != ERR_OK ||
	    typed_desc_encode(s.root, true, buf, n, &ee) != n ||
	    typed_desc_decode(buf, n, &a, &t, &err) != ERR_OK ||
	    typed_desc_id(t) != typed_desc_id(s.root) ||
	    typed_desc_encode(t, true, again, n, &ee) != n || memcmp(buf, again, n) != 0)
		abort();
	FILE *out = fopen("/dev/null", "w");
	if (!out || gen_header(&s, "fuzz.schema", out) != 0)
		abort();
	fclose(out);
	free(again);
	free(buf);
	return 0;
}
