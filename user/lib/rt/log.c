/* The log: bytes to the kernel's log cap, 56 at a time. */
#include <fmt/fmt.h>
#include <rt/rt.h>
#include <string/mem.h>

void rt_write(const char *s, size_t n)
{
	while (n) {
		uint64_t w[7] = {0};
		size_t k = n < sizeof w ? n : sizeof w;
		memcpy(w, s, k);
		invoke_log_write(rt_cap(SLOT_LOG), rt_depth(), k, w[0], w[1], w[2], w[3], w[4],
		                 w[5], w[6], NULL);
		s += k;
		n -= k;
	}
}

static void sink(void *ctx, const char *s, size_t n)
{
	rt_write(s, n);
}

int rt_vprintf(const char *fmt, va_list ap)
{
	return (int)fmt_vformat(sink, NULL, fmt, ap);
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

uint64_t rt_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
