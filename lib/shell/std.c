/* Generic commands as an ordinary library (shell_std_cmds): they work on
 * any table or list through the signature's generic parts — the input's
 * type passed through (SHELL_IO_SAME), a column of it (SHELL_ARG_COLUMN),
 * an expression over each row (SHELL_ARG_ROW). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

static const struct typed_type t_bool = {.kind = TYPED_BOOL};
static const struct typed_type t_column = {.kind = TYPED_STRING, .str = {TYPED_NAME_MAX}};
static const struct typed_type t_count = {.kind = TYPED_UINT, .u = {0, SHELL_LIST_MAX}};
static const struct typed_value v_false = {.type = &t_bool, .b = false};
static const struct typed_value v_one = {.type = &t_count, .u = 1};

static enum err where(struct shell_call *c)
{
	const struct typed_value *in = c->in;
	struct typed_value cond;
	enum err e;
	uint32_t n = 0;
	bool *keep = typed_arena_alloc(c->arena, in->list.count + 1);
	if (!keep)
		return ERR_NOMEM;
	for (uint32_t i = 0; i < in->list.count; i++) {
		if (!shell_call_row(c, 0, &in->list.items[i], &cond, &e))
			return e;
		keep[i] = cond.b;
		n += cond.b;
	}
	if (!shell_make_list(c, c->out, c->out_type, n))
		return ERR_NOMEM;
	for (uint32_t i = 0, j = 0; i < in->list.count; i++)
		if (keep[i])
			c->out->list.items[j++] = in->list.items[i];
	return ERR_OK;
}

/* Merge sort (stable) of v by column col. */
static void merge_sort(struct typed_value *v, struct typed_value *tmp, uint32_t n, uint32_t col,
                       bool rev)
{
	for (uint32_t w = 1; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = lo + w < n ? lo + w : n,
			         hi = lo + 2 * w < n ? lo + 2 * w : n;
			uint32_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				int cmp =
				        shell_compare(&v[j].list.items[col], &v[i].list.items[col]);
				tmp[k++] = (rev ? cmp > 0 : cmp < 0) ? v[j++] : v[i++];
			}
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof *v);
	}
}

static enum err sort(struct shell_call *c)
{
	const struct typed_value *by = &c->args->list.items[0];
	bool rev = c->args->list.items[1].b;
	int col = shell_field_index(c->in->type->list.elem, by->str.s);
	uint32_t n = c->in->list.count;
	if (col < 0)
		return shell_call_fail(c, "no column '%s'", by->str.s);
	struct typed_value *tmp = typed_arena_alloc(c->arena, (n + 1) * sizeof *tmp);
	if (!tmp || !shell_make_list(c, c->out, c->out_type, n))
		return ERR_NOMEM;
	if (n)
		memcpy(c->out->list.items, c->in->list.items, n * sizeof *tmp);
	merge_sort(c->out->list.items, tmp, n, (uint32_t)col, rev);
	return ERR_OK;
}

static enum err first(struct shell_call *c)
{
	uint64_t n = c->args->list.items[0].u;
	*c->out = *c->in;
	if (n < c->in->list.count)
		c->out->list.count = (uint32_t)n;
	return ERR_OK;
}

static enum err reverse(struct shell_call *c)
{
	uint32_t n = c->in->list.count;
	if (!shell_make_list(c, c->out, c->out_type, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++)
		c->out->list.items[i] = c->in->list.items[n - 1 - i];
	return ERR_OK;
}

static enum err length(struct shell_call *c)
{
	c->out->u = c->in->list.count;
	return ERR_OK;
}

static void say(struct shell_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct shell_call *c, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (c->print)
		c->print->write(c->print->ctx, line, n < sizeof line ? n : sizeof line - 1);
}

/* The command name and the table (library) it is in. */
static const struct shell_sig *find(const struct shell_cmds *t, const char *name,
                                    const struct shell_cmds **in)
{
	for (; t; t = t->next)
		for (uint32_t i = 0; i < t->count; i++)
			if (!strcmp(t->sigs[i].name, name)) {
				*in = t;
				return &t->sigs[i];
			}
	return NULL;
}

/* help: every command, what it does and the library it came from; help
 * NAME: its signature, its library and its parameters' documentation. */
static enum err help(struct shell_call *c)
{
	const struct typed_value *name = c->args->list.items[0].some;
	const struct shell_cmds *in;
	char sig[400];
	if (!name) {
		for (const struct shell_cmds *t = c->cmds; t; t = t->next)
			for (uint32_t i = 0; i < t->count; i++)
				if (find(c->cmds, t->sigs[i].name, &in) == &t->sigs[i])
					say(c, "%-10s %-10s %s\n", t->sigs[i].name,
					    t->from ? t->from : "", t->sigs[i].doc);
		say(c, "help NAME shows a command's arguments.\n");
		return ERR_OK;
	}
	const struct shell_sig *s = find(c->cmds, name->str.s, &in);
	if (!s) {
		say(c, "%s: a function of this session\n", name->str.s);
		return ERR_OK;
	}
	shell_sig_text(s, sig, sizeof sig);
	say(c, "%s\n  %s\n", sig, s->doc);
	if (in->from)
		say(c, "  from %s\n", in->from);
	for (uint32_t i = 0; s->params && i < s->params->rec.count; i++)
		say(c, "  %-10s %s\n", s->params->rec.fields[i].name, s->params->rec.fields[i].doc);
	return ERR_OK;
}

static const struct typed_field where_f[] = {
        {"cond", "keep the rows where this is true", &t_bool, NULL}};
static const struct typed_type where_p = {.kind = TYPED_RECORD, .rec = {where_f, 1}};
static const uint8_t where_k[] = {SHELL_ARG_ROW};
static const struct typed_field sort_f[] = {{"by", "the column to sort by", &t_column, NULL},
                                            {"reverse", "largest first", &t_bool, &v_false}};
static const struct typed_type sort_p = {.kind = TYPED_RECORD, .rec = {sort_f, 2}};
static const uint8_t sort_k[] = {SHELL_ARG_COLUMN, SHELL_ARG_VALUE};
static const struct typed_field first_f[] = {{"n", "how many", &t_count, &v_one}};
static const struct typed_type first_p = {.kind = TYPED_RECORD, .rec = {first_f, 1}};

static const struct typed_type t_name = {.kind = TYPED_STRING, .str = {TYPED_NAME_MAX}};
static const struct typed_type t_opt_name = {.kind = TYPED_OPTIONAL, .inner = &t_name};
static const struct typed_field help_f[] = {{"name", "a command", &t_opt_name, NULL}};
static const struct typed_type help_p = {.kind = TYPED_RECORD, .rec = {help_f, 1}};
static const uint8_t help_k[] = {SHELL_ARG_COMMAND};

static const struct shell_sig std_sigs[] = {
        {"help", "the commands, or one command's arguments", &help_p, help_k, SHELL_IO_NONE,
         SHELL_IO_NONE, NULL, NULL, help, NULL},
        {"where", "the rows for which a condition holds", &where_p, where_k, SHELL_IO_LIST,
         SHELL_IO_SAME, NULL, NULL, where, NULL},
        {"sort", "the rows in the order of a column (stable)", &sort_p, sort_k, SHELL_IO_TABLE,
         SHELL_IO_SAME, NULL, NULL, sort, NULL},
        {"first", "the first n items", &first_p, NULL, SHELL_IO_LIST, SHELL_IO_SAME, NULL, NULL,
         first, NULL},
        {"reverse", "the items in reverse order", NULL, NULL, SHELL_IO_LIST, SHELL_IO_SAME, NULL,
         NULL, reverse, NULL},
        {"length", "the number of items", NULL, NULL, SHELL_IO_LIST, SHELL_IO_TYPE, NULL,
         &shell_t_uint, length, NULL},
};

const struct shell_cmds shell_std_cmds = {std_sigs, sizeof std_sigs / sizeof std_sigs[0], NULL,
                                          "lib/shell"};
