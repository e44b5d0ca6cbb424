/* counter: --threads threads (counter_args.schema; default 4) add
 * --rounds each to one counter under a mutex (they never yield: a thread
 * runs until the timer takes the core or it waits for the mutex); the
 * first thread waits for them on a condition variable.  Ends with 0 if the
 * count is exact. */
#include <counter_args.h>
#include <rt/args.h>
#include <rt/rt.h>
#include <rt/thread.h>

#define MAX_THREADS 16 /* the schema's bound */

static struct rt_mutex lock;
static struct rt_cond done;
static uint64_t counter;
static unsigned finished;
static struct counter_args args;

static void *work(void *arg)
{
	for (uint64_t i = 0; i < args.rounds; i++) {
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
	struct rt_thread *t[MAX_THREADS];

	RT_ARGS(counter_args, &args);
	unsigned threads = args.threads < MAX_THREADS ? (unsigned)args.threads : MAX_THREADS;
	for (unsigned i = 0; i < threads; i++)
		if (rt_thread_create(&t[i], work, NULL))
			return 1;
	rt_mutex_lock(&lock);
	while (finished < threads)
		rt_cond_wait(&done, &lock);
	rt_mutex_unlock(&lock);
	for (unsigned i = 0; i < threads; i++)
		rt_thread_join(t[i], NULL);
	rt_printf("counter: %u threads counted to %llu under one mutex (%llu run upcalls)\n",
	          threads, (unsigned long long)counter, (unsigned long long)rt_frame()->runs);
	return counter == threads * args.rounds ? 0 : 2;
}
