/* Scalars from text (a configuration's atoms and strings, a command line's
 * arguments): booleans, integers, sizes, durations, strings, paths, enum
 * and capability names, each checked against its type's bounds. */
#include <string/mem.h>

#include "internal.h"

/* Magnitude of the digits at s[*i..n): decimal, or hex after 0x; false if
 * there are none.  *over is set when it does not fit 64 bits. */
static bool digits(const char *s, size_t n, size_t *i, bool hex_ok, uint64_t *v, bool *over)
{
	unsigned base = 10;
	size_t start;
	*v = 0;
	if (hex_ok && n - *i > 2 && s[*i] == '0' && (s[*i + 1] == 'x' || s[*i + 1] == 'X')) {
		base = 16;
		*i += 2;
	}
	start = *i;
	for (; *i < n; ++*i) {
		char c = s[*i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (*v > (UINT64_MAX - d) / base)
			*over = true;
		*v = *v * base + d;
	}
	return *i > start;
}

static void tb_uint(struct fmt_buf *b, uint64_t v)
{
	fmt_buf_printf(b, "%llu", (unsigned long long)v);
}

/* Checks x against [min, max] (unsigned); reports "TEXT is out of range". */
static bool in_range(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                     uint64_t x, bool out)
{
	if (!out && x >= t->u.min && x <= t->u.max)
		return true;
	char range[96];
	struct fmt_buf b = {range, sizeof range, 0};
	void (*put)(struct fmt_buf *, uint64_t) = t->kind == TYPED_SIZE       ? tb_size
	                                          : t->kind == TYPED_DURATION ? tb_duration
	                                                                      : tb_uint;
	put(&b, t->u.min);
	fmt_buf_str(&b, "..");
	put(&b, t->u.max);
	fmt_buf_end(&b);
	char shown[TYPED_SHOW + 8];
	struct fmt_buf s = {shown, sizeof shown, 0};
	tb_shown(&s, n->text, n->len, n->kind == TYPED_NODE_STRING);
	fmt_buf_end(&s);
	check_report(c, n->line, n->col, "%s is out of range %s", shown, range);
	return false;
}

/* "expected DESCRIPTION[ (hint)], got WHAT". */
static bool expected(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                     const char *hint)
{
	char want[160], got[TYPED_SHOW + 16];
	typed_describe(t, want, sizeof want);
	struct fmt_buf b = {got, sizeof got, 0};
	if (n->kind == TYPED_NODE_LIST)
		fmt_buf_str(&b, "a list");
	else if (n->kind == TYPED_NODE_RECORD)
		fmt_buf_str(&b, "a record");
	else
		tb_shown(&b, n->text, n->len, n->kind == TYPED_NODE_STRING);
	fmt_buf_end(&b);
	check_report(c, n->line, n->col, "expected %s%s%s%s, got %s", want, hint ? " (" : "",
	             hint ? hint : "", hint ? ")" : "", got);
	return false;
}

static bool check_int(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                      struct typed_value *v)
{
	size_t i = 0;
	bool neg = n->len && n->text[0] == '-', over = false;
	uint64_t mag;
	i = neg;
	if (!digits(n->text, n->len, &i, true, &mag, &over) || i != n->len)
		return expected(c, t, n, NULL);
	if (t->kind == TYPED_UINT)
		return in_range(c, t, n, mag, over || (neg && mag)) && ((v->u = mag), true);
	/* signed: magnitude up to 2^63 when negative, 2^63 - 1 when not */
	over = over || mag > (uint64_t)INT64_MAX + neg;
	int64_t x = over ? 0 : neg ? (int64_t)(0 - mag) : (int64_t)mag;
	if (over || x < t->i.min || x > t->i.max) {
		char shown[TYPED_SHOW + 8];
		struct fmt_buf s = {shown, sizeof shown, 0};
		tb_shown(&s, n->text, n->len, false);
		fmt_buf_end(&s);
		check_report(c, n->line, n->col, "%s is out of range %lld..%lld", shown,
		             (long long)t->i.min, (long long)t->i.max);
		return false;
	}
	v->i = x;
	return true;
}

static const struct unit {
	const char *name;
	uint64_t scale;
} size_units[] = {{"", 1},           {"K", 1ull << 10}, {"M", 1ull << 20},
                  {"G", 1ull << 30}, {"T", 1ull << 40}, {NULL, 0}},
  time_units[] = {{"ns", 1},
                  {"us", 1000ull},
                  {"ms", 1000000ull},
                  {"s", 1000000000ull},
                  {"min", 60000000000ull},
                  {"h", 3600000000000ull},
                  {NULL, 0}};

/* A number with a unit from units (sizes, durations). */
static bool check_scaled(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                         struct typed_value *v)
{
	bool size = t->kind == TYPED_SIZE, over = false;
	const struct unit *u = size ? size_units : time_units;
	size_t i = 0;
	uint64_t x;
	const char *hint = size ? "like 4096, 64K, 2M: K M G T are powers of 1024"
	                        : "like 300ms: ns us ms s min h";
	if (!digits(n->text, n->len, &i, false, &x, &over))
		return expected(c, t, n, hint);
	for (; u->name; u++)
		if (strlen(u->name) == n->len - i && memcmp(u->name, n->text + i, n->len - i) == 0)
			break;
	if (!u->name)
		return expected(c, t, n, hint);
	if (x > UINT64_MAX / u->scale)
		over = true;
	return in_range(c, t, n, x * u->scale, over) && ((v->u = x * u->scale), true);
}

static bool check_enum(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                       struct typed_value *v)
{
	for (uint32_t i = 0; i < t->en.count; i++)
		if (strlen(t->en.names[i]) == n->len &&
		    memcmp(t->en.names[i], n->text, n->len) == 0) {
			v->u = i;
			return true;
		}
	char want[160], shown[TYPED_SHOW + 8];
	typed_describe(t, want, sizeof want);
	struct fmt_buf s = {shown, sizeof shown, 0};
	tb_shown(&s, n->text, n->len, n->kind == TYPED_NODE_STRING);
	fmt_buf_end(&s);
	check_report(c, n->line, n->col, "%s is not %s", shown, want);
	return false;
}

/* Why a path is not one (NULL: it is): absolute, no empty, "." or ".." part. */
static const char *path_problem(const char *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return "is not an absolute path (it must start with /)";
	for (size_t i = 1; i < n + 1 && n > 1;) {
		size_t j = i;
		while (j < n && s[j] != '/')
			j++;
		size_t part = j - i;
		if (part == 0 || (part == 1 && s[i] == '.') ||
		    (part == 2 && s[i] == '.' && s[i + 1] == '.'))
			return "has an empty, \".\" or \"..\" part";
		i = j + 1;
	}
	return NULL;
}

/* Strings, paths, capability names: text with a length and a form. */
static bool check_text(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                       struct typed_value *v)
{
	char shown[TYPED_SHOW + 8];
	struct fmt_buf s = {shown, sizeof shown, 0};
	tb_shown(&s, n->text, n->len, n->kind == TYPED_NODE_STRING);
	fmt_buf_end(&s);
	const char *why = NULL;
	if (strlen(n->text) != n->len)
		why = "holds a NUL byte";
	else if (t->kind == TYPED_CAP && !typed_cap_name_ok(n->text, n->len))
		why = "is not a capability name ([A-Za-z0-9_.-], at most 31 bytes)";
	else if (t->kind != TYPED_CAP && n->len > t->str.max_len) {
		check_report(c, n->line, n->col, "%s is longer than %u bytes", shown,
		             t->str.max_len);
		return false;
	} else if (t->kind == TYPED_PATH)
		why = path_problem(n->text, n->len);
	if (why) {
		check_report(c, n->line, n->col, "%s %s", shown, why);
		return false;
	}
	if (t->kind == TYPED_CAP) {
		v->cap.name = n->text;
		v->cap.slot = TYPED_SLOT_NONE;
	} else {
		v->str.s = n->text;
		v->str.len = n->len;
	}
	return true;
}

bool check_scalar(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                  struct typed_value *v)
{
	*v = (struct typed_value){.type = t, .line = n->line, .col = n->col};
	if (n->kind != TYPED_NODE_ATOM && n->kind != TYPED_NODE_STRING)
		return expected(c, t, n, NULL);
	bool atom = n->kind == TYPED_NODE_ATOM;
	switch (t->kind) {
	case TYPED_BOOL:
		if (atom && (strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0)) {
			v->b = n->text[0] == 't';
			return true;
		}
		return expected(c, t, n, NULL);
	case TYPED_INT:
	case TYPED_UINT: return atom ? check_int(c, t, n, v) : expected(c, t, n, NULL);
	case TYPED_SIZE:
	case TYPED_DURATION: return atom ? check_scaled(c, t, n, v) : expected(c, t, n, NULL);
	case TYPED_ENUM: return check_enum(c, t, n, v);
	case TYPED_STRING:
	case TYPED_PATH:
	case TYPED_CAP: return check_text(c, t, n, v);
	default: return expected(c, t, n, NULL);
	}
}

bool typed_scalar_valid(const struct typed_value *v, char *why, size_t size)
{
	const struct typed_type *t = v->type;
	struct fmt_buf b = {why, size, 0};
	switch (t->kind) {
	case TYPED_INT:
		if (v->i < t->i.min || v->i > t->i.max)
			fmt_buf_printf(&b, "%lld is out of range %lld..%lld", (long long)v->i,
			               (long long)t->i.min, (long long)t->i.max);
		break;
	case TYPED_UINT:
	case TYPED_SIZE:
	case TYPED_DURATION:
		if (v->u < t->u.min || v->u > t->u.max) {
			void (*put)(struct fmt_buf *, uint64_t) = t->kind == TYPED_SIZE ? tb_size
			                                          : t->kind == TYPED_DURATION
			                                                  ? tb_duration
			                                                  : tb_uint;
			put(&b, v->u);
			fmt_buf_str(&b, " is out of range ");
			put(&b, t->u.min);
			fmt_buf_str(&b, "..");
			put(&b, t->u.max);
		}
		break;
	case TYPED_ENUM:
		if (v->u >= t->en.count)
			fmt_buf_printf(&b, "enum value %llu is not below %u",
			               (unsigned long long)v->u, t->en.count);
		break;
	case TYPED_STRING:
	case TYPED_PATH:
		if (!v->str.s || v->str.len > t->str.max_len ||
		    strnlen(v->str.s, v->str.len) != v->str.len)
			fmt_buf_printf(&b, "a string of %u bytes: more than %u, or with a NUL byte",
			               v->str.len, t->str.max_len);
		else if (t->kind == TYPED_PATH && path_problem(v->str.s, v->str.len)) {
			tb_shown(&b, v->str.s, v->str.len, true);
			fmt_buf_printf(&b, " %s", path_problem(v->str.s, v->str.len));
		}
		break;
	case TYPED_FUNC: fmt_buf_str(&b, "a function has no value"); break;
	default: break;
	}
	fmt_buf_end(&b);
	return b.len == 0;
}
