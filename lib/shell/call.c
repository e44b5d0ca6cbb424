/* Calls and pipelines: a command's or function's arguments bound to its
 * parameter record (positional in field order, NAME=value by name,
 * defaults for the rest), its input checked against the signature, its
 * result type worked out (the same as the input, the input's element). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

uint32_t cx_coerce(struct cx *c, const struct node *at, uint32_t reg, const struct typed_type *t,
                   const struct typed_type *want)
{
	bool conv = false;
	if (!shell_type_fits(want, t, &conv))
		return cx_mismatch(c, at, t, want);
	if (t == want || !conv)
		return reg; /* the value fits as it is */
	struct shell_op *op = cx_emit(c, OP_CONV, at);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->a = reg;
	op->p = want;
	return d;
}

const struct shell_sig *cx_find_cmd(const struct shell *sh, const char *name)
{
	for (const struct shell_cmds *t = sh->cmds; t; t = t->next)
		for (uint32_t i = 0; i < t->count; i++)
			if (!strcmp(t->sigs[i].name, name))
				return &t->sigs[i];
	return NULL;
}

int cx_find_func(const struct cx *c, const char *name)
{
	for (uint32_t i = c->nfuncs; i-- > 0;)
		if (!strcmp(c->sh->funcs[i].name, name))
			return (int)i;
	return -1;
}

uint32_t cx_build_record(struct cx *c, const struct node *at, const struct typed_type *rt,
                         uint32_t *regs)
{
	struct shell_op *op = cx_emit(c, OP_RECORD, at);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->n = rt->rec.count;
	op->regs = regs;
	op->p = rt;
	return d;
}

/* A field's value when it is not given: its default, absent, or missing. */
static bool fill_default(struct cx *c, const struct node *at, const struct typed_field *f,
                         uint32_t *reg, const char *what, const char *owner)
{
	*reg = SHELL_NO_REG;
	if (f->type->kind == TYPED_OPTIONAL)
		return true;
	if (!f->def) {
		char w[160];
		shell_type_text(f->type, w, sizeof w);
		cx_fail(c, at->line, at->col, "%s: missing %s '%s' (%s)", owner, what, f->name, w);
		return false;
	}
	struct shell_op *op = cx_emit(c, OP_CONST, at);
	if (!op || (*reg = cx_reg(c)) == SHELL_NO_REG)
		return false;
	op->dst = *reg;
	op->p = f->def;
	return true;
}

static const struct typed_type *unwrap(const struct typed_type *t)
{
	return t->kind == TYPED_OPTIONAL ? t->inner : t;
}

/* A record literal against record type rt: regs per field. */
bool cx_record_value(struct cx *c, const struct node *n, const struct typed_type *rt,
                     uint32_t *regs)
{
	for (uint32_t i = 0; i < rt->rec.count; i++)
		regs[i] = SHELL_NO_REG;
	bool given[TYPED_MAX_FIELDS] = {0};
	for (const struct node *e = n->a; e; e = e->next) {
		int i = shell_field_index(rt, e->text);
		if (i < 0) {
			char w[160];
			shell_type_text(rt, w, sizeof w);
			cx_fail(c, e->line, e->col, "expected %s, found a field '%s'", w, e->text);
			return false;
		}
		if (given[i]) {
			cx_fail(c, e->line, e->col, "field '%s' given twice", e->text);
			return false;
		}
		given[i] = true;
		const struct typed_type *t;
		if ((regs[i] = cx_expr(c, e->a, unwrap(rt->rec.fields[i].type), &t)) ==
		    SHELL_NO_REG)
			return false;
	}
	for (uint32_t i = 0; i < rt->rec.count; i++)
		if (!given[i] &&
		    !fill_default(c, n, &rt->rec.fields[i], &regs[i], "field", "record"))
			return false;
	return true;
}

/* A SHELL_ARG_ROW argument: code that runs for each row (jumped over). */
static uint32_t row_arg(struct cx *c, const struct node *arg, const struct typed_type *want,
                        const struct typed_type *in_t, struct shell_callsite *site, uint32_t i)
{
	struct shell_op *jump = cx_emit(c, OP_JUMP, arg);
	uint32_t entry = c->f->nops, row = cx_reg(c);
	if (!jump || row == SHELL_NO_REG)
		return SHELL_NO_REG;
	struct row_ctx ctx = {in_t->list.elem, row};
	const struct row_ctx *outer = c->row;
	const struct typed_type *t;
	c->row = ctx.type->kind == TYPED_RECORD ? &ctx : NULL;
	uint32_t res = cx_expr(c, arg, unwrap(want), &t);
	c->row = outer;
	struct shell_op *ret = cx_emit(c, OP_RET, arg);
	if (res == SHELL_NO_REG || !ret)
		return SHELL_NO_REG;
	ret->a = res;
	jump = &c->f->ops[entry - 1];
	jump->n = c->f->nops;
	site->row_entry[i] = entry;
	site->row_reg[i] = row;
	site->row_res[i] = res;
	struct typed_value zero = {.type = unwrap(want)};
	struct typed_value *k = typed_arena_alloc(c->a, sizeof *k);
	struct shell_op *op = cx_emit(c, OP_CONST, arg);
	uint32_t d = cx_reg(c);
	if (!k || !op || d == SHELL_NO_REG)
		return cx_fail(c, arg->line, arg->col, "out of memory");
	*k = zero;
	op->dst = d;
	op->p = k;
	return d;
}

static bool is_program(const struct shell *sh, const char *s)
{
	for (uint32_t i = 0; i < sh->nprograms; i++)
		if (!strcmp(sh->programs[i], s))
			return true;
	return false;
}

/* "a, b, c" (cut with "..." if it does not fit). */
static void program_names(const struct shell *sh, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (uint32_t i = 0; i < sh->nprograms && n + 4 < size; i++) {
		size_t k = fmt_snprintf(buf + n, size - n, "%s%s", i ? ", " : "", sh->programs[i]);
		n = k < size - n ? n + k : size;
	}
	if (n >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
	if (!sh->nprograms)
		fmt_snprintf(buf, size, "none");
}

/* A COLUMN, COMMAND or PROGRAM argument: a bare word or a string naming
 * one. */
static uint32_t name_arg(struct cx *c, const struct node *arg, uint8_t kind,
                         const struct typed_type *in_t, const struct typed_type *want)
{
	const char *s = arg->kind == N_NAME || arg->kind == N_STR ? arg->text : NULL;
	char w[160];
	if (kind == SHELL_ARG_COLUMN) {
		if (!shell_is_table(in_t))
			return cx_fail(c, arg->line, arg->col,
			               "expected a table as input for a column");
		if (!s || shell_field_index(in_t->list.elem, s) < 0) {
			shell_type_text(in_t, w, sizeof w);
			return cx_fail(c, arg->line, arg->col,
			               "expected a column of the input %s, found %s%s%s", w,
			               s ? "'" : "", s ? s : "an expression", s ? "'" : "");
		}
	} else if (kind == SHELL_ARG_PROGRAM) {
		if (!s || !is_program(c->sh, s)) {
			program_names(c->sh, w, sizeof w);
			return cx_fail(c, arg->line, arg->col,
			               "expected a program (one of: %s), found %s%s%s", w,
			               s ? "'" : "", s ? s : "an expression", s ? "'" : "");
		}
	} else if (!s || (!cx_find_cmd(c->sh, s) && cx_find_func(c, s) < 0)) {
		return cx_fail(c, arg->line, arg->col, "expected a command's name, found %s%s%s",
		               s ? "'" : "", s ? s : "an expression", s ? "'" : "");
	}
	struct typed_value v = {.type = unwrap(want), .str = {s, (uint32_t)strlen(s)}};
	char why[160];
	if (v.type->kind != TYPED_STRING || !shell_value_fits(&v, v.type, why, sizeof why))
		return cx_fail(c, arg->line, arg->col, "a %s parameter must be a string",
		               kind == SHELL_ARG_COLUMN    ? "column"
		               : kind == SHELL_ARG_PROGRAM ? "program"
		                                           : "command");
	struct typed_value *k = typed_arena_alloc(c->a, sizeof *k);
	struct shell_op *op = cx_emit(c, OP_CONST, arg);
	uint32_t d = cx_reg(c);
	if (!k || !op || d == SHELL_NO_REG)
		return cx_fail(c, arg->line, arg->col, "out of memory");
	*k = v;
	op->dst = d;
	op->p = k;
	return d;
}

struct binding {
	const char *owner;          /* the command's name, for messages */
	const struct typed_type *p; /* the parameter record */
	const uint8_t *kinds;
	const struct typed_type *in_t;
	struct shell_callsite *site;
};

static uint32_t one_arg(struct cx *c, const struct binding *b, const struct node *arg, uint32_t i)
{
	uint8_t kind = b->kinds ? b->kinds[i] : SHELL_ARG_VALUE;
	const struct typed_type *want = b->p->rec.fields[i].type, *t;
	if (kind == SHELL_ARG_ROW) {
		if (!b->in_t || b->in_t->kind != TYPED_LIST)
			return cx_fail(c, arg->line, arg->col,
			               "%s: expected a list or table as input", b->owner);
		return row_arg(c, arg->a, want, b->in_t, b->site, i);
	}
	if (kind == SHELL_ARG_COLUMN || kind == SHELL_ARG_COMMAND || kind == SHELL_ARG_PROGRAM)
		return name_arg(c, arg->a, kind, b->in_t, want);
	return cx_expr(c, arg->a, unwrap(want), &t);
}

/* Binds the arguments of call n to b->p's fields: named ones first, then
 * positional ones in order into the fields left; defaults for the rest. */
static bool bind(struct cx *c, const struct node *n, const struct binding *b, uint32_t *regs)
{
	uint32_t count = b->p ? b->p->rec.count : 0;
	bool given[TYPED_MAX_FIELDS] = {0};
	for (const struct node *arg = n->a; arg; arg = arg->next) {
		if (!arg->text)
			continue;
		int i = b->p ? shell_field_index(b->p, arg->text) : -1;
		if (i < 0) {
			char w[200] = "none";
			if (b->p)
				shell_field_names(b->p, w, sizeof w);
			cx_fail(c, arg->line, arg->col, "%s has no argument '%s' (arguments: %s)",
			        b->owner, arg->text, w);
			return false;
		}
		if (given[i]) {
			cx_fail(c, arg->line, arg->col, "%s: argument '%s' given twice", b->owner,
			        arg->text);
			return false;
		}
		given[i] = true;
		if ((regs[i] = one_arg(c, b, arg, (uint32_t)i)) == SHELL_NO_REG)
			return false;
	}
	uint32_t next = 0;
	for (const struct node *arg = n->a; arg; arg = arg->next) {
		if (arg->text)
			continue;
		while (next < count && given[next])
			next++;
		if (next == count) {
			cx_fail(c, arg->line, arg->col,
			        "%s takes %u argument%s; this one is one too many", b->owner, count,
			        count == 1 ? "" : "s");
			return false;
		}
		given[next] = true;
		if ((regs[next] = one_arg(c, b, arg, next)) == SHELL_NO_REG)
			return false;
	}
	for (uint32_t i = 0; i < count; i++)
		if (!given[i] &&
		    !fill_default(c, n, &b->p->rec.fields[i], &regs[i], "argument", b->owner))
			return false;
	return true;
}

/* The input a signature takes: checked (and converted); its result type. */
static bool input(struct cx *c, const struct node *n, const struct shell_sig *s, uint32_t *in,
                  const struct typed_type **in_t, const struct typed_type **out)
{
	char f[160];
	shell_type_text(*in_t, f, sizeof f);
	if (s->in == SHELL_IO_NONE && *in != SHELL_NO_REG) {
		cx_fail(c, n->line, n->col, "%s takes no input, found %s", s->name, f);
		return false;
	}
	if (s->in == SHELL_IO_TYPE) {
		if (*in == SHELL_NO_REG)
			return cx_mismatch(c, n, NULL, s->in_type), false;
		if ((*in = cx_coerce(c, n, *in, *in_t, s->in_type)) == SHELL_NO_REG)
			return false;
		*in_t = s->in_type;
	}
	if ((s->in == SHELL_IO_TABLE && !shell_is_table(*in_t)) ||
	    (s->in == SHELL_IO_LIST && (!*in_t || (*in_t)->kind != TYPED_LIST))) {
		cx_fail(c, n->line, n->col, "%s: expected a %s as input, found %s", s->name,
		        s->in == SHELL_IO_TABLE ? "table" : "list", f);
		return false;
	}
	*out = s->out == SHELL_IO_TYPE   ? s->out_type
	       : s->out == SHELL_IO_SAME ? *in_t
	       : s->out == SHELL_IO_ELEM && *in_t && (*in_t)->kind == TYPED_LIST
	               ? (*in_t)->list.elem
	               : NULL;
	return true;
}

static uint32_t call_func(struct cx *c, const struct node *n, int fi, uint32_t in,
                          const struct typed_type *in_t, const struct typed_type **t)
{
	const struct shell_func *fn = &c->sh->funcs[fi];
	if (in != SHELL_NO_REG) {
		char f[160];
		shell_type_text(in_t, f, sizeof f);
		return cx_fail(c, n->line, n->col, "%s takes no input, found %s", fn->name, f);
	}
	struct binding b = {fn->name, fn->params, NULL, NULL, NULL};
	uint32_t *regs = typed_arena_alloc(c->a, (fn->params->rec.count + 1) * sizeof *regs);
	if (!regs)
		return cx_fail(c, n->line, n->col, "out of memory");
	if (!bind(c, n, &b, regs))
		return SHELL_NO_REG;
	uint32_t args = cx_build_record(c, n, fn->params, regs);
	struct shell_op *op = cx_emit(c, OP_CALLFN, n);
	uint32_t d = cx_reg(c);
	if (args == SHELL_NO_REG || !op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->b = args;
	op->n = (uint32_t)fi;
	*t = fn->ret;
	return d;
}

static struct shell_callsite *new_site(struct cx *c, const struct node *n,
                                       const struct shell_sig *s)
{
	uint32_t np = s->params ? s->params->rec.count : 0;
	struct shell_callsite *site = typed_arena_alloc(c->a, sizeof *site);
	uint32_t *arr = typed_arena_alloc(c->a, (3 * np + 1) * sizeof *arr);
	if (!site || !arr)
		return cx_fail(c, n->line, n->col, "out of memory"), NULL;
	site->sig = s;
	site->nparams = np;
	site->row_entry = arr;
	site->row_reg = arr + np;
	site->row_res = arr + 2 * np;
	for (uint32_t i = 0; i < 3 * np; i++)
		arr[i] = SHELL_NO_REG;
	return site;
}

uint32_t cx_call(struct cx *c, const struct node *n, uint32_t in, const struct typed_type *in_t,
                 const struct typed_type **t)
{
	if (c->failed)
		return SHELL_NO_REG;
	int fi = cx_find_func(c, n->text);
	if (fi >= 0)
		return call_func(c, n, fi, in, in_t, t);
	const struct shell_sig *s = cx_find_cmd(c->sh, n->text);
	if (!s)
		return cx_fail(c, n->line, n->col, "unknown command '%s' (help lists them)",
		               n->text);
	const struct typed_type *out;
	struct shell_callsite *site = new_site(c, n, s);
	if (!site || !input(c, n, s, &in, &in_t, &out))
		return SHELL_NO_REG;
	site->out_type = out;
	uint32_t args = SHELL_NO_REG;
	if (s->params) {
		struct binding b = {s->name, s->params, s->arg_kinds, in_t, site};
		uint32_t *regs = typed_arena_alloc(c->a, (s->params->rec.count + 1) * sizeof *regs);
		if (!regs)
			return cx_fail(c, n->line, n->col, "out of memory");
		if (!bind(c, n, &b, regs) ||
		    (args = cx_build_record(c, n, s->params, regs)) == SHELL_NO_REG)
			return SHELL_NO_REG;
	} else if (n->a) {
		return cx_fail(c, n->a->line, n->a->col, "%s takes no arguments", s->name);
	}
	struct shell_op *op = cx_emit(c, OP_CALL, n);
	uint32_t d = cx_reg(c);
	if (!op || d == SHELL_NO_REG)
		return SHELL_NO_REG;
	op->dst = d;
	op->a = in;
	op->b = args;
	op->p = site;
	*t = out;
	return d;
}

uint32_t cx_pipe(struct cx *c, const struct node *n, const struct typed_type *want,
                 const struct typed_type **t)
{
	if (n->kind != N_PIPE)
		return cx_expr(c, n, want, t);
	const struct node *s = n->a;
	uint32_t r = cx_expr(c, s, NULL, t);
	for (s = s->next; s && r != SHELL_NO_REG; s = s->next)
		r = cx_call(c, s, r, *t, t);
	if (r == SHELL_NO_REG || !want || *t == want)
		return r;
	r = cx_coerce(c, n, r, *t, want);
	*t = want;
	return r;
}
