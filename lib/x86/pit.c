/* The TSC measured against PIT channel 2; see pit.h. */
#include "pit.h"

#include "x86.h"

#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PORT_B      0x61
#define PORTB_GATE2 0x01
#define PORTB_SPKR  0x02
#define PORTB_OUT2  0x20

/* Command byte (82C54 "Control Word Format"): bits 7:6 counter, 5:4
 * read/write mode, 3:1 counting mode, 0 BCD. */
#define PIT_CMD_COUNTER(c) ((uint8_t)((c) << 6))
#define PIT_CMD_LOHI       ((uint8_t)(3u << 4))
#define PIT_CMD_MODE(m)    ((uint8_t)((m) << 1))

_Static_assert((PIT_CMD_COUNTER(2) | PIT_CMD_LOHI | PIT_CMD_MODE(0)) == 0xb0,
               "8254: counter 2, lobyte/hibyte, mode 0 (interrupt on terminal count)");

#define WINDOW_COUNT (PIT_HZ / PIT_WINDOWS_PER_SECOND)
#define SPIN_LIMIT   50000000u /* polls of OUT2 before assuming no PIT */

uint64_t pit_median(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
	return n ? v[n / 2] : 0;
}

/* TSC ticks over one window: channel 2 counts WINDOW_COUNT down in mode 0
 * and raises its output at zero.  0 if the output never rises. */
static uint64_t window_ticks(void)
{
	uint8_t b = x86_inb(PORT_B);

	x86_outb(PORT_B, (uint8_t)((b & ~PORTB_SPKR) | PORTB_GATE2));
	x86_outb(PIT_CMD, PIT_CMD_COUNTER(2) | PIT_CMD_LOHI | PIT_CMD_MODE(0)); /* OUT2 low */
	x86_outb(PIT_CH2, (uint8_t)WINDOW_COUNT);
	x86_outb(PIT_CH2, (uint8_t)(WINDOW_COUNT >> 8)); /* counting starts */
	uint64_t t0 = x86_rdtsc();
	unsigned spins = 0;
	while (!(x86_inb(PORT_B) & PORTB_OUT2) && ++spins < SPIN_LIMIT)
		;
	uint64_t t1 = x86_rdtsc();
	x86_outb(PORT_B, b);
	return spins < SPIN_LIMIT ? t1 - t0 : 0;
}

uint64_t pit_measure_tsc_hz(void)
{
	uint64_t ticks[PIT_RUNS];

	for (int i = 0; i < PIT_RUNS; i++) {
		ticks[i] = window_ticks();
		if (!ticks[i])
			return 0;
	}
	uint64_t hz = pit_tsc_hz(pit_median(ticks, PIT_RUNS), WINDOW_COUNT);
	return hz < 1000000u ? 0 : hz;
}
