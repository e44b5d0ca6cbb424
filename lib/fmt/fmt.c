/* printf-style formatting: see fmt.h for the supported conversions. */
#include "fmt.h"

#include <stdint.h>

struct spec {
	int left, zero, plus, space, alt;
	int width;
	int prec; /* -1: none */
	int len;  /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t/ptrdiff/intmax */
};

static void pad(fmt_sink sink, void *ctx, char c, int n, size_t *count)
{
	char buf[16];
	for (int i = 0; i < 16; i++)
		buf[i] = c;
	while (n > 0) {
		int k = n > 16 ? 16 : n;
		sink(ctx, buf, (size_t)k);
		*count += (size_t)k;
		n -= k;
	}
}

static void emit(fmt_sink sink, void *ctx, const char *s, size_t n, size_t *count)
{
	if (n) {
		sink(ctx, s, n);
		*count += n;
	}
}

/* Emits a formatted integer: sign/prefix, precision zeros, digits, padding. */
static void put_number(fmt_sink sink, void *ctx, const struct spec *sp, uint64_t v, int neg,
                       unsigned base, int upper, size_t *count)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	int nonzero = v != 0;
	if (v == 0 && sp->prec == 0) {
		/* "%.0d" of zero prints no digits */
	} else {
		do {
			buf[sizeof(buf) - 1 - n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	char prefix[3];
	int plen = 0;
	if (neg)
		prefix[plen++] = '-';
	else if (sp->plus)
		prefix[plen++] = '+';
	else if (sp->space)
		prefix[plen++] = ' ';
	if (sp->alt && base == 16 && nonzero) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	} else if (sp->alt && base == 8 && (n == 0 || buf[sizeof(buf) - n] != '0')) {
		prefix[plen++] = '0';
	}
	int zeros = sp->prec > n ? sp->prec - n : 0;
	int total = plen + zeros + n;
	int fill = sp->width > total ? sp->width - total : 0;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!sp->left)
		pad(sink, ctx, ' ', fill, count);
	emit(sink, ctx, prefix, (size_t)plen, count);
	pad(sink, ctx, '0', zeros, count);
	emit(sink, ctx, buf + sizeof(buf) - n, (size_t)n, count);
	if (sp->left)
		pad(sink, ctx, ' ', fill, count);
}

static void put_string(fmt_sink sink, void *ctx, const struct spec *sp, const char *s,
                       size_t *count)
{
	if (!s)
		s = "(null)";
	size_t n = 0;
	while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n]) /* s[prec] may not exist */
		n++;
	int fill = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		pad(sink, ctx, ' ', fill, count);
	emit(sink, ctx, s, n, count);
	if (sp->left)
		pad(sink, ctx, ' ', fill, count);
}

static uint64_t get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case 0: return va_arg(*ap, unsigned int);
	case 1: return va_arg(*ap, unsigned long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned long long);
	}
}

static int64_t get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case -2: return (signed char)va_arg(*ap, int);
	case -1: return (short)va_arg(*ap, int);
	case 0: return va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case 3: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, long long);
	}
}

/* Parses flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f == '+')
			sp->plus = 1;
		else if (*f == ' ')
			sp->space = 1;
		else if (*f == '#')
			sp->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	for (;; f++) {
		if (*f == 'h')
			sp->len = sp->len == -1 ? -2 : -1;
		else if (*f == 'l')
			sp->len = sp->len == 1 ? 2 : 1;
		else if (*f == 'z' || *f == 't' || *f == 'j')
			sp->len = 3;
		else
			break;
	}
	return f;
}

size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
	size_t count = 0;
	va_list ap;
	va_copy(ap, ap_in);
	while (*fmt) {
		const char *run = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		emit(sink, ctx, run, (size_t)(fmt - run), &count);
		if (!*fmt)
			break;
		struct spec sp;
		fmt = parse_spec(fmt + 1, &sp, &ap);
		char c = *fmt;
		if (!c)
			break;
		fmt++;
		switch (c) {
		case 'd':
		case 'i': {
			int64_t v = get_signed(&sp, &ap);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_number(sink, ctx, &sp, mag, v < 0, 10, 0, &count);
			break;
		}
		case 'u':
			put_number(sink, ctx, &sp, get_unsigned(&sp, &ap), 0, 10, 0, &count);
			break;
		case 'x':
			put_number(sink, ctx, &sp, get_unsigned(&sp, &ap), 0, 16, 0, &count);
			break;
		case 'X':
			put_number(sink, ctx, &sp, get_unsigned(&sp, &ap), 0, 16, 1, &count);
			break;
		case 'o':
			put_number(sink, ctx, &sp, get_unsigned(&sp, &ap), 0, 8, 0, &count);
			break;
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			sp.alt = 1;
			put_number(sink, ctx, &sp, v, 0, 16, 0, &count);
			break;
		}
		case 'c': {
			char ch = (char)va_arg(ap, int);
			struct spec s1 = sp;
			s1.prec = 1;
			char str[2] = {ch, 0};
			if (ch == 0) {
				/* a NUL character is still one byte of output */
				int fill = sp.width > 1 ? sp.width - 1 : 0;
				if (!sp.left)
					pad(sink, ctx, ' ', fill, &count);
				emit(sink, ctx, str, 1, &count);
				if (sp.left)
					pad(sink, ctx, ' ', fill, &count);
			} else {
				put_string(sink, ctx, &s1, str, &count);
			}
			break;
		}
		case 's': put_string(sink, ctx, &sp, va_arg(ap, const char *), &count); break;
		case '%': emit(sink, ctx, "%", 1, &count); break;
		default: {
			/* unknown conversion: print it verbatim so the mistake is visible */
			char bad[2] = {'%', c};
			emit(sink, ctx, bad, 2, &count);
			break;
		}
		}
	}
	va_end(ap);
	return count;
}

size_t fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

struct buf_ctx {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink(void *vctx, const char *s, size_t n)
{
	struct buf_ctx *b = vctx;
	for (size_t i = 0; i < n; i++, b->pos++)
		if (b->pos + 1 < b->size)
			b->buf[b->pos] = s[i];
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_ctx b = {buf, size, 0};
	size_t n = fmt_vformat(buf_sink, &b, fmt, ap);
	if (size)
		buf[b.pos < size ? b.pos : size - 1] = 0;
	return n;
}

size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void fmt_buf_put(struct fmt_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, b->len++)
		if (b->len + 1 < b->size)
			b->p[b->len] = s[i];
}

void fmt_buf_str(struct fmt_buf *b, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	fmt_buf_put(b, s, n);
}

static void fmt_buf_sink(void *ctx, const char *s, size_t n)
{
	fmt_buf_put(ctx, s, n);
}

void fmt_buf_printf(struct fmt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(fmt_buf_sink, b, fmt, ap);
	va_end(ap);
}

size_t fmt_buf_end(struct fmt_buf *b)
{
	if (b->size)
		b->p[b->len < b->size ? b->len : b->size - 1] = '\0';
	return b->len;
}
