/* A small JSON (RFC 8259) parser for configuration files and other typed
 * input, usable by host tools, loaders and the kernel alike: no allocation
 * (the caller supplies the node pool and the string buffer), no floating
 * point, and every value remembers the line and column where it starts so
 * that checkers can report errors in GCC style (file:line: message).
 *
 *   struct json_node nodes[64];
 *   char strings[sizeof text + 1];
 *   struct json_doc doc;
 *   json_init(&doc, nodes, 64, strings, sizeof strings);
 *   if (json_parse(&doc, text, len) != ERR_OK)
 *           report(doc.err_line, doc.err_col, doc.err_msg);
 *
 * A string buffer of len + 1 bytes and json_max_nodes(len) nodes are always
 * enough for a text of len bytes, and a malformed text is reported as such
 * whatever the pools' sizes.
 */
#ifndef LIB_JSON_H
#define LIB_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

/* How a JSON_NUMBER fits in an int64_t. */
enum json_num {
	JSON_NUM_INT,      /* integer syntax, value in num */
	JSON_NUM_OVERFLOW, /* integer syntax, but outside int64_t */
	JSON_NUM_REAL,     /* has a fraction or an exponent */
};

struct json_node {
	enum json_type type;
	uint32_t line, col; /* where the value starts (1-based) */
	const char *key;    /* object member: its decoded name, else NULL */
	size_t key_len;
	uint32_t key_line, key_col; /* object member: where its name starts */
	const char *str;            /* STRING: decoded text; NUMBER: its source text */
	size_t len;                 /* bytes in str (NUL-terminated, may hold NULs) */
	int64_t num;                /* NUMBER with num_kind JSON_NUM_INT; BOOL: 0 or 1 */
	enum json_num num_kind;
	size_t count;            /* ARRAY, OBJECT: number of children */
	struct json_node *child; /* ARRAY, OBJECT: first child */
	struct json_node *next;  /* next sibling */
};

struct json_doc {
	struct json_node *nodes;
	size_t node_cap, node_count;
	char *strbuf;
	size_t str_cap, str_used;
	struct json_node *root;
	/* after a failed parse: where and why (err_msg is a static string) */
	uint32_t err_line, err_col;
	const char *err_msg;
};

/* Deepest nesting of arrays and objects the parser accepts. */
#define JSON_MAX_DEPTH 64

/* Nodes that always suffice for a text of len bytes. */
static inline size_t json_max_nodes(size_t len)
{
	return len / 2 + 1;
}

/* Prepares doc to parse into the given node pool and string buffer. */
void json_init(struct json_doc *doc, struct json_node *nodes, size_t node_cap, char *strbuf,
               size_t str_cap);

/* Parses one JSON value filling the whole text (surrounding whitespace
 * allowed).  ERR_OK with doc->root set; ERR_CORRUPT on a syntax error and
 * ERR_NOMEM when a well-formed text does not fit the pool or buffer, both
 * with err_line, err_col and err_msg set. */
enum err json_parse(struct json_doc *doc, const char *text, size_t len);

/* The member of an object named key (the first, if repeated), or NULL. */
struct json_node *json_get(const struct json_node *obj, const char *key);

/* "a string", "an integer", "an object", ... for messages: what a node is. */
const char *json_describe(const struct json_node *n);

#endif
