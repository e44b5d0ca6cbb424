/* The debug console: a 16550-compatible UART at COM1 (I/O port 0x3f8),
 * 115200 baud, 8 data bits, no parity, 1 stop bit, polled (no interrupts).
 * Register offsets and bits follow the 16550 data sheet (PC16550D).
 */
#include <arch/arch.h>

#include "x86.h"

#define COM1 0x3f8

/* Register offsets from the base port (DLAB = 0 unless noted). */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1 /* interrupt enable */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define UART_LCR_8N1          0x03
#define UART_LCR_DLAB         0x80
#define UART_FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear both */
#define UART_MCR_DTR_RTS      0x03
#define UART_LSR_THRE         0x20 /* transmit holding register empty */

/* 115200 = 1.8432 MHz / 16 / divisor */
#define UART_DIVISOR_115200 1

/* Give up on a character after this many status polls, so a missing or
 * stuck UART slows the console down instead of hanging the kernel. */
#define UART_SPIN_LIMIT 100000

void arch_serial_init(void)
{
	x86_outb(COM1 + UART_IER, 0);
	x86_outb(COM1 + UART_LCR, UART_LCR_DLAB);
	x86_outb(COM1 + UART_DLL, UART_DIVISOR_115200 & 0xff);
	x86_outb(COM1 + UART_DLM, UART_DIVISOR_115200 >> 8);
	x86_outb(COM1 + UART_LCR, UART_LCR_8N1);
	x86_outb(COM1 + UART_FCR, UART_FCR_ENABLE_CLEAR);
	x86_outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
}

/* Sends one byte once the transmitter has room. */
static void serial_putc(char c)
{
	for (int i = 0; i < UART_SPIN_LIMIT; i++)
		if (x86_inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	x86_outb(COM1 + UART_THR, (uint8_t)c);
}

void arch_serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
