/* Operations on values while a plan runs: arithmetic with overflow checks,
 * comparison (also for sorting), deep copies and checked conversions. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

/* A number as a sign and magnitude. */
struct num {
	bool neg;
	uint64_t mag;
};

static struct num num_of(const struct typed_value *v)
{
	if (v->type->kind == TYPED_INT && v->i < 0)
		return (struct num){true, (uint64_t)0 - (uint64_t)v->i};
	return (struct num){false, v->type->kind == TYPED_INT ? (uint64_t)v->i : v->u};
}

static int num_cmp(struct num a, struct num b)
{
	if (a.neg != b.neg)
		return a.neg ? -1 : 1;
	int c = a.mag < b.mag ? -1 : a.mag > b.mag;
	return a.neg ? -c : c;
}

int shell_compare(const struct typed_value *a, const struct typed_value *b)
{
	const struct typed_type *t = a->type;
	switch (t->kind) {
	case TYPED_BOOL: return (int)a->b - (int)b->b;
	case TYPED_INT:
	case TYPED_UINT:
		if (shell_is_number(b->type))
			return num_cmp(num_of(a), num_of(b));
		return 0;
	case TYPED_SIZE:
	case TYPED_DURATION:
	case TYPED_ENUM: return a->u < b->u ? -1 : a->u > b->u;
	case TYPED_STRING:
	case TYPED_PATH: {
		uint32_t n = a->str.len < b->str.len ? a->str.len : b->str.len;
		int c = memcmp(a->str.s, b->str.s, n);
		if (c)
			return c < 0 ? -1 : 1;
		return a->str.len < b->str.len ? -1 : a->str.len > b->str.len;
	}
	case TYPED_LIST:
	case TYPED_RECORD:
		for (uint32_t i = 0; i < a->list.count && i < b->list.count; i++) {
			int c = shell_compare(&a->list.items[i], &b->list.items[i]);
			if (c)
				return c;
		}
		return a->list.count < b->list.count ? -1 : a->list.count > b->list.count;
	case TYPED_OPTIONAL:
		if (!a->some || !b->some)
			return (int)!!a->some - (int)!!b->some;
		return shell_compare(a->some, b->some);
	default: return 0;
	}
}

static bool fail(char *why, size_t size, const char *msg)
{
	fmt_snprintf(why, size, "%s", msg);
	return false;
}

/* A number as an int64 (false: it does not fit). */
static bool to_i64(struct num x, int64_t *out)
{
	if (x.neg) {
		if (x.mag > (uint64_t)INT64_MAX + 1)
			return false;
		*out = x.mag ? -(int64_t)(x.mag - 1) - 1 : 0;
		return true;
	}
	if (x.mag > (uint64_t)INT64_MAX)
		return false;
	*out = (int64_t)x.mag;
	return true;
}

/* Signed arithmetic on numbers (the result is an int); no 128-bit
 * helpers, so it links freestanding. */
static bool int_arith(uint8_t op, struct num x, struct num y, int64_t *out, char *why, size_t size)
{
	int64_t a, b;
	bool over;
	if (!to_i64(x, &a) || !to_i64(y, &b))
		return fail(why, size, "integer overflow");
	switch (op) {
	case B_ADD: over = __builtin_add_overflow(a, b, out); break;
	case B_SUB: over = __builtin_sub_overflow(a, b, out); break;
	case B_MUL: over = __builtin_mul_overflow(a, b, out); break;
	default:
		if (b == 0)
			return fail(why, size, "division by zero");
		over = a == INT64_MIN && b == -1;
		if (!over)
			*out = a / b;
		break;
	}
	return over ? fail(why, size, "integer overflow") : true;
}

/* Sizes and durations: with the same kind (+ -) or a number (* /). */
static bool scaled_arith(uint8_t op, const struct typed_value *a, const struct typed_value *b,
                         uint64_t *out, char *why, size_t size)
{
	bool a_num = shell_is_number(a->type), b_num = shell_is_number(b->type);
	struct num n = num_of(a_num ? a : b);
	uint64_t x = a_num ? b->u : a->u;
	if ((a_num || b_num) && n.neg)
		return fail(why, size, "a size or duration times a negative number");
	switch (op) {
	case B_ADD:
		if (__builtin_add_overflow(a->u, b->u, out))
			return fail(why, size, "overflow");
		return true;
	case B_SUB:
		if (b->u > a->u)
			return fail(why, size, "a negative size or duration");
		*out = a->u - b->u;
		return true;
	case B_MUL:
		if (__builtin_mul_overflow(x, n.mag, out))
			return fail(why, size, "overflow");
		return true;
	default:
		if (n.mag == 0)
			return fail(why, size, "division by zero");
		*out = x / n.mag;
		return true;
	}
}

static bool concat(const struct typed_value *a, const struct typed_value *b,
                   struct typed_value *dst, struct typed_arena *ar, char *why, size_t size)
{
	uint32_t n = a->str.len + b->str.len;
	if (n > SHELL_STR_MAX)
		return fail(why, size, "string is longer than 65536 bytes");
	char *s = ar ? typed_arena_alloc(ar, n + 1) : NULL;
	if (!s)
		return fail(why, size, "out of memory");
	memcpy(s, a->str.s, a->str.len);
	memcpy(s + a->str.len, b->str.s, b->str.len);
	dst->str.s = s;
	dst->str.len = n;
	return true;
}

bool shell_bin(struct typed_arena *ar, uint8_t op, const struct typed_value *a,
               const struct typed_value *b, const struct typed_type *t, struct typed_value *dst,
               char *why, size_t size)
{
	struct typed_value r = {.type = t};
	switch (op) {
	case B_AND: r.b = a->b && b->b; break;
	case B_OR: r.b = a->b || b->b; break;
	case B_EQ: r.b = shell_compare(a, b) == 0; break;
	case B_NE: r.b = shell_compare(a, b) != 0; break;
	case B_LT: r.b = shell_compare(a, b) < 0; break;
	case B_LE: r.b = shell_compare(a, b) <= 0; break;
	case B_GT: r.b = shell_compare(a, b) > 0; break;
	case B_GE: r.b = shell_compare(a, b) >= 0; break;
	default:
		if (t->kind == TYPED_STRING) {
			if (!concat(a, b, &r, ar, why, size))
				return false;
		} else if (t->kind == TYPED_INT) {
			if (!int_arith(op, num_of(a), num_of(b), &r.i, why, size))
				return false;
		} else if (!scaled_arith(op, a, b, &r.u, why, size)) {
			return false;
		}
		break;
	}
	*dst = r;
	return true;
}

bool shell_copy(struct typed_arena *a, const struct typed_value *v, struct typed_value *out)
{
	*out = *v;
	switch (v->type->kind) {
	case TYPED_STRING:
	case TYPED_PATH: {
		char *s = typed_arena_alloc(a, v->str.len + 1);
		if (!s)
			return false;
		memcpy(s, v->str.s, v->str.len);
		out->str.s = s;
		return true;
	}
	case TYPED_LIST:
	case TYPED_RECORD: {
		if (!v->list.count)
			return true;
		struct typed_value *items = typed_arena_alloc(a, v->list.count * sizeof *items);
		if (!items)
			return false;
		for (uint32_t i = 0; i < v->list.count; i++)
			if (!shell_copy(a, &v->list.items[i], &items[i]))
				return false;
		out->list.items = items;
		return true;
	}
	case TYPED_OPTIONAL:
		if (v->some) {
			struct typed_value *s = typed_arena_alloc(a, sizeof *s);
			if (!s || !shell_copy(a, v->some, s))
				return false;
			out->some = s;
		}
		return true;
	default: return true;
	}
}

bool shell_convert(struct typed_arena *a, const struct typed_value *v, const struct typed_type *t,
                   struct typed_value *out, char *why, size_t size)
{
	*out = *v;
	out->type = t;
	if (t->kind == TYPED_OPTIONAL) {
		if (!v->some)
			return true;
		struct typed_value *s = typed_arena_alloc(a, sizeof *s);
		if (!s)
			return fail(why, size, "out of memory");
		out->some = s;
		return shell_convert(a, v->some, t->inner, s, why, size);
	}
	if (t->kind == TYPED_INT && v->type->kind == TYPED_UINT) {
		if (v->u > (uint64_t)INT64_MAX)
			return shell_value_fits(v, t, why, size);
		out->i = (int64_t)v->u;
	}
	if (t->kind == TYPED_UINT && v->type->kind == TYPED_INT && v->i < 0)
		return shell_value_fits(v, t, why, size);
	if (t->kind != TYPED_LIST && t->kind != TYPED_RECORD)
		return shell_value_fits(v, t, why, size);
	if (t->kind == TYPED_LIST && v->list.count > t->list.max_count) {
		fmt_snprintf(why, size, "%u items; at most %u are allowed", v->list.count,
		             t->list.max_count);
		return false;
	}
	if (!v->list.count)
		return true;
	struct typed_value *items = typed_arena_alloc(a, v->list.count * sizeof *items);
	if (!items)
		return fail(why, size, "out of memory");
	for (uint32_t i = 0; i < v->list.count; i++) {
		const struct typed_type *it =
		        t->kind == TYPED_LIST ? t->list.elem : t->rec.fields[i].type;
		if (!shell_convert(a, &v->list.items[i], it, &items[i], why, size))
			return false;
	}
	out->list.items = items;
	return true;
}
