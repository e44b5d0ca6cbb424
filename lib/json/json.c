/* JSON parser: recursive descent over the text, with a depth limit, into a
 * caller-supplied node pool.  Strings are decoded (escapes, \u with
 * surrogate pairs to UTF-8) into the caller's string buffer. */
#include <json/json.h>
#include <stdbool.h>
#include <string/mem.h>

struct parser {
	struct json_doc *doc;
	const char *p, *end;
	const char *line_start;
	uint32_t line;
	int depth;
	/* A dry run checks the syntax only: nodes are one scratch node that is
	 * only ever written, and strings are not stored. */
	bool dry;
	struct json_node scratch;
};

static enum err parse_value(struct parser *ps, struct json_node *n);

void json_init(struct json_doc *doc, struct json_node *nodes, size_t node_cap, char *strbuf,
               size_t str_cap)
{
	memset(doc, 0, sizeof *doc);
	doc->nodes = nodes;
	doc->node_cap = node_cap;
	doc->strbuf = strbuf;
	doc->str_cap = str_cap;
}

/* Records a syntax error at the current position; returns code. */
static enum err fail_at(struct parser *ps, const char *at, enum err code, const char *msg)
{
	ps->doc->err_line = ps->line;
	ps->doc->err_col = (uint32_t)(at - ps->line_start) + 1;
	ps->doc->err_msg = msg;
	return code;
}

static enum err fail(struct parser *ps, const char *msg)
{
	return fail_at(ps, ps->p, ERR_CORRUPT, msg);
}

/* Skips JSON whitespace, counting lines. */
static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;
		if (c == '\n') {
			ps->line++;
			ps->line_start = ps->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		ps->p++;
	}
}

static struct json_node *new_node(struct parser *ps)
{
	struct json_doc *d = ps->doc;
	if (!ps->dry && d->node_count == d->node_cap)
		return NULL;
	struct json_node *n = ps->dry ? &ps->scratch : &d->nodes[d->node_count++];
	memset(n, 0, sizeof *n);
	n->line = ps->line;
	n->col = (uint32_t)(ps->p - ps->line_start) + 1;
	return n;
}

/* Appends one byte to the string buffer; false when it is full. */
static bool put_byte(struct parser *ps, char c)
{
	struct json_doc *d = ps->doc;
	if (ps->dry)
		return true;
	if (d->str_used == d->str_cap)
		return false;
	d->strbuf[d->str_used++] = c;
	return true;
}

/* Appends the UTF-8 encoding of code point cp (at most 0x10ffff). */
static bool put_utf8(struct parser *ps, uint32_t cp)
{
	if (cp < 0x80)
		return put_byte(ps, (char)cp);
	if (cp < 0x800)
		return put_byte(ps, (char)(0xc0 | cp >> 6)) &&
		       put_byte(ps, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return put_byte(ps, (char)(0xe0 | cp >> 12)) &&
		       put_byte(ps, (char)(0x80 | (cp >> 6 & 0x3f))) &&
		       put_byte(ps, (char)(0x80 | (cp & 0x3f)));
	return put_byte(ps, (char)(0xf0 | cp >> 18)) &&
	       put_byte(ps, (char)(0x80 | (cp >> 12 & 0x3f))) &&
	       put_byte(ps, (char)(0x80 | (cp >> 6 & 0x3f))) &&
	       put_byte(ps, (char)(0x80 | (cp & 0x3f)));
}

/* Reads the four hex digits of a \u escape at ps->p; -1 if malformed. */
static int32_t read_hex4(struct parser *ps)
{
	if (ps->end - ps->p < 4)
		return -1;
	int32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = ps->p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	ps->p += 4;
	return v;
}

/* Decodes the \u escape after "\u" (with its low surrogate, if any). */
static enum err parse_unicode(struct parser *ps, const char *esc)
{
	int32_t cp = read_hex4(ps);
	if (cp < 0)
		return fail_at(ps, esc, ERR_CORRUPT, "\\u must be followed by four hex digits");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(ps, esc, ERR_CORRUPT, "unpaired UTF-16 surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return fail_at(ps, esc, ERR_CORRUPT,
			               "unpaired UTF-16 surrogate in \\u escape");
		ps->p += 2;
		int32_t lo = read_hex4(ps);
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail_at(ps, esc, ERR_CORRUPT,
			               "unpaired UTF-16 surrogate in \\u escape");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!put_utf8(ps, (uint32_t)cp))
		return fail_at(ps, esc, ERR_NOMEM, "string buffer too small");
	return ERR_OK;
}

/* Decodes one escape sequence; ps->p is just past the backslash. */
static enum err parse_escape(struct parser *ps)
{
	const char *esc = ps->p - 1;
	if (ps->p == ps->end)
		return fail(ps, "unterminated string");
	char c = *ps->p++, out;
	switch (c) {
	case '"': out = '"'; break;
	case '\\': out = '\\'; break;
	case '/': out = '/'; break;
	case 'b': out = '\b'; break;
	case 'f': out = '\f'; break;
	case 'n': out = '\n'; break;
	case 'r': out = '\r'; break;
	case 't': out = '\t'; break;
	case 'u': return parse_unicode(ps, esc);
	default: return fail_at(ps, esc, ERR_CORRUPT, "invalid escape sequence in string");
	}
	if (!put_byte(ps, out))
		return fail_at(ps, esc, ERR_NOMEM, "string buffer too small");
	return ERR_OK;
}

/* Parses a string at ps->p (on the opening quote) into the string buffer;
 * sets *out and *out_len to the decoded, NUL-terminated text. */
static enum err parse_string(struct parser *ps, const char **out, size_t *out_len)
{
	const char *open = ps->p++;
	size_t start = ps->doc->str_used;
	for (;;) {
		if (ps->p == ps->end || *ps->p == '\n')
			return fail_at(ps, open, ERR_CORRUPT, "unterminated string");
		char c = *ps->p++;
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			return fail_at(ps, ps->p - 1, ERR_CORRUPT,
			               "control character in string (use an escape)");
		if (c == '\\') {
			enum err e = parse_escape(ps);
			if (e != ERR_OK)
				return e;
		} else if (!put_byte(ps, c)) {
			return fail_at(ps, open, ERR_NOMEM, "string buffer too small");
		}
	}
	if (!put_byte(ps, '\0'))
		return fail_at(ps, open, ERR_NOMEM, "string buffer too small");
	*out = ps->doc->strbuf + start;
	*out_len = ps->doc->str_used - start - 1;
	return ERR_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Consumes a run of digits; returns how many. */
static size_t skip_digits(struct parser *ps)
{
	const char *s = ps->p;
	while (ps->p < ps->end && is_digit(*ps->p))
		ps->p++;
	return (size_t)(ps->p - s);
}

/* Computes the int64 value of integer text s (optional '-', digits). */
static enum json_num integer_value(const char *s, const char *end, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (s += neg; s < end; s++) {
		uint64_t d = (uint64_t)(*s - '0');
		if (v > (limit - d) / 10)
			return JSON_NUM_OVERFLOW;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return JSON_NUM_INT;
}

/* Parses a number (RFC 8259 section 6 grammar) into n. */
static enum err parse_number(struct parser *ps, struct json_node *n)
{
	const char *s = ps->p;
	if (*ps->p == '-')
		ps->p++;
	const char *digits = ps->p;
	size_t nd = skip_digits(ps);
	if (nd == 0)
		return fail_at(ps, s, ERR_CORRUPT, "invalid number");
	if (nd > 1 && *digits == '0')
		return fail_at(ps, s, ERR_CORRUPT, "invalid number (leading zero)");
	n->num_kind = integer_value(s, ps->p, &n->num);
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (skip_digits(ps) == 0)
			return fail_at(ps, s, ERR_CORRUPT,
			               "invalid number (digits expected after '.')");
		n->num_kind = JSON_NUM_REAL;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (skip_digits(ps) == 0)
			return fail_at(ps, s, ERR_CORRUPT,
			               "invalid number (digits expected in exponent)");
		n->num_kind = JSON_NUM_REAL;
	}
	n->type = JSON_NUMBER;
	n->str = ps->doc->strbuf + ps->doc->str_used;
	n->len = (size_t)(ps->p - s);
	for (const char *c = s; c < ps->p; c++)
		put_byte(ps, *c);
	if (!put_byte(ps, '\0'))
		return fail_at(ps, s, ERR_NOMEM, "string buffer too small");
	return ERR_OK;
}

/* Parses a bare word: true, false or null. */
static enum err parse_word(struct parser *ps, struct json_node *n)
{
	static const struct {
		const char *word;
		enum json_type type;
		int64_t num;
	} words[] = {{"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t len = strlen(words[i].word);
		if ((size_t)(ps->end - ps->p) >= len && memcmp(ps->p, words[i].word, len) == 0) {
			const char *after = ps->p + len;
			if (after < ps->end &&
			    ((*after >= 'a' && *after <= 'z') || is_digit(*after)))
				break;
			ps->p = after;
			n->type = words[i].type;
			n->num = words[i].num;
			return ERR_OK;
		}
	}
	if (*ps->p == '\'')
		return fail(ps, "strings must use double quotes");
	return fail(ps, "expected a value (object, array, string, number, true, false or null)");
}

/* Parses `"name" :` of an object member into child's key fields. */
static enum err parse_member_name(struct parser *ps, struct json_node *child)
{
	child->key_line = ps->line;
	child->key_col = (uint32_t)(ps->p - ps->line_start) + 1;
	if (ps->p == ps->end || *ps->p != '"')
		return fail(ps, ps->p < ps->end && *ps->p == '}'
		                        ? "trailing comma before '}'"
		                        : "expected a member name in double quotes");
	enum err e = parse_string(ps, &child->key, &child->key_len);
	if (e != ERR_OK)
		return e;
	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != ':')
		return fail(ps, "expected ':' after member name");
	ps->p++;
	skip_ws(ps);
	return ERR_OK;
}

/* Parses one element or member (of an object when object is set) into a
 * new child of n, linked at *link. */
static enum err parse_child(struct parser *ps, struct json_node *n, bool object,
                            struct json_node ***link)
{
	skip_ws(ps);
	if (!object && ps->p < ps->end && *ps->p == ']')
		return fail(ps, "trailing comma before ']'");
	struct json_node *child = new_node(ps);
	if (!child)
		return fail_at(ps, ps->p, ERR_NOMEM, "too many values for the node pool");
	enum err e = ERR_OK;
	if (object)
		e = parse_member_name(ps, child);
	if (e == ERR_OK)
		e = parse_value(ps, child);
	if (e != ERR_OK || ps->dry)
		return e;
	**link = child;
	*link = &child->next;
	n->count++;
	return ERR_OK;
}

/* Parses the elements of an array or the members of an object; ps->p is
 * on the opening bracket. */
static enum err parse_container(struct parser *ps, struct json_node *n, char close)
{
	bool object = close == '}';
	const char *open = ps->p++;
	struct json_node **link = &n->child;
	if (++ps->depth > JSON_MAX_DEPTH)
		return fail_at(ps, open, ERR_CORRUPT, "nesting too deep");
	n->type = object ? JSON_OBJECT : JSON_ARRAY;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return ERR_OK;
	}
	for (;;) {
		enum err e = parse_child(ps, n, object, &link);
		if (e != ERR_OK)
			return e;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return ERR_OK;
		}
		if (ps->p == ps->end)
			return fail_at(ps, open, ERR_CORRUPT,
			               object ? "unclosed '{'" : "unclosed '['");
		return fail(ps, object ? "expected ',' or '}' after object member"
		                       : "expected ',' or ']' after array element");
	}
}

/* Parses one value at ps->p (whitespace already skipped) into n. */
static enum err parse_value(struct parser *ps, struct json_node *n)
{
	if (ps->p == ps->end)
		return fail(ps, "unexpected end of input, expected a value");
	n->line = ps->line;
	n->col = (uint32_t)(ps->p - ps->line_start) + 1;
	char c = *ps->p;
	if (c == '{')
		return parse_container(ps, n, '}');
	if (c == '[')
		return parse_container(ps, n, ']');
	if (c == '"') {
		n->type = JSON_STRING;
		return parse_string(ps, &n->str, &n->len);
	}
	if (c == '-' || is_digit(c))
		return parse_number(ps, n);
	return parse_word(ps, n);
}

/* Parses the whole text as one value; *root receives it. */
static enum err parse_text(struct parser *ps, struct json_node **root)
{
	skip_ws(ps);
	struct json_node *r = new_node(ps);
	if (!r)
		return fail(ps, "too many values for the node pool");
	enum err e = parse_value(ps, r);
	if (e != ERR_OK)
		return e;
	skip_ws(ps);
	if (ps->p != ps->end)
		return fail(ps, "unexpected text after the JSON value");
	*root = r;
	return ERR_OK;
}

enum err json_parse(struct json_doc *doc, const char *text, size_t len)
{
	struct parser ps = {
	        .doc = doc, .p = text, .end = text + len, .line_start = text, .line = 1};
	struct json_node *root = NULL;
	doc->node_count = 0;
	doc->str_used = 0;
	doc->root = NULL;
	doc->err_msg = NULL;
	enum err e = parse_text(&ps, &root);
	if (e == ERR_NOMEM) {
		/* Malformed text can run out of room before its error shows (an
		 * unclosed "[[[[" needs a node per byte): a syntax error anywhere is
		 * the one to report, so ERR_NOMEM means well-formed but too big. */
		struct parser dry = {.doc = doc,
		                     .p = text,
		                     .end = text + len,
		                     .line_start = text,
		                     .line = 1,
		                     .dry = true};
		uint32_t line = doc->err_line, col = doc->err_col;
		const char *msg = doc->err_msg;
		if (parse_text(&dry, &root) == ERR_CORRUPT)
			return ERR_CORRUPT;
		doc->err_line = line;
		doc->err_col = col;
		doc->err_msg = msg;
		return ERR_NOMEM;
	}
	if (e == ERR_OK)
		doc->root = root;
	return e;
}

struct json_node *json_get(const struct json_node *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	size_t len = strlen(key);
	for (struct json_node *c = obj->child; c; c = c->next)
		if (c->key_len == len && memcmp(c->key, key, len) == 0)
			return c;
	return NULL;
}

const char *json_describe(const struct json_node *n)
{
	switch (n->type) {
	case JSON_NULL: return "null";
	case JSON_BOOL: return n->num ? "true" : "false";
	case JSON_NUMBER:
		return n->num_kind == JSON_NUM_REAL ? "a non-integer number" : "an integer";
	case JSON_STRING: return "a string";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return "a value";
}
