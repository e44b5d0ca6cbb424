/* The shell's lexer: names, $variables, integers, sizes (64M), durations
 * (300ms), strings, paths, operators; comments run from # to the end of a
 * line.  A '/' starts a path where a value starts (not after a value, or
 * after white space when a path character follows). */
#include <string/mem.h>

#include "internal.h"

void shell_lex_init(struct lexer *lx, const char *src, size_t len, struct typed_arena *a)
{
	lx->src = src;
	lx->len = len;
	lx->at = 0;
	lx->line = lx->col = 1;
	lx->arena = a;
	lx->prev = T_NL;
	lx->prev_p = 0;
}

static char peek(const struct lexer *lx, size_t ahead)
{
	return lx->at + ahead < lx->len ? lx->src[lx->at + ahead] : 0;
}

static void advance(struct lexer *lx)
{
	if (lx->src[lx->at] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->at++;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_path_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '+' || c == '/';
}

static struct token fail(struct token t, const char *why)
{
	t.kind = T_ERR;
	t.text = why;
	return t;
}

/* A copy of n bytes at s, NUL-terminated, in the arena. */
static const char *keep(struct lexer *lx, const char *s, size_t n)
{
	char *p = typed_arena_alloc(lx->arena, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

static struct token word(struct lexer *lx, struct token t, bool var)
{
	size_t start = lx->at;
	while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
		advance(lx);
	size_t n = lx->at - start;
	if (n == 0)
		return fail(t, "expected a variable's name after '$'");
	if (n >= SHELL_NAME_MAX)
		return fail(t, "name is longer than 63 bytes");
	t.kind = var ? T_VAR : T_NAME;
	t.len = (uint32_t)n;
	t.text = keep(lx, lx->src + start, n);
	return t.text ? t : fail(t, "out of memory");
}

struct unit {
	const char *name;
	uint8_t kind;
	uint64_t scale;
};

static const struct unit units[] = {
        {"K", T_SIZE, 1ull << 10},
        {"M", T_SIZE, 1ull << 20},
        {"G", T_SIZE, 1ull << 30},
        {"T", T_SIZE, 1ull << 40},
        {"ns", T_DUR, 1},
        {"us", T_DUR, 1000},
        {"ms", T_DUR, 1000000},
        {"s", T_DUR, 1000000000ull},
        {"min", T_DUR, 60000000000ull},
        {"h", T_DUR, 3600000000000ull},
};

static struct token number(struct lexer *lx, struct token t)
{
	unsigned base = 10;
	uint64_t v = 0;
	bool over = false, any = false;
	if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X')) {
		base = 16;
		advance(lx);
		advance(lx);
	}
	for (;; advance(lx)) {
		char c = peek(lx, 0);
		unsigned d;
		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (base == 16 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
			d = (unsigned)((c | 0x20) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			over = true;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return fail(t, "expected hex digits after 0x");
	size_t start = lx->at;
	while (is_alpha(peek(lx, 0)))
		advance(lx);
	size_t n = lx->at - start;
	t.kind = T_INT;
	if (n) {
		const struct unit *u = NULL;
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strlen(units[i].name) == n &&
			    !memcmp(units[i].name, lx->src + start, n))
				u = &units[i];
		if (!u || base == 16)
			return fail(t,
			            "unknown unit (sizes: K M G T; durations: ns us ms s min h)");
		if (v > UINT64_MAX / u->scale)
			over = true;
		v *= u->scale;
		t.kind = u->kind;
	}
	if (over)
		return fail(t, "number does not fit 64 bits");
	t.u = v;
	return t;
}

static struct token string(struct lexer *lx, struct token t)
{
	advance(lx);
	size_t start = lx->at, n = 0;
	char *out = typed_arena_alloc(lx->arena, lx->len - start + 1);
	if (!out)
		return fail(t, "out of memory");
	for (;;) {
		char c = peek(lx, 0);
		if (lx->at >= lx->len || c == '\n')
			return fail(t, "unterminated string");
		advance(lx);
		if (c == '"')
			break;
		if (c == '\\') {
			char e = peek(lx, 0);
			if (lx->at >= lx->len)
				return fail(t, "unterminated string");
			advance(lx);
			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == '"' || e == '\\' ? e : 0;
			if (!c)
				return fail(t, "unknown escape (\\n \\t \\\" \\\\)");
		}
		out[n++] = c;
	}
	if (n > SHELL_STR_MAX)
		return fail(t, "string is longer than 65536 bytes");
	t.kind = T_STR;
	t.text = out;
	t.len = (uint32_t)n;
	return t;
}

static struct token path(struct lexer *lx, struct token t)
{
	size_t start = lx->at;
	while (is_path_char(peek(lx, 0)))
		advance(lx);
	size_t n = lx->at - start;
	const char *why = shell_path_problem(lx->src + start, n);
	if (why)
		return fail(t, why);
	t.kind = T_PATH;
	t.len = (uint32_t)n;
	t.text = keep(lx, lx->src + start, n);
	return t.text ? t : fail(t, "out of memory");
}

static bool after_value(const struct lexer *lx)
{
	switch (lx->prev) {
	case T_NAME:
	case T_VAR:
	case T_INT:
	case T_SIZE:
	case T_DUR:
	case T_STR:
	case T_PATH: return true;
	case T_PUNCT: return lx->prev_p == ')' || lx->prev_p == ']' || lx->prev_p == '}';
	default: return false;
	}
}

static struct token punct(struct lexer *lx, struct token t)
{
	static const char two[][3] = {"==E", "!=N", "<=L", ">=G", "->A"};
	char c = peek(lx, 0), d = peek(lx, 1);
	for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
		if (c == two[i][0] && d == two[i][1]) {
			advance(lx);
			advance(lx);
			t.kind = T_PUNCT;
			t.p = two[i][2];
			return t;
		}
	if (!c || !strchr("|()[]{},:=+-*/.<>", c)) {
		advance(lx);
		return fail(t, "unexpected character");
	}
	advance(lx);
	t.kind = T_PUNCT;
	t.p = c;
	return t;
}

static struct token scan(struct lexer *lx)
{
	struct token t = {0};
	for (;;) {
		char c = peek(lx, 0);
		if (lx->at < lx->len && (c == ' ' || c == '\t' || c == '\r')) {
			advance(lx);
			t.space = true;
		} else if (c == '#') {
			while (lx->at < lx->len && peek(lx, 0) != '\n')
				advance(lx);
		} else {
			break;
		}
	}
	t.line = lx->line;
	t.col = lx->col;
	char c = peek(lx, 0);
	if (lx->at >= lx->len) {
		t.kind = T_END;
	} else if (c == '\n' || c == ';') {
		advance(lx);
		t.kind = T_NL;
	} else if (is_alpha(c)) {
		t = word(lx, t, false);
	} else if (c == '$') {
		advance(lx);
		t = word(lx, t, true);
	} else if (is_digit(c)) {
		t = number(lx, t);
	} else if (c == '"') {
		t = string(lx, t);
	} else if (c == '/' && (!after_value(lx) || (t.space && is_path_char(peek(lx, 1))))) {
		t = path(lx, t);
	} else {
		t = punct(lx, t);
	}
	return t;
}

struct token shell_lex_next(struct lexer *lx)
{
	struct token t = scan(lx);
	lx->prev = t.kind;
	lx->prev_p = t.p;
	return t;
}
