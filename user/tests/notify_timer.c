/* NOTIFY_TIMER (tessera/caps.h) from a program: slot 16 a notification
 * with READ and WRITE, slot 17 a copy without WRITE.  Refusals, then a
 * timer that wakes a blocked wait no earlier than asked (the cycle
 * counter is the independent clock), a cancelled timer that never fires,
 * and a timer replaced by a sooner one.  Exit 0, or the failed step. */
#include <rt/rt.h>

#define NOTE    16
#define NOTE_RO 17

static uint64_t ms_since(uint64_t t0)
{
	return (rt_cycles() - t0) / (rt_cycles_hz() / 1000);
}

/* Yields for ms milliseconds (no wait on the notification). */
static void spin_ms(uint64_t ms)
{
	uint64_t t0 = rt_cycles();
	while (ms_since(t0) < ms)
		rt_yield();
}

int main(void)
{
	struct cap_results_notify_wait w;
	uint64_t d = rt_depth();

	if (invoke_notify_timer(rt_cap(NOTE_RO), d, 1000, 1, NULL) != ERR_PERM)
		return 1;
	if (invoke_notify_timer(rt_cap(NOTE), d, 1000, 0, NULL) != ERR_INVAL)
		return 2;
	if (invoke_notify_timer(rt_cap(NOTE), d, NOTIFY_TIMER_MAX_US + 1, 1, NULL) != ERR_RANGE)
		return 3;
	/* fires: the wait blocks until then, and not before */
	uint64_t t0 = rt_cycles();
	if (invoke_notify_timer(rt_cap(NOTE), d, 30000, 0x9, NULL))
		return 4;
	if (invoke_notify_wait(rt_cap(NOTE), d, 0, &w) || w.bits != 0x9)
		return 5;
	if (ms_since(t0) < 30)
		return 6;
	/* cancelled: nothing arrives */
	if (invoke_notify_timer(rt_cap(NOTE), d, 20000, 0x1, NULL) ||
	    invoke_notify_timer(rt_cap(NOTE), d, 0, 0, NULL))
		return 7;
	spin_ms(60);
	if (invoke_notify_wait(rt_cap(NOTE), d, EP_NONBLOCK, &w) != ERR_EMPTY)
		return 8;
	/* replaced by a sooner one: only its bits, well before the first's time */
	t0 = rt_cycles();
	if (invoke_notify_timer(rt_cap(NOTE), d, 5000000, 0x2, NULL) ||
	    invoke_notify_timer(rt_cap(NOTE), d, 20000, 0x4, NULL))
		return 9;
	if (invoke_notify_wait(rt_cap(NOTE), d, 0, &w) || w.bits != 0x4)
		return 10;
	uint64_t took = ms_since(t0);
	if (took < 20 || took >= 5000)
		return 11;
	return 0;
}
