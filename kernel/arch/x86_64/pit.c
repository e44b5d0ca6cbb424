/* Calibrating the cycle counter (TSC) against the 8254 PIT's channel 2, the
 * one whose gate software controls through port 0x61 (the PC's "NMI status
 * and control" port: bit 0 gate, bit 1 speaker, bit 5 channel 2's output).
 * Boot core only: the PIT is one device shared by every core.
 *
 * Command byte (Intel 8254 data sheet, "Control Word Format"): bits 7:6
 * counter, 5:4 read/write mode, 3:1 counting mode, 0 BCD.
 */
#include <arch/arch.h>

#include "x86.h"

#define PIT_HZ      1193182u
#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PORT_B      0x61
#define PORTB_GATE2 0x01
#define PORTB_SPKR  0x02
#define PORTB_OUT2  0x20

#define PIT_CMD_COUNTER(c) ((uint8_t)((c) << 6))
#define PIT_CMD_LOHI       ((uint8_t)(3u << 4))
#define PIT_CMD_MODE(m)    ((uint8_t)((m) << 1))

_Static_assert((PIT_CMD_COUNTER(2) | PIT_CMD_LOHI | PIT_CMD_MODE(0)) == 0xb0,
               "8254: counter 2, lobyte/hibyte, mode 0 (interrupt on terminal count)");

/* One measurement window: 1/WINDOWS_PER_SECOND s; the median of RUNS, as
 * a window can come out short or long if something (a hypervisor, an
 * emulator's host) stops this CPU between the counter and the clock. */
#define WINDOWS_PER_SECOND 100
#define RUNS               5
#define SPIN_LIMIT         50000000

/* Cycles for one window: channel 2 counts down in mode 0 and raises its
 * output at zero.  0 if the output never rises. */
static uint64_t window_cycles(void)
{
	uint16_t count = PIT_HZ / WINDOWS_PER_SECOND;
	uint8_t b = x86_inb(PORT_B);

	x86_outb(PORT_B, (uint8_t)((b & ~PORTB_SPKR) | PORTB_GATE2));
	x86_outb(PIT_CMD, PIT_CMD_COUNTER(2) | PIT_CMD_LOHI | PIT_CMD_MODE(0));
	x86_outb(PIT_CH2, (uint8_t)count);
	x86_outb(PIT_CH2, (uint8_t)(count >> 8));
	uint64_t t0 = x86_rdtsc();
	int spins = 0;
	while (!(x86_inb(PORT_B) & PORTB_OUT2) && ++spins < SPIN_LIMIT)
		;
	uint64_t t1 = x86_rdtsc();
	x86_outb(PORT_B, b);
	return spins < SPIN_LIMIT ? t1 - t0 : 0;
}

enum err arch_clock_calibrate(uint64_t *cycles_hz)
{
	uint64_t c[RUNS];

	for (int i = 0; i < RUNS; i++) {
		c[i] = window_cycles();
		if (!c[i])
			return ERR_TIMEOUT;
		for (int j = i; j > 0 && c[j] < c[j - 1]; j--) {
			uint64_t t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	}
	*cycles_hz = c[RUNS / 2] * WINDOWS_PER_SECOND;
	return ERR_OK;
}
