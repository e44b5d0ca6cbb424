/* Threads on one dispatcher: four threads add to one counter under a
 * mutex, each yielding inside its critical section now and then (without
 * the mutex the sum would come out short); producers and consumers pass
 * numbers through a bounded buffer with two condition variables; join
 * returns each thread's result; trylock fails on a held mutex.  Ends
 * with 0, or the number of the check that failed. */
#include <rt/rt.h>
#include <rt/thread.h>

#define WORKERS 4
#define ROUNDS  2000
#define ITEMS   500 /* per producer */
#define SLOTS   4

static struct rt_mutex lock;
static uint64_t counter;

static void *add(void *arg)
{
	for (unsigned i = 0; i < ROUNDS; i++) {
		rt_mutex_lock(&lock);
		uint64_t v = counter;
		if (i % 64 == 0)
			rt_thread_yield(); /* the others run now, and wait for the lock */
		counter = v + 1;
		rt_mutex_unlock(&lock);
	}
	return (void *)((uintptr_t)arg * 10);
}

static struct {
	struct rt_mutex m;
	struct rt_cond not_full, not_empty;
	uint64_t item[SLOTS];
	unsigned head, count;
} buf;

static void put(uint64_t v)
{
	rt_mutex_lock(&buf.m);
	while (buf.count == SLOTS)
		rt_cond_wait(&buf.not_full, &buf.m);
	buf.item[(buf.head + buf.count++) % SLOTS] = v;
	rt_cond_signal(&buf.not_empty);
	rt_mutex_unlock(&buf.m);
}

static uint64_t get(void)
{
	rt_mutex_lock(&buf.m);
	while (buf.count == 0)
		rt_cond_wait(&buf.not_empty, &buf.m);
	uint64_t v = buf.item[buf.head];
	buf.head = (buf.head + 1) % SLOTS;
	buf.count--;
	rt_cond_signal(&buf.not_full);
	rt_mutex_unlock(&buf.m);
	return v;
}

static void *produce(void *arg)
{
	for (uint64_t v = 1; v <= ITEMS; v++)
		put(v);
	return NULL;
}

/* Sums items until a 0. */
static void *consume(void *arg)
{
	uint64_t sum = 0;

	for (uint64_t v; (v = get());)
		sum += v;
	return (void *)(uintptr_t)sum;
}

static int counting(void)
{
	struct rt_thread *t[WORKERS];

	for (uintptr_t i = 0; i < WORKERS; i++)
		if (rt_thread_create(&t[i], add, (void *)i))
			return 1;
	if (rt_thread_count() != WORKERS + 1)
		return 2;
	for (uintptr_t i = 0; i < WORKERS; i++) {
		void *r;
		if (rt_thread_join(t[i], &r) || (uintptr_t)r != i * 10)
			return 3;
	}
	if (counter != WORKERS * ROUNDS)
		return 4;
	return rt_thread_count() == 1 ? 0 : 5;
}

static int passing(void)
{
	struct rt_thread *p[2], *c[2];
	uint64_t total = 0;

	for (int i = 0; i < 2; i++)
		if (rt_thread_create(&p[i], produce, NULL) ||
		    rt_thread_create(&c[i], consume, NULL))
			return 6;
	for (int i = 0; i < 2; i++)
		rt_thread_join(p[i], NULL);
	put(0);
	put(0);
	for (int i = 0; i < 2; i++) {
		void *r;
		rt_thread_join(c[i], &r);
		total += (uintptr_t)r;
	}
	return total == 2 * (ITEMS * (ITEMS + 1) / 2) ? 0 : 7;
}

static void *try(void *arg)
{
	return (void *)(uintptr_t)rt_mutex_trylock(&lock);
}

static int trying(void)
{
	struct rt_thread *t;
	void *r;

	rt_mutex_lock(&lock);
	if (rt_thread_create(&t, try, NULL) || rt_thread_join(t, &r) || r)
		return 8;
	rt_mutex_unlock(&lock);
	if (rt_thread_join(rt_thread_self(), NULL) != ERR_INVAL)
		return 9;
	return 0;
}

int main(void)
{
	int e = counting();

	if (!e)
		e = passing();
	if (!e)
		e = trying();
	rt_printf("rt_threads: %s (check %d): counter %llu\n", e ? "failed" : "ok", e,
	          (unsigned long long)counter);
	return e;
}
