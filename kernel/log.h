/* The kernel log: printf-style text (lib/fmt) sent to every attached output
 * (serial port, framebuffer console).  Each line starts with a prefix from a
 * per-core hook, "[cpu0] " by default.
 *
 *   log_printf("frames: %zu free\n", n);
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* An output: write() receives every byte of the log, in order. */
struct log_output {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
	struct log_output *next; /* owned by the log */
};

/* Writes the line prefix into buf (at most size bytes); returns its length. */
typedef size_t (*log_prefix_fn)(char *buf, size_t size);

/* Starts the log for this core: the default prefix is "[cpu<cpu>] ". */
void log_init(unsigned cpu);

/* Adds an output.  With replay, it first receives what was logged before
 * it attached (as much as the early buffer holds). */
void log_attach(struct log_output *out, bool replay);

/* Removes an output (no-op if it is not attached). */
void log_detach(struct log_output *out);

/* Replaces the line-prefix hook; NULL restores the default. */
void log_set_prefix(log_prefix_fn fn);

/* Formats to the log, prefixing each line. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

/* Formats to the log with no line prefixes (machine-read output: KTAP). */
void log_rawf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
