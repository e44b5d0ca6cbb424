/* The loader's serial port: COM1 through the shared 16550 driver. */
#include <arch.h>
#include <x86/uart.h>

static bool present;

void arch_serial_init(void)
{
	present = uart_init(UART_COM1);
}

void arch_serial_write(const char *s, size_t n)
{
	if (present)
		uart_write(UART_COM1, s, n);
}
