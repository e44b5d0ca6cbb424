/* The checker and planner for expressions: every node gets a type, is
 * checked against the type its place wants, and is compiled to operations
 * on registers.  Literals are checked against the wanted type when they
 * are compiled (64M into `size 1M..1G`), other values when they run. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

uint32_t cx_fail(struct cx *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	if (!c->failed) {
		va_list ap;
		c->failed = true;
		c->err->line = line;
		c->err->col = col;
		va_start(ap, fmt);
		fmt_vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
		va_end(ap);
	}
	return SHELL_NO_REG;
}

static void *cx_alloc(struct cx *c, size_t n, const struct node *at)
{
	void *p = typed_arena_alloc(c->a, n);
	if (!p)
		cx_fail(c, at ? at->line : 0, at ? at->col : 0, "out of memory");
	return p;
}

uint32_t cx_reg(struct cx *c)
{
	if (c->f->nregs >= SHELL_REGS_MAX)
		return cx_fail(c, 0, 0, "too many values in one function");
	return c->f->nregs++;
}

struct shell_op *cx_emit(struct cx *c, uint8_t code, const struct node *at)
{
	struct frame *f = c->f;
	if (f->nops == f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 64;
		struct shell_op *ops = cx_alloc(c, cap * sizeof *ops, at);
		if (!ops)
			return NULL;
		if (f->nops)
			memcpy(ops, f->ops, f->nops * sizeof *ops);
		f->ops = ops;
		f->cap = cap;
	}
	struct shell_op *op = &f->ops[f->nops++];
	memset(op, 0, sizeof *op);
	op->code = code;
	op->line = at ? at->line : 0;
	op->col = at ? at->col : 0;
	op->dst = op->a = op->b = SHELL_NO_REG;
	return op;
}

/* A constant of type t: dst = v. */
static uint32_t konst(struct cx *c, const struct node *at, const struct typed_value *v)
{
	struct typed_value *k = cx_alloc(c, sizeof *k, at);
	uint32_t r = cx_reg(c);
	struct shell_op *op;
	if (!k || r == SHELL_NO_REG || !(op = cx_emit(c, OP_CONST, at)))
		return SHELL_NO_REG;
	*k = *v;
	op->dst = r;
	op->p = k;
	return r;
}

/* How a literal is shown in "found ..." (its text or type). */
static void found_text(const struct node *n, const struct typed_type *t, char *buf, size_t size)
{
	switch (n->kind) {
	case N_INT: fmt_snprintf(buf, size, "%llu", (unsigned long long)n->u); break;
	case N_STR: fmt_snprintf(buf, size, "\"%.40s\"", n->text); break;
	case N_NAME:
		if (t && t->kind != TYPED_STRING) /* a column */
			shell_type_text(t, buf, size);
		else
			fmt_snprintf(buf, size, "'%s'", n->text);
		break;
	case N_SIZE:
	case N_DUR: {
		struct typed_value v = {.type = t, .u = n->u};
		size_t k = shell_format_scalar(&v, buf, size);
		(void)k;
		break;
	}
	default: shell_type_text(t, buf, size); break;
	}
}

uint32_t cx_mismatch(struct cx *c, const struct node *n, const struct typed_type *t,
                     const struct typed_type *want)
{
	char w[160], f[160];
	shell_type_text(want, w, sizeof w);
	found_text(n, t, f, sizeof f);
	return cx_fail(c, n->line, n->col, "expected %s, found %s", w, f);
}

/* A literal number, size or duration (n->u; neg: written with '-'). */
static uint32_t number(struct cx *c, const struct node *n, const struct typed_type *want,
                       const struct typed_type **t, bool neg)
{
	const struct typed_type *own = n->kind == N_SIZE                    ? &shell_t_size
	                               : n->kind == N_DUR                   ? &shell_t_dur
	                               : neg || n->u <= (uint64_t)INT64_MAX ? &shell_t_int
	                                                                    : &shell_t_uint;
	struct typed_value v = {.type = own, .u = n->u};
	if (neg && (n->kind != N_INT || n->u > (uint64_t)INT64_MAX + 1))
		return cx_fail(c, n->line, n->col, "expected a number after '-', found %s",
		               n->kind == N_INT ? "a number below the int range"
		                                : "a size or duration");
	if (neg)
		v.i = (int64_t)((uint64_t)0 - n->u);
	bool conv = false;
	if (want && shell_type_fits(want, own, &conv)) {
		char why[160];
		if (!shell_value_fits(&v, want, why, sizeof why)) {
			char w[160], f[48];
			shell_type_text(want, w, sizeof w);
			shell_format_scalar(&v, f, sizeof f);
			return cx_fail(c, n->line, n->col - neg, "expected %s, found %s", w, f);
		}
		if (want->kind == TYPED_INT && !neg)
			v.i = (int64_t)n->u;
		v.type = want;
		own = want;
	}
	*t = own;
	return konst(c, n, &v);
}

/* A string or path literal; a string may be wanted as a path or an enum. */
static uint32_t text(struct cx *c, const struct node *n, const struct typed_type *want,
                     const struct typed_type **t)
{
	const struct typed_type *own = n->kind == N_PATH ? &shell_t_path : &shell_t_str;
	struct typed_value v = {.type = own, .str = {n->text, (uint32_t)strlen(n->text)}};
	char why[160];
	if (want && want->kind == TYPED_ENUM && n->kind != N_PATH) {
		for (uint32_t i = 0; i < want->en.count; i++)
			if (!strcmp(want->en.names[i], n->text)) {
				*t = want;
				return konst(c, n, &(struct typed_value){.type = want, .u = i});
			}
		return cx_mismatch(c, n, own, want);
	}
	if (want &&
	    (want->kind == TYPED_PATH || (want->kind == TYPED_STRING && n->kind != N_PATH))) {
		if (!shell_value_fits(&v, want, why, sizeof why))
			return cx_fail(c, n->line, n->col, "%s", why);
		v.type = own = want;
	}
	*t = own;
	return konst(c, n, &v);
}

/* A bare word: an enum value wanted, a column of the row, or a string. */
static uint32_t name(struct cx *c, const struct node *n, const struct typed_type *want,
                     const struct typed_type **t)
{
	if (want && want->kind == TYPED_ENUM)
		return text(c, n, want, t);
	if (c->row) {
		int i = shell_field_index(c->row->type, n->text);
		if (i >= 0) {
			struct shell_op *op = cx_emit(c, OP_FIELD, n);
			uint32_t r = cx_reg(c);
			if (!op || r == SHELL_NO_REG)
				return SHELL_NO_REG;
			op->dst = r;
			op->a = c->row->reg;
			op->n = (uint32_t)i;
			*t = c->row->type->rec.fields[i].type;
			return r;
		}
	}
	if (want && want->kind == TYPED_STRING)
		return text(c, n, want, t);
	if (c->row) {
		char cols[200];
		shell_field_names(c->row->type, cols, sizeof cols);
		return cx_fail(c, n->line, n->col, "no column '%s' (columns: %s)", n->text, cols);
	}
	if (want)
		return cx_mismatch(c, n, NULL, want);
	return cx_fail(c, n->line, n->col, "unknown name '%s' (a variable is written $%s)", n->text,
	               n->text);
}

static uint32_t var(struct cx *c, const struct node *n, const struct typed_type **t)
{
	for (uint32_t i = c->f->nvars; i-- > 0;)
		if (!strcmp(c->f->vars[i].name, n->text)) {
			*t = c->f->vars[i].type;
			return c->f->vars[i].reg;
		}
	for (uint32_t i = c->nglobals; i-- > 0;)
		if (!strcmp(c->sh->globals[i].name, n->text)) {
			struct shell_op *op = cx_emit(c, OP_GLOAD, n);
			uint32_t r = cx_reg(c);
			if (!op || r == SHELL_NO_REG)
				return SHELL_NO_REG;
			op->dst = r;
			op->n = i;
			*t = c->sh->globals[i].type;
			return r;
		}
	return cx_fail(c, n->line, n->col, "unknown variable $%s", n->text);
}

static uint32_t field(struct cx *c, const struct node *n, const struct typed_type **t)
{
	const struct typed_type *rt;
	uint32_t r = cx_expr(c, n->a, NULL, &rt);
	if (r == SHELL_NO_REG)
		return r;
	if (!rt || rt->kind != TYPED_RECORD) {
		char f[160];
		shell_type_text(rt, f, sizeof f);
		return cx_fail(c, n->line, n->col, "expected a record before '.%s', found %s",
		               n->text, f);
	}
	int i = shell_field_index(rt, n->text);
	if (i < 0) {
		char f[160];
		shell_type_text(rt, f, sizeof f);
		return cx_fail(c, n->line, n->col, "no field '%s' in %s", n->text, f);
	}
	struct shell_op *op = cx_emit(c, OP_FIELD, n);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->a = r;
	op->n = (uint32_t)i;
	*t = rt->rec.fields[i].type;
	return d;
}

/* [a, b, ...]: items of the wanted list's element type, or of the first's. */
static uint32_t list(struct cx *c, const struct node *n, const struct typed_type *want,
                     const struct typed_type **t)
{
	uint32_t count = 0, i = 0;
	for (const struct node *it = n->a; it; it = it->next)
		count++;
	const struct typed_type *elem = want && want->kind == TYPED_LIST ? want->list.elem : NULL;
	if (!count && !elem)
		return cx_fail(c, n->line, n->col, "the type of an empty list is not known here");
	if (count > SHELL_LIST_MAX)
		return cx_fail(c, n->line, n->col, "more than %u items", SHELL_LIST_MAX);
	uint32_t *regs = cx_alloc(c, (count + 1) * sizeof *regs, n);
	if (!regs)
		return SHELL_NO_REG;
	for (const struct node *it = n->a; it; it = it->next, i++) {
		const struct typed_type *it_t;
		regs[i] = cx_expr(c, it, elem, &it_t);
		if (regs[i] == SHELL_NO_REG)
			return SHELL_NO_REG;
		if (!elem && !(elem = it_t))
			return cx_mismatch(c, it, it_t, &shell_t_int);
	}
	const struct typed_type *lt =
	        want && want->kind == TYPED_LIST ? want : shell_list_of(c->a, elem);
	struct shell_op *op = cx_emit(c, OP_LIST, n);
	uint32_t d = cx_reg(c);
	if (!lt || !op || d == SHELL_NO_REG)
		return cx_fail(c, n->line, n->col, "out of memory");
	op->dst = d;
	op->n = count;
	op->regs = regs;
	op->p = lt;
	*t = lt;
	return d;
}

/* {a: 1, b: 2}: the wanted record's fields (defaults filled), or its own. */
static uint32_t record(struct cx *c, const struct node *n, const struct typed_type *want,
                       const struct typed_type **t)
{
	uint32_t count = 0, i = 0;
	for (const struct node *e = n->a; e; e = e->next)
		count++;
	if (want && want->kind == TYPED_RECORD) {
		uint32_t *regs = cx_alloc(c, (want->rec.count + 1) * sizeof *regs, n);
		if (!regs || !cx_record_value(c, n, want, regs))
			return SHELL_NO_REG;
		*t = want;
		return cx_build_record(c, n, want, regs);
	}
	if (count > TYPED_MAX_FIELDS)
		return cx_fail(c, n->line, n->col, "more than %u fields", TYPED_MAX_FIELDS);
	struct typed_field *fields = cx_alloc(c, (count + 1) * sizeof *fields, n);
	struct typed_type *rt = cx_alloc(c, sizeof *rt, n);
	uint32_t *regs = cx_alloc(c, (count + 1) * sizeof *regs, n);
	if (!fields || !rt || !regs)
		return SHELL_NO_REG;
	for (const struct node *e = n->a; e; e = e->next, i++) {
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(fields[j].name, e->text))
				return cx_fail(c, e->line, e->col, "field '%s' given twice",
				               e->text);
		fields[i].name = e->text;
		fields[i].doc = "";
		regs[i] = cx_expr(c, e->a, NULL, &fields[i].type);
		if (regs[i] == SHELL_NO_REG)
			return SHELL_NO_REG;
		if (!fields[i].type)
			return cx_mismatch(c, e->a, NULL, &shell_t_int);
	}
	rt->kind = TYPED_RECORD;
	rt->rec.fields = fields;
	rt->rec.count = count;
	*t = rt;
	return cx_build_record(c, n, rt, regs);
}

static uint32_t emit_bin(struct cx *c, const struct node *n, uint32_t a, uint32_t b,
                         const struct typed_type *rt, const struct typed_type **t)
{
	struct shell_op *op = cx_emit(c, OP_BIN, n);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->a = a;
	op->b = b;
	op->bin = n->op;
	op->p = rt;
	*t = rt;
	return d;
}

static const char *const op_names[] = {
        "or", "and", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"};

static uint32_t op_mismatch(struct cx *c, const struct node *n, const char *need,
                            const struct typed_type *a, const struct typed_type *b)
{
	char x[120], y[120];
	shell_type_text(a, x, sizeof x);
	shell_type_text(b, y, sizeof y);
	return cx_fail(c, n->line, n->col, "'%s' expected %s, found %s and %s", op_names[n->op],
	               need, x, y);
}

/* The type of a + - * / b, or NULL. */
static const struct typed_type *arith_type(uint8_t op, const struct typed_type *a,
                                           const struct typed_type *b)
{
	bool an = shell_is_number(a), bn = shell_is_number(b);
	if (an && bn)
		return &shell_t_int;
	if (op == B_ADD && a->kind == TYPED_STRING && b->kind == TYPED_STRING)
		return &shell_t_str;
	bool as = a->kind == TYPED_SIZE || a->kind == TYPED_DURATION;
	bool bs = b->kind == TYPED_SIZE || b->kind == TYPED_DURATION;
	if ((op == B_ADD || op == B_SUB) && as && a->kind == b->kind)
		return a->kind == TYPED_SIZE ? &shell_t_size : &shell_t_dur;
	if (op == B_MUL && ((as && bn) || (an && bs)))
		return (as ? a : b)->kind == TYPED_SIZE ? &shell_t_size : &shell_t_dur;
	if (op == B_DIV && as && bn)
		return a->kind == TYPED_SIZE ? &shell_t_size : &shell_t_dur;
	return NULL;
}

static bool ordered(const struct typed_type *t)
{
	return shell_is_number(t) || t->kind == TYPED_SIZE || t->kind == TYPED_DURATION ||
	       t->kind == TYPED_STRING || t->kind == TYPED_PATH || t->kind == TYPED_ENUM;
}

static uint32_t binary(struct cx *c, const struct node *n, const struct typed_type **t)
{
	const struct typed_type *at, *bt;
	if (n->op == B_AND || n->op == B_OR) {
		uint32_t a = cx_expr(c, n->a, &shell_t_bool, &at), b;
		if (a == SHELL_NO_REG || (b = cx_expr(c, n->b, &shell_t_bool, &bt)) == SHELL_NO_REG)
			return SHELL_NO_REG;
		return emit_bin(c, n, a, b, &shell_t_bool, t);
	}
	uint32_t a = cx_expr(c, n->a, NULL, &at);
	if (a == SHELL_NO_REG)
		return a;
	if (!at)
		return cx_mismatch(c, n->a, NULL, &shell_t_int);
	const struct typed_type *bw = at->kind == TYPED_ENUM     ? at
	                              : at->kind == TYPED_STRING ? &shell_t_str
	                                                         : NULL;
	uint32_t b = cx_expr(c, n->b, bw, &bt);
	if (b == SHELL_NO_REG)
		return b;
	if (!bt)
		return cx_mismatch(c, n->b, NULL, at);
	if (n->op >= B_ADD) {
		const struct typed_type *rt = arith_type(n->op, at, bt);
		if (!rt)
			return op_mismatch(c, n,
			                   "numbers, sizes, durations or strings that go together",
			                   at, bt);
		return emit_bin(c, n, a, b, rt, t);
	}
	bool conv = false;
	if (!shell_type_fits(at, bt, &conv) && !shell_type_fits(bt, at, &conv))
		return op_mismatch(c, n, "two values of one type", at, bt);
	if (n->op != B_EQ && n->op != B_NE && !ordered(at))
		return op_mismatch(c, n, "numbers, sizes, durations, strings or enums", at, bt);
	return emit_bin(c, n, a, b, &shell_t_bool, t);
}

static uint32_t unary(struct cx *c, const struct node *n, const struct typed_type *want,
                      const struct typed_type **t)
{
	const struct typed_type *at;
	if (n->kind == N_NEG && n->a->kind == N_INT)
		return number(c, n->a, want, t, true);
	bool neg = n->kind == N_NEG;
	uint32_t a = cx_expr(c, n->a, neg ? NULL : &shell_t_bool, &at);
	if (a == SHELL_NO_REG)
		return a;
	if (neg && !shell_is_number(at))
		return cx_mismatch(c, n->a, at, &shell_t_int);
	struct shell_op *op = cx_emit(c, neg ? OP_NEG : OP_NOT, n);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->a = a;
	*t = neg ? &shell_t_int : &shell_t_bool;
	return d;
}

static uint32_t expr_own(struct cx *c, const struct node *n, const struct typed_type *want,
                         const struct typed_type **t)
{
	switch (n->kind) {
	case N_INT:
	case N_SIZE:
	case N_DUR: return number(c, n, want, t, false);
	case N_STR:
	case N_PATH: return text(c, n, want, t);
	case N_BOOL:
		*t = &shell_t_bool;
		return konst(c, n, &(struct typed_value){.type = &shell_t_bool, .b = n->u != 0});
	case N_NAME: return name(c, n, want, t);
	case N_VAR: return var(c, n, t);
	case N_FIELD: return field(c, n, t);
	case N_LIST: return list(c, n, want, t);
	case N_RECORD: return record(c, n, want, t);
	case N_BIN: return binary(c, n, t);
	case N_NOT:
	case N_NEG: return unary(c, n, want, t);
	case N_CALL: return cx_call(c, n, SHELL_NO_REG, NULL, t);
	case N_PIPE: return cx_pipe(c, n, NULL, t);
	default: return cx_fail(c, n->line, n->col, "expected a value");
	}
}

uint32_t cx_expr(struct cx *c, const struct node *n, const struct typed_type *want,
                 const struct typed_type **t)
{
	if (c->failed)
		return SHELL_NO_REG;
	if (++c->depth > SHELL_DEPTH_MAX)
		return cx_fail(c, n->line, n->col, "nested more than %u deep", SHELL_DEPTH_MAX);
	*t = NULL;
	uint32_t r = expr_own(c, n, want, t);
	c->depth--;
	if (r == SHELL_NO_REG || !want || *t == want)
		return r;
	uint32_t d = cx_coerce(c, n, r, *t, want);
	if (d != SHELL_NO_REG)
		*t = want;
	return d;
}
