/* The shell's types are lib/typed descriptors: the literals' own types,
 * their names in messages, and which type fits where. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

const struct typed_type shell_t_bool = {.kind = TYPED_BOOL};
const struct typed_type shell_t_int = {.kind = TYPED_INT, .i = {INT64_MIN, INT64_MAX}};
const struct typed_type shell_t_uint = {.kind = TYPED_UINT, .u = {0, UINT64_MAX}};
const struct typed_type shell_t_size = {.kind = TYPED_SIZE, .u = {0, UINT64_MAX}};
const struct typed_type shell_t_dur = {.kind = TYPED_DURATION, .u = {0, UINT64_MAX}};
const struct typed_type shell_t_str = {.kind = TYPED_STRING, .str = {SHELL_STR_MAX}};
const struct typed_type shell_t_path = {.kind = TYPED_PATH, .str = {SHELL_STR_MAX}};

bool shell_is_table(const struct typed_type *t)
{
	return t && t->kind == TYPED_LIST && t->list.elem->kind == TYPED_RECORD;
}

bool shell_is_number(const struct typed_type *t)
{
	return t && (t->kind == TYPED_INT || t->kind == TYPED_UINT);
}

int shell_field_index(const struct typed_type *rec, const char *name)
{
	for (uint32_t i = 0; i < rec->rec.count; i++)
		if (!strcmp(rec->rec.fields[i].name, name))
			return (int)i;
	return -1;
}

void shell_field_names(const struct typed_type *rec, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	for (uint32_t i = 0; i < rec->rec.count; i++)
		fmt_buf_printf(&b, "%s%s", i ? ", " : "", rec->rec.fields[i].name);
	fmt_buf_end(&b);
}

const struct typed_type *shell_list_of(struct typed_arena *a, const struct typed_type *elem)
{
	struct typed_type *t = typed_arena_alloc(a, sizeof *t);
	if (t) {
		t->kind = TYPED_LIST;
		t->list.elem = elem;
		t->list.max_count = SHELL_LIST_MAX;
	}
	return t;
}

static void range_text(struct fmt_buf *b, const struct typed_type *t)
{
	if (t->kind == TYPED_INT && (t->i.min != INT64_MIN || t->i.max != INT64_MAX)) {
		fmt_buf_printf(b, " %lld..", (long long)t->i.min);
		if (t->i.max != INT64_MAX)
			fmt_buf_printf(b, "%lld", (long long)t->i.max);
	} else if ((t->kind == TYPED_UINT || t->kind == TYPED_SIZE || t->kind == TYPED_DURATION) &&
	           (t->u.min != 0 || t->u.max != UINT64_MAX)) {
		struct typed_value lo = {.type = t, .u = t->u.min}, hi = {.type = t, .u = t->u.max};
		char s[40];
		shell_format_scalar(&lo, s, sizeof s);
		fmt_buf_printf(b, " %s..", s);
		if (t->u.max != UINT64_MAX) {
			shell_format_scalar(&hi, s, sizeof s);
			fmt_buf_str(b, s);
		}
	}
}

static void type_text(struct fmt_buf *b, const struct typed_type *t, int depth)
{
	static const char *const names[] = {
	        [TYPED_BOOL] = "bool",         [TYPED_INT] = "int",
	        [TYPED_UINT] = "uint",         [TYPED_SIZE] = "size",
	        [TYPED_DURATION] = "duration", [TYPED_STRING] = "string",
	        [TYPED_PATH] = "path",         [TYPED_ENUM] = "enum",
	        [TYPED_CAP] = "cap",           [TYPED_LIST] = "list",
	        [TYPED_RECORD] = "record",     [TYPED_OPTIONAL] = "optional"};
	if (!t) {
		fmt_buf_str(b, "nothing");
		return;
	}
	if (t->kind == TYPED_OPTIONAL) {
		type_text(b, t->inner, depth);
		fmt_buf_str(b, "?");
		return;
	}
	bool table = shell_is_table(t);
	fmt_buf_str(b, table ? "table" : t->kind <= TYPED_OPTIONAL ? names[t->kind] : "?");
	range_text(b, t);
	if (depth > 3 && (t->kind == TYPED_LIST || t->kind == TYPED_RECORD)) {
		fmt_buf_str(b, "(...)");
		return;
	}
	if (t->kind == TYPED_ENUM) {
		fmt_buf_str(b, "(");
		for (uint32_t i = 0; i < t->en.count; i++)
			fmt_buf_printf(b, "%s%s", i ? ", " : "", t->en.names[i]);
		fmt_buf_str(b, ")");
	} else if (table) {
		const struct typed_type *r = t->list.elem;
		fmt_buf_str(b, "(");
		for (uint32_t i = 0; i < r->rec.count; i++)
			fmt_buf_printf(b, "%s%s", i ? ", " : "", r->rec.fields[i].name);
		fmt_buf_str(b, ")");
	} else if (t->kind == TYPED_LIST) {
		fmt_buf_str(b, "(");
		type_text(b, t->list.elem, depth + 1);
		fmt_buf_str(b, ")");
	} else if (t->kind == TYPED_RECORD) {
		fmt_buf_str(b, "(");
		for (uint32_t i = 0; i < t->rec.count; i++) {
			fmt_buf_printf(b, "%s%s: ", i ? ", " : "", t->rec.fields[i].name);
			type_text(b, t->rec.fields[i].type, depth + 1);
		}
		fmt_buf_str(b, ")");
	}
}

size_t shell_type_text(const struct typed_type *t, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	type_text(&b, t, 0);
	return fmt_buf_end(&b);
}

static bool enums_equal(const struct typed_type *a, const struct typed_type *b)
{
	if (a == b)
		return true;
	if (a->en.count != b->en.count)
		return false;
	for (uint32_t i = 0; i < a->en.count; i++)
		if (strcmp(a->en.names[i], b->en.names[i]))
			return false;
	return true;
}

/* Whether from's range is inside to's (no check needed when it runs). */
static bool range_inside(const struct typed_type *to, const struct typed_type *from)
{
	if (to->kind == TYPED_INT && from->kind == TYPED_INT)
		return from->i.min >= to->i.min && from->i.max <= to->i.max;
	if (to->kind == TYPED_INT) /* from UINT */
		return from->u.max <= (uint64_t)to->i.max && to->i.min <= 0;
	if (from->kind == TYPED_INT) /* to UINT */
		return from->i.min >= 0 && (uint64_t)from->i.max <= to->u.max &&
		       (uint64_t)from->i.min >= to->u.min;
	return from->u.min >= to->u.min && from->u.max <= to->u.max;
}

static bool records_fit(const struct typed_type *to, const struct typed_type *from, bool *conv)
{
	if (to->rec.count != from->rec.count)
		return false;
	for (uint32_t i = 0; i < to->rec.count; i++) {
		const struct typed_type *ft = to->rec.fields[i].type,
		                        *ff = from->rec.fields[i].type;
		if (strcmp(to->rec.fields[i].name, from->rec.fields[i].name))
			return false;
		if ((ft->kind == TYPED_OPTIONAL) != (ff->kind == TYPED_OPTIONAL))
			return false;
		if (ft->kind == TYPED_OPTIONAL) {
			ft = ft->inner;
			ff = ff->inner;
		}
		if (!shell_type_fits(ft, ff, conv))
			return false;
	}
	return true;
}

bool shell_type_fits(const struct typed_type *to, const struct typed_type *from, bool *conv)
{
	if (!to || !from)
		return false;
	if (to == from)
		return true;
	if (shell_is_number(to) && shell_is_number(from)) {
		if (!range_inside(to, from))
			*conv = true;
		return true;
	}
	if (to->kind != from->kind)
		return false;
	switch (to->kind) {
	case TYPED_BOOL: return true;
	case TYPED_SIZE:
	case TYPED_DURATION:
		if (!range_inside(to, from))
			*conv = true;
		return true;
	case TYPED_STRING:
	case TYPED_PATH:
		if (from->str.max_len > to->str.max_len)
			*conv = true;
		return true;
	case TYPED_ENUM: return enums_equal(to, from);
	case TYPED_CAP: return to->cap.cap_type == from->cap.cap_type;
	case TYPED_LIST:
		if (from->list.max_count > to->list.max_count)
			*conv = true;
		return shell_type_fits(to->list.elem, from->list.elem, conv);
	case TYPED_RECORD: return records_fit(to, from, conv);
	default: return false;
	}
}

const char *shell_path_problem(const char *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return "not an absolute path (it must start with /)";
	if (n == 1)
		return NULL;
	for (size_t i = 1, start = 1; i <= n; i++)
		if (i == n || s[i] == '/') {
			size_t len = i - start;
			if (len == 0 || (len == 1 && s[start] == '.') ||
			    (len == 2 && s[start] == '.' && s[start + 1] == '.'))
				return "a path has an empty, \".\" or \"..\" part";
			start = i + 1;
		}
	return NULL;
}

static bool out_of_range(const struct typed_value *v, const struct typed_type *t, char *why,
                         size_t size)
{
	char val[48], want[96];
	struct typed_value shown = *v;
	shown.type = v->type ? v->type : t;
	shell_format_scalar(&shown, val, sizeof val);
	shell_type_text(t, want, sizeof want);
	fmt_snprintf(why, size, "%s is out of range for %s", val, want);
	return false;
}

bool shell_value_fits(const struct typed_value *v, const struct typed_type *t, char *why,
                      size_t size)
{
	bool neg = v->type && v->type->kind == TYPED_INT && v->i < 0;
	switch (t->kind) {
	case TYPED_INT:
		if (!neg && v->type && v->type->kind != TYPED_INT && v->u > (uint64_t)INT64_MAX)
			return out_of_range(v, t, why, size);
		if (v->i < t->i.min || v->i > t->i.max)
			return out_of_range(v, t, why, size);
		return true;
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION:
		if (neg || v->u < t->u.min || v->u > t->u.max)
			return out_of_range(v, t, why, size);
		return true;
	case TYPED_STRING:
	case TYPED_PATH:
		if (v->str.len > t->str.max_len) {
			fmt_snprintf(why, size, "a string of %u bytes is longer than %u",
			             v->str.len, t->str.max_len);
			return false;
		}
		if (t->kind == TYPED_PATH && shell_path_problem(v->str.s, v->str.len)) {
			fmt_snprintf(why, size, "\"%.40s\": %s", v->str.s,
			             shell_path_problem(v->str.s, v->str.len));
			return false;
		}
		return true;
	case TYPED_ENUM:
		if (v->u >= t->en.count) {
			fmt_snprintf(why, size, "enum value %llu is out of range",
			             (unsigned long long)v->u);
			return false;
		}
		return true;
	default: return true;
	}
}
