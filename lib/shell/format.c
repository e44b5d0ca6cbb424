/* Values as text for a terminal: scalars as the literals that write them
 * (64M, 300ms) or close (1.5G, 1h2min), records a field a line, tables in
 * aligned columns cut to fit the width (the widest column gives first). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

#define CELL_MAX 128 /* bytes of one table cell */
#define COL_MIN  3   /* a column is never cut below this */

static void sb_pad(struct fmt_buf *b, size_t n)
{
	while (n--)
		fmt_buf_put(b, " ", 1);
}

/* v / unit with one decimal (cut, not rounded) unless it divides. */
static void scaled(struct fmt_buf *b, uint64_t v, uint64_t unit, const char *name)
{
	uint64_t whole = v / unit, rest = v % unit;
	if (!rest)
		fmt_buf_printf(b, "%llu%s", (unsigned long long)whole, name);
	else
		fmt_buf_printf(b, "%llu.%llu%s", (unsigned long long)whole,
		               (unsigned long long)(rest * 10 / unit), name);
}

static void size_text(struct fmt_buf *b, uint64_t v)
{
	static const char *const names[] = {"T", "G", "M", "K"};
	for (int i = 0; i < 4; i++) {
		uint64_t unit = 1ull << (40 - 10 * i);
		if (v >= unit) {
			scaled(b, v, unit, names[i]);
			return;
		}
	}
	fmt_buf_printf(b, "%llu", (unsigned long long)v);
}

static void duration_text(struct fmt_buf *b, uint64_t ns)
{
	const uint64_t s = 1000000000ull, min = 60 * s, h = 60 * min;
	if (ns >= min) {
		if (ns >= h)
			fmt_buf_printf(b, "%lluh", (unsigned long long)(ns / h));
		if (ns % h >= min)
			fmt_buf_printf(b, "%llumin", (unsigned long long)(ns % h / min));
		if (ns % min >= s)
			fmt_buf_printf(b, "%llus", (unsigned long long)(ns % min / s));
		return;
	}
	if (ns >= s)
		scaled(b, ns, s, "s");
	else if (ns >= 1000000)
		scaled(b, ns, 1000000, "ms");
	else if (ns >= 1000)
		scaled(b, ns, 1000, "us");
	else
		fmt_buf_printf(b, "%lluns", (unsigned long long)ns);
}

/* Strings as they are, control characters as '?'. */
static void plain(struct fmt_buf *b, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		char c = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
		fmt_buf_put(b, &c, 1);
	}
}

static void cell(struct fmt_buf *b, const struct typed_value *v)
{
	const struct typed_type *t = v->type;
	switch (t->kind) {
	case TYPED_BOOL: fmt_buf_str(b, v->b ? "true" : "false"); break;
	case TYPED_INT: fmt_buf_printf(b, "%lld", (long long)v->i); break;
	case TYPED_UINT: fmt_buf_printf(b, "%llu", (unsigned long long)v->u); break;
	case TYPED_SIZE: size_text(b, v->u); break;
	case TYPED_DURATION: duration_text(b, v->u); break;
	case TYPED_STRING:
	case TYPED_PATH: plain(b, v->str.s, v->str.len); break;
	case TYPED_ENUM: fmt_buf_str(b, v->u < t->en.count ? t->en.names[v->u] : "?"); break;
	case TYPED_CAP:
		if (v->cap.name)
			fmt_buf_str(b, v->cap.name);
		else
			fmt_buf_printf(b, "#%u", v->cap.slot);
		break;
	case TYPED_LIST:
		fmt_buf_printf(b, "[%u item%s]", v->list.count, v->list.count == 1 ? "" : "s");
		break;
	case TYPED_RECORD: fmt_buf_printf(b, "{%u fields}", v->list.count); break;
	case TYPED_OPTIONAL:
		if (v->some)
			cell(b, v->some);
		else
			fmt_buf_str(b, "-");
		break;
	default: fmt_buf_str(b, "?"); break;
	}
}

size_t shell_format_scalar(const struct typed_value *v, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	cell(&b, v);
	return fmt_buf_end(&b);
}

static bool right_aligned(const struct typed_type *t)
{
	if (t->kind == TYPED_OPTIONAL)
		t = t->inner;
	return shell_is_number(t) || t->kind == TYPED_SIZE || t->kind == TYPED_DURATION;
}

static size_t cell_text(const struct typed_value *v, char *buf)
{
	size_t n = shell_format_scalar(v, buf, CELL_MAX);
	return n < CELL_MAX ? n : CELL_MAX - 1;
}

static void put_cell(struct fmt_buf *b, const char *s, size_t n, size_t w, bool right, bool last)
{
	if (n > w) {
		fmt_buf_put(b, s, w - 1);
		fmt_buf_put(b, "~", 1);
		n = w;
	} else {
		if (right)
			sb_pad(b, w - n);
		fmt_buf_put(b, s, n);
	}
	if (!right && !last)
		sb_pad(b, w - n);
}

/* Column widths: the widest of header and cells, then cut to fit. */
static void widths(const struct typed_value *v, uint32_t width, size_t *w)
{
	const struct typed_type *r = v->type->list.elem;
	uint32_t cols = r->rec.count;
	char buf[CELL_MAX];
	size_t total = 0;
	for (uint32_t c = 0; c < cols; c++) {
		w[c] = strlen(r->rec.fields[c].name);
		for (uint32_t i = 0; i < v->list.count; i++) {
			size_t n = cell_text(&v->list.items[i].list.items[c], buf);
			if (n > w[c])
				w[c] = n;
		}
		total += w[c] + (c ? 2 : 0);
	}
	while (width && total > width) {
		uint32_t widest = 0;
		for (uint32_t c = 1; c < cols; c++)
			if (w[c] > w[widest])
				widest = c;
		if (w[widest] <= COL_MIN)
			break;
		w[widest]--;
		total--;
	}
}

static void table(struct fmt_buf *b, const struct typed_value *v, uint32_t width)
{
	const struct typed_type *r = v->type->list.elem;
	uint32_t cols = r->rec.count;
	size_t w[TYPED_MAX_FIELDS];
	char buf[CELL_MAX];
	if (!cols) {
		fmt_buf_printf(b, "(%u rows without columns)\n", v->list.count);
		return;
	}
	widths(v, width, w);
	for (uint32_t c = 0; c < cols; c++) {
		const char *name = r->rec.fields[c].name;
		if (c)
			fmt_buf_str(b, "  ");
		put_cell(b, name, strlen(name), w[c], right_aligned(r->rec.fields[c].type),
		         c + 1 == cols);
	}
	fmt_buf_str(b, "\n");
	for (uint32_t c = 0; c < cols; c++) {
		fmt_buf_str(b, c ? "  " : "");
		for (size_t i = 0; i < w[c]; i++)
			fmt_buf_put(b, "-", 1);
	}
	fmt_buf_str(b, "\n");
	for (uint32_t i = 0; i < v->list.count; i++) {
		for (uint32_t c = 0; c < cols; c++) {
			const struct typed_value *it = &v->list.items[i].list.items[c];
			size_t n = cell_text(it, buf);
			if (c)
				fmt_buf_str(b, "  ");
			put_cell(b, buf, n, w[c], right_aligned(r->rec.fields[c].type),
			         c + 1 == cols);
		}
		fmt_buf_str(b, "\n");
	}
	if (!v->list.count)
		fmt_buf_str(b, "(no rows)\n");
}

static void record(struct fmt_buf *b, const struct typed_value *v)
{
	const struct typed_type *t = v->type;
	size_t w = 0;
	for (uint32_t i = 0; i < t->rec.count; i++)
		if (strlen(t->rec.fields[i].name) > w)
			w = strlen(t->rec.fields[i].name);
	for (uint32_t i = 0; i < t->rec.count; i++) {
		fmt_buf_str(b, t->rec.fields[i].name);
		fmt_buf_str(b, ":");
		sb_pad(b, w - strlen(t->rec.fields[i].name) + 1);
		cell(b, &v->list.items[i]);
		fmt_buf_str(b, "\n");
	}
}

/* A list: [a, b, c] when it fits on a line, else an item a line. */
static void list(struct fmt_buf *b, const struct typed_value *v, uint32_t width)
{
	struct fmt_buf probe = {NULL, 0, 0};
	fmt_buf_str(&probe, "[");
	for (uint32_t i = 0; i < v->list.count; i++) {
		fmt_buf_str(&probe, i ? ", " : "");
		cell(&probe, &v->list.items[i]);
	}
	if (!width || probe.len + 1 <= width) {
		fmt_buf_str(b, "[");
		for (uint32_t i = 0; i < v->list.count; i++) {
			fmt_buf_str(b, i ? ", " : "");
			cell(b, &v->list.items[i]);
		}
		fmt_buf_str(b, "]\n");
		return;
	}
	for (uint32_t i = 0; i < v->list.count; i++) {
		cell(b, &v->list.items[i]);
		fmt_buf_str(b, "\n");
	}
}

size_t shell_format(const struct typed_value *v, uint32_t width, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	if (shell_is_table(v->type)) {
		table(&b, v, width);
	} else if (v->type->kind == TYPED_LIST) {
		list(&b, v, width);
	} else if (v->type->kind == TYPED_RECORD) {
		record(&b, v);
	} else {
		cell(&b, v);
		fmt_buf_str(&b, "\n");
	}
	return fmt_buf_end(&b);
}
