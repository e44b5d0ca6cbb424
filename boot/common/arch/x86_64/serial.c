/* COM1 (16550 UART at I/O port 0x3f8), polled.  Registers: the National
 * Semiconductor PC16550D datasheet (THR/IER/FCR/LCR/MCR/LSR/SCR). */
#include <arch.h>

#include "cpu.h"

#define COM1     0x3f8
#define UART_THR 0 /* transmit holding (DLAB=0) / divisor low (DLAB=1) */
#define UART_IER 1 /* interrupt enable / divisor high */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define LSR_THRE 0x20 /* transmit holding register empty */

static int present;

void arch_serial_init(void)
{
	/* The scratch register holds what is written when a UART is there. */
	cpu_outb(COM1 + UART_SCR, 0x5a);
	if (cpu_inb(COM1 + UART_SCR) != 0x5a)
		return;
	cpu_outb(COM1 + UART_IER, 0x00); /* no interrupts */
	cpu_outb(COM1 + UART_LCR, 0x80); /* DLAB: divisor follows */
	cpu_outb(COM1 + UART_THR, 0x01); /* 115200 = 115200 / 1 */
	cpu_outb(COM1 + UART_IER, 0x00);
	cpu_outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	cpu_outb(COM1 + UART_FCR, 0xc7); /* FIFOs on, cleared */
	cpu_outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
	present = 1;
}

static void put(char ch)
{
	for (unsigned spin = 0; spin < 100000; spin++)
		if (cpu_inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	cpu_outb(COM1 + UART_THR, (uint8_t)ch);
}

void arch_serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
