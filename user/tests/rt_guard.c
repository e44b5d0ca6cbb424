/* A thread that recurses without end: its stack grows page by page down
 * to the guard page of its stack slot, where the fault upcall stops the
 * program with 128 + 14 (kernel/sched/rt_test.c checks the fault address:
 * the guard of the first thread-stack slot).  The first thread waits in
 * join meanwhile. */
#include <rt/rt.h>
#include <rt/thread.h>
#include <string/mem.h>

static volatile int forever = 1;

static unsigned down(unsigned n)
{
	uint8_t frame[512];

	memset(frame, (int)n, sizeof frame);
	return forever ? down(n + 1) + frame[n % sizeof frame] : 0;
}

static void *run(void *arg)
{
	return (void *)(uintptr_t)down(0);
}

int main(void)
{
	struct rt_thread *t;

	if (rt_thread_create(&t, run, NULL))
		return 1;
	rt_thread_join(t, NULL);
	return 2; /* never: the program ends in the fault upcall */
}
