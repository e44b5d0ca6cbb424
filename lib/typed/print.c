/* Values as configuration text (typed_print): what typed_text_parse and
 * typed_check read back as the same value.  A decoded capability has no
 * name, only a slot: it is written as the slot's number. */
#include <string/mem.h>

#include "internal.h"

/* Text as an atom when it can be one, else quoted. */
static void print_text(struct fmt_buf *b, const char *s, size_t n)
{
	bool atom = n > 0;
	for (size_t i = 0; atom && i < n; i++)
		atom = typed_atom_char(s[i]);
	if (atom)
		fmt_buf_put(b, s, n);
	else
		tb_quoted(b, s, n);
}

static void print_value(struct fmt_buf *b, const struct typed_value *v, unsigned depth);

/* A record's fields: "a = 1, b = 2" inline, or one per line (top). */
static void print_fields(struct fmt_buf *b, const struct typed_value *v, unsigned depth)
{
	const struct typed_type *t = v->type;
	bool first = true;
	for (uint32_t i = 0; i < v->list.count && i < t->rec.count; i++) {
		const struct typed_value *f = &v->list.items[i];
		if (f->type->kind == TYPED_OPTIONAL && !f->some)
			continue;
		if (depth)
			fmt_buf_str(b, first ? " " : ", ");
		fmt_buf_printf(b, "%s = ", t->rec.fields[i].name);
		print_value(b, f->type->kind == TYPED_OPTIONAL ? f->some : f, depth + 1);
		if (!depth)
			fmt_buf_str(b, "\n");
		first = false;
	}
	if (depth)
		fmt_buf_str(b, first ? "" : " ");
}

static void print_value(struct fmt_buf *b, const struct typed_value *v, unsigned depth)
{
	switch (v->type->kind) {
	case TYPED_BOOL: fmt_buf_str(b, v->b ? "true" : "false"); break;
	case TYPED_INT: fmt_buf_printf(b, "%lld", (long long)v->i); break;
	case TYPED_UINT: fmt_buf_printf(b, "%llu", (unsigned long long)v->u); break;
	case TYPED_SIZE: tb_size(b, v->u); break;
	case TYPED_DURATION: tb_duration(b, v->u); break;
	case TYPED_STRING:
	case TYPED_PATH: print_text(b, v->str.s, v->str.len); break;
	case TYPED_ENUM:
		if (v->u < v->type->en.count)
			fmt_buf_str(b, v->type->en.names[v->u]);
		break;
	case TYPED_CAP:
		if (v->cap.name)
			print_text(b, v->cap.name, strlen(v->cap.name));
		else
			fmt_buf_printf(b, "%u", v->cap.slot);
		break;
	case TYPED_LIST:
		fmt_buf_str(b, "[");
		for (uint32_t i = 0; i < v->list.count; i++) {
			fmt_buf_str(b, i ? ", " : "");
			print_value(b, &v->list.items[i], depth + 1);
		}
		fmt_buf_str(b, "]");
		break;
	case TYPED_RECORD:
		if (depth)
			fmt_buf_str(b, "{");
		print_fields(b, v, depth);
		if (depth)
			fmt_buf_str(b, "}");
		break;
	case TYPED_OPTIONAL:
		if (v->some)
			print_value(b, v->some, depth);
		break;
	default: break;
	}
}

size_t typed_print(const struct typed_value *v, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	print_value(&b, v, 0);
	return fmt_buf_end(&b);
}
