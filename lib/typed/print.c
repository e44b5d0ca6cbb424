/* Values as configuration text (typed_print): what typed_text_parse and
 * typed_check read back as the same value.  A decoded capability has no
 * name, only a slot: it is written as the slot's number. */
#include <string/mem.h>

#include "internal.h"

/* Text as an atom when it can be one, else quoted. */
static void print_text(struct tbuf *b, const char *s, size_t n)
{
	bool atom = n > 0;
	for (size_t i = 0; atom && i < n; i++)
		atom = typed_atom_char(s[i]);
	if (atom)
		tb_put(b, s, n);
	else
		tb_quoted(b, s, n);
}

static void print_value(struct tbuf *b, const struct typed_value *v, unsigned depth);

/* A record's fields: "a = 1, b = 2" inline, or one per line (top). */
static void print_fields(struct tbuf *b, const struct typed_value *v, unsigned depth)
{
	const struct typed_type *t = v->type;
	bool first = true;
	for (uint32_t i = 0; i < v->list.count && i < t->rec.count; i++) {
		const struct typed_value *f = &v->list.items[i];
		if (f->type->kind == TYPED_OPTIONAL && !f->some)
			continue;
		if (depth)
			tb_str(b, first ? " " : ", ");
		tb_printf(b, "%s = ", t->rec.fields[i].name);
		print_value(b, f->type->kind == TYPED_OPTIONAL ? f->some : f, depth + 1);
		if (!depth)
			tb_str(b, "\n");
		first = false;
	}
	if (depth)
		tb_str(b, first ? "" : " ");
}

static void print_value(struct tbuf *b, const struct typed_value *v, unsigned depth)
{
	switch (v->type->kind) {
	case TYPED_BOOL: tb_str(b, v->b ? "true" : "false"); break;
	case TYPED_INT: tb_printf(b, "%lld", (long long)v->i); break;
	case TYPED_UINT: tb_printf(b, "%llu", (unsigned long long)v->u); break;
	case TYPED_SIZE: tb_size(b, v->u); break;
	case TYPED_DURATION: tb_duration(b, v->u); break;
	case TYPED_STRING:
	case TYPED_PATH: print_text(b, v->str.s, v->str.len); break;
	case TYPED_ENUM:
		if (v->u < v->type->en.count)
			tb_str(b, v->type->en.names[v->u]);
		break;
	case TYPED_CAP:
		if (v->cap.name)
			print_text(b, v->cap.name, strlen(v->cap.name));
		else
			tb_printf(b, "%u", v->cap.slot);
		break;
	case TYPED_LIST:
		tb_str(b, "[");
		for (uint32_t i = 0; i < v->list.count; i++) {
			tb_str(b, i ? ", " : "");
			print_value(b, &v->list.items[i], depth + 1);
		}
		tb_str(b, "]");
		break;
	case TYPED_RECORD:
		if (depth)
			tb_str(b, "{");
		print_fields(b, v, depth);
		if (depth)
			tb_str(b, "}");
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
	struct tbuf b = {buf, size, 0};
	print_value(&b, v, 0);
	return tb_end(&b);
}
