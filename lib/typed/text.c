/* The configuration text syntax: lexer and parser into struct typed_node
 * trees (grammar in lib/typed/README.md).  The lexer also serves the
 * schema language (tools/typedc). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

/* ---- Lexer ---- */

void lex_init(struct lexer *lx, const char *text, size_t len, struct typed_arena *a)
{
	*lx = (struct lexer){.text = text, .len = len, .line = 1, .col = 1, .arena = a};
}

static char peek(const struct lexer *lx, size_t ahead)
{
	return lx->at + ahead < lx->len ? lx->text[lx->at + ahead] : '\0';
}

static void advance(struct lexer *lx)
{
	if (lx->text[lx->at++] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
}

static struct token lex_error(struct token t, const char *why)
{
	t.kind = TOK_ERROR;
	t.why = why;
	return t;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One character of a string at lx->at (after the opening quote) into *c;
 * NULL, or why it is wrong (the lexer then stands at the bad character). */
static const char *string_char(struct lexer *lx, char *c)
{
	char ch = peek(lx, 0);
	if (lx->at >= lx->len || ch == '\n')
		return "unterminated string (strings end on their line)";
	if ((unsigned char)ch < 0x20 && ch != '\t')
		return "control character in a string (write it as \\xHH)";
	if (ch != '\\') {
		*c = ch;
		advance(lx);
		return NULL;
	}
	char e = peek(lx, 1);
	static const char from[] = "\"\\nt", to[] = "\"\\\n\t";
	const char *hit = e ? strchr(from, e) : NULL;
	if (hit) {
		*c = to[hit - from];
		advance(lx);
		advance(lx);
		return NULL;
	}
	int hi = hex_digit(peek(lx, 2)), lo = hex_digit(peek(lx, 3));
	if (e != 'x' || hi < 0 || lo < 0)
		return "unknown escape (\\\" \\\\ \\n \\t \\xHH)";
	if (hi == 0 && lo == 0)
		return "\\x00: strings cannot hold a NUL byte";
	*c = (char)(hi << 4 | lo);
	for (int i = 0; i < 4; i++)
		advance(lx);
	return NULL;
}

static struct token lex_string(struct lexer *lx, struct token t)
{
	advance(lx);    /* the opening quote */
	size_t max = 0; /* the rest of the line bounds the decoded text */
	for (size_t i = lx->at; i < lx->len && lx->text[i] != '\n'; i++)
		max++;
	char *out = typed_arena_alloc(lx->arena, max + 1);
	if (!out)
		return lex_error(t, NULL);
	size_t n = 0;
	while (lx->at >= lx->len || lx->text[lx->at] != '"') {
		char c;
		uint32_t line = lx->line, col = lx->col;
		const char *why = string_char(lx, &c);
		if (why) {
			t.line = line;
			t.col = col;
			return lex_error(t, why);
		}
		out[n++] = c; /* escapes are longer than what they stand for */
	}
	advance(lx);
	t.kind = TOK_STRING;
	t.text = out;
	t.len = (uint32_t)n;
	return t;
}

static struct token lex_atom(struct lexer *lx, struct token t)
{
	size_t start = lx->at;
	while (lx->at < lx->len && typed_atom_char(lx->text[lx->at]))
		advance(lx);
	size_t n = lx->at - start;
	if (n >= TYPED_MAX_LEN)
		return lex_error(t, "a word of more than 1 MiB");
	char *out = typed_arena_alloc(lx->arena, n + 1);
	if (!out)
		return lex_error(t, NULL);
	memcpy(out, lx->text + start, n);
	t.kind = TOK_ATOM;
	t.text = out;
	t.len = (uint32_t)n;
	return t;
}

struct token lex_next(struct lexer *lx)
{
	for (;;) {
		char c = peek(lx, 0);
		if (lx->at < lx->len && (c == ' ' || c == '\t' || c == '\r')) {
			advance(lx);
		} else if (lx->at < lx->len && c == '#') {
			while (lx->at < lx->len && lx->text[lx->at] != '\n')
				advance(lx);
		} else {
			break;
		}
	}
	struct token t = {.line = lx->line, .col = lx->col};
	if (lx->at >= lx->len) {
		t.kind = TOK_END;
		return t;
	}
	char c = lx->text[lx->at];
	if (c == '\n') {
		advance(lx);
		t.kind = TOK_NEWLINE;
		return t;
	}
	if (c == '"')
		return lex_string(lx, t);
	if (typed_atom_char(c))
		return lex_atom(lx, t);
	if (c && strchr("{}[]()=,:?", c)) {
		t.kind = TOK_PUNCT;
		t.text = lx->text + lx->at;
		t.len = 1;
		advance(lx);
		return t;
	}
	if ((unsigned char)c < 0x20 || c == 0x7f || (unsigned char)c >= 0x80)
		return lex_error(t, "unexpected byte (control or non-ASCII) outside a string");
	t.bad = c;
	return lex_error(t, "unexpected character");
}

/* ---- Parser ---- */

struct parser {
	struct lexer *lx;
	struct token tok; /* the current token */
	struct typed_error *err;
	enum err status;
	unsigned depth;
};

static void next(struct parser *p)
{
	p->tok = lex_next(p->lx);
	if (p->tok.kind == TOK_ERROR && p->status == ERR_OK) {
		if (!p->tok.why) {
			p->status = ERR_NOMEM;
			typed_error_set(p->err, p->tok.line, p->tok.col, "", "out of memory");
		} else {
			p->status = ERR_CORRUPT;
			typed_error_set(p->err, p->tok.line, p->tok.col, "",
			                p->tok.bad ? "%s '%c'" : "%s", p->tok.why, p->tok.bad);
		}
	}
}

static bool is_punct(const struct token *t, char c)
{
	return t->kind == TOK_PUNCT && t->text[0] == c;
}

/* What the current token is, for syntax errors. */
static void token_text(const struct token *t, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	switch (t->kind) {
	case TOK_END: fmt_buf_str(&b, "the end of the text"); break;
	case TOK_NEWLINE: fmt_buf_str(&b, "the end of the line"); break;
	case TOK_ATOM: tb_shown(&b, t->text, t->len, false); break;
	case TOK_STRING: tb_shown(&b, t->text, t->len, true); break;
	default: fmt_buf_printf(&b, "'%c'", t->text ? t->text[0] : '?'); break;
	}
	fmt_buf_end(&b);
}

static void syntax(struct parser *p, const char *what)
{
	if (p->status != ERR_OK)
		return;
	char got[TYPED_SHOW + 16];
	token_text(&p->tok, got, sizeof got);
	p->status = ERR_CORRUPT;
	typed_error_set(p->err, p->tok.line, p->tok.col, "", "expected %s, got %s", what, got);
}

static struct typed_node *new_node(struct parser *p, uint8_t kind)
{
	struct typed_node *n = typed_arena_alloc(p->lx->arena, sizeof *n);
	if (!n && p->status == ERR_OK) {
		p->status = ERR_NOMEM;
		typed_error_set(p->err, p->tok.line, p->tok.col, "", "out of memory");
	}
	if (n) {
		n->kind = kind;
		n->line = p->tok.line;
		n->col = p->tok.col;
	}
	return n;
}

static void skip_newlines(struct parser *p)
{
	while (p->tok.kind == TOK_NEWLINE)
		next(p);
}

static struct typed_node *parse_value(struct parser *p);
static struct typed_node *parse_member(struct parser *p);

/* Items until the closer (or the end of the text for a whole file), each
 * followed by a comma or a new line, appended to parent. */
static void parse_items(struct parser *p, struct typed_node *parent, char closer)
{
	struct typed_node **tail = &parent->child;
	skip_newlines(p);
	while (p->status == ERR_OK) {
		if (p->tok.kind == TOK_END || (closer && is_punct(&p->tok, closer)))
			return; /* the caller says what is missing at the end */
		struct typed_node *n =
		        parent->kind == TYPED_NODE_LIST ? parse_value(p) : parse_member(p);
		if (!n)
			return;
		*tail = n;
		tail = &n->next;
		parent->count++;
		bool sep = p->tok.kind == TOK_NEWLINE;
		skip_newlines(p);
		if (is_punct(&p->tok, ',')) {
			sep = true;
			next(p);
			skip_newlines(p);
		}
		if (!sep && p->tok.kind != TOK_END && !(closer && is_punct(&p->tok, closer))) {
			char what[40];
			struct fmt_buf b = {what, sizeof what, 0};
			fmt_buf_str(&b, "',' or a new line");
			if (closer)
				fmt_buf_printf(&b, " or '%c'", closer);
			fmt_buf_end(&b);
			syntax(p, what);
		}
	}
}

static struct typed_node *parse_group(struct parser *p, uint8_t kind, char closer)
{
	struct typed_node *n = new_node(p, kind);
	uint32_t line = p->tok.line;
	if (!n)
		return NULL;
	if (++p->depth > TYPED_MAX_DEPTH) {
		p->status = ERR_CORRUPT;
		typed_error_set(p->err, p->tok.line, p->tok.col, "", "nested more than %u deep",
		                TYPED_MAX_DEPTH);
		return NULL;
	}
	next(p);
	parse_items(p, n, closer);
	p->depth--;
	if (p->status != ERR_OK)
		return NULL;
	if (!is_punct(&p->tok, closer)) {
		char what[48];
		fmt_snprintf(what, sizeof what, "'%c' to close the '%c' of line %u", closer,
		             closer == ']' ? '[' : '{', line);
		syntax(p, what);
		return NULL;
	}
	next(p);
	return n;
}

static struct typed_node *parse_value(struct parser *p)
{
	if (p->tok.kind == TOK_ATOM || p->tok.kind == TOK_STRING) {
		struct typed_node *n =
		        new_node(p, p->tok.kind == TOK_ATOM ? TYPED_NODE_ATOM : TYPED_NODE_STRING);
		if (!n)
			return NULL;
		n->text = p->tok.text;
		n->len = p->tok.len;
		next(p);
		return n;
	}
	if (is_punct(&p->tok, '['))
		return parse_group(p, TYPED_NODE_LIST, ']');
	if (is_punct(&p->tok, '{'))
		return parse_group(p, TYPED_NODE_RECORD, '}');
	syntax(p, "a value");
	return NULL;
}

static struct typed_node *parse_member(struct parser *p)
{
	if (p->tok.kind != TOK_ATOM || !typed_field_name_ok(p->tok.text, p->tok.len)) {
		syntax(p, "a field name ([a-z][a-z0-9_]*)");
		return NULL;
	}
	struct token key = p->tok;
	next(p);
	if (!is_punct(&p->tok, '=')) {
		syntax(p, "'=' after the field name");
		return NULL;
	}
	next(p);
	struct typed_node *n = parse_value(p);
	if (n) {
		n->key = key.text;
		n->key_line = key.line;
		n->key_col = key.col;
	}
	return n;
}

enum err typed_text_parse(const char *text, size_t len, struct typed_arena *a,
                          struct typed_node **root, struct typed_error *err)
{
	struct lexer lx;
	struct parser p = {.lx = &lx, .err = err};
	lex_init(&lx, text, len, a);
	*root = NULL;
	struct typed_node *n = new_node(&p, TYPED_NODE_RECORD);
	if (!n)
		return p.status;
	n->line = n->col = 1;
	next(&p);
	parse_items(&p, n, 0);
	if (p.status == ERR_OK)
		*root = n;
	return p.status;
}

enum err text_value(struct lexer *lx, struct token *tok, struct typed_node **out,
                    struct typed_error *err)
{
	struct parser p = {.lx = lx, .tok = *tok, .err = err};
	*out = parse_value(&p);
	*tok = p.tok;
	return p.status;
}

enum err typed_text_parse_value(const char *text, size_t len, struct typed_arena *a,
                                struct typed_node **out, struct typed_error *err)
{
	struct lexer lx;
	struct parser p = {.lx = &lx, .err = err};
	lex_init(&lx, text, len, a);
	*out = NULL;
	next(&p);
	skip_newlines(&p);
	struct typed_node *n = parse_value(&p);
	skip_newlines(&p);
	if (p.status == ERR_OK && p.tok.kind != TOK_END)
		syntax(&p, "the end after the value");
	if (p.status == ERR_OK)
		*out = n;
	return p.status;
}
