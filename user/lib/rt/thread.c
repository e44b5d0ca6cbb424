/* User-level threads, mutexes and condition variables; see rt/thread.h. */
#include <rt/heap.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <string/mem.h>

#include "internal.h"

enum thread_state { T_READY, T_RUNNING, T_BLOCKED, T_EXITED };

struct rt_thread {
	uint8_t fpu[RT_FPU_BYTES] __attribute__((aligned(16))); /* x87/SSE, while not running */
	struct arch_regs regs;                                  /* while not running */
	struct rt_thread *next;
	unsigned state;
	int stack; /* thread-stack slot; -1 for the first thread */
	void *(*fn)(void *);
	void *arg, *result;
	struct rt_thread *joiner;
	bool joining; /* someone joins it (or has) */
};

static struct rt_thread first = {.stack = -1};
static struct rt_thread *current;
static struct rt_waitq ready;
static unsigned live;
static uint64_t stacks_used[THREAD_STACKS_COUNT / 64];

static void push(struct rt_waitq *q, struct rt_thread *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static struct rt_thread *pop(struct rt_waitq *q)
{
	struct rt_thread *t = q->head;

	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* Disabled: t may run again. */
static void wake(struct rt_thread *t)
{
	t->state = T_READY;
	push(&ready, t);
}

void rt_thread_init(void)
{
	first.state = T_RUNNING;
	current = &first;
	live = 1;
}

_Noreturn void rt_thread_dispatch(void)
{
	struct rt_thread *next = pop(&ready);

	if (!next) {
		rt_printf("rt: every thread waits for another (deadlock)\n");
		rt_exit(RT_EXIT_DEADLOCK);
	}
	next->state = T_RUNNING;
	current = next;
	rt_resume(&next->regs, &rt_frame()->disabled, next->fpu);
}

_Noreturn void rt_thread_run_upcall(struct disp_frame *f)
{
	current->regs = f->enabled_area;
	memcpy(current->fpu, rt_upcall_fpu, sizeof current->fpu);
	wake(current);
	rt_thread_dispatch();
}

/* Disabled by the caller (which was enabled): the caller waits (it is on
 * some queue, or none when it yields) until it is resumed, enabled. */
static void block(bool was_enabled, unsigned state)
{
	if (!was_enabled)
		rt_abort("a thread blocks while disabled\n");
	current->state = state;
	rt_thread_switch(&current->regs, rt_upcall_stack_top(), current->fpu);
}

/* A new thread's first frame. */
static _Noreturn void thread_start(struct rt_thread *t)
{
	rt_thread_exit(t->fn(t->arg));
}

enum err rt_thread_create(struct rt_thread **out, void *(*fn)(void *), void *arg)
{
	struct rt_thread *t = calloc(1, sizeof *t);
	int slot = -1;

	if (!t)
		return ERR_NOMEM;
	bool was = rt_disable();
	for (unsigned i = 0; slot < 0 && i < THREAD_STACKS_COUNT; i++)
		if (!(stacks_used[i / 64] >> (i % 64) & 1)) {
			stacks_used[i / 64] |= 1ull << (i % 64);
			slot = (int)i;
		}
	rt_enable(was);
	if (slot < 0) {
		free(t);
		return ERR_FULL;
	}
	uint64_t top = THREAD_STACKS_VA + (uint64_t)(slot + 1) * THREAD_STACK_BYTES;
	t->stack = slot;
	t->fn = fn;
	t->arg = arg;
	t->regs.rip = (uint64_t)(uintptr_t)thread_start;
	t->regs.rsp = top - 8; /* as after a call: rsp + 8 is 16-byte aligned */
	t->regs.rdi = (uint64_t)(uintptr_t)t;
	t->regs.rflags = 0x202;
	/* the state after FNINIT and a reset MXCSR: x87 control word 0x37f,
	 * MXCSR 0x1f80 (every exception masked); tags all empty */
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(&t->fpu[0], &fcw, sizeof fcw);
	memcpy(&t->fpu[24], &mxcsr, sizeof mxcsr);
	was = rt_disable();
	live++;
	wake(t);
	rt_enable(was);
	*out = t;
	return ERR_OK;
}

_Noreturn void rt_thread_exit(void *result)
{
	rt_disable();
	current->result = result;
	current->state = T_EXITED;
	if (current->joiner)
		wake(current->joiner);
	if (--live == 0)
		rt_exit(0);
	rt_thread_dispatch();
}

enum err rt_thread_join(struct rt_thread *t, void **result)
{
	bool was = rt_disable();

	if (t == current || t->joining) {
		rt_enable(was);
		return ERR_INVAL;
	}
	t->joining = true;
	if (t->state != T_EXITED) {
		t->joiner = current;
		block(was, T_BLOCKED);
		rt_disable();
	}
	if (t->stack >= 0)
		stacks_used[t->stack / 64] &= ~(1ull << (t->stack % 64));
	rt_enable(was);
	if (result)
		*result = t->result;
	if (t != &first)
		free(t);
	return ERR_OK;
}

void rt_thread_yield(void)
{
	bool was = rt_disable();

	if (!ready.head || !was) {
		rt_enable(was);
		rt_yield();
		return;
	}
	wake(current);
	block(was, T_READY);
}

struct rt_thread *rt_thread_self(void)
{
	return current;
}

unsigned rt_thread_count(void)
{
	return live;
}

/* ---- mutexes and condition variables ---- */

void rt_mutex_lock(struct rt_mutex *m)
{
	bool was = rt_disable();

	if (!m->owner) {
		m->owner = current;
		rt_enable(was);
		return;
	}
	if (m->owner == current)
		rt_abort("a thread locks a mutex it holds\n");
	push(&m->waiters, current);
	block(was, T_BLOCKED); /* the unlocker hands it over */
}

bool rt_mutex_trylock(struct rt_mutex *m)
{
	bool was = rt_disable(), got = !m->owner;

	if (got)
		m->owner = current;
	rt_enable(was);
	return got;
}

/* Disabled: the next waiter owns m, or nobody. */
static void hand_over(struct rt_mutex *m)
{
	if (m->owner != current)
		rt_abort("a thread unlocks a mutex it does not hold\n");
	m->owner = pop(&m->waiters);
	if (m->owner)
		wake(m->owner);
}

void rt_mutex_unlock(struct rt_mutex *m)
{
	bool was = rt_disable();

	hand_over(m);
	rt_enable(was);
}

void rt_cond_wait(struct rt_cond *c, struct rt_mutex *m)
{
	bool was = rt_disable();

	hand_over(m);
	push(&c->waiters, current);
	block(was, T_BLOCKED);
	rt_mutex_lock(m);
}

void rt_cond_signal(struct rt_cond *c)
{
	bool was = rt_disable();
	struct rt_thread *t = pop(&c->waiters);

	if (t)
		wake(t);
	rt_enable(was);
}

void rt_cond_broadcast(struct rt_cond *c)
{
	bool was = rt_disable();

	for (struct rt_thread *t; (t = pop(&c->waiters));)
		wake(t);
	rt_enable(was);
}
