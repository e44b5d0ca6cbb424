/* This core's dispatchers and how the core runs them (Barrelfish's CPU
 * driver scheduling): a dispatcher is a kernel object (CAP_DISPATCHER,
 * tessera/caps.h) that a program sets up with its root CNode, its top page
 * table and its dispatcher frame (tessera/dispatcher.h), then starts.
 * Each core schedules only its own dispatchers: fixed priorities, round
 * robin within one, preemption by the timer (SCHED_SLICE_TICKS), and when
 * nothing is runnable the core serves its messages and halts.
 *
 * The core's top level is sched_run: it serves messages (the message loop's
 * top level), then runs the most urgent dispatcher for a slice: the kernel
 * enters it by an upcall or resumes its saved registers, and keeps it on
 * the core across its system calls until the slice ends, it yields or
 * blocks, a message arrives, or it stops.  A fault it cannot take (no
 * fault entry, or while disabled) stops it: it never runs again, and the
 * owner gets back its memory and caps by deleting its objects.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <arch/arch.h>
#include <stdbool.h>
#include <stdint.h>
#include <tessera/dispatcher.h>

#include "cap/cap.h"

/* Timer ticks of one time slice (SMP_TIMER_HZ per second). */
#define SCHED_SLICE_TICKS 2

/* Where a dispatcher is in its life. */
enum dcb_state {
	DCB_NEW = 0,  /* retyped: nothing set up (the object is zeroed) */
	DCB_READY,    /* set up, not started, or stopped by its owner before */
	DCB_RUNNABLE, /* in the run queue, or running */
	DCB_STOPPED,  /* stopped for good: by DISP_STOP, a fault it could not
	               * take, or one of its objects gone */
	DCB_BLOCKED,  /* waiting in an invocation (an endpoint); its registers
	               * saved, the results written when it is woken */
};

/* How the kernel enters it next. */
enum dcb_entry { DCB_RUN_UPCALL = 0, DCB_RESUME, DCB_FAULT_UPCALL };

/* The dispatcher control block: the dispatcher object's memory (zeroed by
 * retype).  Its root CNode, top table and frame are recorded by value
 * (physical address and size): when any of those objects is destroyed the
 * dispatcher stops (sched_object_gone), so nothing here outlives them. */
struct dcb {
	uint32_t state; /* enum dcb_state */
	uint32_t entry; /* enum dcb_entry */
	uint32_t priority;
	uint32_t cspace_rights;  /* of the CNode cap it was given */
	uint64_t cspace, vspace; /* physical bases of its root CNode and top table */
	uint8_t cspace_bits;     /* size_bits of the root CNode cap */
	uint8_t vspace_type;     /* CAP_PML4 / CAP_PML5 */
	uint8_t stop_vector;     /* a fault that stopped it (else 0xff) */
	uint8_t frame_alive;     /* its frame is still its own (not destroyed) */
	uint32_t core;
	uint64_t frame, frame_va; /* its dispatcher frame: physical, and in its space */
	uint64_t id;
	uint64_t stop_address;
	struct dcb *next, *prev;         /* run queue */
	struct dcb *all_next, *all_prev; /* every set-up dispatcher of this core */
	uint64_t runs, syscalls, faults, slices;
	/* blocked in an endpoint (endpoint.c) */
	uint32_t saved_disabled; /* its registers are in the disabled area */
	uint32_t sending;        /* blocked in EP_SEND (else EP_RECV) */
	struct endpoint *block_ep;
	struct notify *block_notify;    /* blocked in NOTIFY_WAIT on it */
	struct dcb *ep_next;            /* the endpoint's senders, in order */
	uint64_t msg[5], msg_badge;     /* a blocked sender's message */
	uint64_t xfer, xfer_depth;      /* ... and the cap it sends */
	uint64_t recv_slot, recv_depth; /* a blocked receiver's slot for a cap */
	/* asynchronous invocations (ring.c) */
	uint64_t ring;             /* physical address of its rings' frame (0: none) */
	uint64_t ring_frame;       /* ... and of that frame's start (to notice it go) */
	uint32_t sq_head, cq_tail; /* the kernel's own indices */
	uint8_t sq_bits, cq_bits;
	uint8_t no_block;              /* in RING_ENTER: invocations must not wait */
	uint64_t end_notify, end_bits; /* DISP_NOTIFY: signalled when it stops */
	uint8_t pad;
	uint32_t line_len;
	char line[128];      /* LOG_WRITE: the line being written */
	struct arch_fpu fpu; /* its floating-point registers while off the core */
};
_Static_assert(sizeof(struct dcb) <= 1u << CAP_DISPATCHER_BITS, "a dispatcher object holds it");

/* Registers the scheduler's message handlers (a remote NOTIFY), at start. */
void sched_init(void);

/* The core's top level, forever: messages, then dispatchers. */
_Noreturn void sched_run(void);

/* One round of the top level, without sleeping: messages, then one slice
 * of the most urgent dispatcher.  Whether it did anything. */
bool sched_step(void);

/* The dispatcher running now (in a system call), or NULL. */
struct dcb *sched_current(void);

/* The dispatcher object at physical address pa (its cap's base). */
struct dcb *sched_dcb(uint64_t pa);

/* Makes d runnable (it joins its priority's queue at the back). */
void sched_start(struct dcb *d);

/* Stops d (out of the queue; a running one at its next exit), and says
 * why in its frame (DISP_STOPPED_*; sched_stop: DISP_STOPPED_STOP). */
void sched_stop(struct dcb *d);
void sched_stop_why(struct dcb *d, unsigned why);

/* The caller gives up the rest of its slice. */
void sched_yield(void);

/* The caller (running, in an invocation) blocks: its registers are saved
 * when the invocation returns, and it waits until sched_wake. */
void sched_block(struct dcb *d);

/* A blocked d is woken with the results of its invocation; first: it goes
 * to the front of its queue and the caller gives the core up to it. */
void sched_wake(struct dcb *d, const struct cap_invocation_result *res, bool first);

/* The current dispatcher's invocation took an endpoint's message for a
 * blocked caller: the core goes to d (front of its queue) next. */
void sched_switch_to(struct dcb *d);

/* d starts with fresh floating-point registers (DISP_SETUP). */
void sched_fpu_reset(struct dcb *d);

/* d joins this core's set-up dispatchers (DISP_SETUP). */
void sched_adopt(struct dcb *d);

/* The cap_env's destroyed hook: an object lost its last cap.  A dispatcher
 * leaves the core (its frame, if alive, says DISP_STOPPED_GONE); any
 * dispatcher whose root CNode, top table or frame it was stops. */
void sched_object_gone(const struct cap *cap);

/* Dispatchers on this core: set up, and runnable. */
unsigned sched_count(unsigned *runnable);

#endif
