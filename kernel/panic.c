/* panic() and the shared end of every fatal path; see panic.h. */
#include "panic.h"

#include <arch/arch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string/mem.h>

#include "backtrace.h"
#include "log.h"

static panic_hook_fn hook;
static bool in_report;
static bool in_hook;

void panic_set_hook(panic_hook_fn fn)
{
	hook = fn;
}

bool panic_enter(void)
{
	if (in_report) {
		static const char msg[] = "\n*** fault during a fatal report; halting\n";
		arch_serial_write(msg, sizeof msg - 1);
		return false;
	}
	in_report = true;
	return true;
}

_Noreturn void panic_halt(void)
{
	if (hook && !in_hook) {
		in_hook = true;
		hook();
	}
	arch_halt();
}

_Noreturn void panic(const char *fmt, ...)
{
	if (!panic_enter())
		panic_halt();
	va_list ap;
	va_start(ap, fmt);
	log_printf("PANIC: ");
	log_vprintf(fmt, ap);
	log_printf("\n");
	va_end(ap);
	backtrace_print(arch_frame_pointer(), 0);
	panic_halt();
}
