/* The debug console: COM1 through the shared 16550 driver (lib/x86/uart),
 * 115200 8N1, polled.  Core 0 sets it up; writes are not gated on that, so
 * any core's last-resort fatal message still reaches the port. */
#include <arch/arch.h>
#include <x86/uart.h>

void arch_serial_init(void)
{
	uart_init(UART_COM1);
}

void arch_serial_write(const char *s, size_t n)
{
	uart_write(UART_COM1, s, n);
}
