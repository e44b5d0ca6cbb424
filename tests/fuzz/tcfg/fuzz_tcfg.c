/* Fuzz target: tools/tcfg's checks over lib/json and lib/typed, as `tcfg
 * check` runs them.  The input is NUL-separated: the configuration text,
 * then the file name its messages start with, then up to 16 command-line
 * overrides (KEY=VALUE).  Every error is reported once, as one line
 * (schema.h); a configuration that passes has every setting within the
 * bounds of tcfg_config.schema and gives make text of the promised length.
 */
#include <json/json.h>
#include <schema.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tcfg_config.h>

#define MAX_OVERRIDES 16

static void diag(void *ctx, const char *msg)
{
	if (!msg[0] || strpbrk(msg, "\n\r")) {
		fprintf(stderr, "fuzz_tcfg: message '%s'\n", msg);
		abort(); /* one line */
	}
	++*(int *)ctx;
}

/* The next NUL-terminated field of [*p, end), copied; NULL at the end. */
static char *field(const uint8_t **p, const uint8_t *end)
{
	if (*p > end)
		return NULL;
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n + 1;
	return s;
}

/* The bounds the schema file states, independently of the checker. */
static void check_bounds(const struct tcfg_config *c)
{
	if (c->arch != 0 || c->loader > 1 || c->firmware > 1 || c->machine > 1 || c->accel > 1 ||
	    c->display > 3 || c->cores < 1 || c->cores > 64 || c->memory < 64 ||
	    c->memory > 65536 || c->framebuffer.width < 320 || c->framebuffer.width > 7680 ||
	    c->framebuffer.height < 200 || c->framebuffer.height > 4320)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end = data + size;
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	char *text = malloc(len ? len : 1);
	memcpy(text, data, len);
	p = nul ? nul + 1 : end + 1;
	char *file = field(&p, end), *sets[MAX_OVERRIDES];
	int nsets = 0, lines = 0;
	while (nsets < MAX_OVERRIDES && (sets[nsets] = field(&p, end)))
		nsets++;
	struct tcfg_reporter r = {diag, &lines, file ? file : "config/fuzz.json", 0};
	size_t ncap = json_max_nodes(len), arena_size = (256u << 10) + 160 * len;
	struct json_node *nodes = malloc(ncap * sizeof *nodes);
	char *strings = malloc(len + 1);
	void *mem = malloc(arena_size);
	struct typed_arena arena;
	struct json_doc doc;
	struct tcfg_config cfg;
	typed_arena_init(&arena, mem, arena_size);
	json_init(&doc, nodes, ncap, strings, len + 1);
	const struct typed_type *t = tcfg_type(&arena);
	struct typed_node *root;
	if (!t)
		abort();
	for (int i = 0; i < nsets; i++)
		tcfg_check_override(t, sets[i], &arena, &r);
	if (json_parse(&doc, text, len) == ERR_OK && (root = tcfg_from_json(doc.root, &arena)) &&
	    tcfg_check(t, root, (const char *const *)sets, nsets, &arena, &cfg, &r) == 0 &&
	    r.errors == 0) {
		char out[2048];
		size_t n = tcfg_emit_make(&cfg, r.file, out, sizeof out);
		if (n < sizeof out && strlen(out) != n)
			abort();
		check_bounds(&cfg);
	}
	if (lines != r.errors)
		abort(); /* every error reported once */
	for (int i = 0; i < nsets; i++)
		free(sets[i]);
	free(mem);
	free(strings);
	free(nodes);
	free(file);
	free(text);
	return 0;
}
