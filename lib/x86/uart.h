/* A 16550-compatible UART on I/O ports (the PC's COM1), polled: the debug
 * console of the loaders and the kernel, 115200 baud, 8 data bits, no
 * parity, 1 stop bit, no interrupts.  Registers: the National
 * Semiconductor PC16550D datasheet.
 */
#ifndef LIB_X86_UART_H
#define LIB_X86_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_COM1  0x3f8
#define UART_PORTS 8 /* I/O ports from the base */

/* Sets the UART at base port up (115200 8N1, FIFOs on and cleared, DTR
 * and RTS); false, with nothing set, if its scratch register does not hold
 * what is written (no UART there). */
bool uart_init(uint16_t port);

/* Writes n bytes, "\n" as "\r\n".  Each byte waits a bounded time for
 * room, so a missing or stuck UART slows output down instead of hanging. */
void uart_write(uint16_t port, const char *s, size_t n);

#endif
