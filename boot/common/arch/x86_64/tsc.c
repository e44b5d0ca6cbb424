/* TSC delays; see tsc.h. */
#include "tsc.h"

#include <x86/x86.h>

void tsc_delay_us(uint64_t hz, uint64_t us)
{
	uint64_t start = x86_rdtsc(), ticks = tsc_ticks_for_us(hz, us);

	while (x86_rdtsc() - start < ticks)
		x86_pause();
}
