/* The page a kernel test shares with a user test program it runs in a
 * sandbox (kernel/sched/hostile_test.c, sysfuzz_test.c): a frame in the
 * program's SLOT_ARGS, mapped read-write at TESTPAGE_VA before the program
 * first runs.  The kernel fills in the inputs; the program writes its
 * results, which the kernel reads after it has stopped.  Nothing here is
 * the ABI: it is the tests' own contract, included by both sides.
 */
#ifndef USER_TESTS_TESTPAGE_H
#define USER_TESTS_TESTPAGE_H

#include <stdint.h>

#define TESTPAGE_VA    0x102000ull
#define TESTPAGE_MAGIC 0x6567617074736574ull /* "testpage" */

/* Root slots a test program may be given besides tessera/bootinfo.h's. */
#define TESTPAGE_SLOT_UNTYPED 16 /* an untyped of its own (untyped_bits) */
#define TESTPAGE_SLOT_FREE    17 /* the first slot nobody uses */

/* What the program is asked to do (mode). */
enum testpage_mode {
	HOSTILE_EVERYTHING = 1,    /* every attack; exit code: escapes + wrong refusals */
	HOSTILE_VICTIM,            /* hold a secret, wait for go, check it is intact */
	HOSTILE_DELETE_DISPATCHER, /* delete its own dispatcher (never returns) */
	HOSTILE_DELETE_VSPACE,     /* delete its own top page table */
	HOSTILE_DELETE_IMAGE,      /* delete the CNode of its code, stack and tables */
	HOSTILE_DELETE_FRAME,      /* delete its own dispatcher frame */
	SYSFUZZ_RUN,               /* random invocations for run_ms */
};

#define TESTPAGE_OTHERS  4  /* another program's objects, by physical base */
#define TESTPAGE_ERRORS  32 /* error counts by enum err (ERR_COUNT fits) */
#define TESTPAGE_METHODS 32

struct testpage {
	/* the kernel writes, before the program starts */
	uint64_t magic;
	uint64_t mode;
	uint64_t seed;
	uint64_t run_ms;                 /* sysfuzz: for how long, in cycle-counter time */
	uint64_t untyped_bits;           /* of the untyped in TESTPAGE_SLOT_UNTYPED (0: none) */
	uint64_t hhdm;                   /* the kernel's direct map of physical memory */
	uint64_t kernel_text;            /* an address in the kernel's code */
	uint64_t kernel_data;            /* an address in the kernel's data */
	uint64_t kernel_stack;           /* an address on the kernel's stack */
	uint64_t other[TESTPAGE_OTHERS]; /* root CNode, dispatcher, frame, secret page */
	uint64_t go;                     /* a waiting program may go on */
	/* the program writes */
	uint64_t ready;                     /* victim: the secret is in place at secret_va */
	uint64_t secret_va;                 /* victim: a page of its data holding the secret */
	uint64_t checks;                    /* hostile: checks made */
	uint64_t escapes;                   /* ... an attack that was not refused */
	uint64_t wrong;                     /* ... refused, but not as documented */
	uint64_t faults;                    /* faults taken (every one expected) */
	uint64_t first_line;                /* source line of the first failed check */
	uint64_t calls;                     /* sysfuzz: invocations made */
	uint64_t skipped;                   /* ... drawn but not made (they would end it) */
	uint64_t valid_ops;                 /* ... of them structured to succeed */
	uint64_t errors[TESTPAGE_ERRORS];   /* ... by error (0: succeeded) */
	uint64_t methods[TESTPAGE_METHODS]; /* ... by method (0: invalid numbers) */
	uint64_t touches;                   /* ... memory touched in its playground */
};
_Static_assert(sizeof(struct testpage) <= 4096, "one page");

/* What HOSTILE_EVERYTHING must report (tests fail if it silently skipped). */
#define HOSTILE_CHECKS 733

#endif
