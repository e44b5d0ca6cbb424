/* The kernel log; see log.h.  All state is in .data/.bss, so each core has
 * its own log and outputs once each core runs on its own data copy. */
#include "log.h"

#include <fmt/fmt.h>
#include <string/mem.h>

/* Bytes of early output kept for outputs that attach later. */
#define LOG_EARLY_SIZE 8192
#define LOG_PREFIX_MAX 32

static struct log_output *outputs;
static log_prefix_fn prefix_fn;
static unsigned log_cpu;
static bool at_line_start = true;
static char early[LOG_EARLY_SIZE];
static size_t early_len;

/* "[cpuN] " for this core. */
static size_t default_prefix(char *buf, size_t size)
{
	return fmt_snprintf(buf, size, "[cpu%u] ", log_cpu);
}

void log_init(unsigned cpu)
{
	log_cpu = cpu;
	prefix_fn = default_prefix;
}

void log_set_prefix(log_prefix_fn fn)
{
	prefix_fn = fn ? fn : default_prefix;
}

/* Sends bytes to every output and keeps them for late attachers. */
static void emit(const char *s, size_t n)
{
	size_t room = LOG_EARLY_SIZE - early_len;
	memcpy(early + early_len, s, n < room ? n : room);
	early_len += n < room ? n : room;
	for (struct log_output *o = outputs; o; o = o->next)
		o->write(o->ctx, s, n);
}

void log_attach(struct log_output *out, bool replay)
{
	if (replay && early_len)
		out->write(out->ctx, early, early_len);
	out->next = outputs;
	outputs = out;
}

void log_detach(struct log_output *out)
{
	for (struct log_output **p = &outputs; *p; p = &(*p)->next) {
		if (*p == out) {
			*p = out->next;
			out->next = NULL;
			return;
		}
	}
}

/* fmt sink that starts every line with the prefix. */
static void prefixed_sink(void *ctx, const char *s, size_t n)
{
	while (n) {
		if (at_line_start) {
			char p[LOG_PREFIX_MAX];
			size_t k = (prefix_fn ? prefix_fn : default_prefix)(p, sizeof p);
			emit(p, k < sizeof p ? k : sizeof p - 1);
			at_line_start = false;
		}
		size_t k = 0;
		while (k < n && s[k] != '\n')
			k++;
		if (k < n) {
			k++; /* include the newline */
			at_line_start = true;
		}
		emit(s, k);
		s += k;
		n -= k;
	}
}

/* fmt sink without prefixes; still tracks where lines start. */
static void raw_sink(void *ctx, const char *s, size_t n)
{
	if (n) {
		emit(s, n);
		at_line_start = s[n - 1] == '\n';
	}
}

void log_vprintf(const char *fmt, va_list ap)
{
	fmt_vformat(prefixed_sink, NULL, fmt, ap);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void log_rawf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(raw_sink, NULL, fmt, ap);
	va_end(ap);
}
