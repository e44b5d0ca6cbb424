/* The page the bench kernel (kernel/sched/bench_user.c, make bench-user)
 * shares with each user benchmark program (user/bench/): a frame in the
 * program's root slot BENCH_SLOT_PAGE, mapped read-write at BENCHPAGE_VA
 * before the program first runs.  The kernel writes the inputs and answers
 * requests for a bare hardware path between the program's runs; the
 * program writes its figures, which the kernel reads once it has stopped.
 * Nothing here is the ABI: it is the benchmark's own contract, included by
 * both sides.
 */
#ifndef USER_BENCH_BENCHPAGE_H
#define USER_BENCH_BENCHPAGE_H

#include <stdint.h>

#define BENCHPAGE_VA    0x103000ull           /* past ARGS_VA (tessera/bootinfo.h) */
#define BENCHPAGE_MAGIC 0x6567617068636e62ull /* "bnchpage" */
#define BENCH_SHARED_VA 0x104000ull           /* bench_line: the frame both cores map */
#define BENCH_LINES_AT  3072                  /* in it: struct bench_shared (the rest: a channel) */

/* Root slots the kernel fills besides tessera/bootinfo.h's (below
 * SLOT_FIRST_FREE, which the runtime hands out). */
#define BENCH_SLOT_PAGE      12 /* this page */
#define BENCH_SLOT_SHARED    13 /* bench_line: the shared frame */
#define BENCH_SLOT_EP_REQ    14 /* bench_ep: the server receives, the client sends */
#define BENCH_SLOT_EP_REP    15 /* bench_ep: the client receives, the server sends */
/* bench_line's programs use bench_ep's two slots their own way */
#define BENCH_SLOT_NOTE      14 /* bench_line: its notification, made on its core */
#define BENCH_SLOT_NOTE_PEER 15 /* bench_line: the other's (WRITE; count: that core + 1) */

/* Every figure is BENCH_ROUNDS timed rounds (after one untimed warm-up
 * round) of its ops operations; the kernel reports the median round. */
#define BENCH_ROUNDS 9

/* What a program is asked to do. */
enum bench_role {
	BENCH_ROLE_SYS = 1,   /* bench_sys: system calls, exceptions, faults, rings */
	BENCH_ROLE_EP_SERVER, /* bench_ep: answers BENCH_EP_TOTAL requests */
	BENCH_ROLE_EP_CLIENT, /* bench_ep: times the round trips */
	BENCH_ROLE_SPAWN,     /* bench_spawn: spawns bench_nop */
	BENCH_ROLE_LINE_PING, /* bench_line on core 0: times the bounces */
	BENCH_ROLE_LINE_PONG, /* bench_line on core 1: answers them */
};

/* The figures, by where they are stored (names: bench_user.c). */
enum bench_fig {
	BENCH_FIG_SYSCALL,   /* bare SYSCALL + SYSRET (the bench kernel's stub) */
	BENCH_FIG_INVALID,   /* the same instruction through the kernel: no such method */
	BENCH_FIG_NULL,      /* IDENTIFY of its own dispatcher */
	BENCH_FIG_UD,        /* ud2, skipped by the bench kernel's #UD stub (IRETQ) */
	BENCH_FIG_FAULT,     /* first touch of a heap page, mapped by the fault upcall */
	BENCH_FIG_SYNC,      /* BENCH_RING_OPS IDENTIFYs as system calls, per call */
	BENCH_FIG_RING,      /* BENCH_RING_OPS IDENTIFYs in one RING_ENTER, per call */
	BENCH_FIG_EP,        /* endpoint round trip between two programs on one core */
	BENCH_FIG_SPAWN,     /* spawn + exit + wait + kill of bench_nop */
	BENCH_FIG_LINE,      /* cache line round trip between programs on cores 0 and 1 */
	BENCH_FIG_URPC,      /* user channel (rt/chan.h) round trip, same programs, polling */
	BENCH_FIG_URPC_WAIT, /* the same, each receiver asleep on its notification */
	BENCH_FIGS
};

/* Operations per round. */
#define BENCH_CALL_OPS      10000
#define BENCH_UD_OPS        5000
#define BENCH_FAULT_OPS     256 /* pages: 10 MiB of heap over the rounds */
#define BENCH_RING_OPS      1000
#define BENCH_EP_OPS        2000
#define BENCH_SPAWN_OPS     16
#define BENCH_LINE_OPS      5000
#define BENCH_URPC_OPS      2000
#define BENCH_URPC_WAIT_OPS 200

/* What both ends of a round trip count to (warm-up round included). */
#define BENCH_EP_TOTAL        ((BENCH_ROUNDS + 1) * (uint64_t)BENCH_EP_OPS)
#define BENCH_LINE_TOTAL      ((BENCH_ROUNDS + 1) * (uint64_t)BENCH_LINE_OPS)
#define BENCH_URPC_TOTAL      ((BENCH_ROUNDS + 1) * (uint64_t)BENCH_URPC_OPS)
#define BENCH_URPC_WAIT_TOTAL ((BENCH_ROUNDS + 1) * (uint64_t)BENCH_URPC_WAIT_OPS)

/* The badge of the client's endpoint cap, and what bench_nop ends with. */
#define BENCH_EP_BADGE 0xbe7c
#define BENCH_NOP_CODE 7

/* A method number outside tessera/caps.h's table: the kernel refuses it
 * (INVAL) first thing; the bare stub returns it unchanged in rax. */
#define BENCH_NO_METHOD 0x7e57

/* The kernel's answer to a bare-path request it refused. */
#define BENCH_REFUSED (~0ull)

struct bench_figure {
	uint64_t ops;                  /* per round; 0: not measured by this program */
	uint64_t cycles[BENCH_ROUNDS]; /* each round's, by the cycle counter */
};

struct benchpage {
	/* the kernel writes, before the program starts */
	uint64_t magic;
	uint64_t role;
	/* a bare path for the timed instruction (the program asks, 0: back to
	 * normal; the kernel has set it up when have equals want) */
	uint64_t want_syscall; /* the return address of the SYSCALL to send back at once */
	uint64_t have_syscall;
	uint64_t want_ud; /* the address of the ud2 to step over */
	uint64_t have_ud;
	/* the program writes */
	uint64_t check;  /* the check that failed (0: none) */
	uint64_t detail; /* and a value that says more */
	struct bench_figure fig[BENCH_FIGS];
};
_Static_assert(sizeof(struct benchpage) <= 4096, "one page");

/* The frame bench_line's programs share, at BENCH_LINES_AT in it: each
 * side writes only its own cache line (x86: 64 bytes).  The channel
 * (rt/chan.h) takes the rest of the frame. */
struct bench_shared {
	volatile uint64_t ping; /* core 0: 2k + 1 for the k-th bounce */
	uint64_t pad0[7];
	volatile uint64_t pong; /* core 1: 2k + 2 once it saw 2k + 1; 1 when ready */
	/* after the last bounce: ping 2 * BENCH_LINE_TOTAL + 1 when it has laid
	 * the channel out, pong + 1 when it has attached */
	uint64_t pad1[7];
};
_Static_assert(sizeof(struct bench_shared) == 128, "two cache lines");

#endif
