/* The shell's parser: a script of statements into a syntax tree (grammar
 * in lib/shell/README.md).  The first syntax error stops it. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

struct parser {
	struct lexer lx;
	struct token tok, ahead;
	struct typed_arena *a;
	struct shell_error *err;
	bool failed;
	uint32_t depth;
};

static void next(struct parser *p)
{
	p->tok = p->ahead;
	if (p->tok.kind != T_END)
		p->ahead = shell_lex_next(&p->lx);
	if (p->tok.kind == T_ERR && !p->failed) {
		p->failed = true;
		p->err->line = p->tok.line;
		p->err->col = p->tok.col;
		fmt_snprintf(p->err->msg, sizeof p->err->msg, "%s", p->tok.text);
	}
}

/* What a token is, for "expected X, found Y". */
static void tok_name(const struct token *t, char *buf, size_t size)
{
	switch (t->kind) {
	case T_END: fmt_snprintf(buf, size, "the end"); break;
	case T_NL: fmt_snprintf(buf, size, "the end of the line"); break;
	case T_NAME: fmt_snprintf(buf, size, "'%s'", t->text); break;
	case T_VAR: fmt_snprintf(buf, size, "$%s", t->text); break;
	case T_INT:
	case T_SIZE:
	case T_DUR: fmt_snprintf(buf, size, "a number"); break;
	case T_STR: fmt_snprintf(buf, size, "a string"); break;
	case T_PATH: fmt_snprintf(buf, size, "a path"); break;
	case T_PUNCT: {
		static const char *const two[] = {"==", "!=", "<=", ">=", "->"};
		const char *codes = "ENLGA", *at = strchr(codes, t->p);
		if (at)
			fmt_snprintf(buf, size, "'%s'", two[at - codes]);
		else
			fmt_snprintf(buf, size, "'%c'", t->p);
		break;
	}
	default: fmt_snprintf(buf, size, "an error"); break;
	}
}

static struct node *fail(struct parser *p, const char *what)
{
	if (!p->failed) {
		char found[80];
		tok_name(&p->tok, found, sizeof found);
		p->failed = true;
		p->err->line = p->tok.line;
		p->err->col = p->tok.col;
		fmt_snprintf(p->err->msg, sizeof p->err->msg, "expected %s, found %s", what, found);
	}
	return NULL;
}

static struct node *mk(struct parser *p, uint8_t kind, const struct token *at)
{
	struct node *n = typed_arena_alloc(p->a, sizeof *n);
	if (!n) {
		if (!p->failed) {
			p->failed = true;
			p->err->line = at->line;
			p->err->col = at->col;
			fmt_snprintf(p->err->msg, sizeof p->err->msg, "out of memory");
		}
		return NULL;
	}
	n->kind = kind;
	n->line = at->line;
	n->col = at->col;
	return n;
}

static bool is_p(const struct parser *p, char c)
{
	return p->tok.kind == T_PUNCT && p->tok.p == c;
}

static bool is_kw(const struct token *t, const char *kw)
{
	return t->kind == T_NAME && !strcmp(t->text, kw);
}

static bool expect(struct parser *p, char c, const char *what)
{
	if (!is_p(p, c)) {
		fail(p, what);
		return false;
	}
	next(p);
	return true;
}

static void skip_nl(struct parser *p)
{
	while (p->tok.kind == T_NL)
		next(p);
}

static struct node *expr(struct parser *p);
static struct node *pipeline(struct parser *p);
static struct node *block(struct parser *p);

/* [ a, b ] or { a: 1, b: 2 }: items separated by commas or new lines. */
static struct node *items(struct parser *p, bool record)
{
	struct node *n = mk(p, record ? N_RECORD : N_LIST, &p->tok), **tail;
	char close = record ? '}' : ']';
	if (!n)
		return NULL;
	tail = &n->a;
	next(p);
	for (;;) {
		skip_nl(p);
		if (is_p(p, close))
			break;
		struct node *item;
		if (record) {
			if (p->tok.kind != T_NAME)
				return fail(p, "a field name or '}'");
			item = mk(p, N_ENTRY, &p->tok);
			if (!item)
				return NULL;
			item->text = p->tok.text;
			next(p);
			if (!expect(p, ':', "':' after the field name"))
				return NULL;
			skip_nl(p);
			if (!(item->a = expr(p)))
				return NULL;
		} else if (!(item = expr(p))) {
			return NULL;
		}
		*tail = item;
		tail = &item->next;
		skip_nl(p);
		if (is_p(p, ','))
			next(p);
		else if (!is_p(p, close))
			return fail(p, record ? "',' or '}'" : "',' or ']'");
	}
	next(p);
	return n;
}

static struct node *literal(struct parser *p, uint8_t kind)
{
	struct node *n = mk(p, kind, &p->tok);
	if (!n)
		return NULL;
	n->u = p->tok.u;
	n->text = p->tok.text;
	next(p);
	return n;
}

static struct node *primary(struct parser *p)
{
	switch (p->tok.kind) {
	case T_INT: return literal(p, N_INT);
	case T_SIZE: return literal(p, N_SIZE);
	case T_DUR: return literal(p, N_DUR);
	case T_STR: return literal(p, N_STR);
	case T_PATH: return literal(p, N_PATH);
	case T_VAR: return literal(p, N_VAR);
	case T_NAME: {
		bool t = is_kw(&p->tok, "true");
		struct node *n = literal(p, t || is_kw(&p->tok, "false") ? N_BOOL : N_NAME);
		if (n && n->kind == N_BOOL)
			n->u = t;
		return n;
	}
	case T_PUNCT:
		if (p->tok.p == '[' || p->tok.p == '{')
			return items(p, p->tok.p == '{');
		if (p->tok.p == '(') {
			next(p);
			skip_nl(p);
			struct node *n = pipeline(p);
			skip_nl(p);
			if (!n || !expect(p, ')', "')'"))
				return NULL;
			return n;
		}
		break;
	default: break;
	}
	return fail(p, "a value");
}

static struct node *postfix(struct parser *p)
{
	struct node *n = primary(p);
	while (n && is_p(p, '.') && !p->tok.space) {
		struct node *f = mk(p, N_FIELD, &p->tok);
		if (!f)
			return NULL;
		next(p);
		if (p->tok.kind != T_NAME)
			return fail(p, "a field name after '.'");
		f->text = p->tok.text;
		f->a = n;
		next(p);
		n = f;
	}
	return n;
}

static struct node *unary(struct parser *p)
{
	if (is_p(p, '-') || is_kw(&p->tok, "not")) {
		struct node *n = mk(p, is_p(p, '-') ? N_NEG : N_NOT, &p->tok);
		if (!n)
			return NULL;
		next(p);
		if (++p->depth > SHELL_DEPTH_MAX)
			return fail(p, "less nesting");
		n->a = unary(p);
		p->depth--;
		return n->a ? n : NULL;
	}
	return postfix(p);
}

/* The binary operator at the token with its precedence (0: none). */
static int bin_op(const struct parser *p, uint8_t *op)
{
	static const struct {
		char p;
		uint8_t op;
		int prec;
	} ops[] = {{P_EQ, B_EQ, 3}, {P_NE, B_NE, 3}, {'<', B_LT, 3},  {P_LE, B_LE, 3},
	           {'>', B_GT, 3},  {P_GE, B_GE, 3}, {'+', B_ADD, 4}, {'-', B_SUB, 4},
	           {'*', B_MUL, 5}, {'/', B_DIV, 5}};
	if (is_kw(&p->tok, "or") || is_kw(&p->tok, "and")) {
		*op = is_kw(&p->tok, "or") ? B_OR : B_AND;
		return *op == B_OR ? 1 : 2;
	}
	if (p->tok.kind == T_PUNCT)
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (ops[i].p == p->tok.p) {
				*op = ops[i].op;
				return ops[i].prec;
			}
	return 0;
}

/* Precedence climbing; comparisons do not chain. */
static struct node *binary(struct parser *p, int min)
{
	struct node *l = unary(p);
	uint8_t op;
	int prec;
	while (l && (prec = bin_op(p, &op)) >= min) {
		struct node *n = mk(p, N_BIN, &p->tok);
		if (!n)
			return NULL;
		n->op = op;
		next(p);
		skip_nl(p);
		if (++p->depth > SHELL_DEPTH_MAX)
			return fail(p, "less nesting");
		n->a = l;
		n->b = binary(p, prec + 1);
		p->depth--;
		if (!n->b)
			return NULL;
		l = n;
		if (prec == 3 && bin_op(p, &op) == 3)
			return fail(p, "parentheses around a comparison before another");
	}
	return l;
}

static struct node *expr(struct parser *p)
{
	if (++p->depth > SHELL_DEPTH_MAX)
		return fail(p, "less nesting");
	struct node *n = binary(p, 1);
	p->depth--;
	return n;
}

/* Whether the token can start an argument. */
static bool arg_start(const struct parser *p)
{
	switch (p->tok.kind) {
	case T_NAME:
		return !is_kw(&p->tok, "else") && !is_kw(&p->tok, "and") && !is_kw(&p->tok, "or");
	case T_VAR:
	case T_INT:
	case T_SIZE:
	case T_DUR:
	case T_STR:
	case T_PATH: return true;
	case T_PUNCT: return strchr("([{-", p->tok.p) != NULL;
	default: return false;
	}
}

/* NAME { [NAME '='] expr } */
static struct node *call(struct parser *p)
{
	struct node *n = mk(p, N_CALL, &p->tok), **tail;
	if (!n)
		return NULL;
	n->text = p->tok.text;
	tail = &n->a;
	next(p);
	while (arg_start(p)) {
		struct node *arg = mk(p, N_ARG, &p->tok);
		if (!arg)
			return NULL;
		if (p->tok.kind == T_NAME && p->ahead.kind == T_PUNCT && p->ahead.p == '=') {
			arg->text = p->tok.text;
			next(p);
			next(p);
		}
		if (!(arg->a = expr(p)))
			return NULL;
		*tail = arg;
		tail = &arg->next;
	}
	return n;
}

static bool keyword(const struct token *t)
{
	static const char *const kws[] = {"let",  "if",    "else", "for", "in", "fn",
	                                  "true", "false", "and",  "or",  "not"};
	for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
		if (is_kw(t, kws[i]))
			return true;
	return false;
}

static struct node *stage(struct parser *p)
{
	if (p->tok.kind == T_NAME && !keyword(&p->tok))
		return call(p);
	return expr(p);
}

/* stage { '|' stage }: one stage alone is that stage. */
static struct node *pipeline(struct parser *p)
{
	struct node *first = stage(p);
	if (!first || !is_p(p, '|'))
		return first;
	struct node *n = mk(p, N_PIPE, &p->tok), *last = first;
	if (!n)
		return NULL;
	n->line = first->line;
	n->col = first->col;
	n->a = first;
	while (is_p(p, '|')) {
		next(p);
		skip_nl(p);
		if (p->tok.kind != T_NAME || keyword(&p->tok))
			return fail(p, "a command after '|'");
		if (!(last->next = call(p)))
			return NULL;
		last = last->next;
	}
	return n;
}

static struct node *type_expr(struct parser *p)
{
	if (p->tok.kind != T_NAME)
		return fail(p, "a type (int uint size duration string path bool list(T))");
	struct node *n = mk(p, N_TYPE, &p->tok);
	if (!n)
		return NULL;
	n->text = p->tok.text;
	next(p);
	if (is_p(p, '(')) {
		next(p);
		if (++p->depth > SHELL_DEPTH_MAX)
			return fail(p, "less nesting");
		n->a = type_expr(p);
		p->depth--;
		if (!n->a || !expect(p, ')', "')' after the type"))
			return NULL;
	}
	return n;
}

/* fn NAME ( [NAME: type {, NAME: type}] ) block */
static struct node *fn_def(struct parser *p, struct node *n)
{
	if (p->tok.kind != T_NAME || keyword(&p->tok))
		return fail(p, "the function's name");
	n->text = p->tok.text;
	next(p);
	if (!expect(p, '(', "'(' after the function's name"))
		return NULL;
	struct node **tail = &n->a;
	while (!is_p(p, ')')) {
		if (p->tok.kind != T_NAME || keyword(&p->tok))
			return fail(p, "a parameter's name or ')'");
		struct node *par = mk(p, N_PARAM, &p->tok);
		if (!par)
			return NULL;
		par->text = p->tok.text;
		next(p);
		if (!expect(p, ':', "':' and the parameter's type") || !(par->a = type_expr(p)))
			return NULL;
		*tail = par;
		tail = &par->next;
		if (is_p(p, ','))
			next(p);
		else if (!is_p(p, ')'))
			return fail(p, "',' or ')'");
	}
	next(p);
	return (n->b = block(p)) ? n : NULL;
}

static struct node *statement(struct parser *p)
{
	struct token at = p->tok;
	uint8_t kind = is_kw(&at, "let")   ? N_LET
	               : is_kw(&at, "if")  ? N_IF
	               : is_kw(&at, "for") ? N_FOR
	               : is_kw(&at, "fn")  ? N_FN
	                                   : N_PIPE;
	if (kind == N_PIPE)
		return pipeline(p);
	struct node *n = mk(p, kind, &at);
	if (!n)
		return NULL;
	next(p);
	if (kind == N_FN)
		return fn_def(p, n);
	if (kind == N_LET || kind == N_FOR) {
		if (p->tok.kind != T_NAME || keyword(&p->tok))
			return fail(p, "a variable's name");
		n->text = p->tok.text;
		next(p);
	}
	if (kind == N_LET)
		return expect(p, '=', "'=' after the name") && (n->a = pipeline(p)) ? n : NULL;
	if (kind == N_FOR) {
		if (!is_kw(&p->tok, "in"))
			return fail(p, "'in'");
		next(p);
	}
	if (!(n->a = expr(p)) || !(n->b = block(p)))
		return NULL;
	if (kind == N_IF && is_kw(&p->tok, "else")) {
		next(p);
		n->c = is_kw(&p->tok, "if") ? statement(p) : block(p);
		if (!n->c)
			return NULL;
	}
	return n;
}

/* Statements up to `close` ('}' or 0: the end), separated by new lines. */
static struct node *statements(struct parser *p, struct node *blk, char close)
{
	struct node **tail = &blk->a;
	for (;;) {
		skip_nl(p);
		if (close ? is_p(p, close) : p->tok.kind == T_END)
			return blk;
		if (p->tok.kind == T_END)
			return fail(p, "'}'");
		struct node *s = statement(p);
		if (!s)
			return NULL;
		*tail = s;
		tail = &s->next;
		if (p->tok.kind != T_NL && p->tok.kind != T_END && !(close && is_p(p, close)))
			return fail(p, "the end of the statement");
	}
}

static struct node *block(struct parser *p)
{
	if (!is_p(p, '{'))
		return fail(p, "'{'");
	struct node *n = mk(p, N_BLOCK, &p->tok);
	if (!n)
		return NULL;
	next(p);
	if (++p->depth > SHELL_DEPTH_MAX)
		return fail(p, "less nesting");
	if (!statements(p, n, '}'))
		return NULL;
	p->depth--;
	next(p);
	return n;
}

bool shell_parse(const char *src, size_t len, struct typed_arena *a, struct node **script,
                 struct shell_error *err)
{
	struct parser p = {.a = a, .err = err};
	shell_lex_init(&p.lx, src, len, a);
	p.ahead = shell_lex_next(&p.lx);
	next(&p);
	struct node *n = mk(&p, N_BLOCK, &p.tok);
	if (n && !p.failed)
		n = statements(&p, n, 0);
	*script = p.failed ? NULL : n;
	return !p.failed;
}
