/* Cycle-counter time; see ktime.h.  The frequency is per-core data like
 * every other global: each core records the figure from its handoff. */
#include "ktime.h"

#include <arch/arch.h>

static uint64_t hz;

void ktime_init(uint64_t cycles_hz)
{
	hz = cycles_hz;
}

uint64_t ktime_cycles_hz(void)
{
	return hz;
}

uint64_t ktime_deadline(uint64_t ms)
{
	return arch_cycles() + ms * (hz / 1000);
}

bool ktime_passed(uint64_t deadline)
{
	return (int64_t)(arch_cycles() - deadline) >= 0;
}

uint64_t ktime_cycles_to_us(uint64_t cycles)
{
	return hz >= 1000000 ? cycles / (hz / 1000000) : 0;
}

void ktime_delay_us(uint64_t us)
{
	uint64_t end = arch_cycles() + us * (hz / 1000000);

	while ((int64_t)(arch_cycles() - end) < 0)
		arch_relax();
}
