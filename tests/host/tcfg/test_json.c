/* lib/json: values, escapes, numbers, nesting, positions and errors. */
#include <json/json.h>

#include "../htest.h"

static struct json_node nodes[256];
static char strings[4096];
static struct json_doc doc;

/* Parses text; returns the result code (doc holds root or the error). */
static enum err parse(const char *text)
{
	json_init(&doc, nodes, 256, strings, sizeof strings);
	return json_parse(&doc, text, strlen(text));
}

HTEST(scalars)
{
	HT_ASSERT(parse(" true ") == ERR_OK);
	HT_EXPECT_EQ(doc.root->type, JSON_BOOL);
	HT_EXPECT_EQ(doc.root->num, 1);
	HT_ASSERT(parse("false") == ERR_OK);
	HT_EXPECT_EQ(doc.root->num, 0);
	HT_ASSERT(parse("null") == ERR_OK);
	HT_EXPECT_EQ(doc.root->type, JSON_NULL);
	HT_ASSERT(parse("\"hi\"") == ERR_OK);
	HT_EXPECT_STREQ(doc.root->str, "hi");
	HT_EXPECT_EQ(parse("nul"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("truex"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse(""), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("   \n "), ERR_CORRUPT);
}

HTEST(string_escapes)
{
	HT_ASSERT(parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"") == ERR_OK);
	HT_EXPECT_STREQ(doc.root->str, "a\"b\\c/d\b\f\n\r\t");
	HT_ASSERT(parse("\"\\u0041\\u00e9\\u20AC\"") == ERR_OK);
	HT_EXPECT_STREQ(doc.root->str, "A\xc3\xa9\xe2\x82\xac");
	HT_ASSERT(parse("\"\\ud83d\\ude00\"") == ERR_OK); /* U+1F600 */
	HT_EXPECT_STREQ(doc.root->str, "\xf0\x9f\x98\x80");
	HT_ASSERT(parse("\"a\\u0000b\"") == ERR_OK);
	HT_EXPECT_EQ(doc.root->len, 3);
	HT_EXPECT(memcmp(doc.root->str, "a\0b", 4) == 0);
	HT_ASSERT(parse("\"\\u00zz\"") == ERR_CORRUPT);
	HT_EXPECT_STREQ(doc.err_msg, "\\u must be followed by four hex digits");
	HT_EXPECT_EQ(parse("\"\\ud83d\""), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("\"\\ude00\""), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("\"\\q\""), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("\"tab\there\""), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("'single'"), ERR_CORRUPT);
	HT_EXPECT_STREQ(doc.err_msg, "strings must use double quotes");
}

HTEST(numbers)
{
	HT_ASSERT(parse("[0, -7, 42, 9223372036854775807, -9223372036854775808]") == ERR_OK);
	struct json_node *n = doc.root->child;
	HT_EXPECT_EQ(n->num, 0);
	HT_EXPECT_EQ((n = n->next)->num, -7);
	HT_EXPECT_EQ((n = n->next)->num, 42);
	HT_EXPECT((n = n->next)->num == INT64_MAX);
	HT_EXPECT((n = n->next)->num == INT64_MIN);
	HT_EXPECT_EQ(n->num_kind, JSON_NUM_INT);
	HT_ASSERT(parse("[9223372036854775808, 1.5, 2e3, -0.25E-2]") == ERR_OK);
	n = doc.root->child;
	HT_EXPECT_EQ(n->num_kind, JSON_NUM_OVERFLOW);
	HT_EXPECT_STREQ(n->str, "9223372036854775808");
	HT_EXPECT_EQ((n = n->next)->num_kind, JSON_NUM_REAL);
	HT_EXPECT_STREQ(n->str, "1.5");
	HT_EXPECT_EQ((n = n->next)->num_kind, JSON_NUM_REAL);
	HT_EXPECT_STREQ((n = n->next)->str, "-0.25E-2");
	HT_EXPECT_EQ(parse("01"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("1."), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("-"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("1e"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse("+1"), ERR_CORRUPT);
	HT_EXPECT_EQ(parse(".5"), ERR_CORRUPT);
}

HTEST(nesting_and_lookup)
{
	HT_ASSERT(parse("{\"a\": {\"b\": [1, [2, {}], []]}, \"c\": \"d\"}") == ERR_OK);
	HT_EXPECT_EQ(doc.root->count, 2);
	struct json_node *a = json_get(doc.root, "a");
	HT_ASSERT(a && a->type == JSON_OBJECT);
	struct json_node *b = json_get(a, "b");
	HT_ASSERT(b && b->type == JSON_ARRAY);
	HT_EXPECT_EQ(b->count, 3);
	HT_EXPECT_EQ(b->child->next->count, 2);
	HT_EXPECT_EQ(b->child->next->child->next->type, JSON_OBJECT);
	HT_EXPECT_EQ(b->child->next->next->count, 0);
	HT_EXPECT_STREQ(json_get(doc.root, "c")->str, "d");
	HT_EXPECT(json_get(doc.root, "x") == NULL);
	HT_EXPECT(json_get(b, "a") == NULL);
}

HTEST(depth_limit)
{
	char deep[2 * JSON_MAX_DEPTH + 8];
	size_t n = 0;
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	HT_EXPECT_EQ(parse(deep), ERR_OK);
	memmove(deep + 1, deep, n + 1);
	deep[0] = '[';
	strcat(deep, "]");
	HT_EXPECT_EQ(parse(deep), ERR_CORRUPT);
	HT_EXPECT_STREQ(doc.err_msg, "nesting too deep");
}

HTEST(positions)
{
	HT_ASSERT(parse("{\n  \"cores\": 2,\n\t\"x\":\n  \"y\"\n}") == ERR_OK);
	struct json_node *c = json_get(doc.root, "cores");
	HT_EXPECT_EQ(c->line, 2);
	HT_EXPECT_EQ(c->col, 12);
	HT_EXPECT_EQ(c->key_line, 2);
	HT_EXPECT_EQ(c->key_col, 3);
	struct json_node *x = json_get(doc.root, "x");
	HT_EXPECT_EQ(x->key_line, 3);
	HT_EXPECT_EQ(x->line, 4);
	HT_EXPECT_EQ(x->col, 3);
}

/* Each malformed text with its error line, column and message. */
HTEST(syntax_errors_have_positions)
{
	static const struct {
		const char *text;
		uint32_t line, col;
		const char *msg;
	} cases[] = {
	        {"{\n \"a\": 1\n \"b\": 2}", 3, 2, "expected ',' or '}' after object member"},
	        {"{\"a\": 1,}", 1, 9, "trailing comma before '}'"},
	        {"[1, 2,\n]", 2, 1, "trailing comma before ']'"},
	        {"[1 2]", 1, 4, "expected ',' or ']' after array element"},
	        {"{\"a\" 1}", 1, 6, "expected ':' after member name"},
	        {"{a: 1}", 1, 2, "expected a member name in double quotes"},
	        {"\n\n  {\"a\": [1,", 3, 12, "unexpected end of input, expected a value"},
	        {"{\"a\": 1", 1, 1, "unclosed '{'"},
	        {"[\"abc", 1, 2, "unterminated string"},
	        {"{} x", 1, 4, "unexpected text after the JSON value"},
	        {"{\"k\": tru}", 1, 7,
	         "expected a value (object, array, string, number, true, false or null)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		HT_EXPECT_EQ(parse(cases[i].text), ERR_CORRUPT);
		HT_EXPECT_EQ(doc.err_line, cases[i].line);
		HT_EXPECT_EQ(doc.err_col, cases[i].col);
		HT_EXPECT_STREQ(doc.err_msg, cases[i].msg);
	}
}

HTEST(small_pools_fail_cleanly)
{
	struct json_node few[2];
	char buf[64];
	json_init(&doc, few, 2, buf, sizeof buf);
	HT_EXPECT_EQ(json_parse(&doc, "[1, 2, 3]", 9), ERR_NOMEM);
	json_init(&doc, nodes, 256, buf, 4);
	HT_EXPECT_EQ(json_parse(&doc, "\"abcdef\"", 8), ERR_NOMEM);
	/* the documented sizes always suffice */
	const char *dense = "[1,2,3,4,5,6,7,8,9,[],[],{}]";
	size_t len = strlen(dense);
	struct json_node exact[64];
	char sbuf[64];
	HT_ASSERT(json_max_nodes(len) <= 64);
	json_init(&doc, exact, json_max_nodes(len), sbuf, len + 1);
	HT_EXPECT_EQ(json_parse(&doc, dense, len), ERR_OK);
	json_init(&doc, exact, json_max_nodes(1), sbuf, 2);
	HT_EXPECT_EQ(json_parse(&doc, "7", 1), ERR_OK);
}

/* Malformed text is a syntax error whatever the pools: "[" once ran out of
 * its json_max_nodes(1) = 1 node before its error showed, and tcfg said
 * "too many values for the node pool" (found by fuzzing). */
HTEST(malformed_text_is_a_syntax_error_in_any_pool)
{
	struct json_node few[4];
	char buf[16];
	json_init(&doc, few, json_max_nodes(1), buf, 2);
	HT_EXPECT_EQ(json_parse(&doc, "[", 1), ERR_CORRUPT);
	HT_EXPECT_STREQ(doc.err_msg, "unexpected end of input, expected a value");
	HT_EXPECT_EQ(doc.err_col, 2);
	json_init(&doc, few, json_max_nodes(4), buf, 5);
	HT_EXPECT_EQ(json_parse(&doc, "[[[[", 4), ERR_CORRUPT);
	HT_EXPECT_STREQ(doc.err_msg, "unexpected end of input, expected a value");
	/* the error after the point where the pool ran out */
	json_init(&doc, few, 2, buf, sizeof buf);
	HT_EXPECT_EQ(json_parse(&doc, "[1, 2, 3, x]", 12), ERR_CORRUPT);
	HT_EXPECT_EQ(doc.err_col, 11);
	json_init(&doc, few, 4, buf, 3);
	HT_EXPECT_EQ(json_parse(&doc, "[\"abcdef\", tru]", 16), ERR_CORRUPT);
	HT_EXPECT_EQ(doc.err_col, 12);
	/* well-formed but too big stays ERR_NOMEM, where the room ran out */
	json_init(&doc, few, 2, buf, sizeof buf);
	HT_EXPECT_EQ(json_parse(&doc, "[1, 2, 3]", 9), ERR_NOMEM);
	HT_EXPECT_STREQ(doc.err_msg, "too many values for the node pool");
	HT_EXPECT_EQ(doc.err_col, 5);
}

HTEST(describe)
{
	HT_ASSERT(parse("[\"s\", 1, 1.5, {}, [], null, true]") == ERR_OK);
	const char *want[] = {"a string",  "an integer", "a non-integer number",
	                      "an object", "an array",   "null",
	                      "true"};
	int i = 0;
	for (struct json_node *n = doc.root->child; n; n = n->next)
		HT_EXPECT_STREQ(json_describe(n), want[i++]);
}

HTEST_MAIN("json")
