/* Preemption: three threads that never yield nor make a system call, and
 * a first thread that does not either: the first thread sees every other
 * one make progress only because run upcalls (the timer) switch threads.
 * It then stops them and joins them.  Ends with 0; 1 if some thread never
 * ran within 10 seconds (kernel/sched/rt_test.c also counts the run
 * upcalls in the frame). */
#include <rt/rt.h>
#include <rt/thread.h>

#define SPINNERS 3

static volatile uint64_t count[SPINNERS];
static volatile int stop;

static void *spin(void *arg)
{
	volatile uint64_t *mine = &count[(uintptr_t)arg];

	while (!stop)
		(*mine)++;
	return NULL;
}

/* Whether every spinner has run at least twice as long as one check. */
static bool all_ran(const uint64_t *first)
{
	for (int i = 0; i < SPINNERS; i++)
		if (!first[i] || count[i] <= first[i])
			return false;
	return true;
}

int main(void)
{
	struct rt_thread *t[SPINNERS];
	uint64_t first[SPINNERS] = {0};
	uint64_t deadline = rt_cycles() + 10 * rt_cycles_hz();

	for (uintptr_t i = 0; i < SPINNERS; i++)
		if (rt_thread_create(&t[i], spin, (void *)i))
			return 2;
	/* each spinner runs, then runs again later: both seen from here */
	while (!all_ran(first) && rt_cycles() < deadline)
		for (int i = 0; i < SPINNERS; i++)
			if (!first[i])
				first[i] = count[i];
	int e = all_ran(first) ? 0 : 1;
	stop = 1;
	for (int i = 0; i < SPINNERS; i++)
		rt_thread_join(t[i], NULL);
	rt_printf("rt_preempt: %s: counts %llu %llu %llu, %llu run upcalls\n", e ? "failed" : "ok",
	          (unsigned long long)count[0], (unsigned long long)count[1],
	          (unsigned long long)count[2], (unsigned long long)rt_frame()->runs);
	return e;
}
