/* Fuzz target: lib/json.  The input is the text.  It is parsed with the
 * pools json.h says always suffice (so a parse may fail only on syntax),
 * the tree is walked and every member looked up by its key, then it is
 * parsed again with small pools, which may also fail for lack of room.
 */
#include <json/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bad(const char *what)
{
	fprintf(stderr, "fuzz_json: %s\n", what);
	abort();
}

/* Checks a parsed tree: counts, strings, keys; returns the nodes seen. */
static size_t walk(const struct json_node *n, const struct json_doc *doc, int depth)
{
	if (depth > JSON_MAX_DEPTH + 1 || n < doc->nodes || n >= doc->nodes + doc->node_count)
		bad("a node outside the pool or too deep");
	if (n->line == 0 || n->col == 0)
		bad("a node without a position");
	if ((n->type == JSON_STRING || n->type == JSON_NUMBER) &&
	    (n->str < doc->strbuf || n->str + n->len >= doc->strbuf + doc->str_used ||
	     n->str[n->len] != '\0'))
		bad("a string outside the buffer or unterminated");
	size_t seen = 1, count = 0;
	for (const struct json_node *c = n->child; c; c = c->next) {
		if (n->type == JSON_OBJECT) {
			if (!c->key || c->key[c->key_len] != '\0')
				bad("a member without a terminated key");
			const struct json_node *hit = json_get(n, c->key);
			if (strlen(c->key) == c->key_len &&
			    (!hit || hit->key_len != c->key_len ||
			     memcmp(hit->key, c->key, c->key_len) != 0))
				bad("a member's own key does not find a member");
		}
		seen += walk(c, doc, depth + 1);
		count++;
	}
	if ((n->type == JSON_ARRAY || n->type == JSON_OBJECT) && count != n->count)
		bad("count differs from the children");
	json_describe(n);
	return seen;
}

static enum err parse(const uint8_t *data, size_t size, size_t ncap, size_t scap, int full)
{
	struct json_node *nodes = malloc((ncap ? ncap : 1) * sizeof *nodes);
	char *strings = malloc(scap ? scap : 1);
	struct json_doc doc;
	if (!nodes || !strings)
		abort();
	json_init(&doc, nodes, ncap, strings, scap);
	enum err e = json_parse(&doc, (const char *)data, size);
	if (e == ERR_OK) {
		if (walk(doc.root, &doc, 0) != doc.node_count && full)
			bad("nodes used but not in the tree");
	} else if (!doc.err_msg || doc.err_line == 0 || doc.err_col == 0) {
		bad("an error without a message or position");
	} else if (full && e != ERR_CORRUPT) {
		bad("json_max_nodes(len) nodes and len + 1 bytes were not enough");
	}
	free(strings);
	free(nodes);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact copy, so a read past the text is seen */
	uint8_t *text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	if (parse(text, size, json_max_nodes(size), size + 1, 1) == ERR_OK)
		parse(text, size, size / 8, size / 3, 0);
	free(text);
	return 0;
}
