/* User-level threads on the program's one dispatcher, preemptive: every
 * run upcall (the kernel took the core away while a thread ran enabled, or
 * the dispatcher yielded) saves the thread that ran and resumes the next
 * ready one, round robin.  A thread's stack is a slot of the thread-stack
 * region (tessera/bootinfo.h), mapped as it grows, with a guard page.
 * Mutual exclusion among threads is disabling (one core): the queues
 * change as one step; a thread that blocks saves itself and the next one
 * is resumed.  Blocking calls (lock, wait, join) must be made enabled.
 * When every thread waits, nothing can wake one (there are no outside
 * events yet): the program reports it and stops with RT_EXIT_DEADLOCK.
 * main returning ends the program, other threads or not; the last thread
 * to call rt_thread_exit ends it with 0.
 */
#ifndef RT_THREAD_H
#define RT_THREAD_H

#include <stdbool.h>
#include <tessera/err.h>

struct rt_thread;

/* A queue of waiting threads. */
struct rt_waitq {
	struct rt_thread *head, *tail;
};

/* Starts fn(arg) as a new thread (ready, behind the others).  NOMEM no
 * heap for its control block; FULL every stack slot in use. */
enum err rt_thread_create(struct rt_thread **t, void *(*fn)(void *), void *arg);

/* Waits for t to end; its result to *result (may be NULL); t is gone
 * afterwards.  INVAL t is the caller or another thread joins it already. */
enum err rt_thread_join(struct rt_thread *t, void **result);

/* Ends the calling thread with result. */
_Noreturn void rt_thread_exit(void *result);

/* Lets the other ready threads run; if there are none, gives the
 * dispatcher's time slice away (rt_yield). */
void rt_thread_yield(void);

struct rt_thread *rt_thread_self(void);

/* Threads alive now (the first one included). */
unsigned rt_thread_count(void);

/* A mutex: the owner, and the threads waiting for it (handed over in
 * order).  Zero-initialised is unlocked. */
struct rt_mutex {
	struct rt_thread *owner;
	struct rt_waitq waiters;
};

void rt_mutex_lock(struct rt_mutex *m);
bool rt_mutex_trylock(struct rt_mutex *m);
void rt_mutex_unlock(struct rt_mutex *m);

/* A condition variable.  Zero-initialised is ready. */
struct rt_cond {
	struct rt_waitq waiters;
};

/* Releases m, waits for a signal, takes m again. */
void rt_cond_wait(struct rt_cond *c, struct rt_mutex *m);
void rt_cond_signal(struct rt_cond *c);
void rt_cond_broadcast(struct rt_cond *c);

#endif
