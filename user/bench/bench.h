/* What the user benchmark programs share (user/bench/): their bench page,
 * timed rounds recorded into it, the bare paths they ask the bench kernel
 * for, and the assembly loops those paths are for (bare.S). */
#ifndef USER_BENCH_BENCH_H
#define USER_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "benchpage.h"

/* This program's bench page (mapped by the bench kernel before it ran). */
static inline struct benchpage *bench_page(void)
{
	return (struct benchpage *)(uintptr_t)BENCHPAGE_VA;
}

/* One figure: prepare (may be NULL) runs before each round, untimed; run
 * does n operations and says whether each gave what it must. */
struct bench_op {
	enum bench_fig fig;
	uint64_t ops;
	bool (*prepare)(uint64_t n);
	bool (*run)(uint64_t n);
};

/* A warm-up round, then BENCH_ROUNDS timed ones into the bench page.
 * 0, or check (written to the page with the round) if a round failed. */
int bench_measure(const struct bench_op *op, int check);

/* Records a failed check and its detail in the page; returns check. */
int bench_fail(int check, uint64_t detail);

/* Asks the bench kernel for a bare path (*want = at; 0: back to normal)
 * and yields until it answers (*have).  False if it refused, or did not
 * answer within seconds of cycle-counter time. */
bool bench_bare(volatile uint64_t *want, volatile uint64_t *have, uint64_t at);

/* Cycle-counter time: now + seconds. */
uint64_t bench_deadline(unsigned seconds);

#define BENCH_WAIT_S 60   /* a polling wait gives up after this */
#define BENCH_SPINS  4096 /* polls between two looks at the clock */

/* Polls until *v holds want; false after BENCH_WAIT_S. */
bool bench_wait_for(volatile uint64_t *v, uint64_t want);

/* The ping side of a cache line bounced between two cores (bench_line.c
 * and the Linux probe time the same loop): n times, 2k + 1 into *ping,
 * then wait for 2k + 2 in *pong (k: *bounces, counted up). */
bool bench_pings(volatile uint64_t *ping, volatile uint64_t *pong, uint64_t *bounces, uint64_t n);

/* bare.S: n SYSCALLs (n > 0) with rax = method and nothing else set;
 * returns rax after the last.  bench_syscall_ret is the address each
 * returns to (what the CPU puts in rcx). */
uint64_t bench_syscalls(uint64_t n, uint64_t method);
extern const char bench_syscall_ret[];

/* bare.S: n ud2 instructions (n > 0), all at bench_ud_ip: only with the
 * bench kernel's #UD stub installed for that address (else the first one
 * ends the program). */
void bench_uds(uint64_t n);
extern const char bench_ud_ip[];

#endif
