/* Device capabilities: an interrupt line as a notification
 * (kernel/sched/device_test.c).  Slot 16: the PIT's ports; 17: IRQ line 0
 * (the PIT's; QEMU's MADT routes it to GSI 2); 18: a notification; 19: a
 * copy of the IRQ cap.  The PIT's channel 0 in mode 0 raises its output
 * (an edge) when its count runs out (Intel 82C54 data sheet, "Mode 0:
 * interrupt on terminal count"); the program waits for it twice. */
#include <rt/rt.h>

#define PIT   16
#define IRQ   17
#define NOTE  18
#define IRQ2  19
#define BITS  0x4
#define COUNT 1193 /* 1 ms of the PIT's 1.193182 MHz */

/* Channel 0, low then high byte, mode 0, binary (the control word, 0x43). */
static int pit_oneshot(void)
{
	const uint64_t d = rt_depth();

	if (invoke_ioport_out(rt_cap(PIT), d, 0x43, 1, 0x30, NULL) ||
	    invoke_ioport_out(rt_cap(PIT), d, 0x40, 1, COUNT & 0xff, NULL) ||
	    invoke_ioport_out(rt_cap(PIT), d, 0x40, 1, COUNT >> 8, NULL))
		return -1;
	return 0;
}

int main(void)
{
	const uint64_t d = rt_depth();
	struct cap_results_notify_wait w;

	if (invoke_irq_bind(rt_cap(IRQ), d, rt_cap(NOTE), d, 0, NULL) != ERR_INVAL)
		return 1;
	if (invoke_irq_bind(rt_cap(IRQ), d, rt_cap(SLOT_LOG), d, BITS, NULL) != ERR_TYPE)
		return 2;
	if (invoke_irq_ack(rt_cap(IRQ), d, NULL) != ERR_NOENT) /* not bound yet */
		return 3;
	if (invoke_irq_bind(rt_cap(IRQ), d, rt_cap(NOTE), d, BITS, NULL))
		return 4;
	if (invoke_irq_bind(rt_cap(IRQ), d, rt_cap(NOTE), d, BITS, NULL) != ERR_BUSY)
		return 5;
	if (invoke_irq_bind(rt_cap(IRQ2), d, rt_cap(NOTE), d, BITS, NULL) != ERR_BUSY)
		return 6; /* bound through another cap: still the same line */
	if (invoke_irq_ack(rt_cap(IRQ2), d, NULL) != ERR_NOENT)
		return 7; /* acking is for the cap that bound it */
	for (int round = 0; round < 2; round++) {
		invoke_notify_wait(rt_cap(NOTE), d, EP_NONBLOCK, NULL); /* forget older bits */
		if (pit_oneshot())
			return 8;
		if (invoke_notify_wait(rt_cap(NOTE), d, 0, &w) || w.bits != BITS)
			return 9;
		if (invoke_irq_ack(rt_cap(IRQ), d, NULL))
			return 10;
	}
	rt_printf("dev_irq: two PIT interrupts arrived as notifications\n");
	return 0;
}
