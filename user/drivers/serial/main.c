/* serial: the COM1 console driver (user/README.md, "Drivers").  It holds
 * the 16550's eight ports (0x3f8..0x3ff) and IRQ 4, and gives its one
 * client (the shell) the console as a byte stream over the channel init
 * makes between them (rt/consproto.h).
 *
 * Sharing the UART with the kernel: the kernel set it up (115200 8N1,
 * FIFOs on) and keeps writing its log, and its panic path, to the
 * transmitter, polled, a whole line at a time; it never reads the
 * receiver nor touches the interrupt enable.  The driver owns the
 * receiver: it enables the "received data" interrupt (IER bit 0), sets
 * MCR's OUT2 (the interrupt's gate to the ISA line on PCs) and a 1-byte
 * receive trigger (FCR, without clearing the FIFOs: the kernel's bytes in
 * flight stay), and never changes the line settings.  It writes its
 * client's bytes to the transmitter itself, filling the 16-byte FIFO
 * after each "empty" (LSR bit 5).  Both run on core 0, whose kernel
 * prints every log line whole between two of the driver's invocations,
 * so a kernel line can come between two bytes of the shell's output but
 * is never cut, and the shell's bytes never land inside a kernel line.
 *
 * Input is interrupt-driven: IRQ 4 (edge-triggered, never masked) signals
 * the driver's notification; on every wake-up it empties the receiver
 * (LSR bit 0) into a buffer and passes the bytes on, without ever
 * blocking on a full channel (a client busy writing to it could then
 * never drain either).
 */
#include <rt/chan.h>
#include <rt/consproto.h>
#include <rt/device.h>
#include <rt/image.h>
#include <rt/rt.h>
#include <string/mem.h>

/* 16550 registers from the base (DLAB 0), and bits (PC16550D data sheet). */
#define COM1     0x3f8
#define RBR      0 /* receive buffer (read) */
#define THR      0 /* transmit holding (write) */
#define IER      1
#define FCR      2 /* FIFO control (write) */
#define MCR      4
#define LSR      5
#define IER_RDA  0x01 /* interrupt when received data is available */
#define FCR_ON   0x01 /* FIFOs on, trigger 1 byte, nothing cleared */
#define MCR_OUT2 0x08
#define LSR_DR   0x01 /* a byte waits in RBR */
#define LSR_THRE 0x20 /* the transmitter's FIFO is empty */
#define TX_FIFO  16

#define IRQ_LINE 4
#define IRQ_BIT  (1ull << 16)
#define IN_MAX   4096 /* bytes typed that the client has not taken yet */

static struct rt_capref ports, irq;
static struct rt_chan client;
static uint8_t in[IN_MAX];
static size_t in_len;
static unsigned long long dropped;

static uint32_t reg(unsigned r)
{
	return rt_in(ports, (uint16_t)(COM1 + r), 1);
}

static void set(unsigned r, uint32_t v)
{
	rt_out(ports, (uint16_t)(COM1 + r), 1, v);
}

/* Empties the receiver into in[] (bytes past IN_MAX are counted, lost). */
static void receive(void)
{
	while (reg(LSR) & LSR_DR) {
		uint8_t b = (uint8_t)reg(RBR);
		if (in_len < IN_MAX)
			in[in_len++] = b;
		else
			dropped++;
	}
}

/* Passes typed bytes on while the channel has room. */
static void pass_on(void)
{
	size_t at = 0;

	while (at < in_len && urpc_room(&client.p.tx)) {
		size_t n = in_len - at < URPC_PAYLOAD_MAX ? in_len - at : URPC_PAYLOAD_MAX;
		if (rt_chan_send(&client, CONS_IN, in + at, n))
			break;
		at += n;
	}
	memmove(in, in + at, in_len - at);
	in_len -= at;
}

static unsigned tx_room;

static void put(uint8_t b)
{
	if (!tx_room) {
		for (unsigned spins = 0; spins < 100000 && !(reg(LSR) & LSR_THRE); spins++)
			;
		tx_room = TX_FIFO;
	}
	set(THR, b);
	tx_room--;
}

/* Writes what the client sent ("\n" as "\r\n"). */
static void transmit(void)
{
	struct urpc_msg m;

	while (rt_chan_recv(&client, &m) == ERR_OK) {
		if (m.type != CONS_OUT)
			continue;
		for (unsigned i = 0; i < m.len; i++) {
			if (m.payload[i] == '\n')
				put('\r');
			put(m.payload[i]);
		}
		receive(); /* a long output must not overrun the receiver */
	}
	tx_room = 0; /* the kernel may write between two messages */
}

static enum err setup(void)
{
	struct prog_cap info;
	enum err e;

	if (rt_named_cap("port3f8", &ports, &info) || rt_named_cap("irq4", &irq, &info))
		return ERR_NOENT;
	e = rt_chan_given(&client);
	if (e)
		return e;
	e = invoke_irq_bind(irq.addr, irq.depth, rt_cap(SLOT_NOTIFY), rt_depth(), IRQ_BIT, NULL);
	if (e)
		return e;
	set(FCR, FCR_ON);
	set(MCR, reg(MCR) | MCR_OUT2);
	set(IER, IER_RDA);
	return ERR_OK;
}

int main(void)
{
	struct rt_chan *chans[1] = {&client};
	enum err e = setup();

	if (e) {
		rt_printf("serial: COM1 not served: %s\n", err_str(e));
		return 1;
	}
	rt_printf("serial: COM1 console ready (IRQ %u)\n", IRQ_LINE);
	for (;;) {
		receive();
		pass_on();
		transmit();
		if (dropped) {
			rt_printf("serial: %llu bytes typed were lost (the shell did not take "
			          "them)\n",
			          dropped);
			dropped = 0;
		}
		if (in_len) {
			rt_yield(); /* the client has not made room yet */
			continue;
		}
		if (rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, 1) & IRQ_BIT)
			invoke_irq_ack(irq.addr, irq.depth, NULL);
	}
}
