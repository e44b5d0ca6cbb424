/* Test kernel only: a bench for running user test programs in sandboxes
 * (spawn_sandbox) carved from a test untyped, each with the test page of
 * user/tests/testpage.h mapped and, if asked, an untyped of its own; and
 * tearing it all down again, checking that the core's dispatchers and
 * address spaces are back to what they were (the runner's leak check
 * then proves every frame came back). */
#ifndef KERNEL_SCHED_SANDBOX_TEST_H
#define KERNEL_SCHED_SANDBOX_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "../../user/tests/testpage.h"
#include "cap/cap.h"
#include "ktest.h"
#include "sched.h"

#define SANDBOX_BITS      6 /* the bench CNode: 64 slots */
#define SANDBOX_SLOT_UT   2
#define SANDBOX_SLOT_LOG  3 /* the log */
#define SANDBOX_SLOT_LOGR 4 /* the log without WRITE */
#define SANDBOX_SLOT_PROG 8 /* programs' root CNodes from here */
#define SANDBOX_PROGS     (64 - SANDBOX_SLOT_PROG)

struct sandbox {
	struct cte cnode, untyped;
	uint64_t offset;      /* in the untyped: what spawns took */
	unsigned dispatchers; /* sched_count before */
	unsigned spaces;      /* vspace_count before */
};

/* A program in a sandbox: its dispatcher, frame and test page. */
struct sandbox_prog {
	unsigned n; /* its root CNode is in bench slot SANDBOX_SLOT_PROG + n */
	struct dcb *d;
	struct disp_frame *frame;
	struct testpage *page;
};

/* A bench of 2^untyped_bits bytes on this core. */
void sandbox_up(struct ktest *kt, struct sandbox *b, unsigned untyped_bits);

/* Everything back: what the untyped gave (every program stops and leaves
 * the core), then the bench; the core's dispatchers and spaces as before. */
void sandbox_down(struct ktest *kt, struct sandbox *b);

/* Spawns module as program n: the test page (magic, mode, the kernel's
 * addresses) mapped, an untyped of 2^own_bits bytes of its own if own_bits,
 * and the log (log_slot: SANDBOX_SLOT_LOG, SANDBOX_SLOT_LOGR or 0).  It is
 * started; it runs when the core's top level gets to it.  Ends the case on
 * failure. */
void sandbox_spawn(struct ktest *kt, struct sandbox *b, const char *module, unsigned n,
                   unsigned priority, uint64_t mode, unsigned own_bits, uint64_t log_slot,
                   struct sandbox_prog *p);

/* The physical base of the cap in root slot `slot` of program n. */
uint64_t sandbox_base(struct sandbox *b, unsigned n, uint64_t slot);

/* The physical address va maps to in program n's space (0: none). */
uint64_t sandbox_phys(struct sandbox *b, unsigned n, uint64_t va);

/* Runs the core's top level until done(ctx) or ms pass; whether done. */
bool sandbox_run_until(bool (*done)(void *ctx), void *ctx, unsigned ms);

/* Whether p's dispatcher has stopped (its frame says so). */
bool sandbox_stopped(void *p);

#endif
