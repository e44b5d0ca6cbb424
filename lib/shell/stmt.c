/* Statements and the whole compile: let, if, for, fn, pipelines whose
 * results are printed; a shell's variables and functions outlive the text
 * that defined them (a REPL's lines see each other's). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

#define SHELL_GLOBALS_MAX 256
#define SHELL_FUNCS_MAX   64

struct shell *shell_new(void *mem, size_t size, const struct shell_cmds *cmds)
{
	struct typed_arena a;
	if (size < SHELL_MIN_MEM)
		return NULL;
	typed_arena_init(&a, mem, size / 2);
	struct shell *sh = typed_arena_alloc(&a, sizeof *sh);
	sh->cmds = cmds;
	sh->max_globals = SHELL_GLOBALS_MAX;
	sh->max_funcs = SHELL_FUNCS_MAX;
	sh->globals = typed_arena_alloc(&a, SHELL_GLOBALS_MAX * sizeof *sh->globals);
	sh->funcs = typed_arena_alloc(&a, SHELL_FUNCS_MAX * sizeof *sh->funcs);
	sh->arena = a;
	typed_arena_init(&sh->scratch, (uint8_t *)mem + size / 2, size - size / 2);
	return sh;
}

void shell_set_programs(struct shell *sh, const char *const *names, uint32_t count)
{
	sh->programs = names;
	sh->nprograms = count;
}

void shell_set_cancel(struct shell *sh, bool (*cancelled)(void *ctx), void *ctx)
{
	sh->poll = cancelled;
	sh->poll_ctx = ctx;
}

static bool block(struct cx *c, const struct node *blk, bool value, uint32_t *res,
                  const struct typed_type **t);

static bool add_var(struct cx *c, const struct node *at, const char *name,
                    const struct typed_type *t, uint32_t reg)
{
	struct frame *f = c->f;
	if (f->nvars == SHELL_VARS_MAX) {
		cx_fail(c, at->line, at->col, "more than %u variables", SHELL_VARS_MAX);
		return false;
	}
	f->vars[f->nvars++] = (struct scope_var){name, t, reg};
	return true;
}

static bool let(struct cx *c, const struct node *n, bool global)
{
	const struct typed_type *t;
	uint32_t r = cx_pipe(c, n->a, NULL, &t);
	if (r == SHELL_NO_REG)
		return false;
	if (!t) {
		cx_fail(c, n->a->line, n->a->col, "expected a value for $%s, found nothing",
		        n->text);
		return false;
	}
	if (!global)
		return add_var(c, n, n->text, t, r);
	struct shell *sh = c->sh;
	if (c->nglobals == sh->max_globals) {
		cx_fail(c, n->line, n->col, "more than %u variables", sh->max_globals);
		return false;
	}
	struct shell_op *op = cx_emit(c, OP_GSTORE, n);
	if (!op)
		return false;
	op->a = r;
	op->n = c->nglobals;
	sh->globals[c->nglobals++] = (struct shell_global){n->text, t, {.type = NULL}};
	return true;
}

static bool if_stmt(struct cx *c, const struct node *n)
{
	const struct typed_type *t;
	uint32_t cond = cx_expr(c, n->a, &shell_t_bool, &t), res;
	struct shell_op *jf = cond == SHELL_NO_REG ? NULL : cx_emit(c, OP_JUMPF, n);
	if (!jf)
		return false;
	jf->a = cond;
	uint32_t at_jf = c->f->nops - 1;
	if (!block(c, n->b, false, &res, &t))
		return false;
	if (!n->c) {
		c->f->ops[at_jf].n = c->f->nops;
		return true;
	}
	struct shell_op *j = cx_emit(c, OP_JUMP, n);
	if (!j)
		return false;
	uint32_t at_j = c->f->nops - 1;
	c->f->ops[at_jf].n = c->f->nops;
	bool ok = n->c->kind == N_IF ? if_stmt(c, n->c) : block(c, n->c, false, &res, &t);
	c->f->ops[at_j].n = c->f->nops;
	return ok;
}

static bool for_stmt(struct cx *c, const struct node *n)
{
	const struct typed_type *lt, *t;
	uint32_t list = cx_expr(c, n->a, NULL, &lt), res;
	if (list == SHELL_NO_REG)
		return false;
	if (!lt || lt->kind != TYPED_LIST) {
		char f[160];
		shell_type_text(lt, f, sizeof f);
		cx_fail(c, n->a->line, n->a->col, "expected a list or table to loop over, found %s",
		        f);
		return false;
	}
	uint32_t idx = cx_reg(c), item = cx_reg(c), vars = c->f->nvars;
	struct shell_op *zero = cx_emit(c, OP_CONST, n);
	if (!zero || item == SHELL_NO_REG)
		return false;
	static const struct typed_value zero_u = {.type = &shell_t_uint};
	zero->dst = idx;
	zero->p = &zero_u;
	uint32_t top = c->f->nops;
	struct shell_op *next = cx_emit(c, OP_NEXT, n);
	if (!next)
		return false;
	next->dst = item;
	next->a = list;
	next->b = idx;
	if (!add_var(c, n, n->text, lt->list.elem, item) || !block(c, n->b, false, &res, &t))
		return false;
	struct shell_op *back = cx_emit(c, OP_JUMP, n);
	if (!back)
		return false;
	back->n = top;
	c->f->ops[top].n = c->f->nops;
	c->f->nvars = vars;
	return true;
}

/* A parameter's type: int uint size duration string path bool list(T). */
static const struct typed_type *type_of(struct cx *c, const struct node *n)
{
	static const struct {
		const char *name;
		const struct typed_type *t;
	} names[] = {{"int", &shell_t_int},      {"uint", &shell_t_uint},  {"size", &shell_t_size},
	             {"duration", &shell_t_dur}, {"string", &shell_t_str}, {"path", &shell_t_path},
	             {"bool", &shell_t_bool}};
	if (!strcmp(n->text, "list") && n->a) {
		const struct typed_type *e = type_of(c, n->a);
		return e ? shell_list_of(c->a, e) : NULL;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(n->text, names[i].name) && !n->a)
			return names[i].t;
	cx_fail(c, n->line, n->col,
	        "expected a type (int uint size duration string path bool list(T)), found '%s'",
	        n->text);
	return NULL;
}

static const struct typed_type *params_of(struct cx *c, const struct node *n)
{
	uint32_t count = 0, i = 0;
	for (const struct node *p = n->a; p; p = p->next)
		count++;
	struct typed_type *rt = typed_arena_alloc(c->a, sizeof *rt);
	struct typed_field *f = typed_arena_alloc(c->a, (count + 1) * sizeof *f);
	if (!rt || !f || count > TYPED_MAX_FIELDS) {
		cx_fail(c, n->line, n->col,
		        count > TYPED_MAX_FIELDS ? "too many parameters" : "out of memory");
		return NULL;
	}
	for (const struct node *p = n->a; p; p = p->next, i++) {
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(f[j].name, p->text)) {
				cx_fail(c, p->line, p->col, "parameter '%s' given twice", p->text);
				return NULL;
			}
		f[i] = (struct typed_field){p->text, "", type_of(c, p->a), NULL};
		if (!f[i].type)
			return NULL;
	}
	rt->kind = TYPED_RECORD;
	rt->rec.fields = f;
	rt->rec.count = count;
	return rt;
}

/* fn NAME(params) { body }: the body's last pipeline is its result. */
static bool fn_def(struct cx *c, const struct node *n, bool top)
{
	struct shell *sh = c->sh;
	if (!top) {
		cx_fail(c, n->line, n->col, "functions are defined at the top of a script");
		return false;
	}
	if (c->nfuncs == sh->max_funcs) {
		cx_fail(c, n->line, n->col, "more than %u functions", sh->max_funcs);
		return false;
	}
	const struct typed_type *params = params_of(c, n), *ret = NULL;
	struct frame *f = typed_arena_alloc(c->a, sizeof *f), *outer = c->f;
	if (!params || !f)
		return params ? (cx_fail(c, n->line, n->col, "out of memory"), false) : false;
	c->f = f;
	for (uint32_t i = 0; i < params->rec.count; i++)
		if (cx_reg(c) != i ||
		    !add_var(c, n, params->rec.fields[i].name, params->rec.fields[i].type, i))
			return false;
	uint32_t res;
	bool ok = block(c, n->b, true, &res, &ret);
	struct shell_op *op = ok ? cx_emit(c, OP_RET, n->b) : NULL;
	c->f = outer;
	if (!op)
		return false;
	op->a = ret ? res : SHELL_NO_REG;
	sh->funcs[c->nfuncs++] =
	        (struct shell_func){n->text, params, ret, {f->ops, f->nops, f->nregs}};
	return true;
}

static bool statement(struct cx *c, const struct node *n, bool top, bool last_value, uint32_t *res,
                      const struct typed_type **t)
{
	*t = NULL;
	switch (n->kind) {
	case N_LET: return let(c, n, top && c->f->top);
	case N_IF: return if_stmt(c, n);
	case N_FOR: return for_stmt(c, n);
	case N_FN: return fn_def(c, n, top && c->f->top);
	default: break;
	}
	uint32_t r = cx_pipe(c, n, NULL, t);
	if (r == SHELL_NO_REG)
		return false;
	*res = r;
	if (!*t || last_value)
		return true;
	struct shell_op *op = cx_emit(c, OP_PRINT, n);
	if (op)
		op->a = r;
	return op != NULL;
}

/* The statements of blk; with value, the last one's result is kept (not
 * printed) in *res / *t. */
static bool statements(struct cx *c, const struct node *blk, bool top, bool value, uint32_t *res,
                       const struct typed_type **t)
{
	uint32_t vars = c->f->nvars;
	*t = NULL;
	for (const struct node *s = blk->a; s; s = s->next)
		if (!statement(c, s, top, value && !s->next, res, t))
			return false;
	if (!top)
		c->f->nvars = vars;
	return true;
}

static bool block(struct cx *c, const struct node *blk, bool value, uint32_t *res,
                  const struct typed_type **t)
{
	if (++c->depth > SHELL_DEPTH_MAX) {
		cx_fail(c, blk->line, blk->col, "nested more than %u deep", SHELL_DEPTH_MAX);
		return false;
	}
	bool ok = statements(c, blk, false, value, res, t);
	c->depth--;
	return ok;
}

enum err shell_compile(struct shell *sh, const char *src, size_t len, struct shell_plan **plan,
                       struct shell_error *err)
{
	size_t used = sh->arena.used;
	struct node *script;
	memset(err, 0, sizeof *err);
	*plan = NULL;
	if (!shell_parse(src, len, &sh->arena, &script, err)) {
		sh->arena.used = used;
		return ERR_CORRUPT;
	}
	struct cx c = {.sh = sh, .a = &sh->arena, .err = err};
	c.nglobals = sh->nglobals;
	c.nfuncs = sh->nfuncs;
	struct frame *f = typed_arena_alloc(&sh->arena, sizeof *f);
	struct shell_plan *p = typed_arena_alloc(&sh->arena, sizeof *p);
	uint32_t res;
	const struct typed_type *t;
	if (!f || !p) {
		cx_fail(&c, 1, 1, "out of memory");
	} else {
		f->top = true;
		c.f = f;
		if (statements(&c, script, true, false, &res, &t)) {
			struct shell_op *op = cx_emit(&c, OP_RET, NULL);
			if (op)
				op->a = SHELL_NO_REG;
		}
	}
	if (c.failed) {
		sh->arena.used = used;
		return strcmp(err->msg, "out of memory") ? ERR_CORRUPT : ERR_NOMEM;
	}
	*p = (struct shell_plan){f->ops, f->nops, f->nregs};
	sh->nglobals = c.nglobals;
	sh->nfuncs = c.nfuncs;
	*plan = p;
	return ERR_OK;
}
