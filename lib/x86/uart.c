/* The polled 16550 UART; see uart.h. */
#include "uart.h"

#include "x86.h"

/* Register offsets from the base port (DLAB = 0 unless noted). */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1 /* interrupt enable */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_SCR 7 /* scratch */

#define UART_LCR_8N1          0x03
#define UART_LCR_DLAB         0x80
#define UART_FCR_ENABLE_CLEAR 0xc7 /* FIFOs on, both cleared, 14-byte trigger */
#define UART_MCR_DTR_RTS      0x03
#define UART_LSR_THRE         0x20 /* transmit holding register empty */

/* 115200 = 1.8432 MHz / 16 / divisor */
#define UART_DIVISOR_115200 1

/* Status polls per byte before sending it anyway. */
#define UART_SPIN_LIMIT 100000

bool uart_init(uint16_t port)
{
	x86_outb(port + UART_SCR, 0x5a);
	if (x86_inb(port + UART_SCR) != 0x5a)
		return false;
	x86_outb(port + UART_IER, 0);
	x86_outb(port + UART_LCR, UART_LCR_DLAB);
	x86_outb(port + UART_DLL, UART_DIVISOR_115200 & 0xff);
	x86_outb(port + UART_DLM, UART_DIVISOR_115200 >> 8);
	x86_outb(port + UART_LCR, UART_LCR_8N1);
	x86_outb(port + UART_FCR, UART_FCR_ENABLE_CLEAR);
	x86_outb(port + UART_MCR, UART_MCR_DTR_RTS);
	return true;
}

static void uart_putc(uint16_t port, char c)
{
	for (int i = 0; i < UART_SPIN_LIMIT; i++)
		if (x86_inb(port + UART_LSR) & UART_LSR_THRE)
			break;
	x86_outb(port + UART_THR, (uint8_t)c);
}

void uart_write(uint16_t port, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(port, '\r');
		uart_putc(port, s[i]);
	}
}
