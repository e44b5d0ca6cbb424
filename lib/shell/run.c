/* The interpreter: runs a plan's operations over a frame of registers,
 * calling commands through their signatures' function pointers. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

struct shell_run {
	struct shell *sh;
	struct typed_arena *a;
	const struct shell_out *out;
	struct shell_error *err;
	uint32_t depth;
	uint32_t ticks; /* operations since the last poll for a cancel */
};

static enum err run_fail(struct shell_run *r, const struct shell_op *op, enum err e,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum err run_fail(struct shell_run *r, const struct shell_op *op, enum err e,
                         const char *fmt, ...)
{
	va_list ap;
	r->err->line = op->line;
	r->err->col = op->col;
	va_start(ap, fmt);
	fmt_vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
	va_end(ap);
	return e;
}

static enum err run_code(struct shell_run *r, const struct shell_plan *p, struct typed_value *regs,
                         uint32_t pc, struct typed_value *ret);

enum err shell_call_fail(struct shell_call *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	va_end(ap);
	return ERR_INVAL;
}

bool shell_call_row(struct shell_call *c, unsigned param, const struct typed_value *row,
                    struct typed_value *out, enum err *e)
{
	const struct shell_callsite *s = c->site;
	if (param >= s->nparams || s->row_entry[param] == SHELL_NO_REG) {
		*e = shell_call_fail(c, "parameter %u is not a row argument", param);
		return false;
	}
	c->regs[s->row_reg[param]] = *row;
	*e = run_code(c->run, c->plan, c->regs, s->row_entry[param], out);
	return *e == ERR_OK;
}

bool shell_make_list(struct shell_call *c, struct typed_value *v, const struct typed_type *t,
                     uint32_t n)
{
	memset(v, 0, sizeof *v);
	v->type = t;
	v->list.count = n;
	if (!n)
		return true;
	v->list.items = typed_arena_alloc(c->arena, n * sizeof *v->list.items);
	if (!v->list.items)
		return false;
	for (uint32_t i = 0; i < n; i++)
		v->list.items[i].type = t->list.elem;
	return true;
}

bool shell_make_record(struct typed_arena *a, struct typed_value *v, const struct typed_type *t)
{
	memset(v, 0, sizeof *v);
	v->type = t;
	v->list.count = t->rec.count;
	v->list.items = typed_arena_alloc(a, (t->rec.count + 1) * sizeof *v->list.items);
	if (!v->list.items)
		return false;
	for (uint32_t i = 0; i < t->rec.count; i++)
		v->list.items[i].type = t->rec.fields[i].type;
	return true;
}

static enum err print(struct shell_run *r, const struct typed_value *v)
{
	if (!r->out)
		return ERR_OK;
	size_t used = r->a->used, n = shell_format(v, r->out->width, NULL, 0);
	char *buf = typed_arena_alloc(r->a, n + 1);
	if (!buf)
		return ERR_NOMEM;
	shell_format(v, r->out->width, buf, n + 1);
	r->out->write(r->out->ctx, buf, n);
	r->a->used = used;
	return ERR_OK;
}

/* dst = a list or record of the registers regs (optional fields wrapped). */
static enum err build(struct shell_run *r, const struct shell_op *op, struct typed_value *regs)
{
	const struct typed_type *t = op->p;
	struct typed_value *v = &regs[op->dst];
	memset(v, 0, sizeof *v);
	v->type = t;
	v->list.count = op->n;
	v->list.items = typed_arena_alloc(r->a, (op->n + 1) * sizeof *v->list.items);
	if (!v->list.items)
		return run_fail(r, op, ERR_NOMEM, "out of memory");
	for (uint32_t i = 0; i < op->n; i++) {
		const struct typed_type *ft =
		        t->kind == TYPED_RECORD ? t->rec.fields[i].type : NULL;
		struct typed_value *it = &v->list.items[i];
		if (ft && ft->kind == TYPED_OPTIONAL) {
			it->type = ft;
			if (op->regs[i] == SHELL_NO_REG)
				continue;
			if (!(it->some = typed_arena_alloc(r->a, sizeof *it->some)))
				return run_fail(r, op, ERR_NOMEM, "out of memory");
			*it->some = regs[op->regs[i]];
			continue;
		}
		*it = regs[op->regs[i]];
	}
	return ERR_OK;
}

static enum err call(struct shell_run *r, const struct shell_plan *p, const struct shell_op *op,
                     struct typed_value *regs)
{
	const struct shell_callsite *s = op->p;
	struct shell_call c = {
	        .sig = s->sig,
	        .ctx = s->sig->ctx,
	        .in = op->a == SHELL_NO_REG ? NULL : &regs[op->a],
	        .args = op->b == SHELL_NO_REG ? NULL : &regs[op->b],
	        .out_type = s->out_type,
	        .arena = r->a,
	        .print = r->out,
	        .cmds = r->sh->cmds,
	        .run = r,
	        .site = s,
	        .plan = p,
	        .regs = regs,
	};
	struct typed_value out = {.type = s->out_type};
	c.out = &out;
	enum err e = s->sig->fn(&c);
	if (e != ERR_OK) {
		if (r->err->msg[0] && !c.msg[0])
			return e; /* a row argument's own error */
		return run_fail(r, op, e, "%s: %s", s->sig->name, c.msg[0] ? c.msg : err_str(e));
	}
	if (out.type != s->out_type)
		return run_fail(r, op, ERR_INVAL, "%s: its result is not of its signature's type",
		                s->sig->name);
	regs[op->dst] = out;
	return ERR_OK;
}

static enum err call_fn(struct shell_run *r, const struct shell_op *op, struct typed_value *regs)
{
	const struct shell_func *fn = &r->sh->funcs[op->n];
	if (++r->depth > SHELL_DEPTH_MAX)
		return run_fail(r, op, ERR_NOSPC, "calls nested more than %u deep",
		                SHELL_DEPTH_MAX);
	struct typed_value *frame = typed_arena_alloc(r->a, (fn->code.nregs + 1) * sizeof *frame);
	if (!frame)
		return run_fail(r, op, ERR_NOMEM, "out of memory");
	const struct typed_value *args = &regs[op->b];
	for (uint32_t i = 0; i < args->list.count; i++)
		frame[i] = args->list.items[i];
	regs[op->dst] = (struct typed_value){.type = fn->ret};
	enum err e = run_code(r, &fn->code, frame, 0, &regs[op->dst]);
	r->depth--;
	return e;
}

static enum err step_value(struct shell_run *r, const struct shell_op *op, struct typed_value *regs)
{
	char why[160];
	struct shell_global *g;
	switch (op->code) {
	case OP_CONST: regs[op->dst] = *(const struct typed_value *)op->p; return ERR_OK;
	case OP_MOVE: regs[op->dst] = regs[op->a]; return ERR_OK;
	case OP_GLOAD:
		g = &r->sh->globals[op->n];
		if (!g->value.type) /* the line that sets it stopped before */
			return run_fail(r, op, ERR_NOENT,
			                "$%s has no value: its line stopped first", g->name);
		regs[op->dst] = g->value;
		return ERR_OK;
	case OP_GSTORE:
		g = &r->sh->globals[op->n];
		if (!shell_copy(&r->sh->arena, &regs[op->a], &g->value))
			return run_fail(r, op, ERR_NOMEM, "out of memory for $%s", g->name);
		return ERR_OK;
	case OP_FIELD: regs[op->dst] = regs[op->a].list.items[op->n]; return ERR_OK;
	case OP_NOT:
		regs[op->dst] = (struct typed_value){.type = &shell_t_bool, .b = !regs[op->a].b};
		return ERR_OK;
	case OP_NEG:
		if (!shell_bin(r->a, B_SUB, &(struct typed_value){.type = &shell_t_int},
		               &regs[op->a], &shell_t_int, &regs[op->dst], why, sizeof why))
			return run_fail(r, op, ERR_RANGE, "%s", why);
		return ERR_OK;
	case OP_BIN:
		if (!shell_bin(r->a, op->bin, &regs[op->a], &regs[op->b], op->p, &regs[op->dst],
		               why, sizeof why))
			return run_fail(r, op, ERR_RANGE, "%s", why);
		return ERR_OK;
	case OP_CONV:
		if (!shell_convert(r->a, &regs[op->a], op->p, &regs[op->dst], why, sizeof why))
			return run_fail(r, op, ERR_RANGE, "%s", why);
		return ERR_OK;
	default: return build(r, op, regs);
	}
}

static enum err run_code(struct shell_run *r, const struct shell_plan *p, struct typed_value *regs,
                         uint32_t pc, struct typed_value *ret)
{
	enum err e = ERR_OK;
	while (e == ERR_OK && pc < p->nops) {
		const struct shell_op *op = &p->ops[pc++];
		struct typed_value *it;
		if (++r->ticks == SHELL_POLL_OPS) {
			r->ticks = 0;
			if (r->sh->poll && r->sh->poll(r->sh->poll_ctx))
				return run_fail(r, op, ERR_INVAL, "cancelled (Ctrl-C)");
		}
		switch (op->code) {
		case OP_CALL: e = call(r, p, op, regs); break;
		case OP_CALLFN: e = call_fn(r, op, regs); break;
		case OP_JUMP: pc = op->n; break;
		case OP_JUMPF:
			if (!regs[op->a].b)
				pc = op->n;
			break;
		case OP_NEXT:
			it = &regs[op->b];
			if (it->u >= regs[op->a].list.count) {
				pc = op->n;
				break;
			}
			regs[op->dst] = regs[op->a].list.items[it->u++];
			break;
		case OP_PRINT:
			if ((e = print(r, &regs[op->a])) != ERR_OK)
				run_fail(r, op, e, "out of memory");
			break;
		case OP_RET:
			if (ret && op->a != SHELL_NO_REG)
				*ret = regs[op->a];
			return ERR_OK;
		default: e = step_value(r, op, regs); break;
		}
	}
	return e;
}

enum err shell_exec(struct shell *sh, const struct shell_plan *plan, const struct shell_out *out,
                    struct shell_error *err)
{
	memset(err, 0, sizeof *err);
	sh->scratch.used = 0;
	struct shell_run r = {sh, &sh->scratch, out, err, 0, 0};
	struct typed_value *regs =
	        typed_arena_alloc(&sh->scratch, (plan->nregs + 1) * sizeof *regs);
	if (!regs) {
		err->line = err->col = 1;
		fmt_snprintf(err->msg, sizeof err->msg, "out of memory");
		return ERR_NOMEM;
	}
	return run_code(&r, plan, regs, 0, NULL);
}
