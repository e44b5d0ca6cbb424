/* Loader messages; see log.h. */
#include "log.h"

#include <fmt/fmt.h>
#include <stdarg.h>
#include <string/mem.h>

#include "arch.h"
#include "fw.h"

#define PREFIX "tessera-loader: "

static char line[512];

/* Formats one line into the buffer with the prefix and a newline. */
static size_t format(const char *kind, const char *fmt, va_list ap)
{
	size_t n = fmt_snprintf(line, sizeof(line), PREFIX "%s", kind);
	if (n < sizeof(line))
		n += fmt_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = '\0';
	return n;
}

void log_init(void)
{
	arch_serial_init();
}

void boot_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = format("", fmt, ap);
	va_end(ap);
	arch_serial_write(line, n);
}

void boot_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = format("warning: ", fmt, ap);
	va_end(ap);
	arch_serial_write(line, n);
	fw_console_write(line, n);
}

void boot_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = format("error: ", fmt, ap);
	va_end(ap);
	arch_serial_write(line, n);
	fw_console_write(line, n);
	static const char halted[] = PREFIX "halted.\n";
	arch_serial_write(halted, sizeof(halted) - 1);
	fw_console_write(halted, sizeof(halted) - 1);
	arch_halt();
}
