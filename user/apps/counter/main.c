/* counter: four threads add to one counter under a mutex (they never
 * yield: a thread runs until the timer takes the core or it waits for the
 * mutex); the first thread waits for them on a condition variable.  Ends
 * with 0 if the count is exact. */
#include <rt/rt.h>
#include <rt/thread.h>

#define THREADS 4
#define ROUNDS  20000

static struct rt_mutex lock;
static struct rt_cond done;
static uint64_t counter;
static unsigned finished;

static void *work(void *arg)
{
	for (unsigned i = 0; i < ROUNDS; i++) {
		rt_mutex_lock(&lock);
		counter++;
		rt_mutex_unlock(&lock);
	}
	rt_mutex_lock(&lock);
	finished++;
	rt_cond_signal(&done);
	rt_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	struct rt_thread *t[THREADS];

	for (int i = 0; i < THREADS; i++)
		if (rt_thread_create(&t[i], work, NULL))
			return 1;
	rt_mutex_lock(&lock);
	while (finished < THREADS)
		rt_cond_wait(&done, &lock);
	rt_mutex_unlock(&lock);
	for (int i = 0; i < THREADS; i++)
		rt_thread_join(t[i], NULL);
	rt_printf("counter: %d threads counted to %llu under one mutex (%llu run upcalls)\n",
	          THREADS, (unsigned long long)counter, (unsigned long long)rt_frame()->runs);
	return counter == THREADS * ROUNDS ? 0 : 2;
}
