/* Fuzz target: tools/tcfg's schema checks over lib/json, as `tcfg check`
 * runs them.  The input is NUL-separated: the configuration text, then the
 * file name its messages start with, then up to 16 command-line overrides
 * (KEY=VALUE).  Every error is reported once, as one line (schema.h),
 * and every stored value is terminated.
 */
#include <json/json.h>
#include <schema.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	char *text = malloc(len ? len : 1);
	memcpy(text, data, len);
	p = nul ? nul + 1 : end + 1;
	char *file = field(&p, end);
	int lines = 0;
	struct tcfg_reporter r = {diag, &lines, file ? file : "config/fuzz.json", 0};
	struct tcfg_config cfg;
	size_t ncap = json_max_nodes(len);
	struct json_node *nodes = malloc(ncap * sizeof *nodes);
	char *strings = malloc(len + 1);
	struct json_doc doc;
	json_init(&doc, nodes, ncap, strings, len + 1);
	tcfg_defaults(&cfg);
	if (json_parse(&doc, text, len) == ERR_OK)
		tcfg_apply_json(&cfg, doc.root, &r);
	for (int i = 0; i < MAX_OVERRIDES; i++) {
		char *set = field(&p, end);
		if (!set)
			break;
		tcfg_apply_override(&cfg, set, &r);
		free(set);
	}
	if (tcfg_check_complete(&cfg, &r) == 0 && r.errors == 0) {
		char out[2048];
		size_t n = tcfg_emit_make(&cfg, r.file, out, sizeof out);
		if (n < sizeof out && strlen(out) != n)
			abort();
	}
	if (lines != r.errors)
		abort(); /* every error reported once */
	for (enum tcfg_slot s = 0; s < TCFG_NSLOTS; s++)
		if (strnlen(cfg.v[s].text, TCFG_VALUE_MAX) == TCFG_VALUE_MAX)
			abort();
	free(strings);
	free(nodes);
	free(file);
	free(text);
	return 0;
}
