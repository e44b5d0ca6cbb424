/* TSC calibration against PIT channel 2; see tsc.h. */
#include "tsc.h"

#include "cpu.h"

#define PIT_CH2       0x42
#define PIT_MODE      0x43
#define PORT_B        0x61
#define PORT_B_GATE2  (1u << 0)
#define PORT_B_SPKR   (1u << 1)
#define PORT_B_OUT2   (1u << 5)
/* Mode/command byte: channel 2 (bits 7:6 = 10), lobyte then hibyte
 * (5:4 = 11), mode 0 (3:1 = 000), binary (0). */
#define PIT_CH2_MODE0 0xb0
#define PIT_COUNT     11932u    /* 10 ms */
#define PIT_SPINS     50000000u /* polls of OUT2 before assuming no PIT */

uint64_t tsc_calibrate(void)
{
	uint8_t saved = cpu_inb(PORT_B);

	cpu_outb(PORT_B, (uint8_t)((saved & ~PORT_B_SPKR) | PORT_B_GATE2));
	cpu_outb(PIT_MODE, PIT_CH2_MODE0); /* OUT2 goes low */
	cpu_outb(PIT_CH2, PIT_COUNT & 0xff);
	cpu_outb(PIT_CH2, PIT_COUNT >> 8); /* counting starts */
	uint64_t start = cpu_rdtsc();
	unsigned spins = 0;
	while (!(cpu_inb(PORT_B) & PORT_B_OUT2) && ++spins < PIT_SPINS)
		;
	uint64_t ticks = cpu_rdtsc() - start;
	cpu_outb(PORT_B, saved);
	uint64_t hz = tsc_hz_from_pit(ticks, PIT_COUNT);
	return spins == PIT_SPINS || hz < 1000000u ? 0 : hz;
}

void tsc_delay_us(uint64_t hz, uint64_t us)
{
	uint64_t start = cpu_rdtsc(), ticks = tsc_ticks_for_us(hz, us);

	while (cpu_rdtsc() - start < ticks)
		cpu_pause();
}
