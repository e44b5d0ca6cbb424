/* Text about programs: a plan an operation a line, an error with its line
 * and a caret under the column, a command's signature. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

static void reg(struct fmt_buf *b, uint32_t r)
{
	if (r == SHELL_NO_REG)
		fmt_buf_str(b, "-");
	else
		fmt_buf_printf(b, "r%u", r);
}

static void konst(struct fmt_buf *b, const struct typed_value *v)
{
	char val[64], type[96];
	shell_format_scalar(v, val, sizeof val);
	shell_type_text(v->type, type, sizeof type);
	bool quote = v->type->kind == TYPED_STRING;
	fmt_buf_printf(b, "%s%s%s : %s", quote ? "\"" : "", val, quote ? "\"" : "", type);
}

static void regs(struct fmt_buf *b, const struct shell_op *op)
{
	const struct typed_type *t = op->p;
	fmt_buf_str(b, t->kind == TYPED_RECORD ? "{" : "[");
	for (uint32_t i = 0; i < op->n; i++) {
		fmt_buf_str(b, i ? ", " : "");
		if (t->kind == TYPED_RECORD)
			fmt_buf_printf(b, "%s: ", t->rec.fields[i].name);
		reg(b, op->regs[i]);
	}
	fmt_buf_str(b, t->kind == TYPED_RECORD ? "}" : "]");
}

static void call(struct fmt_buf *b, const struct shell_op *op)
{
	const struct shell_callsite *s = op->p;
	fmt_buf_printf(b, "call %s", s->sig->name);
	if (op->a != SHELL_NO_REG) {
		fmt_buf_str(b, " in ");
		reg(b, op->a);
	}
	if (op->b != SHELL_NO_REG) {
		fmt_buf_str(b, " args ");
		reg(b, op->b);
	}
	for (uint32_t i = 0; i < s->nparams; i++)
		if (s->row_entry[i] != SHELL_NO_REG)
			fmt_buf_printf(b, " row %s: r%u at %u -> r%u",
			               s->sig->params->rec.fields[i].name, s->row_reg[i],
			               s->row_entry[i], s->row_res[i]);
}

static const char *const bin_names[] = {
        "or", "and", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"};

static void op_text(struct fmt_buf *b, const struct shell_op *op)
{
	char type[120];
	if (op->dst != SHELL_NO_REG && op->code != OP_NEXT) {
		reg(b, op->dst);
		fmt_buf_str(b, " = ");
	}
	switch (op->code) {
	case OP_CONST: konst(b, op->p); break;
	case OP_MOVE: reg(b, op->a); break;
	case OP_GLOAD: fmt_buf_printf(b, "global %u", op->n); break;
	case OP_GSTORE: fmt_buf_printf(b, "global %u = r%u", op->n, op->a); break;
	case OP_FIELD: fmt_buf_printf(b, "r%u.%u", op->a, op->n); break;
	case OP_BIN: fmt_buf_printf(b, "r%u %s r%u", op->a, bin_names[op->bin], op->b); break;
	case OP_NOT: fmt_buf_printf(b, "not r%u", op->a); break;
	case OP_NEG: fmt_buf_printf(b, "-r%u", op->a); break;
	case OP_LIST:
	case OP_RECORD: regs(b, op); break;
	case OP_CALL: call(b, op); break;
	case OP_CALLFN: fmt_buf_printf(b, "call function %u args r%u", op->n, op->b); break;
	case OP_JUMP: fmt_buf_printf(b, "jump %u", op->n); break;
	case OP_JUMPF: fmt_buf_printf(b, "jump %u unless r%u", op->n, op->a); break;
	case OP_NEXT:
		fmt_buf_printf(b, "r%u = next of r%u at r%u, else jump %u", op->dst, op->a, op->b,
		               op->n);
		break;
	case OP_PRINT: fmt_buf_printf(b, "print r%u", op->a); break;
	case OP_RET:
		fmt_buf_str(b, "return");
		if (op->a != SHELL_NO_REG)
			fmt_buf_printf(b, " r%u", op->a);
		break;
	case OP_CONV:
		shell_type_text(op->p, type, sizeof type);
		fmt_buf_printf(b, "r%u as %s", op->a, type);
		break;
	default: fmt_buf_str(b, "?"); break;
	}
}

size_t shell_plan_text(const struct shell_plan *p, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	for (uint32_t i = 0; i < p->nops; i++) {
		fmt_buf_printf(&b, "%u: ", i);
		op_text(&b, &p->ops[i]);
		fmt_buf_str(&b, "\n");
	}
	return fmt_buf_end(&b);
}

size_t shell_error_show(const char *src, size_t len, const struct shell_error *e, const char *name,
                        char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	size_t at = 0;
	uint32_t line = 1;
	for (; line < e->line && at < len; at++)
		if (src[at] == '\n')
			line++;
	if (e->line && line == e->line) {
		size_t end = at;
		while (end < len && src[end] != '\n')
			end++;
		fmt_buf_put(&b, src + at, end - at);
		fmt_buf_str(&b, "\n");
		for (size_t i = 0; i + 1 < e->col && at + i < end; i++)
			fmt_buf_put(&b, src[at + i] == '\t' ? "\t" : " ", 1);
		fmt_buf_str(&b, "^\n");
	}
	if (name)
		fmt_buf_printf(&b, "%s:", name);
	if (e->line)
		fmt_buf_printf(&b, "%u:%u: ", e->line, e->col);
	else if (name)
		fmt_buf_str(&b, " ");
	fmt_buf_printf(&b, "%s\n", e->msg);
	return fmt_buf_end(&b);
}

static void param(struct fmt_buf *b, const struct typed_field *f, uint8_t kind)
{
	char type[160];
	const struct typed_type *t = f->type->kind == TYPED_OPTIONAL ? f->type->inner : f->type;
	shell_type_text(t, type, sizeof type);
	bool opt = f->def || f->type->kind == TYPED_OPTIONAL;
	fmt_buf_printf(b, " %s%s: ", opt ? "[" : "", f->name);
	if (kind == SHELL_ARG_COLUMN)
		fmt_buf_str(b, "column");
	else if (kind == SHELL_ARG_COMMAND)
		fmt_buf_str(b, "command");
	else if (kind == SHELL_ARG_PROGRAM)
		fmt_buf_str(b, "program");
	else if (kind == SHELL_ARG_ROW)
		fmt_buf_printf(b, "%s of each row", type);
	else
		fmt_buf_str(b, type);
	if (f->def) {
		char val[64];
		shell_format_scalar(f->def, val, sizeof val);
		fmt_buf_printf(b, " = %s", val);
	}
	if (opt)
		fmt_buf_str(b, "]");
}

size_t shell_sig_text(const struct shell_sig *s, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	char type[160];
	if (s->in == SHELL_IO_TYPE) {
		shell_type_text(s->in_type, type, sizeof type);
		fmt_buf_printf(&b, "%s | ", type);
	} else if (s->in == SHELL_IO_TABLE || s->in == SHELL_IO_LIST) {
		fmt_buf_str(&b, s->in == SHELL_IO_TABLE ? "table | " : "list | ");
	}
	fmt_buf_str(&b, s->name);
	for (uint32_t i = 0; s->params && i < s->params->rec.count; i++)
		param(&b, &s->params->rec.fields[i],
		      s->arg_kinds ? s->arg_kinds[i] : SHELL_ARG_VALUE);
	if (s->out == SHELL_IO_TYPE) {
		shell_type_text(s->out_type, type, sizeof type);
		fmt_buf_printf(&b, " -> %s", type);
	} else if (s->out == SHELL_IO_SAME) {
		fmt_buf_str(&b, " -> the input's type");
	} else if (s->out == SHELL_IO_ELEM) {
		fmt_buf_str(&b, " -> an item of the input");
	}
	return fmt_buf_end(&b);
}
