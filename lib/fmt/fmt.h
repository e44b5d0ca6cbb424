/* printf-style formatting for code with no C library (kernel, loaders) and
 * for host tools alike.  Output goes to a sink callback in chunks.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z t j,
 * flags '-' '0' '+' ' ' '#', field width and precision (both may be '*').
 * No floating point: the kernel runs without SSE.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives n bytes of output (not NUL-terminated). */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/* Formats to a sink; returns the number of bytes produced. */
size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);
size_t fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* snprintf semantics: always NUL-terminates when size > 0 and returns the
 * length the full output would have had. */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Text built up in a fixed buffer: bytes past size - 1 are dropped but
 * still counted, so fmt_buf_end tells the length the whole text needed. */
struct fmt_buf {
	char *p;
	size_t size, len;
};

void fmt_buf_put(struct fmt_buf *b, const char *s, size_t n);
void fmt_buf_str(struct fmt_buf *b, const char *s);
void fmt_buf_printf(struct fmt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Terminates the text (cut short to fit) and returns its full length. */
size_t fmt_buf_end(struct fmt_buf *b);

#endif
